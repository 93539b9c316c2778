import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRejectCommand, makeReleaseCommand } from '../../../src/cli/release.js';
import type { FetchPort } from '../../../src/platform/approver.js';
import { fakeCli } from '../../helpers/cli-context.js';

const sm = mockClient(SageMakerClient);
const rt = mockClient(SageMakerRuntimeClient);
afterEach(() => {
  sm.reset();
  rt.reset();
});

const PKG = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/demo-models/3';
const spec = (release: string) => `version: 1
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
    code: ../code/pre.py
${release}`;
const RELEASE = `release:
  endpointName: demo
  modelPackageGroup: demo-models
  instanceType: ml.m5.large
  timeoutMinutes: 5
  smokeTest:
    payloadFile: smoke.csv
    expectContains: "4"
`;
const files = (release = RELEASE) => ({ 'specs/demo.yaml': spec(release), 'specs/smoke.csv': '1,2,3\n', 'code/pre.py': 'print(1)\n' });
const notFound = () => Object.assign(new Error('Could not find it.'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
const GITHUB = { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'pusher', GITHUB_REPOSITORY: 'acme/ml', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1', GITHUB_SERVER_URL: 'https://github.com', GITHUB_TOKEN: 't0k' };

function mocks(status = 'PendingManualApproval', endpointPlan: 'create' | 'update-rollback' | 'slow' = 'create') {
  sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: PKG, ModelPackageStatus: 'Completed', ModelApprovalStatus: status as never, CreationTime: new Date(0), ModelPackageGroupName: 'demo-models' }] });
  sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PKG, ModelPackageGroupName: 'demo-models', ModelPackageVersion: 3, ModelPackageStatus: 'Completed', ModelApprovalStatus: status as never } as never);
  sm.on(UpdateModelPackageCommand).resolves({});
  sm.on(DescribeModelCommand).rejects(notFound());
  sm.on(CreateModelCommand).resolves({});
  sm.on(DescribeEndpointConfigCommand).rejects(notFound());
  sm.on(CreateEndpointConfigCommand).resolves({});
  sm.on(CreateEndpointCommand).resolves({});
  sm.on(UpdateEndpointCommand).resolves({});
  const newConfig = () => sm.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input.EndpointConfigName;
  let polls = 0;
  sm.on(DescribeEndpointCommand).callsFake(() => {
    polls += 1;
    const variants = [{ VariantName: 'AllTraffic', CurrentWeight: 1, CurrentInstanceCount: 1 }];
    if (endpointPlan === 'create') return polls === 1 ? Promise.reject(notFound()) : { EndpointStatus: polls < 3 ? 'Creating' : 'InService', EndpointConfigName: newConfig(), ProductionVariants: variants };
    if (endpointPlan === 'slow') return polls === 1 ? Promise.reject(notFound()) : { EndpointStatus: 'Creating', EndpointConfigName: newConfig() };
    return { EndpointStatus: polls === 2 ? 'RollingBack' : 'InService', EndpointConfigName: 'demo-old', ProductionVariants: variants };
  });
  rt.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('4.2') as never, $metadata: {} });
}

const approvalsFetch = (body: unknown, status = 200): FetchPort & { urls: string[] } => {
  const urls: string[] = [];
  const f: FetchPort = async (url) => {
    urls.push(url);
    return { ok: status === 200, status, json: async () => body };
  };
  return Object.assign(f, { urls });
};

describe('smpk release', () => {
  it('exits 0 and prints the account; the approver comes from the environment approvals API', async () => {
    mocks();
    const fetch = approvalsFetch([{ state: 'approved', user: { login: 'reviewer-ann' }, environments: [{ name: 'production' }] }]);
    const a = fakeCli(files(), GITHUB);
    const code = await makeReleaseCommand(fetch)(['specs/demo.yaml', '--environment', 'production'], a.ctx);
    expect(a.output.stderr).toBe('');
    expect(code).toBe(0);
    expect(fetch.urls).toEqual(['https://api.github.com/repos/acme/ml/actions/runs/42/approvals']);
    expect(a.output.stdout).toContain(`model package: ${PKG} (version 3, PendingManualApproval)`);
    expect(a.output.stdout).toContain('approved by reviewer-ann (github-environment-approval)');
    expect(a.output.stdout).toContain('endpoint demo: Creating');
    expect(a.output.stdout).toContain('smoke test: passed');
    expect(sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input.ApprovalDescription).toBe(
      'Approved by reviewer-ann (github-environment-approval); run https://github.com/acme/ml/actions/runs/42/attempts/1; via smpk',
    );
    expect(rt.commandCalls(InvokeEndpointCommand)[0]?.args[0].input.ContentType).toBe('text/csv');
  });

  it('falls back to GITHUB_ACTOR when the approvals API cannot be read, and says so', async () => {
    mocks();
    const a = fakeCli(files(), GITHUB);
    expect(await makeReleaseCommand(approvalsFetch({ message: 'no' }, 403))(['specs/demo.yaml'], a.ctx)).toBe(0);
    expect(a.output.stdout).toContain('approved by pusher (github-actor) — the approvals API answered HTTP 403 (the token needs actions: read)');
    expect(sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input.ApprovalDescription).toContain('Approved by pusher (github-actor)');
  });

  it('GitLab: the approver is GITLAB_USER_LOGIN; --dotenv hands the result on', async () => {
    mocks();
    const a = fakeCli(files(), { GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'gl-user', CI_JOB_URL: 'https://gitlab.com/acme/ml/-/jobs/9' });
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml', '--dotenv', 'release.env'], a.ctx)).toBe(0);
    expect(sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input.ApprovalDescription).toBe('Approved by gl-user (gitlab-user); run https://gitlab.com/acme/ml/-/jobs/9; via smpk');
    expect(a.written['release.env']).toContain('SMPK_APPROVED_BY=gl-user');
    expect(a.written['release.env']).toContain('SMPK_RELEASE_OUTCOME=deployed');
  });

  it('exits 1 when the update rolled back', async () => {
    mocks('Approved', 'update-rollback');
    const a = fakeCli(files(), { USER: 'dev' });
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml', '--approver', 'dana'], a.ctx)).toBe(1);
    expect(a.output.stderr).toContain('rolled back');
    expect(a.output.stderr).toContain('the previous configuration keeps serving (demo-old)');
  });

  it('exits 4 at the deadline', async () => {
    mocks('Approved', 'slow');
    const a = fakeCli(files());
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml', '--approver', 'dana'], a.ctx)).toBe(4);
    expect(a.output.stderr).toContain('Stopped waiting after 5 minutes');
  });

  it('exits 2 for a Rejected package, a spec without release and a missing payload file', async () => {
    mocks('Rejected');
    const a = fakeCli(files());
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml', '--model-package', PKG], a.ctx)).toBe(2);
    expect(a.output.stderr).toContain('is Rejected');
    const b = fakeCli(files(''));
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml'], b.ctx)).toBe(2);
    expect(b.output.stderr).toContain('has no release: section');
    const c = fakeCli({ 'specs/demo.yaml': spec(RELEASE), 'code/pre.py': '' });
    expect(await makeReleaseCommand(approvalsFetch([]))(['specs/demo.yaml'], c.ctx)).toBe(2);
    expect(c.output.stderr).toContain('specs/demo.yaml:19:18: error: `smoke.csv` does not exist');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
  });
});

describe('smpk reject', () => {
  it('rejects with the reason and exits 0', async () => {
    mocks();
    const a = fakeCli(files(), { GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'gl-user' });
    expect(await makeRejectCommand(approvalsFetch([]))(['specs/demo.yaml', '--model-package', PKG, '--reason', 'accuracy regressed'], a.ctx)).toBe(0);
    const input = sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ ModelPackageArn: PKG, ModelApprovalStatus: 'Rejected', ApprovalDescription: 'Rejected by gl-user (gitlab-user); reason: accuracy regressed; via smpk' });
  });

  it('refuses a package of another group (exit 2)', async () => {
    mocks();
    sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PKG, ModelPackageGroupName: 'other-models', ModelApprovalStatus: 'Approved' } as never);
    const a = fakeCli(files());
    expect(await makeRejectCommand(approvalsFetch([]))(['specs/demo.yaml', '--model-package', PKG, '--reason', 'x'], a.ctx)).toBe(2);
    expect(a.output.stderr).toContain('belongs to group other-models, not to demo-models');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
  });

  it('needs --model-package and --reason', async () => {
    const a = fakeCli(files());
    await expect(makeRejectCommand(approvalsFetch([]))(['specs/demo.yaml', '--reason', 'x'], a.ctx)).rejects.toThrow(/--model-package ARN is required/);
    await expect(makeRejectCommand(approvalsFetch([]))(['specs/demo.yaml', '--model-package', PKG], a.ctx)).rejects.toThrow(/--reason TEXT is required/);
  });
});
