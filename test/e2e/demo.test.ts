// `npm start` runs `smpk demo`: the main job on the in-process local backend over real HTTP.
// This runs it in-process against the repository's own example, with a throwaway state dir.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { systemClock } from '../../src/ops/clock.js';
import { nodeSpecFileSystem } from '../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import { memoryOutput } from '../../src/platform/terminal.js';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'smpk-demo-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function realCli(): { ctx: CliContext; output: ReturnType<typeof memoryOutput> } {
  const output = memoryOutput();
  const ctx: CliContext = {
    fs: nodeSpecFileSystem,
    output,
    // Nothing from the developer's AWS setup may leak in: the demo must need none of it.
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    sourceFiles: (root) => nodeSourceFiles(root),
    clients: (region) => createClients({ region, env: {} }),
    clock: systemClock,
    random: Math.random,
    uuid: randomUUID,
    signal: new AbortController().signal,
    localBackend: () => import('../../src/local/index.js'),
    // The demo may write only inside its state dir (the run → gate handoff, the report).
    writeFile: (file, data) => {
      const target = path.resolve(process.cwd(), file);
      if (!target.startsWith(`${stateDir}${path.sep}`)) throw new Error(`the demo wrote outside its state dir: ${file}`);
      writeFileSync(target, data);
    },
  };
  return { ctx, output };
}

describe('smpk demo (npm start)', () => {
  it('validates, runs the abalone pipeline to Succeeded on the local backend, and is idempotent', async () => {
    const first = realCli();
    const code = await main(['demo', '--state-dir', stateDir], first.ctx);
    expect(first.output.stderr).toBe('');
    expect(code).toBe(0);
    expect(first.output.stdout).toMatch(/6 specs checked: 0 errors/);
    expect(first.output.stdout).toMatch(/pipeline abalone-local: created/);
    expect(first.output.stdout).toMatch(/RegisterAbaloneModel-RegisterModel\s+Succeeded/);
    expect(first.output.stdout).toMatch(/Execution succeeded: arn:aws:sagemaker:us-east-1:000000000000:pipeline\/abalone-local\/execution\//);
    expect(first.output.stdout).not.toMatch(/console\.aws\.amazon\.com/);

    // Again on the same state: nothing to upload, nothing to update, a second execution.
    const second = realCli();
    expect(await main(['demo', '--state-dir', stateDir], second.ctx)).toBe(0);
    expect(second.output.stdout).toMatch(/No changes: the deployed definition is up to date/);
    expect(second.output.stdout).toMatch(/staged: 0 uploaded, 4 already in S3/);
    expect(second.output.stdout).toMatch(/pipeline abalone-local: unchanged/);
    // The cached steps are reused (their default outputs differ per execution, which is not part of the key).
    expect(second.output.stdout).toMatch(/PreprocessAbaloneData\s+Succeeded\s+\S+\s+hit/);
    expect(second.output.stdout).toMatch(/TrainAbaloneModel\s+Succeeded\s+\S+\s+hit/);
    // The first model, approved by the first run's release, is now the gate's baseline, and the
    // endpoint is updated (not recreated) to the second one.
    expect(second.output.stdout).toMatch(/endpoint abalone-local: updating from/);
    expect(second.output.stdout).toMatch(/baseline: +arn:aws:sagemaker:us-east-1:000000000000:model-package\/abalone-local\/1\n/);
    expect(second.output.stdout).toMatch(/Metric gate PASSED: abalone-local/);
  }, 120_000);
});
