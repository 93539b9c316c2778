// Entry point of the deploy-endpoint action (actions/deploy-endpoint). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { makeDeployEndpointAction } from '../platform/actions/release.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(makeDeployEndpointAction(), (region, env) => createClients({ region, env }));
