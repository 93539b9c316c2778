// `npm start` runs the bundled CLI (dist/cli.js, built by `npm ci`), not the TypeScript sources:
// bundling moves modules into chunks and the engine's Python assets beside them, which an
// in-process test cannot see. This builds the bundle and runs the demo through it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'smpk-bundle-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
}, 120_000);

describe('the bundled CLI', () => {
  it('runs the whole demo: pipeline, gate, release with a smoke test that the local endpoint answers', () => {
    // Only what a fresh shell has: no AWS settings (the vitest environment's bogus ones are dropped).
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const r = spawnSync(process.execPath, ['dist/cli.js', 'demo', '--state-dir', stateDir], { encoding: 'utf8', env, timeout: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Execution succeeded/);
    expect(r.stdout).toMatch(/Metric gate PASSED/);
    expect(r.stdout).toMatch(/smoke test: passed/);
    // The abalone model predicts ring counts: the endpoint's answer is numbers.
    expect(r.stdout).toMatch(/endpoint answered: [0-9.]+/);
    expect(r.stdout).toMatch(/smpk demo: done\./);
  }, 200_000);

  it('starts fast for commands that do not call AWS', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('smpk 0.1.0\n');
  });
});
