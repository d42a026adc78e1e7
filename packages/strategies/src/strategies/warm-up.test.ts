import type { Candle, Strategy } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import { candleAt, loadCandles, makeContext, type Signal } from '../testing.ts';
import { createDonchianBreakout } from './donchian-breakout.ts';
import { createRsiMeanReversion } from './rsi-mean-reversion.ts';
import { createSmaCross } from './sma-cross.ts';

const bars = loadCandles('orcl-1995-2014.csv');
const candles: Candle[] = Array.from({ length: 1500 }, (_, i) => candleAt(bars, i));

/**
 * Like runSignals, but the first `skip` candles only go into ctx.candles (no onCandle call), and
 * the position at `skip` is the one a full run had there.
 */
function run(strategy: Strategy, skip: number, breakTime = false, full: Signal[] = []): Signal[] {
  const ctx = makeContext();
  const before = full.filter((s) => s.index < skip).at(-1);
  ctx.positionQty = before?.intent.kind === 'enter' ? 1 : 0;
  const out: Signal[] = [];
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    ctx.history.push(c);
    if (i < skip) continue;
    const handled = breakTime && i === skip ? { ...c, time: c.time + 1 } : c;
    for (const intent of strategy.onCandle(ctx, handled)) {
      out.push({ index: i, intent });
      if (intent.kind === 'enter') ctx.positionQty = 1;
      else if (intent.kind === 'exit') ctx.positionQty = 0;
    }
  }
  return out;
}

const factories: [string, () => Strategy][] = [
  ['sma-cross 10/30', () => createSmaCross({ fast: 10, slow: 30 })],
  ['rsi-mean-reversion 14', () => createRsiMeanReversion({ period: 14 })],
  ['donchian-breakout 20/10', () => createDonchianBreakout({ entryPeriod: 20, exitPeriod: 10 })],
];

describe.each(factories)('%s started late', (_name, create) => {
  const full = run(create(), 0);
  // A candle with a signal, late enough that the strategy could be warm from the window (64 candles).
  const target = full.find((s) => s.index >= 100)!;

  it('warms up from ctx.candles on its first call and then decides as if it had seen every candle', () => {
    expect(full.length).toBeGreaterThan(10);
    // Starting at candle 50 the window holds all 50 before it: exactly the same decisions.
    expect(run(create(), 50, false, full)).toEqual(full.filter((s) => s.index >= 50));
    // Starting right on a signal, with only the last 63 candles in the window: it is not missed.
    // (Wilder's RSI remembers every candle, so its values differ slightly from a full run's.)
    const first = run(create(), target.index, false, full)[0]!;
    expect([first.index, first.intent.kind]).toEqual([target.index, target.intent.kind]);
  });

  it('does not warm up from a window whose newest candle is not the one handled', () => {
    const cold = run(create(), target.index, true, full);
    expect(cold.find((s) => s.index === target.index)).toBeUndefined();
  });
});
