/**
 * The `callback` step: a Callback step (the SDK's CallbackStep) that sends a token to an SQS queue
 * and waits for an external process to report success or failure with output values.
 */
import { childPointer } from '../../spec/source-map.js';
import type { CallbackStep } from '../../spec/types.generated.js';
import type { EmitContext, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { inputArguments, outputParameters } from './output-parameters.js';

export const callbackEmitter: StepEmitter<CallbackStep> = {
  type: 'callback',
  definitionType: 'Callback',
  // Properties are `OutputParameters['<name>']`, declared by the step itself, not a botocore shape.
  propertiesShape: undefined,
  emit: emitCallback,
};

/** Builds the Callback step for one spec step. */
export function emitCallback(step: CallbackStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  return [
    {
      Name: step.name,
      Type: 'Callback',
      Arguments: inputArguments(step.inputs, ctx, childPointer(pointer, 'inputs')),
      SqsQueueUrl: step.sqsQueueUrl,
      OutputParameters: outputParameters(step.outputs, ctx, childPointer(pointer, 'outputs')),
    },
  ];
}
