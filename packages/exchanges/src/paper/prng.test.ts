import { describe, expect, it } from 'vitest';
import { derivePrng, mulberry32 } from './prng.ts';
import { spikyLatency, uniformLatency } from './latency.ts';

describe('seeded randomness', () => {
  it('repeats a sequence for a seed, in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
  });

  it('derives independent streams per purpose', () => {
    expect(derivePrng(1, 'latency').next()).not.toBe(derivePrng(1, 'faults').next());
    expect(derivePrng(1, 'latency').next()).toBe(derivePrng(1, 'latency').next());
  });

  it('draws latencies within their bounds', () => {
    const rng = mulberry32(3);
    const uniform = uniformLatency(5, 30);
    const spiky = spikyLatency(20, 5, 0.1, 1_000);
    for (let i = 0; i < 500; i++) {
      const u = uniform(rng);
      expect(Number.isInteger(u) && u >= 5 && u <= 30).toBe(true);
      const s = spiky(rng);
      expect(s >= 15 && s <= 1_025).toBe(true);
    }
  });
});
