import type { CandleSeries } from '@kestrel/exchanges';
import { barReturns, moments, type Moments } from './bar-returns.ts';

/** Crypto trades around the clock: a year is 365 days of bars unless the caller says otherwise. */
export const YEAR_MS = 365 * 86_400_000;
export const DEFAULT_HISTOGRAM_BINS = 20;

export interface ReturnStatsOptions {
  /**
   * Bars per year for annualizing. Default: 365 days / the bar duration (a 24/7 market: 105,120
   * for 5m bars). Give it for markets with sessions, e.g. 252 for daily bars of a stock.
   */
  readonly periodsPerYear?: number;
  /** Equal-width histogram bins between the smallest and the largest simple return. Default 20. */
  readonly bins?: number;
}

/** Peak-to-trough decline of the close series, the deepest one. */
export interface Drawdown {
  /** Fraction below the peak, ≥ 0 (0.25 = the close fell 25 % under its running high). */
  readonly max: number;
  /** Open times of the peak bar, the trough bar and the first bar back at the peak (null: not recovered, or no drawdown). */
  readonly peakTime: number | null;
  readonly troughTime: number | null;
  readonly recoveryTime: number | null;
  /** From that peak to its recovery, or to the last bar when it has not recovered; 0 without a drawdown. */
  readonly durationMs: number;
  /** The longest time under water of any drawdown, deepest or not (peak to recovery, or to the last bar). */
  readonly longestDurationMs: number;
}

export interface Histogram {
  /** bins + 1 ascending edges; bin k holds edges[k] ≤ r < edges[k+1], the last bin also its upper edge. */
  readonly edges: number[];
  readonly counts: number[];
}

export interface ReturnStats {
  readonly bars: number;
  /** The bar duration in ms (null below two bars). */
  readonly barMs: number | null;
  /** Missing-bar gaps: no return is taken across one (see bar-returns.ts). */
  readonly gaps: number;
  /** The annualization factor used (null when neither given nor inferable). */
  readonly periodsPerYear: number | null;
  readonly simple: Moments;
  readonly log: Moments;
  readonly histogram: Histogram;
  /** stdev(simple) · √periodsPerYear */
  readonly annualizedVolatility: number | null;
  /** mean / stdev · √periodsPerYear of simple returns, risk-free rate 0; null when stdev is 0 or undefined. */
  readonly sharpe: number | null;
  /**
   * mean / downside deviation · √periodsPerYear, downside deviation = √(Σ min(r, 0)² / n) over all n
   * returns (target 0, as Sortino and Price define it); null when no return is negative.
   */
  readonly sortino: number | null;
  readonly drawdown: Drawdown;
}

/**
 * Return and risk statistics of a candle series: close-to-close simple and log returns (one per
 * pair of adjacent bars, none across gaps), their moments and histogram, annualized volatility,
 * Sharpe, Sortino, and the maximum drawdown of the closes (gaps do not matter there: it follows the
 * closes as they are). Everything undefined is null, never NaN or Infinity, so the result is JSON.
 */
export function returnStats(series: CandleSeries, options: ReturnStatsOptions = {}): ReturnStats {
  const bins = options.bins ?? DEFAULT_HISTOGRAM_BINS;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const given = options.periodsPerYear;
  if (given !== undefined && !(given > 0 && Number.isFinite(given))) throw new RangeError(`periodsPerYear must be a positive number, got ${given}`);

  const r = barReturns(series);
  const periodsPerYear = given ?? (r.barMs === null ? null : YEAR_MS / r.barMs);
  const simple = moments(r.simple);
  const annualize = periodsPerYear === null ? null : Math.sqrt(periodsPerYear);
  const stdev = simple.stdev;
  const spread = stdev !== null && stdev > 0;
  const downside = simple.count >= 2 ? downsideDeviation(r.simple) : 0;

  return {
    bars: series.length,
    barMs: r.barMs,
    gaps: r.gaps,
    periodsPerYear,
    simple,
    log: moments(r.log),
    histogram: histogram(r.simple, bins, simple.min, simple.max),
    annualizedVolatility: stdev !== null && annualize !== null ? stdev * annualize : null,
    sharpe: spread && annualize !== null ? (simple.mean! / stdev) * annualize : null,
    sortino: downside > 0 && annualize !== null ? (simple.mean! / downside) * annualize : null,
    drawdown: drawdown(series),
  };
}

function downsideDeviation(returns: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]!;
    if (x < 0) sum += x * x;
  }
  return Math.sqrt(sum / returns.length);
}

/** Equal-width bins over [min, max]; a single bin when every value is the same. */
function histogram(values: Float64Array, bins: number, min: number | null, max: number | null): Histogram {
  if (min === null || max === null) return { edges: [], counts: [] };
  const k = max > min ? bins : 1;
  const width = (max - min) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? max : min + i * width));
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = width > 0 ? Math.min(k - 1, Math.floor((values[i]! - min) / width)) : 0;
    counts[bin]!++;
  }
  return { edges, counts };
}

function drawdown(series: CandleSeries): Drawdown {
  const n = series.length;
  const { time, close } = series;
  let max = 0;
  let maxPeak = -1;
  let maxTrough = -1;
  let maxRecovery = -1;
  let longest = 0;
  let peak = 0;
  let underwater = false;
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    if (c >= close[peak]!) {
      if (underwater) {
        longest = Math.max(longest, time[i]! - time[peak]!);
        if (maxPeak === peak) maxRecovery = i;
        underwater = false;
      }
      peak = i;
      continue;
    }
    underwater = true;
    const depth = 1 - c / close[peak]!;
    if (depth > max) {
      max = depth;
      maxPeak = peak;
      maxTrough = i;
      maxRecovery = -1;
    }
  }
  if (underwater) longest = Math.max(longest, time[n - 1]! - time[peak]!);
  if (maxPeak < 0) return { max: 0, peakTime: null, troughTime: null, recoveryTime: null, durationMs: 0, longestDurationMs: 0 };
  const end = maxRecovery >= 0 ? maxRecovery : n - 1;
  return {
    max,
    peakTime: time[maxPeak]!,
    troughTime: time[maxTrough]!,
    recoveryTime: maxRecovery >= 0 ? time[maxRecovery]! : null,
    durationMs: time[end]! - time[maxPeak]!,
    longestDurationMs: longest,
  };
}
