// Entry point of the approve-model action (actions/approve-model). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { makeApproveModelAction } from '../platform/actions/release.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(makeApproveModelAction(), (region, env) => createClients({ region, env }));
