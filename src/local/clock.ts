/** The backend's notion of time, passed in so tests can move it without real waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (or early when `signal` aborts); real timers when absent. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
