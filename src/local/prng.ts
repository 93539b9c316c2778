/**
 * mulberry32: a tiny seeded generator. Fault injection must be reproducible per seed so that
 * a failing fault test can be replayed exactly; Math.random cannot be seeded.
 */
export type Random = () => number;

/** A deterministic generator of floats in [0, 1) for the given seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
