import { describe, expect, it } from 'vitest';
import { emitCallback } from '../../../../src/compiler/steps/callback.js';
import { emitLambda } from '../../../../src/compiler/steps/lambda.js';
import { fakeContext } from './model-fake-context.js';

const ARN = 'arn:aws:lambda:us-west-2:123456789012:function:sagemaker_test_lambda';

describe('lambda emitter', () => {
  it('writes Arguments from inputs, then FunctionArn and OutputParameters (test_lambda_step.py)', () => {
    const ctx = fakeContext();
    const [step] = emitLambda(
      {
        name: 'MyLambdaStep',
        type: 'lambda',
        functionArn: ARN,
        inputs: { arg1: 'foo', arg2: 5, arg3: { get: 'Parameters.MyInt' } },
        outputs: [{ name: 'output1', type: 'String' }, { name: 'output2', type: 'Boolean' }],
      },
      ctx,
      '/steps/0',
    );
    expect(JSON.stringify(step)).toBe(
      JSON.stringify({
        Name: 'MyLambdaStep',
        Type: 'Lambda',
        Arguments: { arg1: 'foo', arg2: 5, arg3: { Get: 'Parameters.MyInt' } },
        FunctionArn: ARN,
        OutputParameters: [
          { OutputName: 'output1', OutputType: 'String' },
          { OutputName: 'output2', OutputType: 'Boolean' },
        ],
      }),
    );
  });

  it('writes empty Arguments and OutputParameters when there are none (test_lambda_step_no_inputs_outputs)', () => {
    const [step] = emitLambda({ name: 'L', type: 'lambda', functionArn: ARN }, fakeContext(), '/steps/0');
    expect(step?.Arguments).toEqual({});
    expect(step?.OutputParameters).toEqual([]);
  });

  it('rejects two outputs with one name, which would make OutputParameters[name] ambiguous', () => {
    const ctx = fakeContext();
    emitLambda({ name: 'L', type: 'lambda', functionArn: ARN, outputs: [{ name: 'x' }, { name: 'x', type: 'Float' }] }, ctx, '/steps/2');
    expect(ctx.errors).toEqual([{ pointer: '/steps/2/outputs/1/name', message: 'Two outputs are named x.' }]);
  });
});

describe('callback emitter', () => {
  it('writes SqsQueueUrl and OutputParameters with String as the default type (test_callback_step.py)', () => {
    const [step] = emitCallback(
      {
        name: 'MyCallbackStep',
        type: 'callback',
        sqsQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue',
        inputs: { arg1: 'foo', arg2: { get: "Steps.L.OutputParameters['x']" } },
        outputs: [{ name: 'output1' }, { name: 'output2', type: 'Integer' }],
      },
      fakeContext(),
      '/steps/0',
    );
    expect(JSON.stringify(step)).toBe(
      JSON.stringify({
        Name: 'MyCallbackStep',
        Type: 'Callback',
        Arguments: { arg1: 'foo', arg2: { Get: "Steps.L.OutputParameters['x']" } },
        SqsQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue',
        OutputParameters: [
          { OutputName: 'output1', OutputType: 'String' },
          { OutputName: 'output2', OutputType: 'Integer' },
        ],
      }),
    );
  });
});
