// Pipelines and executions against the local backend over real HTTP with the real SDK client.
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DeletePipelineCommand,
  DescribePipelineCommand,
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  DescribeTrainingJobCommand,
  DescribeProcessingJobCommand,
  ListPipelineExecutionsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelinesCommand,
  ListTagsCommand,
  RetryPipelineExecutionCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { clients, credentials, definition, eventually, scriptedRunner, tempDir, token } from '../unit/local/helpers.js';

const role = 'arn:aws:iam::000000000000:role/SageMakerRole';

describe('local backend: pipelines and executions', () => {
  const state = tempDir();
  const scripted = scriptedRunner();
  let backend: LocalBackend;
  let sm: SageMakerClient;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, runner: scripted.runner });
    c = clients(backend.endpoint);
    sm = c.sagemaker;
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  it('creates, describes, updates, lists and deletes pipelines with real ARNs and versions', async () => {
    const created = await sm.send(
      new CreatePipelineCommand({
        PipelineName: 'Churn-Model',
        PipelineDefinition: definition,
        RoleArn: role,
        ClientRequestToken: token('create-1'),
        Tags: [{ Key: 'git-sha', Value: 'abc123' }],
      }),
    );
    expect(created.PipelineArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:pipeline/churn-model');
    // A retried create with the same token answers like the first one.
    const retried = await sm.send(new CreatePipelineCommand({ PipelineName: 'Churn-Model', PipelineDefinition: definition, RoleArn: role, ClientRequestToken: token('create-1') }));
    expect(retried.PipelineArn).toBe(created.PipelineArn);
    await expect(
      sm.send(new CreatePipelineCommand({ PipelineName: 'Churn-Model', PipelineDefinition: definition, RoleArn: role, ClientRequestToken: token('create-2') })),
    ).rejects.toMatchObject({ name: 'ValidationException' });

    const described = await sm.send(new DescribePipelineCommand({ PipelineName: 'Churn-Model' }));
    expect(described.PipelineStatus).toBe('Active');
    expect(described.PipelineDefinition).toBe(definition);
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs((described.CreationTime?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    const changed = definition.replace('"DefaultValue":1', '"DefaultValue":2');
    const updated = await sm.send(new UpdatePipelineCommand({ PipelineName: 'Churn-Model', PipelineDefinition: changed }));
    expect(updated.PipelineVersionId).toBe(2);
    // UpdatePipeline takes a name only (its model pattern excludes ARNs), as SageMaker enforces.
    await expect(sm.send(new UpdatePipelineCommand({ PipelineName: created.PipelineArn, PipelineDefinition: changed }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'pipelineName' failed to satisfy constraint"),
    });
    await expect(sm.send(new StartPipelineExecutionCommand({ PipelineName: 'Churn-Model', ClientRequestToken: 'short' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length greater than or equal to 32'),
    });
    expect((await sm.send(new DescribePipelineCommand({ PipelineName: 'Churn-Model' }))).PipelineDefinition).toBe(changed);
    expect((await sm.send(new DescribePipelineCommand({ PipelineName: 'Churn-Model', PipelineVersionId: 1 }))).PipelineDefinition).toBe(definition);

    const tags = await sm.send(new ListTagsCommand({ ResourceArn: created.PipelineArn }));
    expect(tags.Tags).toEqual([{ Key: 'git-sha', Value: 'abc123' }]);
    await sm.send(new AddTagsCommand({ ResourceArn: created.PipelineArn, Tags: [{ Key: 'git-sha', Value: 'def456' }, { Key: 'run', Value: 'r1' }] }));
    expect((await sm.send(new ListTagsCommand({ ResourceArn: created.PipelineArn }))).Tags).toEqual([
      { Key: 'git-sha', Value: 'def456' },
      { Key: 'run', Value: 'r1' },
    ]);

    for (const name of ['p-a', 'p-b', 'p-c']) {
      await sm.send(new CreatePipelineCommand({ PipelineName: name, PipelineDefinition: definition, RoleArn: role, ClientRequestToken: token(name) }));
    }
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await sm.send(new ListPipelinesCommand({ PipelineNamePrefix: 'p', SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2, NextToken: pageToken }));
      names.push(...(page.PipelineSummaries ?? []).map((p) => p.PipelineName ?? ''));
      pageToken = page.NextToken;
    } while (pageToken !== undefined);
    expect(names).toEqual(['p-a', 'p-b', 'p-c']);

    await sm.send(new DeletePipelineCommand({ PipelineName: 'p-c', ClientRequestToken: token('del') }));
    const missing = await sm.send(new DescribePipelineCommand({ PipelineName: 'p-c' })).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ResourceNotFound', $metadata: { httpStatusCode: 400 } });
    expect((missing as Error).message).toContain('arn:aws:sagemaker:us-east-1:000000000000:pipeline/p-c');
  });

  it('reads a definition from PipelineDefinitionS3Location in the local S3', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'defs' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'defs', Key: 'big/definition.json', Body: definition }));
    await sm.send(
      new CreatePipelineCommand({
        PipelineName: 'from-s3',
        PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: 'big/definition.json' },
        RoleArn: role,
        ClientRequestToken: token('from-s3'),
      }),
    );
    expect((await sm.send(new DescribePipelineCommand({ PipelineName: 'from-s3' }))).PipelineDefinition).toBe(definition);
    await expect(
      sm.send(
        new CreatePipelineCommand({
          PipelineName: 'from-s3-missing',
          PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: 'nope.json' },
          RoleArn: role,
          ClientRequestToken: token('x'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('starts executions idempotently, reports steps, jobs and logs the runner recorded, and stops them', async () => {
    await sm.send(new CreatePipelineCommand({ PipelineName: 'exec', PipelineDefinition: definition, RoleArn: role, ClientRequestToken: token('exec') }));
    const first = await sm.send(
      new StartPipelineExecutionCommand({ PipelineName: 'exec', ClientRequestToken: token('run-42-attempt-1'), PipelineParameters: [{ Name: 'Epochs', Value: '3' }] }),
    );
    const again = await sm.send(new StartPipelineExecutionCommand({ PipelineName: 'exec', ClientRequestToken: token('run-42-attempt-1') }));
    expect(again.PipelineExecutionArn).toBe(first.PipelineExecutionArn);
    expect(first.PipelineExecutionArn).toMatch(/^arn:aws:sagemaker:us-east-1:000000000000:pipeline\/exec\/execution\/[a-z0-9]{12}$/);
    expect(scripted.runs.filter((r) => r.input.executionArn === first.PipelineExecutionArn)).toHaveLength(1);
    const run = scripted.runs.at(-1);
    expect(run?.input.parameters).toEqual([{ Name: 'Epochs', Value: '3' }]);
    expect(run?.input.pipelineName).toBe('exec');

    const arn = first.PipelineExecutionArn ?? '';
    const executing = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
    expect(executing.PipelineExecutionStatus).toBe('Executing');
    expect(executing.PipelineArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:pipeline/exec');

    const steps = await eventually(async () => {
      const listed = await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }));
      return listed.PipelineExecutionSteps?.length === 2 ? listed.PipelineExecutionSteps : undefined;
    });
    // Newest-started first, as SageMaker lists them.
    expect(steps.map((s) => s.StepName)).toEqual(['Train', 'Prepare']);
    expect(steps[0]?.StartTime).toBeInstanceOf(Date);
    const page1 = await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults: 1 }));
    expect(page1.PipelineExecutionSteps?.map((s) => s.StepName)).toEqual(['Train']);
    const page2 = await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults: 1, NextToken: page1.NextToken }));
    expect(page2.PipelineExecutionSteps?.map((s) => s.StepName)).toEqual(['Prepare']);
    expect(page2.NextToken).toBeUndefined();

    const jobArn = steps[0]?.Metadata?.TrainingJob?.Arn ?? '';
    const jobName = `pipelines-${arn.split('/').pop() ?? ''}-Train-abc`;
    expect(jobArn).toContain('training-job/');
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
    expect(job.TrainingJobStatus).toBe('InProgress');
    expect(job.CreationTime).toBeInstanceOf(Date);
    await expect(sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });

    const logs = new CloudWatchLogsClient({ endpoint: backend.endpoint, region: 'us-east-1', credentials });
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: jobName }));
    expect(filtered.events?.map((e) => e.message)).toEqual(['epoch 1 loss=0.5', 'Traceback: boom']);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: `${jobName}/algo-1-1767225600`, limit: 1 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['Traceback: boom']);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: `${jobName}/algo-1-1767225600`, limit: 1, startFromHead: true }));
    expect(head.events?.map((e) => e.message)).toEqual(['epoch 1 loss=0.5']);
    const next = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: `${jobName}/algo-1-1767225600`, limit: 1, nextToken: head.nextForwardToken }),
    );
    expect(next.events?.map((e) => e.message)).toEqual(['Traceback: boom']);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/Nope', logStreamName: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const definitionForExecution = await sm.send(new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: arn }));
    expect(definitionForExecution.PipelineDefinition).toBe(definition);

    await sm.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: token('stop-1') }));
    const stopped = await eventually(async () => {
      const d = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      return d.PipelineExecutionStatus === 'Stopped' ? d : undefined;
    });
    expect(stopped.PipelineExecutionStatus).toBe('Stopped');
    await expect(sm.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: token('stop-2') }))).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  it('rejects unknown parameters through the engine as ValidationException and leaves no execution behind', async () => {
    const error = await sm
      .send(new StartPipelineExecutionCommand({ PipelineName: 'exec', ClientRequestToken: token('bad'), PipelineParameters: [{ Name: 'Nope', Value: '1' }] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect((error as Error).message).toContain("Parameter 'Nope'");
    const listed = await sm.send(new ListPipelineExecutionsCommand({ PipelineName: 'exec' }));
    expect(listed.PipelineExecutionSummaries).toHaveLength(1);
  });

  it('lists executions newest first with paging and retries a failed one under the same ARN', async () => {
    const arns: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = await sm.send(new StartPipelineExecutionCommand({ PipelineName: 'exec', ClientRequestToken: token(`list-${i}`) }));
      arns.push(started.PipelineExecutionArn ?? '');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await sm.send(new ListPipelineExecutionsCommand({ PipelineName: 'exec', MaxResults: 2, NextToken: pageToken }));
      seen.push(...(page.PipelineExecutionSummaries ?? []).map((s) => s.PipelineExecutionArn ?? ''));
      pageToken = page.NextToken;
    } while (pageToken !== undefined);
    expect(seen.slice(0, 3)).toEqual([...arns].reverse());
    expect(seen).toHaveLength(4);

    const failing = scripted.runs.find((r) => r.input.executionArn === arns[0]);
    await failing?.finish({ status: 'Failed', failureReason: 'Step Train failed: AlgorithmError' });
    const failed = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arns[0] }));
    expect(failed).toMatchObject({ PipelineExecutionStatus: 'Failed', FailureReason: 'Step Train failed: AlgorithmError' });
    await expect(sm.send(new RetryPipelineExecutionCommand({ PipelineExecutionArn: arns[1], ClientRequestToken: token('r') }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const retried = await sm.send(new RetryPipelineExecutionCommand({ PipelineExecutionArn: arns[0], ClientRequestToken: token('retry-1') }));
    expect(retried.PipelineExecutionArn).toBe(arns[0]);
    expect((await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arns[0] }))).PipelineExecutionStatus).toBe('Executing');
    expect(scripted.runs.filter((r) => r.input.executionArn === arns[0])).toHaveLength(2);
    for (const run of scripted.runs) await run.finish({ status: 'Succeeded' });
  });

  it('answers errors in the shapes the SDK classifies', async () => {
    await expect(sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/x/execution/y' }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
      $fault: 'client',
    });
    await expect(sm.send(new StartPipelineExecutionCommand({ PipelineName: 'ghost', ClientRequestToken: token('t') }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await expect(sm.send(new CreatePipelineCommand({ PipelineName: 'bad-def', PipelineDefinition: '{not json', RoleArn: role, ClientRequestToken: token('b') }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
