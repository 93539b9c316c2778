import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../src/ops/clock.js';
import { nextLink, publishGitHubComment, upsertGitHubComment } from '../../../src/platform/github-comment.js';
import { publishGitLabNote, upsertGitLabNote } from '../../../src/platform/gitlab-note.js';
import { requestJson, type FetchLike } from '../../../src/platform/http.js';
import { postReport } from '../../../src/platform/post-report.js';

const MARKER = '<!-- smpk:report pipeline=demo -->';
const BODY = `${MARKER}\n### report`;
const TOKEN = 'ghs_SECRET_TOKEN_VALUE';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A fake HTTP server: routes by "METHOD url-prefix"; records every call. */
function fakeFetch(routes: ((call: Call) => { status?: number; body?: unknown; headers?: Record<string, string> } | undefined)[]) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call: Call = { method: init.method, url, headers: init.headers, ...(init.body !== undefined ? { body: JSON.parse(init.body) } : {}) };
    calls.push(call);
    for (const route of routes) {
      const r = route(call);
      if (r) return new Response(r.body === undefined ? '' : JSON.stringify(r.body), { status: r.status ?? 200, headers: r.headers ?? {} });
    }
    return new Response(JSON.stringify({ message: 'Not Found' }), { status: 404 });
  };
  return { fetch, calls };
}

const http = (fetch: FetchLike) => ({ fetch, clock: virtualClock() });
const GH = { apiUrl: 'https://api.github.com', repository: 'o/r', number: 7, token: TOKEN };
const comment = (id: number, body: string, type = 'Bot') => ({ id, body, html_url: `https://github.com/o/r/pull/7#issuecomment-${id}`, user: { type } });

describe('GitHub sticky comment', () => {
  it('creates the comment when no page holds the marker', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [comment(1, 'hello')] } : undefined),
      (c) => (c.method === 'POST' ? { status: 201, body: comment(99, BODY) } : undefined),
    ]);
    const r = await upsertGitHubComment(http(f.fetch), GH, MARKER, BODY);
    expect(r).toEqual({ action: 'created', id: 99, url: 'https://github.com/o/r/pull/7#issuecomment-99' });
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET https://api.github.com/repos/o/r/issues/7/comments?per_page=100',
      'POST https://api.github.com/repos/o/r/issues/7/comments',
    ]);
    expect(f.calls[1]?.body).toEqual({ body: BODY });
    expect(f.calls[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('updates in place when the body changed', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [comment(5, `${MARKER}\nold`)] } : undefined),
      (c) => (c.method === 'PATCH' ? { body: comment(5, BODY) } : undefined),
    ]);
    const r = await upsertGitHubComment(http(f.fetch), GH, MARKER, BODY);
    expect(r.action).toBe('updated');
    expect(f.calls[1]).toMatchObject({ method: 'PATCH', url: 'https://api.github.com/repos/o/r/issues/comments/5', body: { body: BODY } });
  });

  it('writes nothing when the body is unchanged', async () => {
    const f = fakeFetch([(c) => (c.method === 'GET' ? { body: [comment(5, BODY)] } : undefined)]);
    const r = await upsertGitHubComment(http(f.fetch), GH, MARKER, BODY);
    expect(r.action).toBe('unchanged');
    expect(f.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('finds the marker on page 3 of 3 (Link rel=next) and prefers the bot comment over a planted one', async () => {
    const page = (n: number) => `https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=${n}`;
    const f = fakeFetch([
      (c) =>
        c.method === 'GET' && c.url.endsWith('comments?per_page=100')
          ? { body: [comment(1, `${MARKER}\nplanted by a person`, 'User')], headers: { link: `<${page(2)}>; rel="next", <${page(3)}>; rel="last"` } }
          : undefined,
      (c) => (c.method === 'GET' && c.url === page(2) ? { body: [comment(2, 'x')], headers: { link: `<${page(1)}>; rel="prev", <${page(3)}>; rel="next"` } } : undefined),
      (c) => (c.method === 'GET' && c.url === page(3) ? { body: [comment(3, `${MARKER}\nold`)], headers: { link: `<${page(2)}>; rel="prev"` } } : undefined),
      (c) => (c.method === 'PATCH' ? { body: comment(3, BODY) } : undefined),
    ]);
    const r = await upsertGitHubComment(http(f.fetch), GH, MARKER, BODY);
    expect(r).toMatchObject({ action: 'updated', id: 3 });
    expect(f.calls.filter((c) => c.method === 'GET')).toHaveLength(3);
    expect(f.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('never follows a next link to another host (the token would go with it)', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [], headers: { link: '<https://evil.example/steal>; rel="next"' } } : undefined),
      (c) => (c.method === 'POST' ? { status: 201, body: comment(9, BODY) } : undefined),
    ]);
    await upsertGitHubComment(http(f.fetch), GH, MARKER, BODY);
    expect(f.calls.some((c) => c.url.includes('evil.example'))).toBe(false);
    expect(nextLink('<https://a/b?page=2>; rel="next"')).toBe('https://a/b?page=2');
  });

  it('a fork PR (403 on write) degrades with a message, never a throw, and never prints the token', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [] } : undefined),
      (c) => (c.method === 'POST' ? { status: 403, body: { message: 'Resource not accessible by integration' } } : undefined),
    ]);
    const event = { pull_request: { number: 7, head: { repo: { full_name: 'fork/r' } }, base: { repo: { full_name: 'o/r' } } } };
    const out = await publishGitHubComment(http(f.fetch), { apiUrl: GH.apiUrl, repository: 'o/r', token: TOKEN, event, marker: MARKER, body: BODY });
    expect(out.posted).toBe(false);
    expect(out.message).toContain('GitHub refused the PR comment (POST /repos/o/r/issues/7/comments answered 403: Resource not accessible by integration): pull requests from forks get a read-only token');
    expect(out.message).toContain('the report is in the job summary and the report file');
    expect(out.message).not.toContain(TOKEN);
  });

  it('without a token there is no call at all', async () => {
    const f = fakeFetch([]);
    const out = await publishGitHubComment(http(f.fetch), { apiUrl: GH.apiUrl, repository: 'o/r', token: undefined, event: {}, marker: MARKER, body: BODY });
    expect(out).toEqual({ posted: false, message: 'No GitHub token, so no PR comment; the report is in the job summary and the report file.' });
    expect(f.calls).toHaveLength(0);
  });

  it('resolves the PR from the commit when the event is not a pull request', async () => {
    const f = fakeFetch([
      (c) => (c.url.includes('/commits/abc/pulls') ? { body: [{ number: 3, state: 'closed' }, { number: 12, state: 'open' }] } : undefined),
      (c) => (c.method === 'GET' && c.url.includes('/issues/12/comments') ? { body: [] } : undefined),
      (c) => (c.method === 'POST' && c.url.includes('/issues/12/comments') ? { status: 201, body: comment(1, BODY) } : undefined),
    ]);
    const out = await publishGitHubComment(http(f.fetch), { apiUrl: GH.apiUrl, repository: 'o/r', token: TOKEN, event: { ref: 'refs/heads/x' }, sha: 'abc', marker: MARKER, body: BODY });
    expect(out).toMatchObject({ posted: true, message: 'PR #12 comment created: https://github.com/o/r/pull/7#issuecomment-1' });
  });

  it('postReport on GitHub reads the event file and uses GITHUB_API_URL', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [comment(4, BODY)] } : undefined),
    ]);
    const out = await postReport({
      env: { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/event.json', GITHUB_API_URL: 'https://ghe.example/api/v3', GITHUB_TOKEN: TOKEN },
      http: http(f.fetch),
      readFile: (p) => (p === '/event.json' ? JSON.stringify({ pull_request: { number: 7, head: { repo: { full_name: 'o/r' } }, base: { repo: { full_name: 'o/r' } } } }) : undefined),
      marker: MARKER,
      render: () => BODY,
    });
    expect(out).toMatchObject({ posted: true, message: 'PR #7 comment unchanged; not rewritten: https://github.com/o/r/pull/7#issuecomment-4' });
    expect(f.calls[0]?.url).toBe('https://ghe.example/api/v3/repos/o/r/issues/7/comments?per_page=100');
  });
});

describe('HTTP retries', () => {
  it('retries 429 and 5xx with backoff, honouring Retry-After', async () => {
    let n = 0;
    const fetch: FetchLike = async () => {
      n += 1;
      if (n === 1) return new Response('', { status: 429, headers: { 'retry-after': '7' } });
      if (n === 2) return new Response('', { status: 502 });
      return new Response('{"ok":true}', { status: 200 });
    };
    const clock = virtualClock();
    const r = await requestJson({ fetch, clock }, { method: 'GET', url: 'https://x/y', headers: {} });
    expect(r.data).toEqual({ ok: true });
    expect(clock.slept).toEqual([7000, 2000]);
  });

  it('gives up after four attempts with the path and status, no headers', async () => {
    const fetch: FetchLike = async () => new Response('{"message":"boom"}', { status: 503 });
    const clock = virtualClock();
    await expect(requestJson({ fetch, clock }, { method: 'PUT', url: 'https://x/a/b?q=1', headers: { 'PRIVATE-TOKEN': TOKEN } })).rejects.toThrow('PUT /a/b answered 503: boom');
    expect(clock.slept).toHaveLength(3);
  });

  it('retries network failures', async () => {
    let n = 0;
    const fetch: FetchLike = async () => {
      n += 1;
      if (n < 3) throw new TypeError('fetch failed');
      return new Response('[]', { status: 200 });
    };
    expect((await requestJson({ fetch, clock: virtualClock() }, { method: 'GET', url: 'https://x/', headers: {} })).data).toEqual([]);
  });
});

describe('GitLab sticky MR note', () => {
  const target = { apiUrl: 'https://gitlab.example.com/api/v4', projectId: '42', mergeRequestIid: '9', token: TOKEN };
  const base = 'https://gitlab.example.com/api/v4/projects/42/merge_requests/9/notes';

  it('creates the note with PRIVATE-TOKEN when none carries the marker', async () => {
    const f = fakeFetch([
      (c) => (c.method === 'GET' ? { body: [{ id: 1, body: MARKER, system: true }], headers: { 'x-next-page': '' } } : undefined),
      (c) => (c.method === 'POST' ? { status: 201, body: { id: 50 } } : undefined),
    ]);
    expect(await upsertGitLabNote(http(f.fetch), target, MARKER, BODY)).toEqual({ action: 'created', id: 50 });
    expect(f.calls[0]?.url).toBe(`${base}?per_page=100&sort=asc&order_by=created_at&page=1`);
    expect(f.calls[1]).toMatchObject({ method: 'POST', url: base, body: { body: BODY }, headers: { 'PRIVATE-TOKEN': TOKEN } });
  });

  it('follows x-next-page and updates the note it finds; unchanged means no write', async () => {
    const f = fakeFetch([
      (c) => (c.url.endsWith('page=1') ? { body: [{ id: 1, body: 'hi' }], headers: { 'x-next-page': '2' } } : undefined),
      (c) => (c.url.endsWith('page=2') ? { body: [{ id: 2, body: 'x' }], headers: { 'x-next-page': '3' } } : undefined),
      (c) => (c.url.endsWith('page=3') ? { body: [{ id: 3, body: `${MARKER}\nold` }], headers: { 'x-next-page': '' } } : undefined),
      (c) => (c.method === 'PUT' ? { body: { id: 3 } } : undefined),
    ]);
    expect(await upsertGitLabNote(http(f.fetch), target, MARKER, BODY)).toEqual({ action: 'updated', id: 3 });
    expect(f.calls.map((c) => c.method)).toEqual(['GET', 'GET', 'GET', 'PUT']);
    expect(f.calls[3]?.url).toBe(`${base}/3`);

    const same = fakeFetch([(c) => (c.method === 'GET' ? { body: [{ id: 3, body: BODY }] } : undefined)]);
    expect(await upsertGitLabNote(http(same.fetch), target, MARKER, BODY)).toEqual({ action: 'unchanged', id: 3 });
    expect(same.calls).toHaveLength(1);
  });

  it('without SMPK_GITLAB_TOKEN says CI_JOB_TOKEN cannot post notes, and makes no call', async () => {
    const f = fakeFetch([]);
    const out = await publishGitLabNote(http(f.fetch), { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '9', CI_JOB_TOKEN: 'job-token', CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '42' }, MARKER, BODY);
    expect(out.posted).toBe(false);
    expect(out.message).toContain('No SMPK_GITLAB_TOKEN, so no MR note: CI_JOB_TOKEN cannot post merge request notes');
    expect(out.message).toContain('api scope');
    expect(f.calls).toHaveLength(0);
  });

  it('outside merge request pipelines there is no note', async () => {
    const out = await publishGitLabNote(http(fakeFetch([]).fetch), { GITLAB_CI: 'true', SMPK_GITLAB_TOKEN: TOKEN }, MARKER, BODY);
    expect(out.message).toMatch(/^Not a merge request pipeline/);
  });

  it('a rejected token degrades with a hint and without the token', async () => {
    const f = fakeFetch([() => ({ status: 401, body: { message: '401 Unauthorized' } })]);
    const out = await publishGitLabNote(
      http(f.fetch),
      { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '9', SMPK_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '42' },
      MARKER,
      BODY,
    );
    expect(out).toEqual({
      posted: false,
      message: 'Could not post the MR note (GET /api/v4/projects/42/merge_requests/9/notes answered 401: 401 Unauthorized). Check that SMPK_GITLAB_TOKEN is valid and has the api scope. The report is in the report file.',
    });
  });
});
