/**
 * JSON over HTTP for the GitHub and GitLab REST APIs, through an injected `fetch` (Node 20's global
 * in production, a fake in tests). Retries 429 and 5xx (and GitHub's 403 secondary rate limit,
 * which carries Retry-After) with exponential backoff, honouring Retry-After. Tokens travel only in
 * request headers and no message built here ever contains a header, so a token cannot reach a log.
 */
import type { Clock } from '../ops/clock.js';

/** What we use of a fetch Response. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<ResponseLike>;

export interface HttpDeps {
  fetch: FetchLike;
  clock: Clock;
}

export interface HttpResponse {
  status: number;
  headers: ResponseLike['headers'];
  data: unknown;
}

/** A non-2xx answer (after retries) or a network failure. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    message: string,
    /** HTTP status; undefined for network failures. */
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 4;
const MAX_RETRY_AFTER_MS = 60_000;

/** The path of a URL without its query (what error messages show). */
function where(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid URL)';
  }
}

function retryDelay(response: ResponseLike | undefined, attempt: number): number {
  const after = response?.headers.get('retry-after');
  if (after && /^\d+$/.test(after)) return Math.min(Number(after) * 1000, MAX_RETRY_AFTER_MS);
  return Math.min(1000 * 2 ** attempt, 30_000);
}

function retryable(response: ResponseLike): boolean {
  if (response.status === 429 || response.status >= 500) return true;
  // GitHub's secondary rate limit: 403 with Retry-After (or an exhausted primary limit).
  return response.status === 403 && (response.headers.get('retry-after') !== null || response.headers.get('x-ratelimit-remaining') === '0');
}

/** One JSON request with retries. Throws HttpError for a final non-2xx answer or network failure. */
export async function requestJson(
  deps: HttpDeps,
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown },
): Promise<HttpResponse> {
  const headers = { accept: 'application/json', ...request.headers, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const body = request.body !== undefined ? JSON.stringify(request.body) : undefined;
  for (let attempt = 0; ; attempt += 1) {
    let response: ResponseLike;
    try {
      response = await deps.fetch(request.url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      if (attempt + 1 < MAX_ATTEMPTS) {
        await deps.clock.sleep(retryDelay(undefined, attempt));
        continue;
      }
      // The cause's message only (fetch's TypeError says "fetch failed"); never the request.
      throw new HttpError(`${request.method} ${where(request.url)} failed: ${error instanceof Error ? error.message : String(error)}`, undefined);
    }
    if (response.status >= 200 && response.status < 300) {
      const text = await response.text();
      let data: unknown = undefined;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      return { status: response.status, headers: response.headers, data };
    }
    if (retryable(response) && attempt + 1 < MAX_ATTEMPTS) {
      await deps.clock.sleep(retryDelay(response, attempt));
      continue;
    }
    let detail = '';
    try {
      const parsed = JSON.parse(await response.text()) as { message?: unknown };
      if (typeof parsed.message === 'string') detail = `: ${parsed.message.slice(0, 200)}`;
    } catch {
      // No JSON message: the status says enough.
    }
    throw new HttpError(`${request.method} ${where(request.url)} answered ${response.status}${detail}`, response.status);
  }
}
