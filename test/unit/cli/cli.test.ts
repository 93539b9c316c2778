import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ResourceNotFound,
  SageMakerClient,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
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
parameters:
  Epochs: {type: Integer, default: 10}
steps:
  - name: Preprocess
    type: processing
    processor:
      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/pre:1
      instanceType: ml.m5.xlarge
    code: ../code/pre.py
    outputs:
      - {name: train, source: /opt/ml/processing/train}
`;
const files = { 'specs/demo.yaml': SPEC, 'code/pre.py': 'print("hi")\n' };
const EXEC = 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo/execution/e1';
const notFound = () => new ResourceNotFound({ message: 'missing', $metadata: {} });

function mockHappyDeploy(finalStatus: string) {
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
  s3.on(PutObjectCommand).resolves({});
  sm.on(DescribePipelineCommand).rejects(notFound());
  sm.on(CreatePipelineCommand).resolves({ PipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo' });
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXEC });
  sm.on(DescribePipelineExecutionCommand).resolvesOnce({ PipelineExecutionStatus: 'Executing', LastModifiedTime: new Date(1) }).resolves({
    PipelineExecutionStatus: finalStatus as never,
    LastModifiedTime: new Date(2),
    ...(finalStatus === 'Failed' ? { FailureReason: 'Step Preprocess failed' } : {}),
  });
  sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [{ StepName: 'Preprocess', StepStatus: finalStatus === 'Failed' ? 'Failed' : 'Succeeded' }] });
}

describe('smpk CLI', () => {
  it('prints usage and exits 2 without a command, 0 with --help', async () => {
    const a = fakeCli({});
    expect(await main([], a.ctx)).toBe(2);
    expect(a.output.stdout).toMatch(/Usage: smpk <command>/);
    expect(await main(['--help'], fakeCli({}).ctx)).toBe(0);
  });

  it('rejects unknown commands and flags with exit 2 and no stack trace', async () => {
    const a = fakeCli(files);
    expect(await main(['frobnicate'], a.ctx)).toBe(2);
    expect(a.output.stderr).toMatch(/unknown command "frobnicate"/);
    const b = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '--bogus'], b.ctx)).toBe(2);
    expect(b.output.stderr).toMatch(/Unknown option '--bogus'/);
    expect(b.output.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('compile writes the definition and reports what it wrote', async () => {
    const a = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '-o', 'out/def.json'], a.ctx)).toBe(0);
    const def = JSON.parse(a.written['out/def.json'] ?? '{}');
    expect(def.Steps[0].Name).toBe('Preprocess');
    expect(a.output.stderr).toMatch(/wrote out\/def.json: 1 top-level step, \d+ characters, 1 asset to stage/);
  });

  it('compile --param overrides a default and rejects a wrongly typed value', async () => {
    const a = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '--param', 'Epochs=20'], a.ctx)).toBe(0);
    expect(JSON.parse(a.output.stdout).Parameters[0]).toEqual({ Name: 'Epochs', Type: 'Integer', DefaultValue: 20 });
    const b = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '--param', 'Epochs=lots'], b.ctx)).toBe(2);
  });

  it('validate reports a broken spec at file:line:col and exits 2', async () => {
    const a = fakeCli({ ...files, 'specs/bad.yaml': SPEC.replace('instanceType: ml.m5.xlarge', 'instanceTyp: ml.m5.xlarge') });
    expect(await main(['validate', 'specs'], a.ctx)).toBe(2);
    expect(a.output.stderr).toMatch(/^specs\/bad\.yaml:\d+:\d+: error: /m);
    expect(a.output.stdout).toMatch(/valid {2}specs\/demo\.yaml/);
    expect(a.output.stdout).toMatch(/invalid {2}specs\/bad\.yaml/);
  });

  it('validate --format json gives machine-readable diagnostics', async () => {
    const a = fakeCli({ 'specs/bad.yaml': 'version: 1\npipeline: {name: x}\nsteps: []\n' });
    expect(await main(['validate', 'specs/bad.yaml', '--format', 'json'], a.ctx)).toBe(2);
    const [report] = JSON.parse(a.output.stdout);
    expect(report.valid).toBe(false);
    expect(report.diagnostics[0]).toMatchObject({ file: 'specs/bad.yaml', line: expect.any(Number), column: expect.any(Number), severity: 'error' });
  });

  it('run stages, creates, starts, prints the ARN at once and exits 0 when the execution succeeds', async () => {
    mockHappyDeploy('Succeeded');
    const a = fakeCli(files, { GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abc123', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/ml', GITHUB_SERVER_URL: 'https://github.com' });
    expect(await main(['run', 'specs/demo.yaml', '--param', 'Epochs=12'], a.ctx)).toBe(0);
    expect(a.output.stdout.indexOf(`execution started: ${EXEC}`)).toBeLessThan(a.output.stdout.indexOf('Preprocess: '));
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    const start = sm.commandCalls(StartPipelineExecutionCommand)[0]?.args[0].input;
    expect(start?.PipelineParameters).toEqual([{ Name: 'Epochs', Value: '12' }]);
    expect(start?.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(start?.PipelineExecutionDescription).toBe('Started by https://github.com/acme/ml/actions/runs/7/attempts/1');
  });

  it('run exits 1 when the execution fails, with the reason', async () => {
    mockHappyDeploy('Failed');
    const a = fakeCli(files);
    expect(await main(['run', 'specs/demo.yaml'], a.ctx)).toBe(1);
    expect(a.output.stderr).toMatch(/Execution failed: Step Preprocess failed/);
  });

  it('run --no-wait returns after start with the resume command', async () => {
    mockHappyDeploy('Succeeded');
    const a = fakeCli(files);
    expect(await main(['run', 'specs/demo.yaml', '--no-wait'], a.ctx)).toBe(0);
    expect(a.output.stdout).toMatch(`smpk watch ${EXEC}`);
    expect(sm.commandCalls(DescribePipelineExecutionCommand)).toHaveLength(0);
  });

  it('run exits 4 at the deadline and prints how to resume', async () => {
    mockHappyDeploy('Succeeded');
    sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Executing', LastModifiedTime: new Date(1) });
    const a = fakeCli(files);
    expect(await main(['run', 'specs/demo.yaml', '--timeout-minutes', '3'], a.ctx)).toBe(4);
    expect(a.output.stderr).toMatch(`Resume with:\n  smpk watch ${EXEC}`);
  });

  it('run needs a role and bucket, and says where they come from', async () => {
    const a = fakeCli({ ...files, 'specs/demo.yaml': SPEC.replace(/ {2}roleArn: .*\n {2}bucket: .*\n/, '') });
    expect(await main(['run', 'specs/demo.yaml'], a.ctx)).toBe(2);
    expect(a.output.stderr).toMatch(/SMPK_ROLE_ARN|--role/);
    expect(a.output.stderr).toMatch(/SMPK_BUCKET|--bucket/);
  });

  it('run without a region is a one-sentence setup error', async () => {
    const a = fakeCli(files);
    a.ctx.env = {};
    expect(await main(['run', 'specs/demo.yaml'], a.ctx)).toBe(2);
    expect(a.output.stderr).toMatch(/No AWS region: set AWS_REGION/);
  });

  it('watch resumes an execution by ARN and stop stops one', async () => {
    sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Stopped', LastModifiedTime: new Date(1) });
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [] });
    const a = fakeCli({});
    expect(await main(['watch', EXEC], a.ctx)).toBe(1);
    expect(a.output.stderr).toMatch(/Execution was stopped/);
    sm.on(StopPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXEC });
    const b = fakeCli({});
    expect(await main(['stop', EXEC], b.ctx)).toBe(0);
    expect(sm.commandCalls(StopPipelineExecutionCommand)[0]?.args[0].input.ClientRequestToken?.length).toBeGreaterThanOrEqual(32);
    expect(await main(['watch', 'not-an-arn'], fakeCli({}).ctx)).toBe(2);
  });

  it('plan shows the diff against the deployed pipeline without changing anything', async () => {
    const a = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '-o', 'd.json'], a.ctx)).toBe(0);
    const deployed = JSON.parse(a.written['d.json'] ?? '{}');
    deployed.Steps[0].Arguments.ProcessingResources.ClusterConfig.InstanceType = 'ml.m5.large';
    sm.on(DescribePipelineCommand).resolves({ PipelineDefinition: JSON.stringify(deployed) });
    const b = fakeCli(files);
    expect(await main(['plan', 'specs/demo.yaml'], b.ctx)).toBe(0);
    expect(b.output.stdout).toMatch(/~ Steps\[Preprocess\]\.Arguments\.ProcessingResources\.ClusterConfig\.InstanceType: "ml\.m5\.large" → "ml\.m5\.xlarge"/);
    expect(sm.commandCalls(CreatePipelineCommand)).toHaveLength(0);
  });

  it('an AWS failure is one sentence and exit 1', async () => {
    sm.on(DescribePipelineCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const a = fakeCli(files);
    expect(await main(['plan', 'specs/demo.yaml'], a.ctx)).toBe(1);
    expect(a.output.stderr).toMatch(/was denied: User is not authorized/);
  });
});

describe('smpk codebuild', () => {
  it('exits with the build result and passes the commit as source version', async () => {
    const { CodeBuildClient, StartBuildCommand, BatchGetBuildsCommand } = await import('@aws-sdk/client-codebuild');
    const cb = mockClient(CodeBuildClient);
    cb.on(StartBuildCommand).resolves({ build: { id: 'p:1', buildStatus: 'IN_PROGRESS' } });
    cb.on(BatchGetBuildsCommand).resolves({ builds: [{ id: 'p:1', buildStatus: 'FAILED' }] });
    const a = fakeCli({}, { GITHUB_SHA: 'abc123' });
    expect(await main(['codebuild', 'p', '--env', 'STAGE=prod'], a.ctx)).toBe(1);
    expect(a.output.stdout).toMatch(/build started: p:1/);
    expect(cb.commandCalls(StartBuildCommand)[0]?.args[0].input.sourceVersion).toBe('abc123');
    cb.restore();
  });
});

describe('smpk run --dotenv', () => {
  it('hands the execution ARN and final status to later GitLab jobs', async () => {
    mockHappyDeploy('Succeeded');
    const a = fakeCli(files, { GITLAB_CI: 'true', CI_PIPELINE_ID: '9', CI_JOB_NAME: 'train', CI_JOB_ID: '77', CI_COMMIT_SHA: 'abc' });
    expect(await main(['run', 'specs/demo.yaml', '--dotenv', 'smpk.env'], a.ctx)).toBe(0);
    expect(a.written['smpk.env']).toBe(
      `SMPK_PIPELINE_ARN=arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo\nSMPK_EXECUTION_ARN=${EXEC}\nSMPK_EXECUTION_STATUS=Succeeded\n`,
    );
  });
});

describe('--pipeline-name', () => {
  it('compiles and runs a PR-scoped copy without touching the spec pipeline', async () => {
    const a = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '--pipeline-name', 'demo-pr-42'], a.ctx)).toBe(0);
    const def = JSON.parse(a.output.stdout);
    // Code keys and default output paths follow the name, as the SDK's pipeline name would.
    expect(JSON.stringify(def)).toContain('demo-pr-42');
    expect(JSON.stringify(def)).not.toMatch(/"demo"|\/demo\//);
    const bad = fakeCli(files);
    expect(await main(['compile', 'specs/demo.yaml', '--pipeline-name', 'not valid!'], bad.ctx)).toBe(2);
    expect(bad.output.stderr).toMatch(/--pipeline-name is not valid/);

    mockHappyDeploy('Succeeded');
    const r = fakeCli(files);
    expect(await main(['run', 'specs/demo.yaml', '--pipeline-name', '{name}-pr-42', '--no-wait'], r.ctx)).toBe(0);
    expect(sm.commandCalls(CreatePipelineCommand)[0]?.args[0].input.PipelineName).toBe('demo-pr-42');
    expect(sm.commandCalls(StartPipelineExecutionCommand)[0]?.args[0].input.PipelineName).toBe('demo-pr-42');
  });
});
