// Entry point of the check-metrics action (actions/check-metrics). Thin: the body lives in platform/actions/.
import { createClients } from '../aws/clients.js';
import { checkMetricsAction } from '../platform/actions/check-metrics.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction((io, host) => checkMetricsAction(io, host, fetch), (region, env) => createClients({ region, env }));
