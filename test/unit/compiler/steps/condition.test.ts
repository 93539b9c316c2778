import { describe, expect, it } from 'vitest';
import { conditionEmitter, emitCondition } from '../../../../src/compiler/steps/condition.js';
import type { ConditionStep } from '../../../../src/spec/types.generated.js';
import { fakeContext } from './model-fake-context.js';

describe('condition emitter', () => {
  it('emits only Conditions; the emit phase adds IfSteps/ElseSteps after them (test_condition_step.py)', () => {
    const ctx = fakeContext();
    const step: ConditionStep = {
      name: 'MyConditionStep',
      type: 'condition',
      conditions: [{ equals: [{ get: 'Parameters.MyInt' }, 1] }],
      ifSteps: ['MyStep1'],
      elseSteps: ['MyStep2'],
    };
    expect(emitCondition(step, ctx, '/steps/0')).toEqual([
      {
        Name: 'MyConditionStep',
        Type: 'Condition',
        Arguments: { Conditions: [{ Type: 'Equals', LeftValue: { Get: 'Parameters.MyInt' }, RightValue: 1 }] },
      },
    ]);
    expect(ctx.warnings).toEqual([]);
    expect(conditionEmitter.definitionName).toBeUndefined();
  });

  it('keeps the order of several conditions and warns when no branch lists a step', () => {
    const ctx = fakeContext();
    const step: ConditionStep = {
      name: 'C',
      type: 'condition',
      conditions: [{ greaterThan: [2, 1] }, { not: { equals: ['a', 'b'] } }],
    };
    const [definition] = emitCondition(step, ctx, '/steps/1');
    expect((definition?.Arguments.Conditions as { Type: string }[]).map((c) => c.Type)).toEqual(['GreaterThan', 'Not']);
    expect(ctx.warnings.map((w) => w.pointer)).toEqual(['/steps/1']);
  });
});
