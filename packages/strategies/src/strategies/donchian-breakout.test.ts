import type { Candle } from '@kestrel/trading-core';
import { NO_INTENTS } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import { makeContext, runSignals, type Signal } from '../testing.ts';
import { createDonchianBreakout } from './donchian-breakout.ts';

const summary = (signals: Signal[]) => signals.map((s) => `${s.intent.kind}@${s.index}`);

// [high, low, close]
const BARS: [number, number, number][] = [
  [10, 8, 9], // 0
  [11, 9, 10], // 1
  [10, 8, 9], // 2
  [12, 9, 11], // 3: previous 3 highs 10, 11, 10 → 11; close 11 is not above it
  [13, 11, 12], // 4: previous highs 11, 10, 12 → 12; close 12 equals it: no breakout
  [14, 12, 13.5], // 5: previous highs → 13; 13.5 > 13: breakout
  [15, 13, 14.5], // 6: a new breakout (14.5 > 14), but already long
  [14, 12, 13], // 7: previous 2 lows 12, 13 → 12; 13 is not below
  [13, 11, 12], // 8: previous lows 13, 12 → 12; 12 equals it: no exit
  [12, 10, 11], // 9: previous lows 12, 11 → 11; 11 equals it
  [11, 9, 9.5], // 10: previous lows 11, 10 → 10; 9.5 < 10: exit
  [10, 9, 9.8], // 11
];
const candles: Candle[] = BARS.map(([high, low, close], i) => ({ time: i * 60_000, open: close, high, low, close, volume: 1 }));

describe('donchian-breakout', () => {
  it('enters on a close above the previous entryPeriod high and exits on a close below the previous exitPeriod low', () => {
    const strategy = createDonchianBreakout({ entryPeriod: 3, exitPeriod: 2 });
    expect(strategy.warmup).toBe(3);
    expect(summary(runSignals(strategy, candles))).toEqual(['enter@5', 'exit@10']);
  });

  it('asks again for every breakout while flat, never while long; exits only when long', () => {
    expect(summary(runSignals(createDonchianBreakout({ entryPeriod: 3, exitPeriod: 2 }), candles, makeContext(), false))).toEqual(['enter@5', 'enter@6']);
    const long = makeContext();
    long.positionQty = 1;
    expect(summary(runSignals(createDonchianBreakout({ entryPeriod: 3, exitPeriod: 2 }), candles, long, false))).toEqual(['exit@10']);
  });

  it('waits until both channels are full', () => {
    // exitPeriod 5 > entryPeriod 3: nothing before candle 5, even though 3 closes above its channel.
    const strategy = createDonchianBreakout({ entryPeriod: 3, exitPeriod: 5 });
    expect(strategy.warmup).toBe(5);
    const ctx = makeContext();
    for (let i = 0; i < 5; i++) expect(strategy.onCandle(ctx, candles[i]!)).toBe(NO_INTENTS);
    expect(strategy.onCandle(ctx, candles[5]!)).toEqual([{ kind: 'enter', side: 'buy', orderType: 'market', reason: 'close 13.5 broke above the 3-candle high 13' }]);
  });

  it('explains the exit with the level', () => {
    const long = makeContext();
    long.positionQty = 1;
    const [exit] = runSignals(createDonchianBreakout({ entryPeriod: 3, exitPeriod: 2, size: 1 }), candles, long, false);
    expect(exit!.intent).toEqual({ kind: 'exit', orderType: 'market', reason: 'close 9.5 broke below the 2-candle low 10' });
    expect(createDonchianBreakout().params).toEqual({ entryPeriod: 20, exitPeriod: 10 });
  });
});
