/**
 * The reference configuration (sma-cross, fast 10, slow 30, long only) on real data against an
 * independent plain-loop computation: averages summed afresh over each window, no running sums and
 * no code shared with the package.
 *
 * Exact ties between the averages do occur in real data: FESX (integer prices) has hundreds, and
 * ORCL one, at bar 2389 (both windows average exactly 11.375). There the crossing is on the next
 * bar, 2390. A plain running sum (sum += new − old) breaks that tie by rounding (fast
 * 11.375000000000004 > slow 11.37499999999998) and would enter one bar early; the package's SMA
 * uses a compensated sum and agrees with the window sums (and with an exactly rounded fsum).
 */
import { describe, expect, it } from 'vitest';
import { candleAt, loadCandles, makeContext, runSignals } from '../testing.ts';
import { createSmaCross } from './sma-cross.ts';

function plainLoop(close: Float64Array, fast: number, slow: number): { entries: number[]; exits: number[]; ties: number[] } {
  const entries: number[] = [];
  const exits: number[] = [];
  let long = false;
  let prevF = NaN;
  let prevS = NaN;
  const ties: number[] = [];
  for (let i = 0; i < close.length; i++) {
    let f = NaN;
    let s = NaN;
    if (i >= slow - 1) {
      let sf = 0;
      for (let k = i - fast + 1; k <= i; k++) sf += close[k]!;
      let ss = 0;
      for (let k = i - slow + 1; k <= i; k++) ss += close[k]!;
      f = sf / fast;
      s = ss / slow;
      if (f === s) ties.push(i);
    }
    if (i >= slow) {
      if (!long && prevF <= prevS && f > s) {
        entries.push(i);
        long = true;
      } else if (long && prevF >= prevS && f < s) {
        exits.push(i);
        long = false;
      }
    }
    prevF = f;
    prevS = s;
  }
  return { entries, exits, ties };
}

describe.each(['orcl-1995-2014.csv', 'BTC_USDT-5m.csv', 'fesx-2006-01-02-volume-min-001.csv'])('sma-cross 10/30 on %s', (file) => {
  it('signals on the same bars as a plain loop', () => {
    const bars = loadCandles(file);
    const candles = Array.from({ length: bars.length }, (_, i) => candleAt(bars, i));
    const signals = runSignals(createSmaCross({ fast: 10, slow: 30, size: 1 }), candles, makeContext());
    const entries = signals.filter((s) => s.intent.kind === 'enter').map((s) => s.index);
    const exits = signals.filter((s) => s.intent.kind === 'exit').map((s) => s.index);
    const expected = plainLoop(bars.close, 10, 30);
    expect(entries.length).toBeGreaterThan(50);
    expect(entries).toEqual(expected.entries);
    expect(exits).toEqual(expected.exits);
    expect(signals.every((s) => s.intent.kind === 'enter' || s.intent.kind === 'exit')).toBe(true);
    if (file.startsWith('fesx')) expect(expected.ties.length).toBeGreaterThan(100);
    if (file.startsWith('orcl')) {
      expect(expected.ties).toEqual([2389]);
      expect(entries).toContain(2390);
      expect(entries).not.toContain(2389);
    }
  });
});

it('a plain running sum would break the ORCL tie at bar 2389', () => {
  const close = loadCandles('orcl-1995-2014.csv').close;
  let f = 0;
  let s = 0;
  for (let i = 0; i <= 2389; i++) {
    f += close[i]! - (i >= 10 ? close[i - 10]! : 0);
    s += close[i]! - (i >= 30 ? close[i - 30]! : 0);
  }
  expect(f / 10).toBeGreaterThan(s / 30);
});
