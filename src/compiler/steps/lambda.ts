/**
 * The `lambda` step: a Lambda step (the SDK's LambdaStep) invoking an existing function. The kit
 * never creates or updates functions (the compiler does not call AWS), so only `functionArn` is
 * accepted; the SDK's `Lambda(timeout=…)` only configures a function it creates.
 */
import { childPointer } from '../../spec/source-map.js';
import type { LambdaStep } from '../../spec/types.generated.js';
import type { EmitContext, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { inputArguments, outputParameters } from './output-parameters.js';

export const lambdaEmitter: StepEmitter<LambdaStep> = {
  type: 'lambda',
  definitionType: 'Lambda',
  // Properties are `OutputParameters['<name>']`, declared by the step itself, not a botocore shape.
  propertiesShape: undefined,
  emit: emitLambda,
};

/** Builds the Lambda step for one spec step. */
export function emitLambda(step: LambdaStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  return [
    {
      Name: step.name,
      Type: 'Lambda',
      Arguments: inputArguments(step.inputs, ctx, childPointer(pointer, 'inputs')),
      FunctionArn: step.functionArn,
      OutputParameters: outputParameters(step.outputs, ctx, childPointer(pointer, 'outputs')),
    },
  ];
}
