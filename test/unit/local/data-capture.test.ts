import { describe, expect, it } from 'vitest';
import { sampled } from '../../../src/local/data-capture.js';

describe('data capture sampling', () => {
  it('captures exactly the configured share, evenly spread', () => {
    const pick = (pct: number) => Array.from({ length: 20 }, (_, i) => sampled(i, pct));
    expect(pick(100).every(Boolean)).toBe(true);
    expect(pick(0).some(Boolean)).toBe(false);
    expect(pick(20).filter(Boolean)).toHaveLength(4);
    expect(pick(20).map((b, i) => (b ? i : -1)).filter((i) => i >= 0)).toEqual([4, 9, 14, 19]);
    expect(pick(50).filter(Boolean)).toHaveLength(10);
  });
});
