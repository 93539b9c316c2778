// Entry point of the run-codebuild action (actions/run-codebuild). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { runCodebuildAction } from '../platform/actions/run-codebuild.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(runCodebuildAction, (region, env) => createClients({ region, env }));
