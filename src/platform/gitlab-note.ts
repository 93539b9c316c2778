/**
 * The sticky merge-request note on GitLab (`/projects/:id/merge_requests/:iid/notes`), found by the
 * report's marker across every page (`per_page=100`, following `x-next-page`), updated in place,
 * left alone when unchanged, created otherwise.
 *
 * Authentication: `PRIVATE-TOKEN` from SMPK_GITLAB_TOKEN — a project or group access token (or a
 * personal one) with the `api` scope. CI_JOB_TOKEN cannot post notes, so without SMPK_GITLAB_TOKEN
 * the kit says so and the report stays in the job's artifacts.
 */
import { HttpError, requestJson, type HttpDeps } from './http.js';
import type { CommentResult } from './github-comment.js';

/** The variable the GitLab token is read from. */
export const GITLAB_TOKEN_VARIABLE = 'SMPK_GITLAB_TOKEN';

export interface GitLabNoteTarget {
  /** CI_API_V4_URL, e.g. https://gitlab.example.com/api/v4 (self-managed instances included). */
  apiUrl: string;
  /** CI_PROJECT_ID (numeric) or the URL-encoded project path. */
  projectId: string;
  /** CI_MERGE_REQUEST_IID. */
  mergeRequestIid: string;
  token: string;
}

interface Note {
  id: number;
  body?: string;
  system?: boolean;
}

function notesUrl(t: GitLabNoteTarget): string {
  return `${t.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(t.projectId)}/merge_requests/${encodeURIComponent(t.mergeRequestIid)}/notes`;
}

/** Creates or updates the sticky note. */
export async function upsertGitLabNote(http: HttpDeps, target: GitLabNoteTarget, marker: string, body: string): Promise<CommentResult> {
  const headers = { 'PRIVATE-TOKEN': target.token };
  const base = notesUrl(target);
  let existing: Note | undefined;
  let page: string | undefined = '1';
  // Oldest first, so the same note is found on every run; at most 100 pages (10,000 notes).
  for (let n = 0; page && n < 100 && !existing; n += 1) {
    const res = await requestJson(http, { method: 'GET', url: `${base}?per_page=100&sort=asc&order_by=created_at&page=${page}`, headers });
    const notes = Array.isArray(res.data) ? (res.data as Note[]) : [];
    existing = notes.find((note) => !note.system && typeof note.body === 'string' && note.body.startsWith(marker));
    const next = res.headers.get('x-next-page');
    page = next && /^\d+$/.test(next) ? next : undefined;
  }
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id };
    await requestJson(http, { method: 'PUT', url: `${base}/${existing.id}`, headers, body: { body } });
    return { action: 'updated', id: existing.id };
  }
  const res = await requestJson(http, { method: 'POST', url: base, headers, body: { body } });
  return { action: 'created', id: (res.data as Note).id };
}

export type NoteOutcome = { posted: true; result: CommentResult; message: string } | { posted: false; message: string };

/** Posts (or updates) the MR note from the CI environment; never throws for note failures. */
export async function publishGitLabNote(
  http: HttpDeps,
  env: Readonly<Record<string, string | undefined>>,
  marker: string,
  body: string,
): Promise<NoteOutcome> {
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid) {
    return { posted: false, message: 'Not a merge request pipeline (no CI_MERGE_REQUEST_IID; add `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"`), so no MR note.' };
  }
  const token = env[GITLAB_TOKEN_VARIABLE];
  if (!token) {
    return {
      posted: false,
      message: `No ${GITLAB_TOKEN_VARIABLE}, so no MR note: CI_JOB_TOKEN cannot post merge request notes. Store a project access token with the api scope as a masked CI/CD variable ${GITLAB_TOKEN_VARIABLE}. The report is in the report file (keep it with artifacts:).`,
    };
  }
  const apiUrl = env.CI_API_V4_URL ?? (env.CI_SERVER_URL ? `${env.CI_SERVER_URL.replace(/\/+$/, '')}/api/v4` : undefined);
  const projectId = env.CI_MERGE_REQUEST_PROJECT_ID ?? env.CI_PROJECT_ID;
  if (!apiUrl || !projectId) return { posted: false, message: 'CI_API_V4_URL or CI_PROJECT_ID is not set, so no MR note.' };
  try {
    const result = await upsertGitLabNote(http, { apiUrl, projectId, mergeRequestIid: iid, token }, marker, body);
    const what = result.action === 'unchanged' ? 'unchanged; not rewritten' : result.action;
    return { posted: true, result, message: `MR !${iid} note ${what}` };
  } catch (error) {
    if (error instanceof HttpError) {
      const hint = error.status === 401 || error.status === 403 ? ` Check that ${GITLAB_TOKEN_VARIABLE} is valid and has the api scope.` : '';
      return { posted: false, message: `Could not post the MR note (${error.message}).${hint} The report is in the report file.` };
    }
    throw error;
  }
}
