/** DescribeProcessingJob / DescribeTrainingJob / DescribeTransformJob, from what the engine recorded. */
import { sagemakerArn } from '../arns.js';
import { requireString, resourceNotFound, validation } from '../service-error.js';
import { Collections, findByName, type Operation, type SageMakerContext } from './context.js';

function describeJob(context: SageMakerContext, kind: 'ProcessingJob' | 'TrainingJob' | 'TransformJob', name: string): unknown {
  const job = findByName<Record<string, unknown>>(context, Collections.resource(kind), name, `${kind}Name`);
  if (job !== undefined) return job;
  const arnType = { ProcessingJob: 'processing-job', TrainingJob: 'training-job', TransformJob: 'transform-job' }[kind];
  // The service model lists ResourceNotFound for all three Describe*Job calls.
  if (name === '') throw validation(`${kind}Name must not be empty`);
  throw resourceNotFound(`Could not find ${kind === 'ProcessingJob' ? 'processing' : kind === 'TrainingJob' ? 'training' : 'transform'} job ${sagemakerArn(context.region, arnType, name)}`);
}

export const jobOperations: Record<string, Operation> = {
  DescribeProcessingJob: (input, context) => describeJob(context, 'ProcessingJob', requireString(input, 'ProcessingJobName')),
  DescribeTrainingJob: (input, context) => describeJob(context, 'TrainingJob', requireString(input, 'TrainingJobName')),
  DescribeTransformJob: (input, context) => describeJob(context, 'TransformJob', requireString(input, 'TransformJobName')),
};
