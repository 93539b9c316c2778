// Entry point of the compile-pipeline action (actions/compile-pipeline). Thin: the body lives in platform/actions/.
import { compilePipelineAction } from '../platform/actions/compile-pipeline.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(compilePipelineAction);
