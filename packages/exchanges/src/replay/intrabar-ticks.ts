import { pathPoint } from '../market/ohlc-path.ts';

/** Ticks per bar with `n` interpolated ticks between consecutive path points: 4 + 3n. */
export function ticksPerBar(n: number): number {
  return 4 + 3 * n;
}

/**
 * Price of tick `j` (0 … ticksPerBar(n) − 1) of a bar: the path open → nearer extreme → other
 * extreme → close (market/ohlc-path.ts), with `n` evenly spaced ticks between each pair of points.
 * Always within [low, high].
 */
export function intrabarTick(open: number, high: number, low: number, close: number, hiFirst: boolean, n: number, j: number): number {
  const last = ticksPerBar(n) - 1;
  if (j >= last) return close;
  const segment = Math.floor(j / (n + 1));
  const r = j - segment * (n + 1);
  const a = pathPoint(open, high, low, close, hiFirst, segment);
  if (r === 0) return a;
  const b = pathPoint(open, high, low, close, hiFirst, segment + 1);
  return a + ((b - a) * r) / (n + 1);
}

/** Rounds an interpolated price to a step (e.g. the tick size) without float noise, kept in [low, high]. */
export function roundToStepNumber(price: number, step: number, low: number, high: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  const rounded = Number((Math.round(price / step) * step).toFixed(Math.min(decimals, 20)));
  return rounded < low ? low : rounded > high ? high : rounded;
}
