/**
 * The one polling loop of the kit (pipeline executions, CodeBuild builds, endpoints): a steady
 * interval, full-jitter exponential backoff when the service throttles, retries of transient
 * failures, an absolute deadline, and cancellation. Every poll result is classified by the caller
 * as running or terminal, so no terminal state can be mistaken for "still running".
 */
import { isRetryable, isThrottling } from '../aws/errors.js';
import type { Clock } from './clock.js';

export interface PollSettings {
  /** Pause between successful polls. */
  intervalMs: number;
  /** Largest pause after repeated throttling or transient failures. */
  maxBackoffMs: number;
  /** Absolute time (Clock.now()) after which polling stops with `deadline`. */
  deadline?: number;
  /** Consecutive failed polls tolerated before giving up (throttling never counts). */
  maxConsecutiveFailures: number;
  /** Uniform random number in [0, 1); injected for deterministic tests. */
  random: () => number;
  /** Aborting ends the wait early with `cancelled`. */
  signal?: AbortSignal;
}

export const defaultPollSettings: Omit<PollSettings, 'random'> = {
  intervalMs: 30_000,
  maxBackoffMs: 300_000,
  maxConsecutiveFailures: 8,
};

export type PollOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'deadline'; last: T | undefined }
  | { kind: 'cancelled'; last: T | undefined };

export interface PollHooks<T> {
  /** One call to the service. */
  probe(): Promise<T>;
  /** True when `value` is terminal. */
  isDone(value: T): boolean;
  /** Called after every successful probe (progress reporting). */
  onValue?(value: T): void | Promise<void>;
  /** Called when a probe failed and will be retried after `delayMs`. */
  onRetry?(error: unknown, delayMs: number, throttled: boolean): void;
}

/**
 * Full-jitter backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): a uniformly random
 * pause between the base interval and min(cap, base·2^attempt), so many CI jobs throttled together
 * do not retry in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(baseMs + random() * Math.max(0, ceiling - baseMs));
}

/** Polls until the value is terminal, the deadline passes or the signal aborts. Non-retryable errors propagate. */
export async function poll<T>(hooks: PollHooks<T>, settings: PollSettings, clock: Clock): Promise<PollOutcome<T>> {
  let last: T | undefined;
  let failures = 0;
  let throttles = 0;
  for (;;) {
    if (settings.signal?.aborted) return { kind: 'cancelled', last };
    let delay = settings.intervalMs;
    try {
      const value = await hooks.probe();
      last = value;
      failures = 0;
      throttles = Math.max(0, throttles - 1); // recover gradually: a throttled service stays slow for a while
      await hooks.onValue?.(value);
      if (hooks.isDone(value)) return { kind: 'done', value };
      if (throttles > 0) delay = backoffDelay(throttles, settings.intervalMs, settings.maxBackoffMs, settings.random);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const throttled = isThrottling(error);
      if (throttled) {
        throttles += 1;
      } else if (++failures > settings.maxConsecutiveFailures) {
        throw error;
      }
      delay = backoffDelay(throttled ? throttles : failures, settings.intervalMs, settings.maxBackoffMs, settings.random);
      hooks.onRetry?.(error, delay, throttled);
    }
    if (settings.deadline !== undefined) {
      const remaining = settings.deadline - clock.now();
      if (remaining <= 0) return { kind: 'deadline', last };
      delay = Math.min(delay, remaining);
    }
    await clock.sleep(delay, settings.signal);
  }
}
