import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Atr } from './atr.ts';
import { DonchianChannel } from './donchian.ts';
import { Ema } from './ema.ts';
import { series } from './indicator.ts';
import { RollingMax, RollingMin } from './rolling-extreme.ts';
import { Rsi } from './rsi.ts';
import { Sma } from './sma.ts';

describe('Sma', () => {
  it('is NaN until `period` values, then the mean of the last `period`', () => {
    const sma = new Sma(3);
    expect(sma.ready).toBe(false);
    expect(sma.update(1)).toBeNaN();
    expect(sma.update(2)).toBeNaN();
    expect(sma.value).toBeNaN();
    expect(sma.update(3)).toBe(2);
    expect(sma.ready).toBe(true);
    expect(sma.update(10)).toBe(5);
    expect(sma.update(-1)).toBeCloseTo(4, 12);
    expect(sma.value).toBeCloseTo(4, 12);
  });

  it('reset forgets everything; series resets first and returns one value per input', () => {
    const sma = new Sma(2);
    sma.update(100);
    sma.update(200);
    sma.reset();
    expect(sma.ready).toBe(false);
    expect(sma.update(1)).toBeNaN();
    expect(Array.from(sma.series([1, 3, 5, 7]))).toEqual([NaN, 2, 4, 6]);
    expect(Array.from(series(new Sma(1), [4, 5]))).toEqual([4, 5]);
  });

  it('does not drift over a million updates across magnitudes, and a repeated value keeps its mean', () => {
    const period = 30;
    const sma = new Sma(period);
    const window: number[] = [];
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let x = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // From ~50,000 down to ~0.01: a plain running sum keeps the large era's rounding errors.
      x = (i < 500_000 ? 50_000 : 0.01) * (1 + 0.01 * rand());
      sma.update(x);
      window.push(x);
      if (window.length > period) window.shift();
    }
    const exact = window.reduce((a, b) => a + b, 0) / period;
    expect(Math.abs(sma.value - exact) / exact).toBeLessThan(1e-14);
    for (let i = 0; i < period; i++) sma.update(0.1);
    const settled = sma.value;
    for (let i = 0; i < 10_000; i++) sma.update(0.1);
    expect(sma.value).toBe(settled);
    expect(Math.abs(settled - 0.1)).toBeLessThan(1e-16);
  });

  it('rejects bad periods and non-finite inputs', () => {
    expect(() => new Sma(0)).toThrow(RangeError);
    expect(() => new Sma(2.5)).toThrow(/integer/);
    const sma = new Sma(2);
    expect(() => sma.update(NaN)).toThrow(RangeError);
    expect(() => sma.update(Infinity)).toThrow(RangeError);
  });
});

describe('Ema', () => {
  it('is seeded with the SMA of the first `period` values, then smooths with α = 2/(period+1)', () => {
    const ema = new Ema(3);
    expect(ema.alpha).toBe(0.5);
    expect(ema.update(1)).toBeNaN();
    expect(ema.update(2)).toBeNaN();
    expect(ema.update(3)).toBe(2);
    expect(ema.ready).toBe(true);
    expect(ema.update(6)).toBe(4);
    expect(ema.update(0)).toBe(2);
    ema.reset();
    expect(ema.value).toBeNaN();
    expect(Array.from(ema.series([2, 4, 6]))).toEqual([NaN, NaN, 4]);
  });
});

describe('Rsi', () => {
  it('follows Wilder: simple mean of the first `period` changes, then (avg·(n−1) + x)/n', () => {
    const rsi = new Rsi(2);
    expect(rsi.update(10)).toBeNaN(); // no change yet
    expect(rsi.update(12)).toBeNaN(); // 1 change of 2
    // changes +2, −1 → avgGain 1, avgLoss 0.5 → RS 2 → 66.67
    expect(rsi.update(11)).toBeCloseTo(100 - 100 / 3, 12);
    expect(rsi.ready).toBe(true);
    expect(rsi.avgGain).toBe(1);
    expect(rsi.avgLoss).toBe(0.5);
    // change +3 → avgGain (1·1 + 3)/2 = 2, avgLoss (0.5·1 + 0)/2 = 0.25 → RS 8
    expect(rsi.update(14)).toBeCloseTo(100 - 100 / 9, 12);
  });

  it('is 100 with no losses, 0 with no gains, 50 when nothing moved', () => {
    expect(Array.from(new Rsi(2).series([1, 2, 3]))).toEqual([NaN, NaN, 100]);
    expect(Array.from(new Rsi(2).series([3, 2, 1]))).toEqual([NaN, NaN, 0]);
    expect(Array.from(new Rsi(2).series([5, 5, 5, 5]))).toEqual([NaN, NaN, 50, 50]);
    const rsi = new Rsi(3);
    rsi.series([1, 2, 3, 4, 5]);
    rsi.reset();
    expect([rsi.value, rsi.avgGain, rsi.ready]).toEqual([NaN, NaN, false]);
  });
});

describe('RollingMax / RollingMin', () => {
  const naive = (values: number[], period: number, pick: (...v: number[]) => number) =>
    values.map((_, i) => (i + 1 < period ? NaN : pick(...values.slice(i + 1 - period, i + 1))));

  it('equal a naive window scan on any input (monotonic deque, preallocated rings)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (values, period) => {
        expect(Array.from(new RollingMax(period).series(values))).toEqual(naive(values, period, Math.max));
        expect(Array.from(new RollingMin(period).series(values))).toEqual(naive(values, period, Math.min));
      }),
      { numRuns: 300 },
    );
  });

  it('handles monotonic runs, which fill the deque to `period` entries', () => {
    const down = Array.from({ length: 50 }, (_, i) => 100 - i);
    expect(Array.from(new RollingMax(5).series(down)).slice(4)).toEqual(down.slice(0, 46));
    const up = Array.from({ length: 50 }, (_, i) => i);
    expect(Array.from(new RollingMin(5).series(up)).slice(4)).toEqual(up.slice(0, 46));
  });
});

describe('DonchianChannel', () => {
  it('tracks the highest high and lowest low of the last `period` bars', () => {
    const d = new DonchianChannel(2);
    expect(d.update({ high: 10, low: 8 })).toBeNaN();
    expect([d.upper, d.lower, d.ready]).toEqual([NaN, NaN, false]);
    expect(d.update({ high: 12, low: 9 })).toBe(10);
    expect([d.upper, d.lower, d.middle, d.ready]).toEqual([12, 8, 10, true]);
    d.update({ high: 11, low: 10 });
    expect([d.upper, d.lower]).toEqual([12, 9]);
    d.reset();
    expect([d.upper, d.lower, d.value]).toEqual([NaN, NaN, NaN]);
  });
});

describe('Atr', () => {
  it('starts from the second bar (true range needs the previous close) and smooths like Wilder', () => {
    const atr = new Atr(2);
    expect(atr.update({ high: 10, low: 9, close: 9.5 })).toBeNaN();
    expect(atr.update({ high: 11, low: 10, close: 10.5 })).toBeNaN(); // TR = max(1, 1.5, 0.5) = 1.5
    expect(atr.update({ high: 10.6, low: 8.5, close: 9 })).toBeCloseTo(1.8, 12); // TR 2.1 → (1.5 + 2.1)/2
    expect(atr.update({ high: 9.2, low: 9, close: 9.1 })).toBeCloseTo(1.8 + (0.2 - 1.8) / 2, 12);
    expect(() => atr.update({ high: NaN, low: 1, close: 1 })).toThrow(RangeError);
  });
});
