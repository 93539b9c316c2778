// Entry point of the validate-spec action (actions/validate-spec). Thin: the body lives in platform/actions/.
import { validateSpecAction } from '../platform/actions/validate-spec.js';
import { runAction } from '../platform/actions/run-action.js';

await runAction(validateSpecAction);
