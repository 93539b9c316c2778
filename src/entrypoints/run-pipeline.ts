// Entry point of the run-pipeline action (actions/run-pipeline). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { runPipelineAction } from '../platform/actions/run-pipeline.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(runPipelineAction, (region, env) => createClients({ region, env }));
