// The GitLab flow for real: gitlab-ci-local runs .gitlab-ci.yml's jobs with its shell executor —
// specs:validate, then retrain:run → retrain:gate → release:production handing values over dotenv
// reports — with the AWS jobs pointed at the kit's local backend. The copy of the repository
// drops the default `image:` (running images needs a Docker engine, which this machine kind does
// not have), so the jobs run on this machine's Node and npm (npm ci from the local cache).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { startLocalBackend } from '../../src/local/index.js';

const bin = path.resolve('node_modules/.bin/gitlab-ci-local');
const work = mkdtempSync(path.join(os.tmpdir(), 'smpk-glcl-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The repository's tracked files as they are in the working tree, in a fresh repo with an origin/main. */
function copyRepository(): string {
  const dir = path.join(work, 'repo');
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(f, path.join(dir, f));
  }
  // Only the default image goes: everything else in the file is exercised as written.
  const ci = readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8');
  const noImage = ci.replace(/^(default:\n(?: {2}#.*\n)*) {2}image: .*\n/m, '$1');
  expect(noImage).not.toBe(ci);
  writeFileSync(path.join(dir, '.gitlab-ci.yml'), noImage);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'snapshot');
  git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/models.git');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return dir;
}

/** Runs gitlab-ci-local without blocking this process (the local backend lives in it). */
function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('close', (code) => resolve({ code, output }));
  });
}

// gitlab-ci-local's shell executor copies the project with rsync (.ci/run installs it).
const hasRsync = spawnSync('rsync', ['--version']).status === 0;
const title = '.gitlab-ci.yml jobs under gitlab-ci-local';

describe.skipIf(!hasRsync)(hasRsync ? title : `${title} — skipped: no rsync on this machine (apt-get install rsync)`, () => {
  it('validate, retrain (run → gate over dotenv) and the manual release run against the local backend', async () => {
    const repo = copyRepository();
    const backend = await startLocalBackend({ port: 0, stateDir: path.join(work, 'backend'), baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    try {
      const env = { AWS_ENDPOINT_URL: backend.endpoint, AWS_ACCESS_KEY_ID: 'smpk-local', AWS_SECRET_ACCESS_KEY: 'smpk-local' };
      await createClients({ region: 'us-east-1', env }).s3.send(new CreateBucketCommand({ Bucket: 'smpk-local' }));
      const variables = {
        ...env,
        AWS_REGION: 'us-east-1',
        SMPK_ROLE_ARN: 'arn:aws:iam::000000000000:role/smpk-local',
        CI_PIPELINE_SOURCE: 'web',
        // What GitLab itself sets; gitlab-ci-local does not.
        GITLAB_CI: 'true',
        GITLAB_USER_LOGIN: 'gl-reviewer',
        npm_config_prefer_offline: 'true',
        npm_config_cache: path.join(process.env.HOME ?? os.homedir(), '.npm'),
      };
      const args = ['--shell-executor-no-image', ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
      const r = await run(repo, [...args, 'specs:validate', 'retrain:run', 'retrain:gate', 'release:production']);
      expect(r.output).toMatch(/specs:validate +> 6 specs checked: 0 errors/);
      expect(r.output).toMatch(/retrain:run +> Execution succeeded: arn:aws:sagemaker:us-east-1:000000000000:pipeline\/abalone-local\/execution\//);
      expect(r.output).toMatch(/retrain:gate +> Metric gate PASSED/);
      expect(r.output).toMatch(/release:production > approved by gl-reviewer/);
      expect(r.output).toMatch(/release:production > smoke test: passed/);
      for (const job of ['specs:validate', 'retrain:run', 'retrain:gate', 'release:production']) expect(r.output).toMatch(new RegExp(`PASS +${job}`));
      expect(r.code).toBe(0);
    } finally {
      await backend.close();
    }
  }, 400_000);
});
