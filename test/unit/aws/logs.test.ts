import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { jobLogTail, jobLogUrl, jobName } from '../../../src/aws/logs.js';

const sm = mockClient(SageMakerClient);
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => {
  sm.reset();
  logs.reset();
});

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/pipelines-abc123-trainabalonemodel-x1y2z3';

describe('job logs', () => {
  it('finds the real, case-preserving job name, since log stream prefixes are case-sensitive', async () => {
    sm.on(DescribeTrainingJobCommand).resolves({ TrainingJobName: 'pipelines-abc123-TrainAbaloneModel-x1y2z3' } as never);
    expect(await jobName(new SageMakerClient({}), 'TrainingJob', ARN)).toBe('pipelines-abc123-TrainAbaloneModel-x1y2z3');
    expect(sm.commandCalls(DescribeTrainingJobCommand)[0]?.args[0].input.TrainingJobName).toBe('pipelines-abc123-trainabalonemodel-x1y2z3');
  });
  it('falls back to the ARN spelling when the describe fails', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await jobName(new SageMakerClient({}), 'TrainingJob', ARN)).toBe('pipelines-abc123-trainabalonemodel-x1y2z3');
  });
  it('reads the last lines of every stream of the job', async () => {
    logs.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: 'job-X/algo-1' }] });
    logs.on(GetLogEventsCommand).resolves({ events: [{ message: 'Traceback\n' }, { message: 'ValueError: bad\n' }] });
    expect(await jobLogTail(new CloudWatchLogsClient({}), 'TrainingJob', 'job-X')).toEqual(['Traceback', 'ValueError: bad']);
    expect(logs.commandCalls(DescribeLogStreamsCommand)[0]?.args[0].input).toMatchObject({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: 'job-X/' });
  });
  it('a missing log is no tail, not a failure', async () => {
    logs.on(DescribeLogStreamsCommand).rejects(Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' }));
    expect(await jobLogTail(new CloudWatchLogsClient({}), 'ProcessingJob', 'job')).toBeUndefined();
  });
  it('links to the log group filtered by job name', () => {
    expect(jobLogUrl('eu-west-1', 'ProcessingJob', 'job-A')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FProcessingJobs$3FlogStreamNameFilter$3Djob-A',
    );
  });
});
