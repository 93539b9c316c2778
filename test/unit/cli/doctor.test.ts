import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListPipelinesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { oidcCheck } from '../../../src/ops/doctor.js';
import { fakeCli } from '../../helpers/cli-context.js';

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const sm = mockClient(SageMakerClient);
afterEach(() => {
  sts.reset();
  s3.reset();
  sm.reset();
});

const awsError = (name: string, status: number, extra: object = {}) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
const ENV = {
  SMPK_ROLE_ARN: 'arn:aws:iam::111122223333:role/sm',
  SMPK_BUCKET: 'demo-bucket',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'very-secret-value',
};

function healthy() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/smpk-ci/gh-42', UserId: 'AROA:gh-42' });
  s3.on(HeadBucketCommand).resolves({});
  sm.on(ListPipelinesCommand).resolves({ PipelineSummaries: [] });
}

async function doctor(args: string[], env: Record<string, string>, files: Record<string, string> = {}) {
  const { ctx, output } = fakeCli(files, env);
  const code = await main(['doctor', ...args], ctx);
  return { code, out: output.stdout, err: output.stderr };
}

describe('smpk doctor', () => {
  it('passes every check with exit 0, names account and principal, never the keys', async () => {
    healthy();
    const r = await doctor([], { ...ENV, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/ml', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ Region: us-east-1 (from AWS_REGION).');
    expect(r.out).toContain('✓ Credentials: Resolve to account 111122223333, principal arn:aws:sts::111122223333:assumed-role/smpk-ci/gh-42');
    expect(r.out).toMatch(/✓ Pipeline role: arn:aws:iam::111122223333:role\/sm \(from SMPK_ROLE_ARN\) is a role ARN in the caller's account\. Not checked/);
    expect(r.out).toContain('✓ Bucket: demo-bucket (from SMPK_BUCKET) exists');
    expect(r.out).toContain('✓ SageMaker: Reachable in us-east-1');
    expect(r.out).toContain('sub "repo:acme/ml:ref:refs/heads/main"');
    expect(r.out).toContain('All checks passed.');
    expect(r.out + r.err).not.toContain('very-secret-value');
    expect(r.out + r.err).not.toContain('AKIDEXAMPLE');
    expect(sm.commandCalls(ListPipelinesCommand)[0]?.args[0].input).toEqual({ MaxResults: 1 });
    expect(s3.commandCalls(HeadBucketCommand)[0]?.args[0].input).toEqual({ Bucket: 'demo-bucket' });
  });

  it('tells a missing bucket (404) from a forbidden one (403) and one in another region (301): exit 2', async () => {
    healthy();
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    const missing = await doctor([], ENV);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('✗ Bucket: demo-bucket (from SMPK_BUCKET) does not exist.');
    expect(missing.out).toMatch(/Fix: Create it in us-east-1/);

    s3.on(HeadBucketCommand).rejects(awsError('Forbidden', 403));
    const forbidden = await doctor([], ENV);
    expect(forbidden.code).toBe(2);
    expect(forbidden.out).toMatch(/✗ Bucket: demo-bucket \(from SMPK_BUCKET\) exists, but this principal may not use it \(403\)/);

    s3.on(HeadBucketCommand).rejects(awsError('MovedPermanently', 301));
    expect((await doctor([], ENV)).out).toContain('is in another region than us-east-1');
  });

  it('a pipeline role of another account is a setup problem', async () => {
    healthy();
    const r = await doctor([], { ...ENV, SMPK_ROLE_ARN: 'arn:aws:iam::999999999999:role/sm' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/✗ Pipeline role: .* is in account 999999999999, but the credentials are for 111122223333/);
  });

  it('credentials that do not resolve: exit 2, and the checks that need them are skipped', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 400));
    const r = await doctor([], { SMPK_BUCKET: 'demo-bucket' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/✗ Credentials: GetCallerIdentity failed: no valid AWS credentials/);
    expect(r.out).toContain("– Bucket: Not checked (demo-bucket): no credentials.");
    expect(r.out).toContain('– SageMaker: Not checked: no credentials.');
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  it('no region: exit 2 and no AWS call', async () => {
    const r = await doctor([], { AWS_REGION: '' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/✗ Region: No AWS region is set\.\n {4}Fix: Set AWS_REGION/);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it('an AWS call failing for another reason is exit 1; a denied ListPipelines still proves SageMaker answers', async () => {
    healthy();
    sm.on(ListPipelinesCommand).rejects(awsError('InternalFailure', 500));
    const r = await doctor([], ENV);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ SageMaker: ListPipelines failed: InternalFailure/);
    expect(r.out).toContain('An AWS call failed (exit 1).');

    sm.on(ListPipelinesCommand).rejects(awsError('AccessDeniedException', 400));
    const denied = await doctor([], ENV);
    expect(denied.code).toBe(0);
    expect(denied.out).toContain('ListPipelines was denied, which smpk never needs');
  });

  it('reports an endpoint override in use; without one for STS the identity is not asked, the rest runs there', async () => {
    healthy();
    const r = await doctor([], { ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ℹ Endpoint override: AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:4566: those calls go there/);
    expect(r.out).toMatch(/– Credentials: Not checked: AWS_ENDPOINT_URL sends STS to http:\/\/127\.0\.0\.1:4566/);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    expect(r.out).toContain('✓ Bucket: demo-bucket');
    expect(r.out).toContain('✓ SageMaker: Reachable');

    const withSts = await doctor([], { ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4567' });
    expect(withSts.out).toContain('✓ Credentials: Resolve to account 111122223333');
    expect(withSts.out).toContain('AWS_ENDPOINT_URL_STS=http://127.0.0.1:4567');
  });

  it('--spec: the spec names the role and bucket; a spec without them is a setup problem', async () => {
    healthy();
    const spec = `version: 1
pipeline:
  name: demo
  roleArn: arn:aws:iam::111122223333:role/from-spec
  bucket: spec-bucket
steps:
  - {name: Stop, type: fail, errorMessage: stop}
`;
    const r = await doctor(['--spec', 'specs/d.yaml', '--format', 'json'], {}, { 'specs/d.yaml': spec });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out) as { ok: boolean; checks: { name: string; status: string; message: string }[] };
    expect(body.ok).toBe(true);
    expect(body.checks.find((c) => c.name === 'Pipeline role')?.message).toContain('role/from-spec (from specs/d.yaml pipeline.roleArn)');
    expect(s3.commandCalls(HeadBucketCommand)[0]?.args[0].input).toEqual({ Bucket: 'spec-bucket' });

    const bare = spec.replace('  roleArn: arn:aws:iam::111122223333:role/from-spec\n  bucket: spec-bucket\n', '');
    const r2 = await doctor(['--spec', 'specs/d.yaml'], {}, { 'specs/d.yaml': bare });
    expect(r2.code).toBe(2);
    expect(r2.out).toContain('✗ Pipeline role: The spec names no pipeline.roleArn and SMPK_ROLE_ARN is unset.');
    expect(r2.out).toContain('✗ Bucket: The spec names no pipeline.bucket and SMPK_BUCKET is unset.');
  });

  it('rejects positional arguments with exit 2', async () => {
    expect((await doctor(['specs/d.yaml'], ENV)).code).toBe(2);
  });
});

describe('the OIDC sub claim explained from the CI environment', () => {
  it('GitHub: pull_request, a branch push, and the environment form', () => {
    const pr = oidcCheck({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/ml', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
    expect(pr.message).toContain('this job\'s token carries sub "repo:acme/ml:pull_request"');
    expect(pr.message).toContain('"repo:acme/ml:environment:production"');
    const push = oidcCheck({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/ml', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev' });
    expect(push.message).toContain('sub "repo:acme/ml:ref:refs/heads/dev"');
  });

  it('GitLab: branch and tag pipelines, on the instance host', () => {
    const branch = oidcCheck({ GITLAB_CI: 'true', CI_PROJECT_PATH: 'grp/proj', CI_COMMIT_REF_NAME: 'main', CI_SERVER_HOST: 'gitlab.acme.io' });
    expect(branch.message).toContain('GitLab CI (gitlab.acme.io): this job\'s token carries sub "project_path:grp/proj:ref_type:branch:ref:main"');
    expect(branch.fix).toContain('gitlab.acme.io:sub');
    const tag = oidcCheck({ GITLAB_CI: 'true', CI_PROJECT_PATH: 'grp/proj', CI_COMMIT_REF_NAME: 'v1.2.0', CI_COMMIT_TAG: 'v1.2.0' });
    expect(tag.message).toContain('sub "project_path:grp/proj:ref_type:tag:ref:v1.2.0"');
  });

  it('outside CI: the forms, as information', () => {
    const c = oidcCheck({});
    expect(c.status).toBe('info');
    expect(c.message).toContain('project_path:GROUP/PROJECT:ref_type:branch:ref:main');
  });
});
