import { describe, expect, it } from 'vitest';
import { emitFail } from '../../../../src/compiler/steps/fail.js';
import { fakeContext } from './model-fake-context.js';

describe('fail emitter', () => {
  it('writes ErrorMessage as a Join when the message is built at run time (test_fail_step.py)', () => {
    const ctx = fakeContext();
    const out = emitFail(
      { name: 'MyFailStep', type: 'fail', errorMessage: { join: { on: ' ', values: ['MSE is', { get: 'Parameters.Mse' }] } } },
      ctx,
      '/steps/0',
    );
    expect(out).toEqual([
      {
        Name: 'MyFailStep',
        Type: 'Fail',
        Arguments: { ErrorMessage: { 'Std:Join': { On: ' ', Values: ['MSE is', { Get: 'Parameters.Mse' }] } } },
      },
    ]);
    expect(ctx.exprPointers).toEqual(['/steps/0/errorMessage']);
  });

  it('writes an empty ErrorMessage when none is given, as FailStep does', () => {
    expect(emitFail({ name: 'F', type: 'fail' }, fakeContext(), '/steps/0')[0]?.Arguments).toEqual({ ErrorMessage: '' });
  });
});
