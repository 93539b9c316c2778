/** The production ClockPort: wall-clock time and timer-based sleep. */
import type { ClockPort } from './ports.js';

/** A ClockPort on Date and setTimeout. */
export function createSystemClock(): ClockPort {
  return {
    now: () => new Date(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = setTimeout(done, Math.max(0, ms));
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}
