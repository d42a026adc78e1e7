import { nextInt, type Prng } from './prng.ts';

/** Milliseconds of one network leg, drawn from the exchange's seeded generator. */
export type LatencyModel = (rng: Prng) => number;

export const noLatency: LatencyModel = () => 0;

export function fixedLatency(ms: number): LatencyModel {
  assertMs(ms);
  return () => ms;
}

/** Whole milliseconds, uniform in [minMs, maxMs]. */
export function uniformLatency(minMs: number, maxMs: number): LatencyModel {
  assertMs(minMs);
  assertMs(maxMs);
  if (maxMs < minMs) throw new RangeError(`uniformLatency: max ${maxMs} < min ${minMs}`);
  return (rng) => nextInt(rng, Math.round(minMs), Math.round(maxMs));
}

/** Mostly `baseMs` ± `jitterMs`, with a rare spike of `spikeMs` (probability `spikeProbability`). */
export function spikyLatency(baseMs: number, jitterMs: number, spikeProbability: number, spikeMs: number): LatencyModel {
  for (const v of [baseMs, jitterMs, spikeMs]) assertMs(v);
  return (rng) => {
    const jitter = nextInt(rng, -Math.round(jitterMs), Math.round(jitterMs));
    const spike = rng.next() < spikeProbability ? spikeMs : 0;
    return Math.max(0, baseMs + jitter) + spike;
  };
}

function assertMs(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
}
