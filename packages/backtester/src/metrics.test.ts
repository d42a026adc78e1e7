/** Metrics and a whole small backtest against values worked out by hand (the arithmetic is written out). */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics.ts';
import { runBacktest } from './run.ts';
import type { BacktestTrade } from './types.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const trade = (pnlNet: number): BacktestTrade => ({ symbol: 'X/USD', side: 'long', entryTime: T0, entryPrice: 1, exitTime: T0, exitPrice: 1, size: 1, pnlGross: pnlNet, commission: 0, pnlNet, bars: 1 });

describe('computeMetrics on a four-day curve', () => {
  // Start 100; closes of four daily bars: 110, 99, 121, 121.
  const values = [110, 99, 121, 121];
  const m = computeMetrics({
    time: Float64Array.from(values.map((_, i) => T0 + i * DAY)),
    value: Float64Array.from(values),
    n: 4,
    barMs: DAY,
    startValue: 100,
    trades: [trade(5), trade(-2), trade(3)],
    feesPaid: 1.5,
    exposedBars: 2,
    points: 2,
  });
  // Daily bars: one return per bar. r = 0.1, −0.1, 121/99 − 1 = 0.2222…, 0.
  const r = [0.1, -0.1, 121 / 99 - 1, 0];
  const mean = (0.1 - 0.1 + (121 / 99 - 1) + 0) / 4;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
  const ppy = 4 / (4 / 365.25); // 4 returns over 4 days
  it('return, CAGR, Sharpe and Sortino', () => {
    expect(m.metrics.totalReturn).toBeCloseTo(0.21, 12);
    expect(m.metrics.cagr).toBeCloseTo(Math.pow(1.21, 365.25 / 4) - 1, 6);
    expect(m.metrics.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(ppy), 9);
    expect(m.metrics.sharpe).toBeCloseTo(7.7, 1);
    // Downside deviation: only −0.1 is below 0 → √(0.01 / 4) = 0.05.
    expect(m.metrics.sortino).toBeCloseTo((mean / 0.05) * Math.sqrt(365.25), 9);
  });
  it('drawdown: 110 → 99 is 10 %, under water from the close of day 1 to the close of day 3 (2 days)', () => {
    expect(m.metrics.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.metrics.maxDrawdownDurationMs).toBe(2 * DAY);
  });
  it('trade statistics and exposure', () => {
    expect(m.metrics.winRate).toBeCloseTo(2 / 3, 12);
    expect(m.metrics.profitFactor).toBe(4); // (5 + 3) / 2
    expect(m.metrics.exposure).toBe(0.5);
    expect(m.metrics.trades).toBe(3);
    expect(m.metrics.feesPaid).toBe(1.5);
  });
  it('the downsampled curve keeps the first and the last bar, with drawdowns as negative fractions', () => {
    expect(m.equity).toEqual({ time: [T0, T0 + 3 * DAY], value: [110, 121], drawdown: [0, 0] });
  });
});

describe('computeMetrics edge cases', () => {
  it('intraday bars give one return per UTC day', () => {
    // 12-hour bars over two days: equity at the last bar of each day is 102, then 105.
    const m = computeMetrics({ time: Float64Array.from([T0, T0 + DAY / 2, T0 + DAY, T0 + 1.5 * DAY]), value: Float64Array.from([101, 102, 100, 105]), n: 4, barMs: DAY / 2, startValue: 100, trades: [], feesPaid: 0, exposedBars: 0, points: 10 });
    const r = [0.02, 105 / 102 - 1];
    const mean = (r[0]! + r[1]!) / 2;
    const sd = Math.sqrt(((r[0]! - mean) ** 2 + (r[1]! - mean) ** 2) / 1);
    expect(m.metrics.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(2 / (2 / 365.25)), 9);
    expect(m.metrics.sortino).toBeNull(); // no negative day
  });
  it('a flat curve: no Sharpe (not NaN or Infinity), no drawdown, no trades → null ratios', () => {
    const m = computeMetrics({ time: Float64Array.from([T0, T0 + DAY, T0 + 2 * DAY]), value: Float64Array.from([100, 100, 100]), n: 3, barMs: DAY, startValue: 100, trades: [], feesPaid: 0, exposedBars: 0, points: 10 });
    expect(m.metrics).toMatchObject({ totalReturn: 0, sharpe: null, sortino: null, maxDrawdown: 0, maxDrawdownDurationMs: 0, winRate: null, profitFactor: null });
    expect(JSON.stringify(m.metrics)).not.toMatch(/NaN|Infinity/);
  });
});

describe('a whole backtest on eight hand-made daily bars', () => {
  // sma-cross fast=1 slow=2: the fast "average" is the close, the slow one the mean of two closes,
  // so a cross above is a rise after a fall or flat, and the reverse. Opens are the previous close + 0.5.
  const close = [10, 9, 11, 12, 8, 7, 9, 10];
  const open = [10, 10.5, 9.5, 11.5, 12.5, 8.5, 7.5, 9.5];
  const series = {
    length: 8,
    time: Float64Array.from(close.map((_, i) => T0 + i * DAY)),
    open: Float64Array.from(open),
    high: Float64Array.from(close.map((c, i) => Math.max(c, open[i]!) + 1)),
    low: Float64Array.from(close.map((c, i) => Math.min(c, open[i]!) - 1)),
    close: Float64Array.from(close),
    volume: Float64Array.from(close.map(() => 1)),
  };
  const r = runBacktest({ strategy: { id: 'sma-cross', params: { fast: 1, slow: 2, size: 1 } }, markets: [{ symbol: 'X/USD', series }], cash: '100', feeRate: '0.01' });

  it('signals at bars 2 (buy), 4 (sell), 6 (buy); fills at the next opens 11.5, 8.5, 9.5', () => {
    expect(r.fills.map((f) => [f.side, Number(f.price), Number(f.fee), (f.time - T0) / DAY])).toEqual([
      ['buy', 11.5, 0.115, 3],
      ['sell', 8.5, 0.085, 5],
      ['buy', 9.5, 0.095, 7],
    ]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ entryPrice: 11.5, exitPrice: 8.5, size: 1, bars: 2 });
    expect(r.trades[0]!.pnlGross).toBeCloseTo(-3, 12);
    expect(r.trades[0]!.commission).toBeCloseTo(0.2, 12);
    expect(r.trades[0]!.pnlNet).toBeCloseTo(-3.2, 12);
    expect(r.openPositions).toMatchObject([{ entryPrice: 9.5, size: 1, entryTime: T0 + 7 * DAY }]);
  });

  it('equity at every close, final value, drawdown and exposure', () => {
    // Cash 100 → 88.385 after the first buy (11.5 + 0.115) → 96.8 after the sell (+ 8.5 − 0.085) → 87.205 after the second buy.
    expect(r.equity.value.map((v) => Number(v.toFixed(6)))).toEqual([100, 100, 100, 88.385 + 12, 88.385 + 8, 96.8, 96.8, 87.205 + 10]);
    expect(r.finalValue).toBeCloseTo(97.205, 9);
    expect(r.metrics.totalReturn).toBeCloseTo(-0.02795, 9);
    expect(r.metrics.maxDrawdown).toBeCloseTo(4 / 100.385, 9); // peak 100.385 (bar 3) → 96.385 (bar 4)
    expect(r.metrics.maxDrawdownDurationMs).toBe(4 * DAY); // from the close of bar 3 to the end (close of bar 7), never recovered
    expect(r.metrics.exposure).toBe(3 / 8); // bars 3, 4 and 7 closed with a position
    expect(r.metrics.feesPaid).toBeCloseTo(0.295, 12);
    expect(r.metrics.trades).toBe(1);
    expect(r.metrics.winRate).toBe(0);
  });
});
