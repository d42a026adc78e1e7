import { describe, expect, it } from 'vitest';
import { returnStats } from './return-stats.ts';
import { closesSeries, everyNumberFinite, HOUR, MONDAY } from './testing.ts';

const t = (i: number) => MONDAY + i * HOUR;

describe('returnStats', () => {
  it('hand-computed moments, Sharpe, Sortino and drawdown of 5 hourly closes', () => {
    // Returns: +10 %, −10 %, 0, +10 %.
    const s = returnStats(closesSeries([100, 110, 99, 99, 108.9]), { bins: 3 });
    expect(s.bars).toBe(5);
    expect(s.barMs).toBe(HOUR);
    expect(s.gaps).toBe(0);
    expect(s.periodsPerYear).toBe(365 * 24);

    // mean 0.1/4; deviations 0.075, −0.125, −0.025, 0.075.
    const mean = 0.025;
    const ss = 0.075 ** 2 + 0.125 ** 2 + 0.025 ** 2 + 0.075 ** 2; // 0.0275
    const stdev = Math.sqrt(ss / 3);
    const m2 = ss / 4;
    const m3 = (2 * 0.075 ** 3 - 0.125 ** 3 - 0.025 ** 3) / 4;
    const m4 = (2 * 0.075 ** 4 + 0.125 ** 4 + 0.025 ** 4) / 4;
    expect(s.simple.count).toBe(4);
    expect(s.simple.mean).toBeCloseTo(mean, 12);
    expect(s.simple.stdev).toBeCloseTo(stdev, 12);
    expect(s.simple.skewness).toBeCloseTo(((Math.sqrt(4 * 3) / 2) * m3) / m2 ** 1.5, 9);
    expect(s.simple.kurtosis).toBeCloseTo(((5 * (m4 / m2 ** 2 - 3) + 6) * 3) / (2 * 1), 9);
    expect(s.simple.min).toBeCloseTo(-0.1, 12);
    expect(s.simple.max).toBeCloseTo(0.1, 12);

    const logMean = (2 * Math.log(1.1) + Math.log(0.9)) / 4;
    expect(s.log.count).toBe(4);
    expect(s.log.mean).toBeCloseTo(logMean, 12);
    expect(s.log.min).toBeCloseTo(Math.log(0.9), 12);

    expect(s.annualizedVolatility).toBeCloseTo(stdev * Math.sqrt(8760), 9);
    expect(s.sharpe).toBeCloseTo((mean / stdev) * Math.sqrt(8760), 9);
    // Downside deviation √(0.1² / 4) = 0.05.
    expect(s.sortino).toBeCloseTo((mean / 0.05) * Math.sqrt(8760), 9);

    // Three bins of width 0.2/3 over [−0.1, 0.1]: −0.1 | 0 | 0.1, 0.1.
    expect(s.histogram.counts).toEqual([1, 1, 2]);
    expect(s.histogram.edges).toHaveLength(4);
    expect(s.histogram.edges[0]).toBeCloseTo(-0.1, 12);
    expect(s.histogram.edges[1]).toBeCloseTo(-0.1 / 3, 12);
    expect(s.histogram.edges[3]).toBeCloseTo(0.1, 12);

    // Peak 110 (bar 1), trough 99 (bar 2), never back at 110: under water from bar 1 to the last bar.
    expect(s.drawdown).toEqual({ max: expect.closeTo(0.1, 12), peakTime: t(1), troughTime: t(2), recoveryTime: null, durationMs: 3 * HOUR, longestDurationMs: 3 * HOUR });
  });

  it('the deepest drawdown and the longest one are told apart', () => {
    // A: 12 → 6 → 12 (50 %, 2 h); B: 12 → 11 → … → 13 (8.3 %, 5 h).
    const s = returnStats(closesSeries([10, 12, 6, 12, 11, 11.5, 11.8, 11.9, 13]));
    expect(s.drawdown).toEqual({ max: 0.5, peakTime: t(1), troughTime: t(2), recoveryTime: t(3), durationMs: 2 * HOUR, longestDurationMs: 5 * HOUR });
  });

  it('a given periodsPerYear is used as is (e.g. 252 for daily stock bars)', () => {
    const s = returnStats(closesSeries([100, 110, 99, 99, 108.9], { stepMs: 86_400_000 }), { periodsPerYear: 252 });
    expect(s.periodsPerYear).toBe(252);
    expect(s.annualizedVolatility).toBeCloseTo(Math.sqrt(0.0275 / 3) * Math.sqrt(252), 9);
    expect(returnStats(closesSeries([1, 2]), {}).periodsPerYear).toBe(8760);
    expect(returnStats(closesSeries([1, 2], { stepMs: 5 * 60_000 })).periodsPerYear).toBe(105_120);
  });

  it('no return spans missing bars; the drawdown still follows every close', () => {
    // Bars at 0, 1, 2, 5, 6 h: the jump 102 → 200 across the hole is not a return.
    const s = returnStats(closesSeries([100, 101, 102, 200, 150], { times: [t(0), t(1), t(2), t(5), t(6)] }));
    expect(s.barMs).toBe(HOUR);
    expect(s.gaps).toBe(1);
    expect(s.simple.count).toBe(3);
    expect(s.simple.max).toBeCloseTo(0.01, 12);
    expect(s.simple.min).toBeCloseTo(-0.25, 12);
    expect(s.drawdown).toMatchObject({ max: 0.25, peakTime: t(5), troughTime: t(6) });
  });

  it('kurtosis and skewness match pandas’ formulas, evaluated here in their own algebraic form', () => {
    const closes = [100, 102, 101, 105, 103, 104, 110, 107];
    const r: number[] = [];
    for (let i = 1; i < closes.length; i++) r.push(closes[i]! / closes[i - 1]! - 1);
    const n = r.length;
    let mean = 0;
    for (const x of r) mean += x / n;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (const x of r) {
      s2 += (x - mean) ** 2;
      s3 += (x - mean) ** 3;
      s4 += (x - mean) ** 4;
    }
    // pandas nanops.nankurt / nanskew.
    const kurt = (n * (n + 1) * (n - 1) * s4) / ((n - 2) * (n - 3) * s2 ** 2) - (3 * (n - 1) ** 2) / ((n - 2) * (n - 3));
    const skew = ((n * Math.sqrt(n - 1)) / (n - 2)) * (s3 / s2 ** 1.5);
    const s = returnStats(closesSeries(closes));
    expect(s.simple.kurtosis).toBeCloseTo(kurt, 9);
    expect(s.simple.skewness).toBeCloseTo(skew, 9);
  });

  it('constant prices: stdev 0, so Sharpe, Sortino, skewness and kurtosis are null, not NaN or Infinity', () => {
    const s = returnStats(closesSeries([5, 5, 5, 5, 5]));
    expect(s.simple).toEqual({ count: 4, mean: 0, stdev: 0, skewness: null, kurtosis: null, min: 0, max: 0 });
    expect(s.annualizedVolatility).toBe(0);
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.histogram).toEqual({ edges: [0, 0], counts: [4] });
    expect(s.drawdown).toEqual({ max: 0, peakTime: null, troughTime: null, recoveryTime: null, durationMs: 0, longestDurationMs: 0 });
    expect(everyNumberFinite(s)).toBe(true);
  });

  it('too few bars: nothing undefined is made up', () => {
    for (const closes of [[], [100]]) {
      const s = returnStats(closesSeries(closes));
      expect(s).toMatchObject({ bars: closes.length, barMs: null, periodsPerYear: null, annualizedVolatility: null, sharpe: null, sortino: null, histogram: { edges: [], counts: [] } });
      expect(s.simple).toEqual({ count: 0, mean: null, stdev: null, skewness: null, kurtosis: null, min: null, max: null });
      expect(everyNumberFinite(s)).toBe(true);
    }
    const two = returnStats(closesSeries([100, 90]));
    expect(two.simple).toMatchObject({ count: 1, mean: expect.closeTo(-0.1, 12), stdev: null });
    expect(two.sharpe).toBeNull();
    expect(two.sortino).toBeNull();
    expect(two.annualizedVolatility).toBeNull();
    expect(two.drawdown).toMatchObject({ max: expect.closeTo(0.1, 12), durationMs: HOUR });
  });

  it('only gains: Sortino is null (no downside), Sharpe is defined', () => {
    const s = returnStats(closesSeries([100, 101, 103, 104]));
    expect(s.sortino).toBeNull();
    expect(s.sharpe).toBeGreaterThan(0);
  });

  it('rejects a bad bin count or periodsPerYear', () => {
    const series = closesSeries([1, 2, 3]);
    expect(() => returnStats(series, { bins: 0 })).toThrow(/bins/);
    expect(() => returnStats(series, { periodsPerYear: -1 })).toThrow(/periodsPerYear/);
    expect(() => returnStats(series, { periodsPerYear: Infinity })).toThrow(/periodsPerYear/);
  });
});
