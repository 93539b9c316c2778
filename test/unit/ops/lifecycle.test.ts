import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  ResourceNotFound,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Asset } from '../../../src/compiler/types.js';
import { diffDefinitions, renderDefinitionDiff } from '../../../src/ops/definition-diff.js';
import { resolveParameters } from '../../../src/ops/parameters.js';
import { stageAssets } from '../../../src/ops/stage.js';
import { clientRequestToken, executionDisplayName, startExecution } from '../../../src/ops/start.js';
import { deploymentTags, upsertPipeline, type PipelineToDeploy } from '../../../src/ops/upsert.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sm.reset();
  s3.reset();
});

const definition = (epochs: string) =>
  JSON.stringify({ Version: '2020-12-01', Steps: [{ Name: 'Train', Type: 'Training', Arguments: { HyperParameters: { epochs } } }] });
const pipeline = (over: Partial<PipelineToDeploy> = {}): PipelineToDeploy => ({
  name: 'abalone',
  roleArn: 'arn:aws:iam::111122223333:role/sm',
  definitionJson: definition('10'),
  tags: { team: 'ml' },
  ...over,
});
const origin = { commit: 'a1b2c3d', repository: 'acme/models', runUrl: 'https://github.com/acme/models/actions/runs/42', runId: '42', runAttempt: '1' };

describe('parameters', () => {
  const spec = {
    parameters: {
      Epochs: { type: 'Integer' as const, default: 10 },
      Threshold: { type: 'Float' as const, default: 0.7 },
      Approval: { type: 'String' as const, default: 'PendingManualApproval', enum: ['PendingManualApproval', 'Approved'] as [string, ...string[]] },
      Region: { type: 'String' as const },
    },
  };
  it('layers defaults, file and flags, sending only real overrides', () => {
    const r = resolveParameters(spec, [{ Epochs: 20, Region: 'eu' }, { Epochs: '30', Threshold: '0.7' }]);
    expect(r.problems).toEqual([]);
    expect(r.overrides).toEqual([
      { Name: 'Epochs', Value: '30' },
      { Name: 'Region', Value: 'eu' },
    ]);
    expect(r.effective).toEqual({ Epochs: '30', Threshold: '0.7', Approval: 'PendingManualApproval', Region: 'eu' });
  });
  it('type-checks values and names unknown parameters and missing values', () => {
    const r = resolveParameters(spec, [{ Epochs: '1.5', Approval: 'Maybe', Nope: 'x' }]);
    expect(r.problems.map((p) => p.message)).toEqual([
      'parameter Epochs: expected an Integer, got "1.5"',
      'parameter Approval: expected one of "PendingManualApproval", "Approved", got "Maybe"',
      'the spec has no parameter Nope (it has Epochs, Threshold, Approval, Region)',
      'parameter Region has no default; give it a value with --param Region=…',
    ]);
  });
});

describe('start', () => {
  it('derives the same token for a retried job and a different one for a new attempt', () => {
    const fresh = () => 'random';
    const a = clientRequestToken('abalone', origin, fresh);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(clientRequestToken('abalone', origin, fresh)).toBe(a);
    expect(clientRequestToken('abalone', { ...origin, runAttempt: '2' }, fresh)).not.toBe(a);
    expect(clientRequestToken('other', origin, fresh)).not.toBe(a);
  });
  it('uses a fresh token outside CI, so two manual runs are two executions', () => {
    let n = 0;
    const fresh = () => `r${n++}`;
    expect(clientRequestToken('abalone', { commit: 'x' }, fresh)).not.toBe(clientRequestToken('abalone', { commit: 'x' }, fresh));
  });
  it('sends parameters, token, parallelism and selective execution', async () => {
    sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: 'arn:exec' });
    const arn = await startExecution(new SageMakerClient({}), {
      pipelineName: 'abalone',
      parameters: [{ Name: 'Epochs', Value: '30' }],
      clientRequestToken: 't'.repeat(64),
      displayName: 'ci-a1b2c3d',
      parallelism: 2,
      selective: { sourceExecutionArn: 'arn:prev', steps: ['Train'] },
    });
    expect(arn).toBe('arn:exec');
    expect(sm.commandCalls(StartPipelineExecutionCommand)[0]?.args[0].input).toEqual({
      PipelineName: 'abalone',
      ClientRequestToken: 't'.repeat(64),
      PipelineParameters: [{ Name: 'Epochs', Value: '30' }],
      PipelineExecutionDisplayName: 'ci-a1b2c3d',
      ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
      SelectiveExecutionConfig: { SourcePipelineExecutionArn: 'arn:prev', SelectedSteps: [{ StepName: 'Train' }] },
    });
  });
  it('keeps display names inside SageMaker’s pattern whatever the commit text', () => {
    expect(executionDisplayName('ci', 'a1b2c3d4e5f6a7b8')).toBe('ci-a1b2c3d4e5f6');
    expect(executionDisplayName('pr 12; rm -rf /', '$(x)')).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/);
  });
});

describe('upsert', () => {
  it('creates a missing pipeline with tags and an idempotency token', async () => {
    sm.on(DescribePipelineCommand).rejects(new ResourceNotFound({ message: 'no', $metadata: {} }));
    sm.on(CreatePipelineCommand).resolves({ PipelineArn: 'arn:p' });
    const r = await upsertPipeline(new SageMakerClient({}), pipeline(), origin);
    expect(r.action).toBe('created');
    const input = sm.commandCalls(CreatePipelineCommand)[0]?.args[0].input;
    expect(input?.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(input?.Tags).toEqual([
      { Key: 'team', Value: 'ml' },
      { Key: 'smpk:commit', Value: 'a1b2c3d' },
      { Key: 'smpk:repository', Value: 'acme/models' },
      { Key: 'smpk:run-url', Value: 'https://github.com/acme/models/actions/runs/42' },
    ]);
  });
  it('leaves an identical pipeline alone', async () => {
    sm.on(DescribePipelineCommand).resolves({ PipelineArn: 'arn:p', PipelineName: 'abalone', RoleArn: pipeline().roleArn, PipelineDefinition: definition('10') });
    const r = await upsertPipeline(new SageMakerClient({}), pipeline(), origin);
    expect(r.action).toBe('unchanged');
    expect(sm.commandCalls(UpdatePipelineCommand)).toHaveLength(0);
    expect(sm.commandCalls(AddTagsCommand)).toHaveLength(0);
  });
  it('updates when the definition changed and reports what changed', async () => {
    sm.on(DescribePipelineCommand).resolves({ PipelineArn: 'arn:p', PipelineName: 'abalone', RoleArn: pipeline().roleArn, PipelineDefinition: definition('10') });
    const r = await upsertPipeline(new SageMakerClient({}), pipeline({ definitionJson: definition('20') }), origin);
    expect(r.action).toBe('updated');
    expect(r.changes).toEqual([{ kind: 'changed', path: 'Steps[Train].Arguments.HyperParameters.epochs', before: '10', after: '20' }]);
    expect(sm.commandCalls(UpdatePipelineCommand)).toHaveLength(1);
    expect(sm.commandCalls(AddTagsCommand)[0]?.args[0].input.ResourceArn).toBe('arn:p');
  });
  it('updates when only the role changed, and sends an S3 definition location when staged', async () => {
    sm.on(DescribePipelineCommand).resolves({ PipelineArn: 'arn:p', PipelineName: 'abalone', RoleArn: 'arn:aws:iam::111122223333:role/old', PipelineDefinition: definition('10') });
    const r = await upsertPipeline(new SageMakerClient({}), pipeline({ definitionS3: { bucket: 'b', key: 'k.json' } }), origin);
    expect(r).toMatchObject({ action: 'updated', settingsChanged: ['role'] });
    const input = sm.commandCalls(UpdatePipelineCommand)[0]?.args[0].input;
    expect(input?.PipelineDefinitionS3Location).toEqual({ Bucket: 'b', ObjectKey: 'k.json' });
    expect(input?.PipelineDefinition).toBeUndefined();
  });
  it('propagates errors other than not-found', async () => {
    sm.on(DescribePipelineCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(upsertPipeline(new SageMakerClient({}), pipeline(), origin)).rejects.toThrow('denied');
  });
  it('sanitises tag values SageMaker would reject', () => {
    expect(deploymentTags({}, { runUrl: 'https://gitlab.example.com/g/p/-/pipelines/7?x=1&y=2' })[0]?.Value).toBe('https://gitlab.example.com/g/p/-/pipelines/7_x=1_y=2');
  });
});

describe('stage', () => {
  const asset = (key: string): Asset => ({ source: 'code/a.py', kind: 'file', sha256: 'h', bucket: 'b', key, s3Uri: `s3://b/${key}`, size: 3, body: new Uint8Array([1, 2, 3]) });
  it('uploads only what is missing', async () => {
    s3.on(HeadObjectCommand, { Key: 'p/code/h1/a.py' }).resolves({});
    s3.on(HeadObjectCommand, { Key: 'p/code/h2/b.py' }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).resolves({});
    const r = await stageAssets(new S3Client({}), [asset('p/code/h1/a.py'), asset('p/code/h2/b.py')]);
    expect(r).toEqual({ uploaded: ['s3://b/p/code/h2/b.py'], skipped: ['s3://b/p/code/h1/a.py'] });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });
  it('puts an over-limit definition under a content-addressed key', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).resolves({});
    const r = await stageAssets(new S3Client({}), [], { json: '{"Version":"2020-12-01"}', bucket: 'b', keyPrefix: 'abalone/' });
    expect(r.definition?.key).toMatch(/^abalone\/definition-[0-9a-f]{16}\.json$/);
  });
  it('does not swallow access errors as "missing"', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    await expect(stageAssets(new S3Client({}), [asset('k')])).rejects.toThrow('Forbidden');
  });
});

describe('definition diff', () => {
  it('matches steps by name, so an inserted step is one addition', () => {
    const a = { Steps: [{ Name: 'A', Type: 'Processing' }, { Name: 'C', Type: 'Training' }] };
    const b = { Steps: [{ Name: 'A', Type: 'Processing' }, { Name: 'B', Type: 'Fail' }, { Name: 'C', Type: 'Training' }] };
    const changes = diffDefinitions(a, b);
    expect(changes).toEqual([{ kind: 'added', path: 'Steps[B]', after: { Name: 'B', Type: 'Fail' } }]);
    expect(renderDefinitionDiff(changes)).toBe('+ Steps[B]: {"Name":"B","Type":"Fail"}\n1 change.\n');
    expect(renderDefinitionDiff([])).toMatch(/No changes/);
  });
});

describe('console links', () => {
  it('link real executions and not the local placeholder account', async () => {
    const { executionConsoleUrl } = await import('../../../src/aws/sagemaker.js');
    expect(executionConsoleUrl('arn:aws:sagemaker:eu-west-1:111122223333:pipeline/abalone/execution/x1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/pipelines/abalone/executions/x1',
    );
    expect(executionConsoleUrl('arn:aws-cn:sagemaker:cn-north-1:111122223333:pipeline/a/execution/b')).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
    expect(executionConsoleUrl('arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone/execution/x1')).toBeUndefined();
  });
});
