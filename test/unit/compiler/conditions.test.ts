import { describe, expect, it } from 'vitest';
import { conditionToRequest } from '../../../src/compiler/conditions.js';
import { fakeContext } from './steps/model-fake-context.js';

const P = (name: string) => ({ get: `Parameters.${name}` });

describe('conditionToRequest', () => {
  it('writes the five comparisons with LeftValue/RightValue, as ConditionComparison.to_request does', () => {
    const ctx = fakeContext();
    const cases: [string, string][] = [
      ['equals', 'Equals'],
      ['greaterThan', 'GreaterThan'],
      ['greaterThanOrEqualTo', 'GreaterThanOrEqualTo'],
      ['lessThan', 'LessThan'],
      ['lessThanOrEqualTo', 'LessThanOrEqualTo'],
    ];
    for (const [key, type] of cases) {
      const out = conditionToRequest({ [key]: [P('MyInt1'), 1] }, ctx, '/c');
      expect(JSON.stringify(out)).toBe(JSON.stringify({ Type: type, LeftValue: { Get: 'Parameters.MyInt1' }, RightValue: 1 }));
    }
    expect(ctx.errors).toEqual([]);
  });

  it('serializes a JsonGet operand as Std:JsonGet on the property file (test_condition_step.py)', () => {
    const ctx = fakeContext();
    const out = conditionToRequest(
      { lessThanOrEqualTo: [{ jsonGet: { propertyFile: 'Eval.Report', path: 'mse.value' } }, 6.5] },
      ctx,
      '/steps/3/conditions/0',
    );
    expect(out).toEqual({
      Type: 'LessThanOrEqualTo',
      LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' }, Path: 'mse.value' } },
      RightValue: 6.5,
    });
    // Each operand is converted at its own pointer, so a bad reference is reported in place.
    expect(ctx.exprPointers).toEqual(['/steps/3/conditions/0/lessThanOrEqualTo/0', '/steps/3/conditions/0/lessThanOrEqualTo/1']);
  });

  it('writes In with QueryValue and Values, mixing literals and expressions', () => {
    const ctx = fakeContext();
    const out = conditionToRequest({ in: { value: P('MyStr'), in: ['abc', { get: 'Steps.S.TrainingJobName' }] } }, ctx, '/c');
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({ Type: 'In', QueryValue: { Get: 'Parameters.MyStr' }, Values: ['abc', { Get: 'Steps.S.TrainingJobName' }] }),
    );
  });

  it('nests Not and Or the way ConditionNot/ConditionOr do', () => {
    const ctx = fakeContext();
    const out = conditionToRequest(
      { or: [{ not: { equals: [P('A'), P('B')] } }, { in: { value: P('S'), in: ['x'] } }] },
      ctx,
      '/c',
    );
    expect(out).toEqual({
      Type: 'Or',
      Conditions: [
        { Type: 'Not', Condition: { Type: 'Equals', LeftValue: { Get: 'Parameters.A' }, RightValue: { Get: 'Parameters.B' } } },
        { Type: 'In', QueryValue: { Get: 'Parameters.S' }, Values: ['x'] },
      ],
    });
  });

  it('reports malformed conditions at their pointer instead of emitting half a condition', () => {
    const ctx = fakeContext();
    expect(conditionToRequest({ equals: [1] }, ctx, '/c/0')).toBeUndefined();
    expect(conditionToRequest({ equals: [1, 2], lessThan: [1, 2] }, ctx, '/c/1')).toBeUndefined();
    expect(conditionToRequest({ or: [] }, ctx, '/c/2')).toBeUndefined();
    expect(conditionToRequest({ not: { between: [1, 2] } }, ctx, '/c/3')).toBeUndefined();
    expect(conditionToRequest({ in: { value: 1 } }, ctx, '/c/4')).toBeUndefined();
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/c/0/equals', '/c/1', '/c/2/or', '/c/3/not', '/c/4/in']);
  });
});
