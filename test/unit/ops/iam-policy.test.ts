import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { JsonObject } from '../../../src/compiler/types.js';
import { buildIamPolicies, type IamPolicies, type PolicyStatement } from '../../../src/ops/iam-policy.js';
import { fakeCli } from '../../helpers/cli-context.js';

const SPEC = `version: 1
pipeline:
  name: Demo
  roleArn: arn:aws:iam::111122223333:role/sm
  bucket: demo-bucket
steps:
  - name: Preprocess
    type: processing
    processor:
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/pre:1
      instanceType: ml.m5.xlarge
    code: ../code/pre.py
    inputs:
      - {name: raw, source: s3://raw-data/abalone/, destination: /opt/ml/processing/input}
    outputs:
      - {name: train, source: /opt/ml/processing/train}
`;
const files = { 'specs/demo.yaml': SPEC, 'code/pre.py': 'print("hi")\n' };

const st = (Sid: string, Action: string | string[], Resource: string | string[], Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Sid,
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const SM = 'arn:aws:sagemaker:eu-west-1:111122223333';
const LOGS = ['arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/*', 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/*:log-stream:*'];
const PASS = st('PassOwnRoleToSageMaker', 'iam:PassRole', 'arn:aws:iam::111122223333:role/sm', { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });

async function policies(args: string[], env: Record<string, string> = {}, f: Record<string, string> = files): Promise<{ code: number; out: IamPolicies; stderr: string }> {
  const { ctx, output } = fakeCli(f, env);
  const code = await main(['iam-policy', ...args, '--format', 'json'], ctx);
  return { code, out: code === 0 ? (JSON.parse(output.stdout) as IamPolicies) : ({} as IamPolicies), stderr: output.stderr };
}

describe('smpk iam-policy', () => {
  it('derives the exact pipeline-role and CI-role statements of a small spec', async () => {
    const { code, out } = await policies(['specs/demo.yaml', '--region', 'eu-west-1']);
    expect(code).toBe(0);
    expect(out.region).toBe('eu-west-1');
    expect(out.account).toBe('111122223333');
    expect(out.pipelineRole.arn).toBe('arn:aws:iam::111122223333:role/sm');
    expect(out.pipelineRole.policy.Statement).toEqual([
      st('SageMakerProcessingJobs', ['sagemaker:AddTags', 'sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'], `${SM}:processing-job/pipelines-*`),
      PASS,
      st('S3Read', 's3:GetObject', ['arn:aws:s3:::demo-bucket/*', 'arn:aws:s3:::raw-data/abalone/*']),
      st('S3Write', ['s3:AbortMultipartUpload', 's3:PutObject'], 'arn:aws:s3:::demo-bucket/*'),
      st('S3List', ['s3:GetBucketLocation', 's3:ListBucket'], 'arn:aws:s3:::demo-bucket'),
      st('S3List2', ['s3:GetBucketLocation', 's3:ListBucket'], 'arn:aws:s3:::raw-data', { StringLike: { 's3:prefix': ['abalone/*'] } }),
      st('EcrAuth', 'ecr:GetAuthorizationToken', '*'),
      st('EcrPull', ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], 'arn:aws:ecr:eu-west-1:111122223333:repository/pre'),
      st('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], LOGS),
      st('JobMetrics', 'cloudwatch:PutMetricData', '*', { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } }),
    ]);
    expect(out.ciRole.policy.Statement).toEqual([
      st('Pipeline', ['sagemaker:AddTags', 'sagemaker:CreatePipeline', 'sagemaker:DescribePipeline', 'sagemaker:StartPipelineExecution', 'sagemaker:UpdatePipeline'], [
        `${SM}:pipeline/demo`,
        `${SM}:pipeline/demo-mr-*`,
        `${SM}:pipeline/demo-pr-*`,
      ]),
      st('PipelineExecutions', ['sagemaker:DescribePipelineExecution', 'sagemaker:ListPipelineExecutionSteps', 'sagemaker:StopPipelineExecution'], [
        `${SM}:pipeline/demo`,
        `${SM}:pipeline/demo-mr-*`,
        `${SM}:pipeline/demo-mr-*/execution/*`,
        `${SM}:pipeline/demo-pr-*`,
        `${SM}:pipeline/demo-pr-*/execution/*`,
        `${SM}:pipeline/demo/execution/*`,
      ]),
      st('DescribeJobsForLogs', 'sagemaker:DescribeProcessingJob', `${SM}:processing-job/pipelines-*`),
      { ...PASS, Sid: 'PassPipelineRole' },
      st('StageAssets', ['s3:GetObject', 's3:PutObject'], [
        'arn:aws:s3:::demo-bucket/Demo-?r-*/code/*',
        'arn:aws:s3:::demo-bucket/Demo-?r-*/definitions/*',
        'arn:aws:s3:::demo-bucket/Demo/code/*',
        'arn:aws:s3:::demo-bucket/Demo/definitions/*',
      ]),
      st('AssetBucket', 's3:ListBucket', 'arn:aws:s3:::demo-bucket'),
      st('ReadJobLogs', ['logs:DescribeLogStreams', 'logs:GetLogEvents'], LOGS),
    ]);
    expect(out.trust.github.map((t) => t.sub)).toEqual(['repo:OWNER/REPO:ref:refs/heads/main', 'repo:OWNER/REPO:pull_request']);
    expect(out.trust.gitlab.map((t) => t.sub)).toEqual(['project_path:GROUP/PROJECT:ref_type:branch:ref:*']);
    expect(out.trust.github[0]?.policy.Statement[0]).toEqual({
      Sid: 'OidcAssumeRole',
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:OWNER/REPO:ref:refs/heads/main' } },
    });
    expect(out.notes).toEqual([
      'Account 111122223333 is the one in the pipeline role ARN (pass --account to use another).',
      'The CI policy covers the pipeline and its pull/merge-request copies (Demo-pr-*, Demo-mr-*); a separate PR role can take the same policy with only the -pr-* (or -mr-*) resources.',
    ]);
  });

  it('is deterministic, and the text format heads each document', async () => {
    const run = async () => {
      const { ctx, output } = fakeCli(files);
      expect(await main(['iam-policy', 'specs/demo.yaml'], ctx)).toBe(0);
      return output.stdout;
    };
    const a = await run();
    expect(await run()).toBe(a);
    expect(a).toMatch(/^# Pipeline execution role \(arn:aws:iam::111122223333:role\/sm\)/);
    expect(a).toContain('# CI role: what smpk run / watch / stop / gate / release call');
    expect(a).toContain('# GitHub trust policy, PR role: pull_request (pr-metrics): sub repo:OWNER/REPO:pull_request');
  });

  it('uses placeholders, and says so, when region, account, role and bucket are unknown', async () => {
    const spec = SPEC.replace('  roleArn: arn:aws:iam::111122223333:role/sm\n  bucket: demo-bucket\n', '');
    const { code, out } = await policies(['specs/demo.yaml'], { AWS_REGION: '' }, { ...files, 'specs/demo.yaml': spec });
    expect(code).toBe(0);
    expect(out.region).toBe('${AWS::Region}');
    expect(out.account).toBe('<ACCOUNT_ID>');
    expect(out.pipelineRole.arn).toBe('arn:aws:iam::<ACCOUNT_ID>:role/<PIPELINE_ROLE_NAME>');
    expect(out.pipelineRole.policy.Statement[0]?.Resource).toBe('arn:aws:sagemaker:${AWS::Region}:<ACCOUNT_ID>:processing-job/pipelines-*');
    expect(out.ciRole.policy.Statement.find((s) => s.Sid === 'AssetBucket')?.Resource).toBe('arn:aws:s3:::<BUCKET>');
    expect(out.notes.join('\n')).toMatch(/No region given.*\$\{AWS::Region\}/);
    expect(out.notes.join('\n')).toMatch(/No account given.*<ACCOUNT_ID>/);
    expect(out.notes.join('\n')).toMatch(/names no pipeline role/);
    expect(out.notes.join('\n')).toMatch(/names no bucket/);
  });

  it('takes the account, region and repository from flags and the CI environment', async () => {
    const { out } = await policies(['specs/demo.yaml', '--account', '444455556666'], { AWS_REGION: 'cn-north-1', GITHUB_REPOSITORY: 'acme/ml', CI_PROJECT_PATH: 'grp/proj', CI_SERVER_HOST: 'gitlab.acme.io' });
    expect(out.ciRole.policy.Statement[0]?.Resource).toContain('arn:aws-cn:sagemaker:cn-north-1:444455556666:pipeline/demo');
    expect(out.trust.github[0]?.sub).toBe('repo:acme/ml:ref:refs/heads/main');
    expect(out.trust.gitlab[0]?.policy.Statement[0]?.Condition).toEqual({ StringEquals: { 'gitlab.acme.io:aud': 'sts.amazonaws.com' }, StringLike: { 'gitlab.acme.io:sub': 'project_path:grp/proj:ref_type:branch:ref:*' } });
  });

  it('rejects a bad account and an invalid spec with exit 2', async () => {
    expect((await policies(['specs/demo.yaml', '--account', '12'])).code).toBe(2);
    const bad = await policies(['specs/demo.yaml'], {}, { ...files, 'specs/demo.yaml': 'version: 1\npipeline: {name: x}\nsteps: []\n' });
    expect(bad.code).toBe(2);
  });

  it('adds model registry, deploy, smoke-test and monitoring rights for a spec with gate and release', async () => {
    const all: Record<string, string> = {};
    const load = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = path.join(dir, n);
        if (statSync(p).isDirectory()) load(p);
        else all[p] = readFileSync(p, 'utf8');
      }
    };
    load('pipeline-specs/sts-model-quality');
    all['pipeline-specs/sts-model-quality.yaml'] = readFileSync('pipeline-specs/sts-model-quality.yaml', 'utf8');
    const env = { SMPK_ROLE_ARN: 'arn:aws:iam::123456789012:role/sm', SMPK_BUCKET: 'sts-artifacts' };
    const { code, out, stderr } = await policies(['pipeline-specs/sts-model-quality.yaml', '--region', 'eu-west-1'], env, all);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const A = 'arn:aws:sagemaker:eu-west-1:123456789012';
    const ci = Object.fromEntries(out.ciRole.policy.Statement.map((s) => [s.Sid, s]));
    expect(ci.ModelRegistryApprove).toEqual(st('ModelRegistryApprove', 'sagemaker:UpdateModelPackage', `${A}:model-package/stspackagegroup/*`));
    expect(ci.SmokeTest).toEqual(st('SmokeTest', 'sagemaker:InvokeEndpoint', `${A}:endpoint/sts-sklearn`));
    expect(ci.Deploy?.Resource).toEqual([`${A}:endpoint-config/sts-sklearn-*`, `${A}:endpoint/sts-sklearn`, `${A}:model/stspackagegroup-v*`]);
    expect(ci.Deploy?.Action).toContain('sagemaker:UpdateEndpoint');
    expect(ci.Monitoring?.Resource).toEqual([`${A}:model-quality-job-definition/sts-sklearn-*`, `${A}:monitoring-schedule/sts-sklearn-*`, `${A}:data-quality-job-definition/sts-sklearn-*`].sort());
    expect(ci.Monitoring?.Action).toContain('sagemaker:CreateModelQualityJobDefinition');
    expect(ci.GateReadReports?.Action).toBe('s3:GetObject');
    expect(ci.ModelRegistryList?.Resource).toBe('*');
    expect(out.trust.github.map((t) => t.sub)).toContain('repo:OWNER/REPO:environment:production');
    expect(out.trust.gitlab.map((t) => t.sub)).toContain('project_path:GROUP/PROJECT:ref_type:branch:ref:main');
    // The monitoring jobs run as the pipeline role: it writes their reports and reads the ground truth.
    const p = Object.fromEntries(out.pipelineRole.policy.Statement.map((s) => [s.Sid, s]));
    expect(p.S3Write?.Resource).toContain('arn:aws:s3:::sts-model-monitor/sts/model-quality-reports*');
    expect(p.S3Read?.Resource).toContain('arn:aws:s3:::sts-model-monitor/sts/ground-truth*');
    expect(p.ModelRegistryRegister?.Resource).toEqual([`${A}:model-package-group/stspackagegroup`, `${A}:model-package/stspackagegroup/*`]);
  });
});
/** A one-step definition of each type: the actions the pipeline role must then hold. */
const base = { name: 'P', roleArn: 'arn:aws:iam::111122223333:role/sm', bucket: 'b-bucket', tags: {} };
function actionsFor(steps: JsonObject[]): Set<string> {
  const out = buildIamPolicies({ definition: { Version: '2020-12-01', Steps: steps }, pipeline: base, assets: [], spec: {}, roleKnown: true, bucketKnown: true, region: 'us-east-1' });
  return new Set(out.pipelineRole.policy.Statement.flatMap((s) => [s.Action].flat().map((a) => `${a} ${[s.Resource].flat().join(',')}`)));
}
const has = (set: Set<string>, action: string, resource?: string) => [...set].some((e) => e.startsWith(`${action} `) && (resource === undefined || e.includes(resource)));

describe('every step type maps to its actions', () => {
  const job = (Type: string, Arguments: JsonObject = {}, extra: JsonObject = {}): JsonObject => ({ Name: `S${Type}`, Type, Arguments, ...extra });
  const cases: [string, JsonObject, [string, string?][]][] = [
    ['Processing', job('Processing'), [['sagemaker:CreateProcessingJob', 'processing-job/pipelines-*'], ['sagemaker:DescribeProcessingJob'], ['sagemaker:StopProcessingJob'], ['sagemaker:AddTags']]],
    ['QualityCheck', job('QualityCheck', {}, { ModelPackageGroupName: 'grp' }), [['sagemaker:CreateProcessingJob'], ['sagemaker:ListModelPackages', '*'], ['sagemaker:DescribeModelPackage', 'model-package/grp/*']]],
    ['ClarifyCheck', job('ClarifyCheck'), [['sagemaker:CreateProcessingJob']]],
    ['Training', job('Training'), [['sagemaker:CreateTrainingJob', 'training-job/pipelines-*'], ['sagemaker:DescribeTrainingJob'], ['sagemaker:StopTrainingJob']]],
    ['Tuning', job('Tuning'), [['sagemaker:CreateHyperParameterTuningJob', 'hyper-parameter-tuning-job/pipelines-*'], ['sagemaker:DescribeHyperParameterTuningJob'], ['sagemaker:StopHyperParameterTuningJob'], ['sagemaker:ListTrainingJobsForHyperParameterTuningJob'], ['sagemaker:DescribeTrainingJob', 'training-job/pipelines-*']]],
    ['Transform', job('Transform'), [['sagemaker:CreateTransformJob', 'transform-job/pipelines-*'], ['sagemaker:DescribeTransformJob'], ['sagemaker:StopTransformJob']]],
    ['Model', job('Model'), [['sagemaker:CreateModel', 'model/pipelines-*']]],
    ['RegisterModel', job('RegisterModel', { ModelPackageGroupName: 'Churn' }), [['sagemaker:CreateModelPackage', 'model-package/churn/*'], ['sagemaker:CreateModelPackageGroup', 'model-package-group/churn'], ['sagemaker:DescribeModelPackageGroup']]],
    ['Lambda', job('Lambda', {}, { FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:alert' }), [['lambda:InvokeFunction', 'function:alert']]],
    ['Callback', job('Callback', {}, { SqsQueueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/q1' }), [['sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:q1']]],
    ['EMR', job('EMR', { ClusterId: 'j-ABC' }), [['elasticmapreduce:AddJobFlowSteps', 'cluster/j-ABC'], ['elasticmapreduce:DescribeStep'], ['elasticmapreduce:CancelSteps']]],
  ];
  for (const [type, step, expected] of cases) {
    it(type, () => {
      const set = actionsFor([step]);
      for (const [action, resource] of expected) expect(has(set, action, resource), `${type}: ${action} on ${resource ?? 'any'}`).toBe(true);
      // Every definition: pass the own role to SageMaker only, S3, ECR auth, logs.
      expect(has(set, 'iam:PassRole', 'role/sm')).toBe(true);
      expect(has(set, 'logs:PutLogEvents', 'log-group:/aws/sagemaker/*')).toBe(true);
    });
  }

  it('Condition branches are walked, Fail and Condition add no SageMaker job actions', () => {
    const bare = actionsFor([job('Fail')]);
    expect([...bare].some((e) => e.startsWith('sagemaker:'))).toBe(false);
    const nested = actionsFor([job('Condition', { Conditions: [], IfSteps: [job('Training')], ElseSteps: [job('Lambda', {}, { FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' })] })]);
    expect(has(nested, 'sagemaker:CreateTrainingJob')).toBe(true);
    expect(has(nested, 'lambda:InvokeFunction', 'function:f')).toBe(true);
  });

  it('a step of unknown type and run-time values become notes, not silent gaps', () => {
    const out = buildIamPolicies({
      definition: { Steps: [job('Shiny'), job('Lambda', {}, { FunctionArn: { Get: 'Parameters.Fn' } }), job('Training', { AlgorithmSpecification: { TrainingImage: { Get: 'Parameters.Image' } } })] },
      pipeline: base,
      assets: [],
      spec: {},
      roleKnown: true,
      bucketKnown: true,
      region: 'us-east-1',
    });
    expect(out.notes.join('\n')).toMatch(/Step type Shiny is not known/);
    expect(out.notes.join('\n')).toMatch(/Lambda step SLambda calls a function decided at run time/);
    expect(out.notes.join('\n')).toMatch(/image URI is decided at run time/);
  });
});
