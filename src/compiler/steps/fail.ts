/**
 * The `fail` step: a Fail step (the SDK's FailStep), which ends the execution as Failed with an
 * error message that may be built at run time (a join or a parameter).
 */
import { childPointer } from '../../spec/source-map.js';
import type { FailStep } from '../../spec/types.generated.js';
import type { EmitContext, Pointer, StepDefinition, StepEmitter } from '../types.js';

export const failEmitter: StepEmitter<FailStep> = {
  type: 'fail',
  definitionType: 'Fail',
  // FailStep is terminal: the SDK gives it no properties to reference.
  propertiesShape: undefined,
  emit: emitFail,
};

/** Builds the Fail step for one spec step. */
export function emitFail(step: FailStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  // FailStep writes "" when no message is given, never omits the key.
  const message = step.errorMessage === undefined ? '' : ctx.expr(step.errorMessage, childPointer(pointer, 'errorMessage'));
  return [{ Name: step.name, Type: 'Fail', Arguments: { ErrorMessage: message } }];
}
