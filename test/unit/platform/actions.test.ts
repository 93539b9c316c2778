import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ResourceNotFound,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePipelineAction } from '../../../src/platform/actions/compile-pipeline.js';
import { failureMessage, noAwsClients } from '../../../src/platform/actions/run-action.js';
import { runPipelineAction, watchPipelineAction } from '../../../src/platform/actions/run-pipeline.js';
import { validateSpecAction } from '../../../src/platform/actions/validate-spec.js';
import { InputError } from '../../../src/platform/github.js';
import { fakeActionIO } from '../../helpers/action-io.js';
import { fakeCli } from '../../helpers/cli-context.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sm.reset();
  s3.reset();
});

const SPEC = `version: 1
pipeline:
  name: demo
  roleArn: arn:aws:iam::111122223333:role/sm
  bucket: demo-bucket
steps:
  - name: Preprocess
    type: processing
    processor:
      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/pre:1
      instanceType: ml.m5.xlarge
      entrypoint: [python3, /opt/ml/processing/input/code/pre.py]
`;
const EXEC = 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo/execution/e1';
const host = (files: Record<string, string>) => fakeCli(files).ctx;

describe('validate-spec action', () => {
  it('annotates each problem on its spec line and fails the step', async () => {
    const bad = SPEC.replace('instanceType: ml.m5.xlarge', 'instanceTyp: ml.m5.xlarge');
    const { io, record } = fakeActionIO({ specs: 'specs' });
    await validateSpecAction(io, host({ 'specs/ok.yaml': SPEC, 'specs/bad.yaml': bad }));
    expect(record.annotations.length).toBeGreaterThan(0);
    expect(record.annotations[0]).toMatchObject({ file: 'specs/bad.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(record.outputs.valid).toBe('false');
    expect(record.failures[0]).toMatch(/1 of 2 specs invalid: specs\/bad\.yaml/);
    expect(record.summaries[0]).toMatch(/\| specs\/bad\.yaml \| invalid \|/);
  });
  it('passes valid specs', async () => {
    const { io, record } = fakeActionIO({ specs: 'specs/ok.yaml' });
    await validateSpecAction(io, host({ 'specs/ok.yaml': SPEC }));
    expect(record.failures).toEqual([]);
    expect(record.outputs.valid).toBe('true');
  });
});

describe('compile-pipeline action', () => {
  it('writes the definition and sets its outputs', async () => {
    const h = fakeCli({ 'specs/ok.yaml': SPEC });
    const { io, record } = fakeActionIO({ spec: 'specs/ok.yaml', 'output-file': 'out/def.json' });
    await compilePipelineAction(io, h.ctx);
    expect(record.failures).toEqual([]);
    expect(JSON.parse(h.written['out/def.json'] ?? '{}').Steps[0].Name).toBe('Preprocess');
    expect(record.outputs).toMatchObject({ 'definition-file': 'out/def.json', 'pipeline-name': 'demo', 'requires-s3-upload': 'false', 'asset-count': '0' });
  });
});

describe('run-pipeline action', () => {
  function deploy(final: string) {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    sm.on(DescribePipelineCommand).rejects(new ResourceNotFound({ message: 'no', $metadata: {} }));
    sm.on(CreatePipelineCommand).resolves({ PipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo' });
    sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXEC });
    sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: final as never, LastModifiedTime: new Date(1), FailureReason: 'Step Preprocess failed' });
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [{ StepName: 'Preprocess', StepStatus: final as never, FailureReason: 'ClientError: <b>boom</b>' }] });
  }

  it('sets the execution ARN before waiting and the final status after', async () => {
    deploy('Succeeded');
    const { io, record } = fakeActionIO({ spec: 'specs/ok.yaml' });
    await runPipelineAction(io, host({ 'specs/ok.yaml': SPEC }));
    expect(record.failures).toEqual([]);
    expect(record.outputOrder.indexOf('execution-arn')).toBeLessThan(record.outputOrder.lastIndexOf('execution-status'));
    expect(record.outputs).toMatchObject({ 'execution-arn': EXEC, 'execution-status': 'Succeeded', 'pipeline-arn': 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo' });
  });

  it('fails on a failed execution and still writes an escaped summary', async () => {
    deploy('Failed');
    const { io, record } = fakeActionIO({ spec: 'specs/ok.yaml' });
    await runPipelineAction(io, host({ 'specs/ok.yaml': SPEC }));
    expect(record.failures[0]).toMatch(/Pipeline execution failed: Step Preprocess failed/);
    expect(record.summaries[0]).toMatch(/### Pipeline demo failed/);
    expect(record.summaries[0]).toContain('&lt;b&gt;boom&lt;/b&gt;');
    expect(record.summaries[0]).not.toContain('<b>');
  });

  it('with wait: false ends after start', async () => {
    deploy('Succeeded');
    const { io, record } = fakeActionIO({ spec: 'specs/ok.yaml', wait: 'false' });
    await runPipelineAction(io, host({ 'specs/ok.yaml': SPEC }));
    expect(record.outputs['execution-status']).toBe('Executing');
    expect(sm.commandCalls(DescribePipelineExecutionCommand)).toHaveLength(0);
  });

  it('refuses a wrongly typed parameter before deploying anything', async () => {
    const spec = SPEC.replace('steps:', 'parameters:\n  Epochs: {type: Integer, default: 1}\nsteps:');
    const { io } = fakeActionIO({ spec: 'specs/ok.yaml', parameters: 'Epochs=many' });
    await expect(runPipelineAction(io, host({ 'specs/ok.yaml': spec }))).rejects.toThrow(InputError);
    expect(sm.commandCalls(CreatePipelineCommand)).toHaveLength(0);
  });
});

describe('watch-pipeline action', () => {
  it('rejects something that is not an execution ARN', async () => {
    const { io } = fakeActionIO({ 'execution-arn': 'arn:aws:sagemaker:us-east-1:1:pipeline/x' });
    await expect(watchPipelineAction(io, host({}))).rejects.toThrow(/execution ARN/);
  });
});

describe('the single catch', () => {
  it('turns anything thrown into one sentence', () => {
    expect(failureMessage(new InputError('input spec is required'))).toBe('input spec is required');
    expect(failureMessage('a string')).toBe('internal error: a string');
    expect(failureMessage({ weird: true })).toBe('internal error: [object Object]');
    expect(failureMessage(Object.assign(new Error('nope'), { name: 'AccessDeniedException', $metadata: {} }))).toMatch(/was denied/);
    expect(() => noAwsClients()).toThrow(/does not call AWS/);
  });
});

describe('shared input parsing', () => {
  it('a params-file that is not YAML is an input error, not an internal one', async () => {
    const { io } = fakeActionIO({ spec: 'specs/ok.yaml', 'params-file': 'params.yaml' });
    await expect(runPipelineAction(io, host({ 'specs/ok.yaml': SPEC, 'params.yaml': 'Epochs: [unclosed' }))).rejects.toThrow(
      /^params-file params\.yaml is not valid YAML\/JSON/,
    );
  });
  it('run-codebuild refuses a timeout that is not a positive number instead of waiting on NaN', async () => {
    const { runCodebuildAction } = await import('../../../src/platform/actions/run-codebuild.js');
    const { io } = fakeActionIO({ 'project-name': 'p', 'timeout-minutes': 'soon' });
    await expect(runCodebuildAction(io, host({}))).rejects.toThrow(InputError);
    await expect(runCodebuildAction(fakeActionIO({ 'project-name': 'p', 'timeout-minutes': 'soon' }).io, host({}))).rejects.toThrow(/timeout-minutes must be a positive number, not "soon"/);
  });
});
