/** RetryPolicies: whether a failed attempt is tried again, and after how long. */
import type { RetryClass } from './failure.js';
import { list } from './json.js';
import type { JsonValue } from './ports.js';

/**
 * Delay in ms before the next attempt, or undefined when no policy retries this failure.
 * `attempts` is how many attempts have run (the first included); `firstStart` is when the first began.
 */
export function retryDelay(policies: JsonValue | undefined, failure: RetryClass | undefined, attempts: number, firstStart: Date, now: Date): number | undefined {
  if (failure === undefined) return undefined;
  const policy = list(policies).find((p) => Array.isArray(p['ExceptionType']) && p['ExceptionType'].includes(failure));
  if (policy === undefined) return undefined;
  const retries = attempts - 1;
  const maxAttempts = typeof policy['MaxAttempts'] === 'number' ? policy['MaxAttempts'] : undefined;
  const expireMin = typeof policy['ExpireAfterMin'] === 'number' ? policy['ExpireAfterMin'] : undefined;
  // MaxAttempts counts retries, not attempts ("the maximum number of retry attempts"). A policy
  // with neither bound is rejected by SageMaker; here it gets the SDK documentation's example bound.
  if (retries >= (maxAttempts ?? (expireMin === undefined ? 5 : Infinity))) return undefined;
  if (expireMin !== undefined && now.getTime() - firstStart.getTime() >= expireMin * 60_000) return undefined;
  const interval = typeof policy['IntervalSeconds'] === 'number' ? policy['IntervalSeconds'] : 1;
  const backoff = typeof policy['BackoffRate'] === 'number' ? policy['BackoffRate'] : 2;
  return interval * 1000 * backoff ** retries;
}
