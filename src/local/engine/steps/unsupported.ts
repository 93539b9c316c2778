/** Steps the local backend cannot emulate fail with one message shape that names the step and says why. */
import { StepFailure } from '../failure.js';
import type { StepRunner } from './context.js';

/** The FailureReason for a step that cannot run locally. */
export function cannotRunLocally(stepName: string, stepType: string, why: string): StepFailure {
  return new StepFailure(
    `Step '${stepName}' (${stepType}) cannot run on the local backend: ${why}. Run it against AWS, or drop the step from local runs.`,
  );
}

const WHY: Record<string, string> = {
  Tuning: 'hyperparameter tuning needs SageMaker',
  Lambda: 'it invokes an AWS Lambda function',
  Callback: 'it waits for an SQS callback from outside the pipeline',
  EMR: 'it submits work to an Amazon EMR cluster',
  EMRServerless: 'it submits work to EMR Serverless',
  ClarifyCheck: 'SageMaker Clarify checks run a SageMaker-managed container',
  AutoML: 'Autopilot needs SageMaker',
  EndpointConfig: 'endpoints are not hosted by the local execution engine',
  Endpoint: 'endpoints are not hosted by the local execution engine',
  InferenceComponent: 'inference components are not hosted by the local execution engine',
  Lineage: 'lineage tracking entities are not emulated',
};

/** A runner that always fails with the reason for its step type. */
export const unsupportedStep: StepRunner = async (context) => {
  throw cannotRunLocally(context.stepName, context.stepType, WHY[context.stepType] ?? `step type '${context.stepType}' is not emulated`);
};
