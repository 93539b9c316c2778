/**
 * Which CI we run in and where a run comes from, read from the environment map once at the
 * entry point (never at import time).
 */
import type { RunOrigin } from '../ops/start.js';

export type CiPlatform = 'github' | 'gitlab' | 'local';

/** GitHub Actions, GitLab CI or a plain terminal. */
export function detectPlatform(env: Readonly<Record<string, string | undefined>>): CiPlatform {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return 'local';
}

/**
 * The run's origin. GitHub: run id + run attempt (a re-run is a new attempt, and so a new
 * execution; a retry inside one attempt is not). GitLab: pipeline id + job name, with the job id
 * as the attempt, since every GitLab retry is a new job.
 */
export function runOrigin(env: Readonly<Record<string, string | undefined>>): RunOrigin {
  const set = <K extends keyof RunOrigin>(o: RunOrigin, k: K, v: string | undefined) => {
    if (v) o[k] = v;
  };
  const o: RunOrigin = {};
  switch (detectPlatform(env)) {
    case 'github':
      set(o, 'commit', env.GITHUB_SHA);
      set(o, 'repository', env.GITHUB_REPOSITORY);
      set(o, 'runId', env.GITHUB_RUN_ID);
      set(o, 'runAttempt', env.GITHUB_RUN_ATTEMPT);
      if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
        o.runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
      }
      break;
    case 'gitlab':
      set(o, 'commit', env.CI_COMMIT_SHA);
      set(o, 'repository', env.CI_PROJECT_PATH);
      if (env.CI_PIPELINE_ID) o.runId = `${env.CI_PIPELINE_ID}:${env.CI_JOB_NAME ?? ''}`;
      set(o, 'runAttempt', env.CI_JOB_ID);
      set(o, 'runUrl', env.CI_JOB_URL);
      break;
    case 'local':
      set(o, 'commit', env.SMPK_COMMIT);
      break;
  }
  return o;
}
