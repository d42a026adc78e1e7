import type { CandleSeries } from '@kestrel/exchanges';
import { barReturns } from './bar-returns.ts';

export interface SeasonalityBucket {
  readonly count: number;
  /** Mean simple return of the bucket's bars; null when the bucket is empty. */
  readonly meanReturn: number | null;
  /** Share of the bucket's returns above 0 (a flat bar is not a win); null when empty. */
  readonly winShare: number | null;
}

export interface Seasonality {
  /** 24 buckets, hour 0 … 23 UTC. */
  readonly hourOfDay: (SeasonalityBucket & { readonly hour: number })[];
  /** 7 buckets, ISO day of week 1 (Monday) … 7 (Sunday), UTC. */
  readonly dayOfWeek: (SeasonalityBucket & { readonly day: number })[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Close-to-close simple returns grouped by the UTC hour and the ISO weekday of the bar they are
 * realized in (the bar's open time; adjacent bars only, as everywhere in research). Every bucket is
 * always there, empty ones with count 0 and null statistics, so charts need no filling in.
 */
export function seasonality(series: CandleSeries): Seasonality {
  const { time, simple } = barReturns(series);
  const hours = accumulators(24);
  const days = accumulators(7);
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    const r = simple[i]!;
    add(hours, mod(Math.floor(t / HOUR_MS), 24), r);
    // 1970-01-01 was a Thursday (ISO 4): day 0 → index 3.
    add(days, mod(Math.floor(t / DAY_MS) + 3, 7), r);
  }
  return {
    hourOfDay: hours.count.map((_, h) => ({ hour: h, ...bucket(hours, h) })),
    dayOfWeek: days.count.map((_, d) => ({ day: d + 1, ...bucket(days, d) })),
  };
}

interface Accumulators {
  readonly count: number[];
  readonly sum: number[];
  readonly wins: number[];
}

function accumulators(size: number): Accumulators {
  return { count: new Array<number>(size).fill(0), sum: new Array<number>(size).fill(0), wins: new Array<number>(size).fill(0) };
}

function add(acc: Accumulators, k: number, r: number): void {
  acc.count[k]!++;
  acc.sum[k]! += r;
  if (r > 0) acc.wins[k]!++;
}

function bucket(acc: Accumulators, k: number): SeasonalityBucket {
  const n = acc.count[k]!;
  return n === 0 ? { count: 0, meanReturn: null, winShare: null } : { count: n, meanReturn: acc.sum[k]! / n, winShare: acc.wins[k]! / n };
}

/** Non-negative remainder (bar times before 1970 would give a negative `%`). */
function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}
