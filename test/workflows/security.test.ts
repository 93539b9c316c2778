/**
 * The security rules of DESIGN.md and docs/github.md, asserted on the files themselves, so a
 * later edit cannot quietly widen a token, unpin an action or interpolate event text into a shell.
 */
import { describe, expect, it } from 'vitest';
import { gitlabCi, isObj, jobsOf, stepsOf, workflows, type Obj } from './load.js';

const all = workflows();
const byName = (file: string) => {
  const wf = all.find((w) => w.path === `.github/workflows/${file}`);
  if (!wf) throw new Error(`.github/workflows/${file} is missing`);
  return wf;
};

describe('GitHub workflows', () => {
  it('the three flows and the kit\'s own checks exist', () => {
    for (const f of ['retrain.yml', 'pr-metrics.yml', 'pr-comment.yml', 'release.yml', 'ci.yml', 'check-dist.yml']) byName(f);
  });

  for (const wf of all) {
    describe(wf.path, () => {
      it('grants nothing at the top level (permissions: {}) and sets permissions on every job', () => {
        expect(wf.data.permissions).toEqual({});
        for (const [id, job] of jobsOf(wf)) expect(isObj(job.permissions), `jobs.${id}.permissions`).toBe(true);
      });

      it('pins every non-local action to a full commit SHA', () => {
        const uses = jobsOf(wf).flatMap(([, job]) => [
          ...stepsOf(job).map((s) => s.uses),
          job.uses, // reusable workflows
        ]);
        const unpinned = uses.filter((u): u is string => typeof u === 'string' && !u.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u));
        expect(unpinned).toEqual([]);
      });

      it('never puts event text into a shell (${{ github.event… }} / head_ref inside run:)', () => {
        const bad = jobsOf(wf).flatMap(([id, job]) =>
          stepsOf(job)
            .filter((s) => typeof s.run === 'string' && /\$\{\{[^}]*github\.(event|head_ref)/.test(s.run))
            .map((s) => `jobs.${id}: ${String(s.name ?? s.run).slice(0, 60)}`),
        );
        expect(bad).toEqual([]);
        // Not even through `${{ }}` anywhere in a script: values reach run: blocks through env.
        expect(wf.text).not.toMatch(/run:[^\n]*\$\{\{\s*github\.(event|head_ref)/);
      });

      it('has no pull_request_target trigger', () => {
        const on = wf.data.on;
        const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : isObj(on) ? Object.keys(on) : [];
        expect(triggers).not.toContain('pull_request_target');
      });

      it('sets timeout-minutes on every job', () => {
        for (const [id, job] of jobsOf(wf)) expect(job['timeout-minutes'], `jobs.${id}.timeout-minutes`).toBeTypeOf('number');
      });

      it('checks out without persisting the token', () => {
        for (const [id, job] of jobsOf(wf)) {
          for (const s of stepsOf(job).filter((s) => typeof s.uses === 'string' && s.uses.startsWith('actions/checkout@'))) {
            expect(isObj(s.with) && s.with['persist-credentials'], `jobs.${id} checkout`).toBe(false);
          }
        }
      });

      it('asks for id-token: write only in jobs that use OIDC, and pull-requests: write only to comment', () => {
        for (const [id, job] of jobsOf(wf)) {
          const perms = isObj(job.permissions) ? job.permissions : {};
          const steps = stepsOf(job);
          const usesOidc = steps.some((s) => typeof s.uses === 'string' && s.uses.startsWith('aws-actions/configure-aws-credentials@'));
          expect(perms['id-token'] === 'write', `jobs.${id} id-token`).toBe(usesOidc);
          if (perms['pull-requests'] === 'write') expect(wf.path, `jobs.${id} pull-requests: write`).toBe('.github/workflows/pr-comment.yml');
        }
      });
    });
  }

  it('the fork-safe comment workflow never checks out or runs pull-request code', () => {
    const wf = byName('pr-comment.yml');
    expect(isObj(wf.data.on) && Object.keys(wf.data.on)).toEqual(['workflow_run']);
    for (const [, job] of jobsOf(wf)) {
      for (const s of stepsOf(job)) {
        expect(s.uses, 'no action at all in the privileged half').toBeUndefined();
        expect(String(s.run)).not.toMatch(/\bgit (clone|checkout|fetch)\b|\bnpm\b|\bnode\b|\bnpx\b/);
      }
    }
  });

  it('the pull-request workflow has no secrets and only a read token apart from OIDC', () => {
    const wf = byName('pr-metrics.yml');
    expect(wf.text).not.toMatch(/secrets\./);
    for (const [id, job] of jobsOf(wf)) {
      for (const [scope, level] of Object.entries(isObj(job.permissions) ? job.permissions : {})) {
        if (level === 'write') expect(`${id}:${scope}`).toBe('pipeline:id-token');
      }
    }
  });

  it('the release job waits for the production environment', () => {
    const jobs = jobsOf(byName('release.yml'));
    const release = jobs.find(([id]) => id === 'release')?.[1];
    const env = release?.environment;
    expect(isObj(env) ? env.name : env).toBe('production');
    // And the deploy is inside that job, not in a job the environment does not guard.
    const deployers = jobs.filter(([, job]) => stepsOf(job).some((s) => /deploy-endpoint|approve-model/.test(String(s.uses))));
    expect(deployers.map(([id]) => id)).toEqual(['release']);
  });

  it('retrain serialises executions per pipeline without cancelling a running one', () => {
    const job = jobsOf(byName('retrain.yml')).find(([id]) => id === 'retrain')?.[1] as Obj;
    expect(job.concurrency).toMatchObject({ group: expect.stringContaining('matrix.spec'), 'cancel-in-progress': false });
  });
});

describe('.gitlab-ci.yml', () => {
  const ci = gitlabCi();
  const jobs = Object.entries(ci.data).filter(([name, v]) => isObj(v) && !name.startsWith('.') && !['default', 'variables', 'workflow', 'stages'].includes(name)) as [string, Obj][];

  it('the production job is manual, blocking and bound to the production environment', () => {
    const prod = jobs.filter(([, job]) => (isObj(job.environment) ? job.environment.name : job.environment) === 'production');
    expect(prod.map(([n]) => n)).toEqual(['release:production']);
    const job = prod[0]?.[1] as Obj;
    // when: manual in every rule that adds the job (GitLab forbids job-level `when` with rules).
    const rules = Array.isArray(job.rules) ? job.rules.filter(isObj) : [];
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.when).toBe('manual');
    // Explicit: a manual job outside rules would default to allow_failure: true and not block.
    expect(job.allow_failure).toBe(false);
    for (const r of rules) expect(r.allow_failure ?? false).toBe(false);
  });

  it('runs merge-request pipelines', () => {
    expect(ci.text).toContain('$CI_PIPELINE_SOURCE == "merge_request_event"');
  });

  it('uses OIDC (id_tokens with an audience), never stored keys', () => {
    const aws = ci.data['.aws'] as Obj;
    expect(aws.id_tokens).toMatchObject({ SMPK_OIDC_TOKEN: { aud: 'sts.amazonaws.com' } });
    expect(aws.variables).toMatchObject({ AWS_ROLE_ARN: expect.any(String), AWS_WEB_IDENTITY_TOKEN_FILE: expect.any(String) });
    expect(ci.text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });

  it('hands the execution ARN on through a dotenv report and publishes metrics', () => {
    const run = jobs.find(([n]) => n === 'retrain:run')?.[1] as Obj;
    expect(String(run.script)).toContain('--dotenv smpk.env');
    expect(run.artifacts).toMatchObject({ reports: { dotenv: 'smpk.env' } });
    expect(ci.text).toMatch(/metrics: metrics\.txt/);
  });

  it('the kit\'s own test job needs no AWS', () => {
    const test = jobs.find(([n]) => n === 'kit:test')?.[1] as Obj;
    expect(test.extends).toBe('.npm');
    expect(test.id_tokens).toBeUndefined();
  });
});
