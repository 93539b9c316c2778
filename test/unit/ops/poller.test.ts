import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../src/ops/clock.js';
import { backoffDelay, poll, type PollSettings } from '../../../src/ops/poller.js';

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const serverError = () => Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
const settings = (over: Partial<PollSettings> = {}): PollSettings => ({
  intervalMs: 30_000,
  maxBackoffMs: 300_000,
  maxConsecutiveFailures: 3,
  random: () => 0.5,
  ...over,
});

/** A probe that answers from a script of values and errors. */
function scripted<T>(script: (T | Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    probe: async () => {
      const next = script[Math.min(calls++, script.length - 1)];
      if (next instanceof Error) throw next;
      return next as T;
    },
  };
}

describe('poll', () => {
  it('stops on the first terminal value and sleeps the interval between polls', async () => {
    const clock = virtualClock();
    const s = scripted(['Executing', 'Executing', 'Succeeded']);
    const out = await poll({ probe: s.probe, isDone: (v) => v !== 'Executing' }, settings(), clock);
    expect(out).toEqual({ kind: 'done', value: 'Succeeded' });
    expect(clock.slept).toEqual([30_000, 30_000]);
  });

  it('backs off with jitter on throttling and recovers without giving up', async () => {
    const clock = virtualClock();
    const s = scripted<string>([throttle(), throttle(), throttle(), 'Executing', 'Stopped']);
    const retries: number[] = [];
    const out = await poll(
      { probe: s.probe, isDone: (v) => v !== 'Executing', onRetry: (_e, ms, throttled) => throttled && retries.push(ms) },
      settings({ maxConsecutiveFailures: 0 }), // throttling never counts as a failure
      clock,
    );
    expect(out).toEqual({ kind: 'done', value: 'Stopped' });
    expect(retries).toEqual([45_000, 75_000, 135_000]);
    // After the throttle storm the pause stays above the base interval for a while.
    expect(clock.slept[3]).toBeGreaterThan(30_000);
  });

  it('retries transient failures, then surfaces them when they persist', async () => {
    const s = scripted<string>([serverError()]);
    await expect(poll({ probe: s.probe, isDone: () => true }, settings(), virtualClock())).rejects.toThrow('oops');
    expect(s.calls).toBe(4); // the first try plus maxConsecutiveFailures retries
  });

  it('does not retry a non-retryable error', async () => {
    const s = scripted<string>([Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })]);
    await expect(poll({ probe: s.probe, isDone: () => true }, settings(), virtualClock())).rejects.toThrow('bad');
    expect(s.calls).toBe(1);
  });

  it('returns the last value when the deadline passes, never sleeping past it', async () => {
    const clock = virtualClock(1_000);
    const s = scripted(['Executing']);
    const out = await poll({ probe: s.probe, isDone: () => false }, settings({ deadline: 1_000 + 70_000 }), clock);
    expect(out).toEqual({ kind: 'deadline', last: 'Executing' });
    expect(clock.slept).toEqual([30_000, 30_000, 10_000]);
  });

  it('returns cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const s = scripted(['Executing']);
    const out = await poll(
      { probe: s.probe, isDone: () => false, onValue: () => controller.abort() },
      settings({ signal: controller.signal }),
      virtualClock(),
    );
    expect(out).toEqual({ kind: 'cancelled', last: 'Executing' });
  });

  it('full jitter stays between the base and the cap', () => {
    expect(backoffDelay(1, 1000, 10_000, () => 0)).toBe(1000);
    expect(backoffDelay(1, 1000, 10_000, () => 0.999999)).toBe(2000);
    expect(backoffDelay(20, 1000, 10_000, () => 0.999999)).toBe(10_000);
  });
});
