// The metric gate against the local backend over real HTTP: run the abalone example, gate it (no
// baseline yet), approve its package, run and gate again (the first model is now the baseline).
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ListModelPackagesCommand, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateCommand } from '../../src/cli/gate.js';
import { main } from '../../src/cli/main.js';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { localCli } from '../helpers/local-cli.js';
import { clients, tempDir } from '../unit/local/helpers.js';

const SPEC = 'pipeline-specs/abalone-local.yaml';

describe('smpk gate on the local backend', () => {
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

  const cli = () => localCli(backend.endpoint, {});

  async function runOnce(): Promise<string> {
    const r = cli();
    expect(await main(['run', SPEC, '--interval-seconds', '1'], r.ctx)).toBe(0);
    const arn = /execution started: (\S+)/.exec(r.output.stdout)?.[1];
    expect(arn).toBeDefined();
    return arn as string;
  }

  it('no baseline on the first run; the approved first model is the baseline of the second', async () => {
    const first = await runOnce();
    const g1 = cli();
    const noFetch = async () => {
      throw new Error('no HTTP');
    };
    expect(await gateCommand([SPEC, '--execution', first, '--metrics-file', 'metrics.txt', '--report-file', 'report.md'], g1.ctx, noFetch)).toBe(0);
    expect(g1.output.stderr).toBe('');
    expect(g1.output.stdout).toContain('Metric gate PASSED on thresholds only (no baseline): abalone-local');
    expect(g1.output.stdout).toContain('no Approved model package in group abalone-local yet');
    expect(g1.output.stdout).toMatch(/report: {4}s3:\/\/smpk-local\/.*evaluation\.json/);
    expect(g1.written['metrics.txt']).toMatch(/^test_mse \d+(\.\d+)?\ntest_rmse \d+(\.\d+)?\nsmpk_gate_passed 1\n# EOF\n$/);
    expect(g1.written['report.md']).toContain('```mermaid\nflowchart TD');

    // The report the gate read is the one the evaluation step wrote.
    const reportUri = /report: {4}(s3:\/\/\S+)/.exec(g1.output.stdout)?.[1] as string;
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(reportUri) as RegExpExecArray;
    const report = JSON.parse(await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
    expect(g1.output.stdout).toContain(`${report.regression_metrics.mse.value}`.slice(0, 5));

    const packages = await c.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'abalone-local' }));
    const pkg = packages.ModelPackageSummaryList?.[0]?.ModelPackageArn as string;
    await c.sagemaker.send(new UpdateModelPackageCommand({ ModelPackageArn: pkg, ModelApprovalStatus: 'Approved' }));

    const second = await runOnce();
    const g2 = cli();
    expect(await gateCommand([SPEC, '--execution', second], g2.ctx, noFetch)).toBe(0);
    expect(g2.output.stdout).toContain('Metric gate PASSED: abalone-local');
    expect(g2.output.stdout).toContain(`baseline:  ${pkg}`);
  }, 180_000);
});
