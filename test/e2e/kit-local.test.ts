// The kit's own commands against the local backend over real HTTP: a failing step reported with
// its reason and log lines, a cancelled job stopping its execution, and a run under injected
// faults that still starts exactly one execution.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribePipelineExecutionCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-sagemaker';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import type { CliContext } from '../../src/cli/context.js';
import { jobBaseEnv, localEnvironment } from '../../src/cli/local.js';
import { main } from '../../src/cli/main.js';
import { startLocalBackend, type FaultConfig } from '../../src/local/index.js';
import { systemClock } from '../../src/ops/clock.js';
import { nodeSpecFileSystem } from '../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import { memoryOutput } from '../../src/platform/terminal.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'smpk-kit-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function spec(name: string, script: string): string {
  return `version: 1
pipeline:
  name: ${name}
  bucket: smpk-local
steps:
  - name: Work
    type: processing
    processor:
      image: {framework: sklearn, version: "1.2-1"}
      instanceType: ml.m5.xlarge
    code: ${script}
`;
}

/** A repository in a temp dir, a local backend on it, and a CLI context pointed at both. */
async function setUp(faults?: FaultConfig, backendLog: string[] = []) {
  const repo = mkdtempSync(path.join(work, 'repo-'));
  mkdirSync(path.join(repo, '.git'));
  writeFileSync(path.join(repo, 'fail.py'), 'import sys\nprint("loading data")\nprint("ValueError: column rings is missing", file=sys.stderr)\nsys.exit(3)\n');
  writeFileSync(path.join(repo, 'sleep.py'), 'import time\nprint("working", flush=True)\ntime.sleep(60)\n');
  writeFileSync(path.join(repo, 'fail.yaml'), spec('failing', 'fail.py'));
  writeFileSync(path.join(repo, 'sleep.yaml'), spec('sleeping', 'sleep.py'));
  cpSync('pipeline-specs', path.join(repo, 'pipeline-specs'), { recursive: true });
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const backend = await startLocalBackend({
    port: 0,
    stateDir: path.join(repo, '.smpk'),
    baseEnv: jobBaseEnv(base),
    logger: (line) => backendLog.push(line),
    ...(faults ? { faults } : {}),
  });
  const env = localEnvironment(base, backend.endpoint);
  const clients = createClients({ region: 'us-east-1', env });
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'smpk-local' }));
  const controller = new AbortController();
  const output = memoryOutput();
  const ctx: CliContext = {
    fs: { ...nodeSpecFileSystem, cwd: () => repo },
    output,
    env,
    sourceFiles: (root) => nodeSourceFiles(root),
    clients: (region) => createClients({ region, env }),
    clock: systemClock,
    random: Math.random,
    uuid: randomUUID,
    signal: controller.signal,
    localBackend: () => import('../../src/local/index.js'),
    writeFile: (file, data) => writeFileSync(path.resolve(repo, file), data),
  };
  return { ctx, output, controller, clients, close: () => backend.close() };
}

describe('the kit on the local backend', () => {
  it('reports a failed step with its reason and the last lines of its log, exit 1', async () => {
    const t = await setUp();
    try {
      expect(await main(['run', 'fail.yaml', '--interval-seconds', '1', '--timeout-minutes', '2'], t.ctx)).toBe(1);
      expect(t.output.stdout).toMatch(/Work\s+Failed/);
      expect(t.output.stdout).toMatch(/last \d+ log lines of Work:/);
      expect(t.output.stdout).toMatch(/\| ValueError: column rings is missing/);
      expect(t.output.stderr).toMatch(/Execution failed: .*Work/);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('stops the execution when the job is cancelled mid-run', async () => {
    const t = await setUp();
    try {
      const running = main(['run', 'sleep.yaml', '--interval-seconds', '1', '--timeout-minutes', '2'], t.ctx);
      // Cancel once the step is running (as a CI cancellation would, with SIGINT).
      for (let i = 0; i < 200 && !/Work: .*Executing/.test(t.output.stdout); i++) await new Promise((r) => setTimeout(r, 50));
      expect(t.output.stdout).toMatch(/Work: .*Executing/);
      t.controller.abort();
      expect(await running).toBe(1);
      expect(t.output.stderr).toMatch(/job cancelled: stopping arn:aws:sagemaker:us-east-1:000000000000:pipeline\/sleeping\/execution\//);
      const arn = /execution started: (\S+)/.exec(t.output.stdout)?.[1] ?? '';
      let status: string | undefined;
      for (let i = 0; i < 100; i++) {
        status = (await t.clients.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }))).PipelineExecutionStatus;
        if (status === 'Stopped') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe('Stopped');
    } finally {
      await t.close();
    }
  }, 60_000);

  it('fails the gate (exit 3) for a model the pipeline registered but the spec\'s metric rules reject', async () => {
    const t = await setUp();
    try {
      // One epoch at a tiny learning rate gives a poor model; a lenient in-pipeline threshold still
      // registers it, and the CI-side gate (MSE ≤ 6) must say no.
      const params = ['--param', 'Epochs=1', '--param', 'LearningRate=0.0001', '--param', 'MseThreshold=1000'];
      expect(await main(['run', 'pipeline-specs/abalone-local.yaml', '--interval-seconds', '1', '--dotenv', 'run.env', ...params], t.ctx)).toBe(0);
      const arn = /execution started: (\S+)/.exec(t.output.stdout)?.[1] ?? '';
      expect(await main(['gate', 'pipeline-specs/abalone-local.yaml', '--execution', arn], t.ctx)).toBe(3);
      expect(t.output.stdout).toMatch(/Metric gate FAILED/);
      expect(t.output.stdout).toMatch(/Test MSE\s+[0-9.]+\s.*FAIL: [0-9.]+ is above the maximum 6/);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('runs abalone-local to Succeeded through throttling, 5xx and resets, starting exactly one execution', async () => {
    const backendLog: string[] = [];
    const t = await setUp({ seed: 11, throttleRate: 0.15, serverErrorRate: 0.1, resetRate: 0.05, slowRate: 0.1, slowMs: 50 }, backendLog);
    try {
      const code = await main(['run', 'pipeline-specs/abalone-local.yaml', '--interval-seconds', '1', '--timeout-minutes', '3'], t.ctx);
      expect(t.output.stderr.split('\n').filter((l) => /error/i.test(l) && !/transient|throttled/.test(l))).toEqual([]);
      expect(code).toBe(0);
      const executions = await t.clients.sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'abalone-local' }));
      expect(executions.PipelineExecutionSummaries?.length).toBe(1);
      // The faults really happened (the SDK's retries and the kit's poller absorbed them).
      const injected = (kind: string) => backendLog.filter((l) => l.includes(`fault ${kind}`)).length;
      expect(injected('throttle')).toBeGreaterThan(0);
      expect(injected('reset')).toBeGreaterThan(0);
      expect(backendLog.filter((l) => /→ 5\d\d \(fault/.test(l)).length).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  }, 120_000);
});
