/**
 * NextToken/MaxResults paging over an already sorted list. Tokens are opaque to clients; an
 * offset is enough because local lists only grow at the end of their sort order in practice,
 * and a token that no longer fits is rejected as the real services do.
 */
import { validation } from './service-error.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** One page of `items` starting at `nextToken`, at most `maxResults` (default `fallback`) long. */
export function paginate<T>(items: T[], nextToken: unknown, maxResults: unknown, fallback: number, max = 100): Page<T> {
  let start = 0;
  if (typeof nextToken === 'string' && nextToken !== '') {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (decoded?.[1] === undefined) throw validation('Invalid pagination token');
    start = Number(decoded[1]);
  }
  const size = typeof maxResults === 'number' && maxResults > 0 ? Math.min(maxResults, max) : fallback;
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { items: page, nextToken: Buffer.from(`o:${end}`).toString('base64url') } : { items: page };
}
