import type { CandleSeries } from '@kestrel/exchanges';

export const HOUR = 3_600_000;
/** 2024-01-01T00:00:00Z, a Monday. */
export const MONDAY = Date.UTC(2024, 0, 1);

/** Bars with the given closes (open = close, high/low ± 1 % unless given), `stepMs` apart from `start`, or at `times`. */
export function closesSeries(closes: readonly number[], opts: { start?: number; stepMs?: number; times?: readonly number[] } = {}): CandleSeries {
  const start = opts.start ?? MONDAY;
  const step = opts.stepMs ?? HOUR;
  return candleSeries(closes.map((close, i) => ({ time: opts.times?.[i] ?? start + i * step, open: close, high: close * 1.01, low: close * 0.99, close })));
}

export function candleSeries(bars: readonly { time: number; open: number; high: number; low: number; close: number; volume?: number }[]): CandleSeries {
  const col = (f: (b: (typeof bars)[number]) => number) => Float64Array.from(bars, f);
  return {
    length: bars.length,
    time: col((b) => b.time),
    open: col((b) => b.open),
    high: col((b) => b.high),
    low: col((b) => b.low),
    close: col((b) => b.close),
    volume: col((b) => b.volume ?? 1),
  };
}

/** Every number in a JSON-bound value is finite (JSON.stringify would silently turn NaN and Infinity into null). */
export function everyNumberFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(everyNumberFinite);
  if (value && typeof value === 'object') return Object.values(value).every(everyNumberFinite);
  return true;
}
