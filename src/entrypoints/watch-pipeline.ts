// Entry point of the watch-pipeline action (actions/watch-pipeline). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { watchPipelineAction } from '../platform/actions/run-pipeline.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(watchPipelineAction, (region, env) => createClients({ region, env }));
