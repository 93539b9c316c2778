// gitlab-ci-local validates .gitlab-ci.yml against GitLab's schema and evaluates its rules
// offline, so the job set of each kind of pipeline is checked here: merge requests, pushes to the
// default branch with and without spec changes, and manual (web) runs. Running the jobs needs the
// default image, i.e. a Docker engine, which this machine kind does not have; their scripts are
// shellchecked in shellcheck.test.ts instead.
// Pinned to 4.55.0: later versions require Node 22.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve('node_modules/.bin/gitlab-ci-local');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A throwaway repository holding the CI file, with an origin/main to diff `changes:` rules against. */
function repo(options: { ciFile?: string; changeSpecs: boolean }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smpk-glcl-'));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  if (options.ciFile !== undefined) writeFileSync(path.join(dir, '.gitlab-ci.yml'), options.ciFile);
  else copyFileSync('.gitlab-ci.yml', path.join(dir, '.gitlab-ci.yml'));
  git('add', '.');
  git('commit', '-q', '-m', 'ci');
  git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/models.git');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  if (options.changeSpecs) {
    mkdirSync(path.join(dir, 'pipeline-specs'));
    writeFileSync(path.join(dir, 'pipeline-specs', 'abalone-local.yaml'), 'version: 1\n');
    git('add', 'pipeline-specs');
  }
  return dir;
}

interface ListedJob {
  name: string;
  stage: string;
  when: string;
  allowFailure: boolean;
}

function list(dir: string, variables: Record<string, string>): { status: number | null; jobs: ListedJob[]; output: string } {
  const args = ['--list', ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout}${r.stderr}`;
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('name'));
  const jobs = header < 0 ? [] : lines.slice(header + 1).filter((l) => l.trim()).map((l) => {
    const [name = '', stage = '', when = '', allowFailure = ''] = l.trim().split(/\s+/);
    return { name, stage, when, allowFailure: allowFailure === 'true' };
  });
  return { status: r.status, jobs, output };
}

const names = (jobs: ListedJob[]) => jobs.map((j) => j.name);

describe('.gitlab-ci.yml under gitlab-ci-local', () => {
  it('is valid against GitLab\'s schema and a merge request gets plan, an optional run and the gate', () => {
    // GitLab sets no CI_COMMIT_BRANCH in merge-request pipelines; gitlab-ci-local always does, so the
    // MR's source branch stands in for it.
    const r = list(repo({ changeSpecs: true }), { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7', CI_COMMIT_BRANCH: 'feature/better-features' });
    expect(r.output).toMatch(/json schema validated/);
    expect(r.status).toBe(0);
    expect(names(r.jobs)).toEqual(['kit:test', 'specs:validate', 'mr:plan', 'mr:run', 'mr:gate']);
    expect(r.jobs.find((j) => j.name === 'mr:run')).toMatchObject({ when: 'manual', allowFailure: true });
    expect(r.jobs.find((j) => j.name === 'mr:gate')).toMatchObject({ when: 'on_success', allowFailure: false });
  });

  it('a push to the default branch that changes specs retrains, gates, and offers a blocking manual release', () => {
    const r = list(repo({ changeSpecs: true }), { CI_PIPELINE_SOURCE: 'push' });
    expect(names(r.jobs)).toEqual(['kit:test', 'specs:validate', 'retrain:run', 'retrain:gate', 'release:production']);
    expect(r.jobs.find((j) => j.name === 'release:production')).toMatchObject({ when: 'manual', allowFailure: false });
  });

  it('a push that changes no spec only tests and validates', () => {
    const r = list(repo({ changeSpecs: false }), { CI_PIPELINE_SOURCE: 'push' });
    expect(names(r.jobs)).toEqual(['kit:test', 'specs:validate']);
  });

  it('a manual (web) pipeline retrains and releases', () => {
    const r = list(repo({ changeSpecs: false }), { CI_PIPELINE_SOURCE: 'web' });
    expect(names(r.jobs)).toEqual(['kit:test', 'specs:validate', 'retrain:run', 'retrain:gate', 'release:production']);
  });

  it('rejects a broken file (the validation above is not vacuous)', () => {
    const broken = readFileSync('.gitlab-ci.yml', 'utf8').replace(/^(kit:test:\n)/m, '$1  not_a_gitlab_keyword: true\n');
    expect(broken).toContain('not_a_gitlab_keyword');
    const r = list(repo({ ciFile: broken, changeSpecs: false }), { CI_PIPELINE_SOURCE: 'push' });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/not_a_gitlab_keyword|schema/i);
  });
});
