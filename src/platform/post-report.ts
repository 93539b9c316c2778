/**
 * Posting the gate report where the run's platform shows it: the GitHub PR's sticky comment or the
 * GitLab MR's sticky note. Never throws for a comment that could not be posted — the gate's
 * verdict must not depend on comment permissions — and always says what happened.
 */
import { detectPlatform } from './ci-env.js';
import { publishGitHubComment } from './github-comment.js';
import { publishGitLabNote } from './gitlab-note.js';
import type { HttpDeps } from './http.js';
import { DEFAULT_BODY_LIMIT, GITLAB_NOTE_LIMIT } from './report.js';

export interface PostReportInput {
  env: Readonly<Record<string, string | undefined>>;
  http: HttpDeps;
  /** Reads a file (the GitHub event payload); undefined when it cannot. */
  readFile(path: string): string | undefined;
  marker: string;
  /** The body cut to at most `maxLength` characters. */
  render(maxLength: number): string;
  /** GitHub token (the action's github-token input); default GITHUB_TOKEN. */
  githubToken?: string;
}

export interface PostReportOutcome {
  posted: boolean;
  message: string;
  url?: string;
}

/** The GitHub event payload of the run, or undefined. */
export function readGitHubEvent(env: PostReportInput['env'], readFile: PostReportInput['readFile']): unknown {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  const text = readFile(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Posts the report as a PR comment (GitHub) or MR note (GitLab). */
export async function postReport(input: PostReportInput): Promise<PostReportOutcome> {
  const { env } = input;
  switch (detectPlatform(env)) {
    case 'github': {
      const out = await publishGitHubComment(input.http, {
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
        repository: env.GITHUB_REPOSITORY,
        token: input.githubToken || env.GITHUB_TOKEN,
        event: readGitHubEvent(env, input.readFile),
        ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
        marker: input.marker,
        body: input.render(DEFAULT_BODY_LIMIT),
      });
      return { posted: out.posted, message: out.message, ...(out.posted && out.result.url ? { url: out.result.url } : {}) };
    }
    case 'gitlab': {
      const out = await publishGitLabNote(input.http, env, input.marker, input.render(GITLAB_NOTE_LIMIT - 10_000));
      return { posted: out.posted, message: out.message };
    }
    default:
      return { posted: false, message: 'Comments are posted from GitHub Actions (PR comment) or GitLab CI (MR note); none here.' };
  }
}
