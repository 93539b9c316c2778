import { describe, expect, it } from 'vitest';
import { createFaultInjector, parseFaults } from '../../../src/local/faults.js';

describe('fault injection', () => {
  it('parses SMPK_LOCAL_FAULTS', () => {
    expect(parseFaults('throttle=0.2,5xx=0.1,reset=0.05,slow=0.1,seed=7')).toEqual({
      seed: 7,
      throttleRate: 0.2,
      serverErrorRate: 0.1,
      resetRate: 0.05,
      slowRate: 0.1,
    });
    expect(parseFaults('')).toBeUndefined();
    expect(parseFaults(undefined)).toBeUndefined();
    expect(() => parseFaults('throttle=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('explode=0.1')).toThrow(/unknown fault "explode"/);
    expect(() => parseFaults('throttle=0.6,5xx=0.6')).toThrow(/more than 1/);
    expect(() => parseFaults('throttle')).toThrow(/name=number/);
  });

  it('is deterministic per seed and close to the configured rates', () => {
    const config = { seed: 7, throttleRate: 0.2, serverErrorRate: 0.1, resetRate: 0.05, slowRate: 0.1, slowMs: 5 };
    const draw = (seed: number) => {
      const next = createFaultInjector({ ...config, seed });
      return Array.from({ length: 4000 }, () => next().kind);
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const share = (kind: string) => a.filter((k) => k === kind).length / a.length;
    expect(share('throttle')).toBeCloseTo(0.2, 1);
    expect(share('server-error')).toBeCloseTo(0.1, 1);
    expect(share('reset')).toBeCloseTo(0.05, 1);
    expect(share('slow')).toBeCloseTo(0.1, 1);
    expect(share('none')).toBeCloseTo(0.55, 1);
  });

  it('gives one SDK call at most maxFaultsPerCall failing faults across its retries', () => {
    const next = createFaultInjector({ seed: 1, throttleRate: 1, maxFaultsPerCall: 2 });
    expect([next('call-1'), next('call-1'), next('call-1'), next('call-1')].map((d) => d.kind)).toEqual(['throttle', 'throttle', 'none', 'none']);
    expect(next('call-2').kind).toBe('throttle');
    // Requests without an invocation id are drawn independently.
    expect([next(), next(), next()].map((d) => d.kind)).toEqual(['throttle', 'throttle', 'throttle']);
  });

  it('injects nothing without a configuration', () => {
    expect(createFaultInjector(undefined)().kind).toBe('none');
  });
});
