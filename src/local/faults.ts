/**
 * Fault injection: a seeded, per-request decision to throttle, fail, drop the connection or
 * delay, taken *before* the request is handled. Because a faulted request is never applied,
 * an SDK retry of a mutating call (StartPipelineExecution with its ClientRequestToken,
 * PutObject…) cannot double-apply: the only request that takes effect is the one that got
 * through, and idempotency tokens make even a lost response safe to retry.
 */
import { seededRandom, type Random } from './prng.js';

export interface FaultConfig {
  seed: number;
  /** Share of requests answered 400 ThrottlingException (S3: 503 SlowDown). */
  throttleRate?: number;
  /** Share of requests answered 500 InternalFailure or 503 ServiceUnavailable. */
  serverErrorRate?: number;
  /** Share of requests whose socket is destroyed without an answer. */
  resetRate?: number;
  /** Share of requests delayed by `slowMs` before being handled normally. */
  slowRate?: number;
  slowMs?: number;
  /**
   * Most failing faults (throttle, 5xx, reset) one SDK call gets across its retries, told apart
   * by the SDK's `amz-sdk-invocation-id` header. Default 2: a client using the SDK's standard
   * retries (3 attempts) always gets through, which is what a run must survive; more would
   * test retry exhaustion, not resilience.
   */
  maxFaultsPerCall?: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'throttle' }
  | { kind: 'server-error'; status: 500 | 503 }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number };

/**
 * Draws the fate of each request from one seeded stream, so a given seed and request order
 * replays exactly. `callId` (the SDK invocation id, when sent) caps failing faults per call.
 */
export function createFaultInjector(config: FaultConfig | undefined): (callId?: string) => FaultDecision {
  if (config === undefined) return () => ({ kind: 'none' });
  const random: Random = seededRandom(config.seed);
  const maxPerCall = config.maxFaultsPerCall ?? 2;
  const faultsPerCall = new Map<string, number>();
  const failing = (callId: string | undefined, decision: FaultDecision): FaultDecision => {
    if (callId === undefined) return decision;
    const count = faultsPerCall.get(callId) ?? 0;
    if (count >= maxPerCall) return { kind: 'none' };
    faultsPerCall.set(callId, count + 1);
    // Bounded memory for a long-running backend: forget the oldest calls.
    if (faultsPerCall.size > 10_000) faultsPerCall.delete(faultsPerCall.keys().next().value as string);
    return decision;
  };
  const throttle = config.throttleRate ?? 0;
  const serverError = config.serverErrorRate ?? 0;
  const reset = config.resetRate ?? 0;
  const slow = config.slowRate ?? 0;
  return (callId) => {
    // One draw picks the fault band and a second the variant, so the stream position per
    // request is fixed (two draws) whatever the outcome: replays stay aligned.
    const roll = random();
    const variant = random();
    if (roll < throttle) return failing(callId, { kind: 'throttle' });
    if (roll < throttle + serverError) return failing(callId, { kind: 'server-error', status: variant < 0.5 ? 500 : 503 });
    if (roll < throttle + serverError + reset) return failing(callId, { kind: 'reset' });
    if (roll < throttle + serverError + reset + slow) return { kind: 'slow', ms: config.slowMs ?? 250 };
    return { kind: 'none' };
  };
}

/**
 * Parses `SMPK_LOCAL_FAULTS`, e.g. "throttle=0.2,5xx=0.1,reset=0.05,slow=0.1,slowMs=300,maxPerCall=2,seed=7".
 * Returns undefined for an empty value; throws on an unknown name or a rate outside [0, 1].
 */
export function parseFaults(text: string | undefined): FaultConfig | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const config: FaultConfig = { seed: 1 };
  for (const part of text.split(',')) {
    const [rawName, rawValue] = part.split('=');
    const name = rawName?.trim() ?? '';
    const value = Number(rawValue);
    if (rawValue === undefined || Number.isNaN(value)) throw new Error(`SMPK_LOCAL_FAULTS: "${part}" is not name=number`);
    const rate = (): number => {
      if (value < 0 || value > 1) throw new Error(`SMPK_LOCAL_FAULTS: ${name} must be a rate between 0 and 1, got ${value}`);
      return value;
    };
    switch (name) {
      case 'seed':
        config.seed = value;
        break;
      case 'throttle':
        config.throttleRate = rate();
        break;
      case '5xx':
        config.serverErrorRate = rate();
        break;
      case 'reset':
        config.resetRate = rate();
        break;
      case 'slow':
        config.slowRate = rate();
        break;
      case 'slowMs':
        config.slowMs = value;
        break;
      case 'maxPerCall':
        config.maxFaultsPerCall = value;
        break;
      default:
        throw new Error(`SMPK_LOCAL_FAULTS: unknown fault "${name}" (known: throttle, 5xx, reset, slow, slowMs, maxPerCall, seed)`);
    }
  }
  const total = (config.throttleRate ?? 0) + (config.serverErrorRate ?? 0) + (config.resetRate ?? 0) + (config.slowRate ?? 0);
  if (total > 1) throw new Error(`SMPK_LOCAL_FAULTS: rates add up to ${total}, more than 1`);
  return config;
}
