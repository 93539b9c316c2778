/**
 * The sticky pull-request comment on GitHub, over the REST API: the comment carrying the report's
 * hidden marker is searched across every page (CML reads one page and so duplicates its comment on
 * busy PRs), updated in place, left alone when the body is unchanged, created otherwise.
 *
 * Failing to comment never fails the gate: fork PRs get a read-only token (403 "Resource not
 * accessible by integration") and workflows may lack `pull-requests: write`. The caller then keeps
 * the body as an artifact and in the job summary, and `publishGitHubComment` says why.
 */
import { HttpError, requestJson, type HttpDeps } from './http.js';

export interface GitHubCommentTarget {
  /** https://api.github.com, or GITHUB_API_URL on GitHub Enterprise Server. */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  /** Pull request (issue) number. */
  number: number;
  token: string;
}

export type CommentAction = 'created' | 'updated' | 'unchanged';

export interface CommentResult {
  action: CommentAction;
  id: number;
  url?: string;
}

interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { type?: string } | null;
}

function headers(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'sagemaker-pipeline-kit',
  };
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** Every comment of the issue/PR that starts with `marker`, reading all pages. */
async function findMarked(http: HttpDeps, target: GitHubCommentTarget, marker: string): Promise<IssueComment[]> {
  const found: IssueComment[] = [];
  let url: string | undefined = `${target.apiUrl}/repos/${target.repository}/issues/${target.number}/comments?per_page=100`;
  // A bound on pages, so a misbehaving server cannot keep us here (100 pages = 10,000 comments).
  for (let page = 0; url && page < 100; page += 1) {
    const res = await requestJson(http, { method: 'GET', url, headers: headers(target.token) });
    for (const c of Array.isArray(res.data) ? (res.data as IssueComment[]) : []) {
      if (typeof c.body === 'string' && c.body.startsWith(marker)) found.push(c);
    }
    const next = nextLink(res.headers.get('link'));
    // The token goes with every request: follow pages on the API's own origin only.
    url = next && new URL(next).origin === new URL(target.apiUrl).origin ? next : undefined;
  }
  return found;
}

/**
 * Creates or updates the sticky comment. Anyone can post a comment starting with the marker, so
 * one written by a bot (GITHUB_TOKEN comments are) is preferred over one by a person.
 */
export async function upsertGitHubComment(http: HttpDeps, target: GitHubCommentTarget, marker: string, body: string): Promise<CommentResult> {
  const marked = await findMarked(http, target, marker);
  const existing = marked.find((c) => c.user?.type === 'Bot') ?? marked[0];
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id, ...(existing.html_url ? { url: existing.html_url } : {}) };
    const res = await requestJson(http, {
      method: 'PATCH',
      url: `${target.apiUrl}/repos/${target.repository}/issues/comments/${existing.id}`,
      headers: headers(target.token),
      body: { body },
    });
    const c = res.data as IssueComment;
    return { action: 'updated', id: existing.id, ...(c?.html_url ? { url: c.html_url } : {}) };
  }
  const res = await requestJson(http, {
    method: 'POST',
    url: `${target.apiUrl}/repos/${target.repository}/issues/${target.number}/comments`,
    headers: headers(target.token),
    body: { body },
  });
  const c = res.data as IssueComment;
  return { action: 'created', id: c.id, ...(c.html_url ? { url: c.html_url } : {}) };
}

/** The pull request of the run: from the event payload, else the open PR whose head is the commit. */
export async function resolvePullRequest(
  http: HttpDeps,
  input: { apiUrl: string; repository: string; token: string; event: unknown; sha?: string },
): Promise<number | undefined> {
  const event = input.event as { pull_request?: { number?: unknown }; number?: unknown } | undefined;
  const fromEvent = event?.pull_request?.number;
  if (typeof fromEvent === 'number') return fromEvent;
  if (!input.sha) return undefined;
  const res = await requestJson(http, {
    method: 'GET',
    url: `${input.apiUrl}/repos/${input.repository}/commits/${encodeURIComponent(input.sha)}/pulls?per_page=100`,
    headers: headers(input.token),
  });
  const prs = Array.isArray(res.data) ? (res.data as { number?: unknown; state?: unknown }[]) : [];
  const open = prs.find((p) => p.state === 'open' && typeof p.number === 'number');
  return open ? (open.number as number) : undefined;
}

/** True when the event is a pull request from a fork (its GITHUB_TOKEN is read-only, no secrets). */
export function isForkPullRequest(event: unknown): boolean {
  const pr = (event as { pull_request?: { head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } } | undefined)?.pull_request;
  if (!pr) return false;
  const head = pr.head?.repo?.full_name;
  return head === undefined || head === null || head !== pr.base?.repo?.full_name;
}

export type PublishOutcome = { posted: true; result: CommentResult; message: string } | { posted: false; message: string };

/**
 * Posts (or updates) the report comment; never throws for comment failures. Without a token, or
 * when GitHub refuses (401/403/404: fork PR, missing `pull-requests: write`), it reports why so the
 * caller can point at the artifact and job summary instead.
 */
export async function publishGitHubComment(
  http: HttpDeps,
  input: { apiUrl: string; repository: string | undefined; token: string | undefined; event: unknown; sha?: string; marker: string; body: string },
): Promise<PublishOutcome> {
  const fork = isForkPullRequest(input.event);
  if (!input.token) {
    return { posted: false, message: `No GitHub token, so no PR comment${fork ? ' (a pull request from a fork gets no secrets)' : ''}; the report is in the job summary and the report file.` };
  }
  if (!input.repository) return { posted: false, message: 'GITHUB_REPOSITORY is not set, so no PR comment.' };
  try {
    const number = await resolvePullRequest(http, { apiUrl: input.apiUrl, repository: input.repository, token: input.token, event: input.event, ...(input.sha ? { sha: input.sha } : {}) });
    if (number === undefined) return { posted: false, message: 'No pull request for this run, so no PR comment.' };
    const result = await upsertGitHubComment(http, { apiUrl: input.apiUrl, repository: input.repository, number, token: input.token }, input.marker, input.body);
    const what = result.action === 'unchanged' ? 'unchanged; not rewritten' : result.action;
    return { posted: true, result, message: `PR #${number} comment ${what}${result.url ? `: ${result.url}` : ''}` };
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403 || error.status === 404)) {
      return {
        posted: false,
        message: `GitHub refused the PR comment (${error.message})${fork ? ': pull requests from forks get a read-only token' : ''}. Give the job \`permissions: pull-requests: write\`, or for forks comment from a separate \`workflow_run\` workflow using the report file; the report is in the job summary and the report file.`,
      };
    }
    if (error instanceof HttpError) return { posted: false, message: `Could not post the PR comment (${error.message}); the report is in the job summary and the report file.` };
    throw error;
  }
}
