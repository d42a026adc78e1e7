import { describe, expect, it } from 'vitest';
import { indicatorSeries } from './indicator-series.ts';
import { candleSeries, closesSeries, HOUR, MONDAY } from './testing.ts';

const values = (a: Float64Array | undefined) => Array.from(a ?? []);

describe('indicatorSeries', () => {
  const closes = [1, 2, 3, 4, 5, 6, 4, 2];
  const series = closesSeries(closes);

  it('SMA: NaN before `period` bars, then a plain window mean; aligned with the bar times', () => {
    const out = indicatorSeries(series, { indicator: 'sma', period: 3 });
    expect(out.time).toEqual(series.time);
    const expected: number[] = [];
    for (let i = 0; i < closes.length; i++) {
      if (i < 2) expected.push(NaN);
      else expected.push((closes[i]! + closes[i - 1]! + closes[i - 2]!) / 3);
    }
    expect(Object.keys(out.lines)).toEqual(['value']);
    expect(values(out.lines.value)).toEqual(expected);
  });

  it('reads the chosen source field (here the highs, 1 % over the closes)', () => {
    const out = indicatorSeries(series, { indicator: 'sma', period: 2, source: 'high' });
    expect(out.lines.value![1]).toBeCloseTo(1.5 * 1.01, 12);
  });

  it('EMA seeded with the SMA, α = 2/(n+1); RSI with Wilder’s averages', () => {
    // EMA 3 (α 0.5): seed (1+2+3)/3 = 2, then 4 → 3, 5 → 4, 6 → 5, 4 → 4.5, 2 → 3.25.
    expect(values(indicatorSeries(series, { indicator: 'ema', period: 3 }).lines.value)).toEqual([NaN, NaN, 2, 3, 4, 5, 4.5, 3.25]);
    // RSI 2 on 10, 12, 11: changes +2, −1 → avg gain 1, avg loss 0.5 → 100 − 100/3.
    const rsi = indicatorSeries(closesSeries([10, 12, 11]), { indicator: 'rsi', period: 2 }).lines.value!;
    expect(rsi[0]).toBeNaN();
    expect(rsi[1]).toBeNaN();
    expect(rsi[2]).toBeCloseTo(100 - 100 / 3, 12);
  });

  it('rolling max/min of the last `period` values', () => {
    expect(values(indicatorSeries(series, { indicator: 'rolling-max', period: 3 }).lines.value)).toEqual([NaN, NaN, 3, 4, 5, 6, 6, 6]);
    expect(values(indicatorSeries(series, { indicator: 'rolling-min', period: 3 }).lines.value)).toEqual([NaN, NaN, 1, 2, 3, 4, 4, 2]);
  });

  it('ATR and the Donchian channel read highs and lows', () => {
    const bars = candleSeries([
      { time: MONDAY, open: 10, high: 11, low: 9, close: 10 },
      { time: MONDAY + HOUR, open: 10, high: 12, low: 10, close: 11 }, // TR max(2, 2, 0) = 2
      { time: MONDAY + 2 * HOUR, open: 11, high: 11, low: 8, close: 9 }, // TR max(3, 0, 3) = 3
      { time: MONDAY + 3 * HOUR, open: 9, high: 13, low: 9, close: 12 }, // TR max(4, 4, 0) = 4
    ]);
    // First ATR 2: (2 + 3) / 2 = 2.5 at bar 2; then 2.5 + (4 − 2.5) / 2 = 3.25.
    expect(values(indicatorSeries(bars, { indicator: 'atr', period: 2 }).lines.value)).toEqual([NaN, NaN, 2.5, 3.25]);
    const d = indicatorSeries(bars, { indicator: 'donchian', period: 2 }).lines;
    expect(Object.keys(d).sort()).toEqual(['lower', 'middle', 'upper']);
    expect(values(d.upper).slice(1)).toEqual([12, 12, 13]);
    expect(values(d.lower).slice(1)).toEqual([9, 8, 8]);
    expect(values(d.middle)).toEqual([NaN, 10.5, 10, 10.5]);
    // A shorter lower window (the exit channel).
    expect(values(indicatorSeries(bars, { indicator: 'donchian', period: 3, lowPeriod: 1 }).lines.lower).slice(2)).toEqual([8, 9]);
  });

  it('a period longer than the series: all NaN; a bad period throws the indicator’s RangeError', () => {
    expect(values(indicatorSeries(series, { indicator: 'sma', period: 100 }).lines.value).every(Number.isNaN)).toBe(true);
    expect(indicatorSeries(closesSeries([]), { indicator: 'ema', period: 3 }).lines.value).toHaveLength(0);
    expect(() => indicatorSeries(series, { indicator: 'sma', period: 0 })).toThrow(RangeError);
    expect(() => indicatorSeries(series, { indicator: 'atr', period: 1.5 })).toThrow(/integer/);
  });
});
