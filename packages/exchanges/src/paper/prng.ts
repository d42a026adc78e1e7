/**
 * Seeded pseudo-random numbers (mulberry32): the only randomness in the paper exchange, so a seed
 * replays the same latencies and faults. Not for anything security-related.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * An independent stream for one purpose (latency, faults, …) derived from a seed, so turning one
 * kind of randomness on does not shift the draws of another.
 */
export function derivePrng(seed: number, stream: string): Prng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  return mulberry32(h);
}

/** Uniform integer in [min, max]. */
export function nextInt(rng: Prng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}
