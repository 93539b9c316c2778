import {
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
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approver } from '../../../src/ops/approve.js';
import { resolveApprover, type FetchPort } from '../../../src/platform/approver.js';
import { makeApproveModelAction, makeDeployEndpointAction } from '../../../src/platform/actions/release.js';
import { fakeActionIO } from '../../helpers/action-io.js';
import { fakeCli } from '../../helpers/cli-context.js';

const sm = mockClient(SageMakerClient);
afterEach(() => sm.reset());

const PKG = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/demo-models/3';
const SPEC = `version: 1
pipeline:
  name: demo
  roleArn: arn:aws:iam::111122223333:role/sm
steps:
  - name: Preprocess
    type: processing
    processor:
      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/pre:1
      instanceType: ml.m5.xlarge
      entrypoint: [python3, /opt/ml/processing/input/code/pre.py]
release:
  endpointName: demo
  modelPackageGroup: demo-models
  instanceType: ml.m5.large
`;
const GITHUB = { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'pusher', GITHUB_REPOSITORY: 'acme/ml', GITHUB_RUN_ID: '42', GITHUB_SERVER_URL: 'https://github.com' };
const notFound = () => Object.assign(new Error('Could not find it.'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
const fetchOf = (body: unknown, status = 200): FetchPort => async () => ({ ok: status === 200, status, json: async () => body });

function registry(status = 'PendingManualApproval') {
  sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: PKG, ModelPackageStatus: 'Completed', ModelApprovalStatus: status as never, CreationTime: new Date(0), ModelPackageGroupName: 'demo-models' }] });
  sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: PKG, ModelPackageGroupName: 'demo-models', ModelPackageVersion: 3, ModelPackageStatus: 'Completed', ModelApprovalStatus: status as never } as never);
  sm.on(UpdateModelPackageCommand).resolves({});
}

describe('approve-model action', () => {
  it('approves the newest package and records the reviewer, the ARN and the run in the summary', async () => {
    registry();
    const { ctx } = fakeCli({ 'specs/demo.yaml': SPEC }, GITHUB);
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'github-token': 't', environment: 'production' });
    await makeApproveModelAction(fetchOf([{ state: 'approved', user: { login: 'ann' }, environments: [{ name: 'production' }] }]))(io, ctx);
    expect(record.failures).toEqual([]);
    expect(record.outputs).toMatchObject({ 'model-package-arn': PKG, 'approved-by': 'ann' });
    expect(record.summaries[0]).toContain('Model approval: approved');
    expect(record.summaries[0]).toContain(PKG);
    expect(record.summaries[0]).toContain('https://github.com/acme/ml/actions/runs/42');
  });

  it('writes the summary also when the package is Rejected', async () => {
    registry('Rejected');
    const { ctx } = fakeCli({ 'specs/demo.yaml': SPEC }, GITHUB);
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'model-package-arn': PKG });
    await expect(makeApproveModelAction(fetchOf([]))(io, ctx)).rejects.toThrow(/is Rejected/);
    expect(record.summaries[0]).toContain('not approved');
    expect(record.warnings[0]).toContain('no token to read the environment approvals');
  });
});

describe('deploy-endpoint action', () => {
  it('a rolled-back update fails the step with outputs and a summary naming who approved', async () => {
    registry('Approved');
    sm.on(DescribeModelCommand).rejects(notFound());
    sm.on(CreateModelCommand).resolves({});
    sm.on(DescribeEndpointConfigCommand).rejects(notFound());
    sm.on(CreateEndpointConfigCommand).resolves({});
    sm.on(UpdateEndpointCommand).resolves({});
    const states = ['InService', 'Updating', 'RollingBack', 'InService'];
    sm.on(DescribeEndpointCommand).callsFake(() => ({
      EndpointStatus: states.shift() ?? 'InService',
      EndpointConfigName: 'demo-old',
      // Service text may try to start a workflow command on a line of its own.
      FailureReason: 'alarm fired\n::add-mask::x',
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, CurrentInstanceCount: 1 }],
    }));
    const { ctx } = fakeCli({ 'specs/demo.yaml': SPEC }, GITHUB);
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'github-token': 't' });
    await makeDeployEndpointAction(fetchOf([{ state: 'approved', user: { login: 'ann' } }]))(io, ctx);
    expect(record.failures[0]).toContain('Release failed and rolled back');
    expect(record.outputs).toMatchObject({ 'model-package-arn': PKG, 'approved-by': 'ann', 'endpoint-name': 'demo', 'endpoint-status': 'InService', 'release-outcome': 'rolled-back' });
    expect(record.outputs['endpoint-config-name']).toMatch(/^demo-v3-[0-9a-f]{8}$/);
    expect(record.summaries[0]).toContain('FAILED and rolled back');
    expect(record.summaries[0]).toContain('ann \\(github-environment-approval\\)');
    expect(record.summaries[0]).toContain('Updating → RollingBack → InService');
    expect(record.log.join('\n')).toContain('alarm fired ::add-mask::x');
    expect(record.log.join('\n').split('\n').some((l) => l.startsWith('::'))).toBe(false);
  });
});

describe('deploy-endpoint action: invalid input', () => {
  it('a spec without release is refused with a summary, nothing called', async () => {
    const { ctx } = fakeCli({ 'specs/demo.yaml': SPEC.replace(/release:[\s\S]*$/, '') }, GITHUB);
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml' });
    await expect(makeDeployEndpointAction(fetchOf([]))(io, ctx)).rejects.toThrow(/has no release: section/);
    expect(record.summaries[0]).toContain('Release refused: invalid input');
    expect(sm.calls()).toHaveLength(0);
  });
});

describe('resolveApprover', () => {
  const run = (env: Record<string, string>, fetch: FetchPort, extra: { token?: string; environment?: string; stated?: string } = { token: 't' }): Promise<Approver> => resolveApprover({ env, fetch, ...extra });

  it('counts only approvals of the named environment, without repeats', async () => {
    const body = [
      { state: 'approved', user: { login: 'ann' }, environments: [{ name: 'staging' }] },
      { state: 'rejected', user: { login: 'bob' }, environments: [{ name: 'production' }] },
      { state: 'approved', user: { login: 'cid' }, environments: [{ name: 'production' }] },
      { state: 'approved', user: { login: 'cid' }, environments: [{ name: 'production' }] },
    ];
    expect(await run(GITHUB, fetchOf(body), { token: 't', environment: 'production' })).toEqual({ name: 'cid', source: 'github-environment-approval' });
  });

  it('falls back to GITHUB_ACTOR, saying why, and records a stated name beside it', async () => {
    const a = await run(GITHUB, fetchOf([]), { token: 't', stated: 'mallory' });
    expect(a.name).toBe('pusher');
    expect(a.source).toBe('github-actor');
    expect(a.note).toContain('no approved environment review');
    expect(a.note).toContain('stated approver: mallory');
  });

  it('a network failure is a fallback, not a crash', async () => {
    const a = await run(GITHUB, async () => {
      throw new Error('ECONNRESET');
    });
    expect(a.source).toBe('github-actor');
    expect(a.note).toContain('ECONNRESET');
  });

  it('GitLab uses GITLAB_USER_LOGIN; a local run the flag or the user name, unverified', async () => {
    expect(await run({ GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'gl' }, fetchOf([]))).toEqual({ name: 'gl', source: 'gitlab-user' });
    expect((await run({ USER: 'me' }, fetchOf([]), { stated: 'dana\u0007' })).name).toBe('dana');
    expect(await run({ USER: 'me' }, fetchOf([]), {})).toMatchObject({ name: 'me', source: 'local-user' });
  });
});
