// The release gate against the local backend over real HTTP: run the abalone example (it registers
// a PendingManualApproval package), release it (approve, create the endpoint, wait, verify),
// release again (nothing to change), then reject the package.
//
// The first case drives the release op without a smoke test; the second runs the whole CLI with
// the smoke test, served by the local model server from the model package's artifacts.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, DescribeModelPackageCommand, ListModelPackagesCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeRejectCommand, makeReleaseCommand } from '../../src/cli/release.js';
import { compileSpecFile } from '../../src/ops/compile.js';
import { release } from '../../src/ops/release.js';
import { releaseSettings } from '../../src/ops/release-settings.js';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { systemClock } from '../../src/ops/clock.js';
import { nodeSpecFileSystem } from '../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import { localCli } from '../helpers/local-cli.js';
import { clients, tempDir } from '../unit/local/helpers.js';

const SPEC = 'pipeline-specs/abalone-local.yaml';
const noFetch = async () => {
  throw new Error('no HTTP outside CI');
};

describe('smpk release on the local backend', () => {
  const state = tempDir();
  let backend: LocalBackend;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, port: 0 });
    c = clients(backend.endpoint);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'smpk-local' }));
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  const cli = () => localCli(backend.endpoint, { USER: 'local-dev' });

  it('approves, creates and verifies the endpoint; a second release changes nothing; reject records the reason', async () => {
    const run = cli();
    expect(await main(['run', SPEC, '--interval-seconds', '1'], run.ctx)).toBe(0);
    const root = process.cwd();
    const compiled = compileSpecFile({ fs: nodeSpecFileSystem, root, files: nodeSourceFiles(root), file: SPEC, options: { region: 'us-east-1' }, validateOnly: true });
    const settings = releaseSettings({ spec: compiled.load?.spec as never, specFile: SPEC, fs: nodeSpecFileSystem, root, env: {} });
    delete settings.smokeTest;
    const lines: string[] = [];
    const deps = { sagemaker: c.sagemaker, runtime: c.runtime, clock: systemClock, random: Math.random, reporter: { step: (l: string) => lines.push(l), status: (s: string) => lines.push(`status ${s}`) } };
    const approver = { name: 'dana', source: 'flag' };
    const first = await release({ settings, region: 'us-east-1', approve: true, approver, intervalMs: 200 }, deps);
    expect(first.message).toContain('serves');
    expect(first.outcome).toBe('deployed');
    expect(first.deployment).toBe('created');
    expect(first.transitions).toEqual(['Creating', 'InService']);
    const arn = first.modelPackage?.arn as string;
    const pkg = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(pkg.ModelApprovalStatus).toBe('Approved');
    expect(pkg.ApprovalDescription).toBe('Approved by dana (flag); via smpk');
    const endpoint = await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'abalone-local' }));
    expect(endpoint.EndpointStatus).toBe('InService');
    expect(endpoint.EndpointConfigName).toBe(first.endpointConfigName);

    const second = await release({ settings, region: 'us-east-1', approve: true, approver, intervalMs: 200 }, deps);
    expect(second.outcome).toBe('deployed');
    expect(second.approval?.action).toBe('already-approved');
    expect(second.deployment).toBe('unchanged');

    const r3 = cli();
    expect(await makeRejectCommand(noFetch)([SPEC, '--model-package', arn, '--reason', 'drift in segment B', '--approver', 'erin'], r3.ctx)).toBe(0);
    const rejected = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(rejected.ModelApprovalStatus).toBe('Rejected');
    expect(rejected.ApprovalDescription).toBe('Rejected by erin (flag); reason: drift in segment B; via smpk');
  }, 180_000);

  it('smpk release with the smoke test: approves, deploys, smoke-tests; a second release changes nothing', async () => {
    const run = cli();
    expect(await main(['run', SPEC, '--interval-seconds', '1'], run.ctx)).toBe(0);

    const r1 = cli();
    const code = await makeReleaseCommand(noFetch)([SPEC, '--approver', 'dana', '--interval-seconds', '1'], r1.ctx);
    expect(r1.output.stderr).toBe('');
    expect(code).toBe(0);
    expect(r1.output.stdout).toContain('approved by dana (flag)');
    // The first case left the endpoint in place: this release updates it to the new version.
    expect(r1.output.stdout).toContain('endpoint abalone-local: updating from');
    expect(r1.output.stdout).toContain('smoke test: passed');
    const packages = await c.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'abalone-local', SortBy: 'CreationTime', SortOrder: 'Descending' }));
    const arn = packages.ModelPackageSummaryList?.[0]?.ModelPackageArn as string;
    const pkg = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(pkg.ModelApprovalStatus).toBe('Approved');
    expect(pkg.ApprovalDescription).toBe('Approved by dana (flag); via smpk');
    const endpoint = await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'abalone-local' }));
    expect(endpoint.EndpointStatus).toBe('InService');
    expect(r1.output.stdout).toContain(`endpoint config: ${endpoint.EndpointConfigName}`);

    const r2 = cli();
    expect(await makeReleaseCommand(noFetch)([SPEC, '--approver', 'dana', '--interval-seconds', '1'], r2.ctx)).toBe(0);
    expect(r2.output.stdout).toContain('already Approved, left as it was');
    expect(r2.output.stdout).toContain('(exists, reused)');
    expect(r2.output.stdout).toContain(`already serves ${endpoint.EndpointConfigName}`);
  }, 180_000);
});
