/**
 * The `condition` step: a Condition step (the SDK's ConditionStep). The emitter writes only the
 * step's own `Conditions`; the emit phase nests the `ifSteps`/`elseSteps` definitions into
 * `IfSteps`/`ElseSteps` after them, which gives the SDK's key order.
 */
import { conditionToRequest } from '../conditions.js';
import { childPointer } from '../../spec/source-map.js';
import type { ConditionStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, Pointer, StepDefinition, StepEmitter } from '../types.js';

export const conditionEmitter: StepEmitter<ConditionStep> = {
  type: 'condition',
  definitionType: 'Condition',
  // A condition step's one property, `Outcome`, is not described by a botocore shape.
  propertiesShape: undefined,
  emit: emitCondition,
};

/** Builds the Condition step (without its branches) for one spec step. */
export function emitCondition(step: ConditionStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = childPointer(pointer, 'conditions');
  const conditions: JsonObject[] = [];
  step.conditions.forEach((condition, i) => {
    const request = conditionToRequest(condition, ctx, childPointer(at, i));
    if (request) conditions.push(request);
  });
  if (!step.ifSteps?.length && !step.elseSteps?.length) {
    ctx.warning(pointer, `Condition step ${step.name} has no ifSteps and no elseSteps, so its outcome changes nothing.`, undefined, 'condition-no-branches');
  }
  return [{ Name: step.name, Type: 'Condition', Arguments: { Conditions: conditions } }];
}
