/**
 * Who approved the release, from the CI platform. GitHub: the reviewer who approved the run's
 * protected-environment deployment (GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals,
 * needs a token with `actions: read`), else GITHUB_ACTOR — who triggered the run, not necessarily
 * who approved it, and the account says so. GitLab: GITLAB_USER_LOGIN, who started the manual job.
 * A `--approver` name is only taken as given outside CI; in CI it is recorded as a stated name
 * next to the identity the platform vouches for.
 */
import type { Approver } from '../ops/approve.js';
import { sanitizeText } from '../ops/approve.js';
import { detectPlatform } from './ci-env.js';

/** The part of fetch the lookup uses (injected; tests pass a fake). */
export type FetchPort = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

interface ApprovalEntry {
  state?: unknown;
  user?: { login?: unknown };
  environments?: { name?: unknown }[];
}

/** Approved reviewers of the run (for `environment` if given), in the API's order, without repeats. */
async function githubReviewers(
  env: Readonly<Record<string, string | undefined>>,
  fetchPort: FetchPort,
  token: string,
  environment: string | undefined,
): Promise<{ names: string[] } | { error: string }> {
  const api = env.GITHUB_API_URL ?? 'https://api.github.com';
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (!repository || !runId) return { error: 'GITHUB_REPOSITORY or GITHUB_RUN_ID is not set' };
  // Both come from the runner, but they go into a URL: keep them to their documented shapes.
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(runId)) return { error: 'GITHUB_REPOSITORY or GITHUB_RUN_ID has an unexpected form' };
  try {
    const response = await fetchPort(`${api}/repos/${repository}/actions/runs/${runId}/approvals`, {
      headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'sagemaker-pipeline-kit' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return { error: `the approvals API answered HTTP ${response.status}${response.status === 403 || response.status === 404 ? ' (the token needs actions: read)' : ''}` };
    const body = await response.json();
    if (!Array.isArray(body)) return { error: 'the approvals API answered with something other than a list' };
    const names: string[] = [];
    for (const entry of body as ApprovalEntry[]) {
      if (entry.state !== 'approved' || typeof entry.user?.login !== 'string') continue;
      if (environment && !(entry.environments ?? []).some((e) => e.name === environment)) continue;
      if (!names.includes(entry.user.login)) names.push(entry.user.login);
    }
    return names.length ? { names } : { error: `the run has no approved environment review${environment ? ` for ${environment}` : ''} (is the job bound to a protected environment with required reviewers?)` };
  } catch (error) {
    return { error: `the approvals API could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Resolves the approver for the current run (see the module comment). */
export async function resolveApprover(input: {
  env: Readonly<Record<string, string | undefined>>;
  fetch: FetchPort;
  /** GitHub token for the approvals API (the action's github-token input, or GITHUB_TOKEN). */
  token?: string;
  /** Only count approvals of this environment (GitHub). */
  environment?: string;
  /** The --approver flag / approver input. */
  stated?: string;
}): Promise<Approver> {
  const { env } = input;
  const stated = input.stated ? sanitizeText(input.stated, 100) : undefined;
  const withStated = (a: Approver): Approver => (stated && stated !== a.name ? { ...a, note: [a.note, `stated approver: ${stated}`].filter(Boolean).join('; ') } : a);
  switch (detectPlatform(env)) {
    case 'github': {
      const actor = sanitizeText(env.GITHUB_ACTOR ?? 'unknown', 100);
      if (!input.token) return withStated({ name: actor, source: 'github-actor', note: 'no token to read the environment approvals; GITHUB_ACTOR triggered the run and may not be the reviewer' });
      const reviewers = await githubReviewers(env, input.fetch, input.token, input.environment);
      if ('names' in reviewers) return withStated({ name: sanitizeText(reviewers.names.join(', '), 200), source: 'github-environment-approval' });
      return withStated({ name: actor, source: 'github-actor', note: `${reviewers.error}; GITHUB_ACTOR triggered the run and may not be the reviewer` });
    }
    case 'gitlab':
      return withStated({ name: sanitizeText(env.GITLAB_USER_LOGIN ?? env.GITLAB_USER_NAME ?? 'unknown', 100), source: 'gitlab-user' });
    case 'local':
      if (stated) return { name: stated, source: 'flag', note: 'named on the command line, not verified' };
      return { name: sanitizeText(env.USER ?? env.USERNAME ?? 'unknown', 100), source: 'local-user', note: 'the local user name, not verified' };
  }
}
