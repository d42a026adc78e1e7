import { inferBarDuration, type CandleSeries } from '@kestrel/exchanges';

/**
 * Close-to-close returns of one candle series, the input of every research statistic.
 *
 * One rule for gaps, used by the statistics, the correlation matrix and seasonality alike: a
 * return exists only between two bars exactly one bar duration apart (the bar duration being the
 * smallest spacing in the series, as the replay infers it). Where bars are missing, no return
 * spans the hole: every return covers one bar, so one annualization factor fits all of them, and
 * a weekend or an exchange outage does not show up as one outsized move.
 *
 * The return of bar i is realized during bar i: `time[k]` is that bar's open time.
 */
export interface BarReturns {
  /** The spacing of the series' bars in ms; null with fewer than two bars. */
  readonly barMs: number | null;
  /** Open time of the bar each return is realized in (ascending). */
  readonly time: Float64Array;
  /** close[i] / close[i−1] − 1 */
  readonly simple: Float64Array;
  /** ln(close[i] / close[i−1]) */
  readonly log: Float64Array;
  /** How many times consecutive bars were more than one bar duration apart (returns skipped). */
  readonly gaps: number;
}

export function barReturns(series: CandleSeries): BarReturns {
  const n = series.length;
  if (n < 2) return { barMs: null, time: new Float64Array(0), simple: new Float64Array(0), log: new Float64Array(0), gaps: 0 };
  const barMs = inferBarDuration(series);
  const { time: t, close } = series;
  const time = new Float64Array(n - 1);
  const simple = new Float64Array(n - 1);
  const log = new Float64Array(n - 1);
  let k = 0;
  let gaps = 0;
  for (let i = 1; i < n; i++) {
    const ti = t[i]!;
    if (ti - t[i - 1]! !== barMs) {
      gaps++;
      continue;
    }
    const ratio = close[i]! / close[i - 1]!;
    // Candle stores and parsers only hold positive prices; a zero would make every statistic Infinity.
    if (!(ratio > 0 && ratio < Infinity)) throw new RangeError(`research needs positive closes: bars at ${t[i - 1]} and ${ti} have ${close[i - 1]} and ${close[i]}`);
    time[k] = ti;
    simple[k] = ratio - 1;
    log[k] = Math.log(ratio);
    k++;
  }
  return { barMs, time: time.subarray(0, k), simple: simple.subarray(0, k), log: log.subarray(0, k), gaps };
}

/** Sample moments of a set of values; null where a statistic is undefined (too few values, or no spread). */
export interface Moments {
  readonly count: number;
  readonly mean: number | null;
  /** Sample standard deviation (divides by count − 1); null below 2 values. */
  readonly stdev: number | null;
  /**
   * Adjusted Fisher–Pearson skewness G1 = √(n(n−1)) / (n−2) · m3 / m2^1.5 (m_k: mean k-th power of
   * the deviations), as pandas' `skew()` and Excel's SKEW; null below 3 values or with stdev 0.
   */
  readonly skewness: number | null;
  /**
   * Excess kurtosis G2 = ((n+1)·(m4/m2² − 3) + 6) · (n−1) / ((n−2)(n−3)), as pandas' `kurt()` and
   * Excel's KURT (0 for a normal distribution); null below 4 values or with stdev 0.
   */
  readonly kurtosis: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** Two passes (the mean first, then the deviations): stable where one-pass sums of powers cancel. */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, stdev: null, skewness: null, kurtosis: null, min: null, max: null };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const stdev = n >= 2 ? Math.sqrt(s2 / (n - 1)) : null;
  const m2 = s2 / n;
  const skewness = n >= 3 && m2 > 0 ? ((Math.sqrt(n * (n - 1)) / (n - 2)) * (s3 / n)) / m2 ** 1.5 : null;
  const kurtosis = n >= 4 && m2 > 0 ? (((n + 1) * (s4 / n / (m2 * m2) - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3)) : null;
  return { count: n, mean, stdev, skewness, kurtosis, min, max };
}
