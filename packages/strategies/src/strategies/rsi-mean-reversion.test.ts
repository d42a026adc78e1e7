import { NO_INTENTS } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import { candlesFromCloses, makeContext, runSignals, type Signal } from '../testing.ts';
import { createRsiMeanReversion } from './rsi-mean-reversion.ts';

const summary = (signals: Signal[]) => signals.map((s) => `${s.intent.kind}@${s.index}`);

// RSI(2) of these closes (Wilder):
//   i:    2  3  4   5   6     7      8       9       10      11      12
//   RSI:  0  0  50  75  87.5  93.75  46.875  23.4375 11.7188 55.8594 77.9297
const CLOSES = [10, 9, 8, 7, 8, 9, 10, 11, 10, 9, 8, 9, 10];

describe('rsi-mean-reversion', () => {
  it('enters when the RSI crosses up through oversold and exits when it crosses up through overbought', () => {
    const strategy = createRsiMeanReversion({ period: 2, oversold: 30, overbought: 70 });
    expect(strategy.warmup).toBe(3);
    expect(summary(runSignals(strategy, candlesFromCloses(CLOSES)))).toEqual(['enter@4', 'exit@5', 'enter@11', 'exit@12']);
  });

  it('treats reaching a level exactly as not crossed yet', () => {
    // RSI is exactly 50 at 4 and exactly 87.5 at 6: the crosses are on the next candles.
    const strategy = createRsiMeanReversion({ period: 2, oversold: 50, overbought: 87.5 });
    expect(summary(runSignals(strategy, candlesFromCloses(CLOSES)))).toEqual(['enter@5', 'exit@7', 'enter@11']);
  });

  it('never enters while long and never exits while flat', () => {
    const long = makeContext();
    long.positionQty = 2;
    expect(summary(runSignals(createRsiMeanReversion({ period: 2 }), candlesFromCloses(CLOSES), long, false))).toEqual(['exit@5', 'exit@12']);
    expect(summary(runSignals(createRsiMeanReversion({ period: 2 }), candlesFromCloses(CLOSES), makeContext(), false))).toEqual(['enter@4', 'enter@11']);
  });

  it('says why, sizes with `size`, and returns NO_INTENTS when idle', () => {
    const strategy = createRsiMeanReversion({ period: 2, size: 3 });
    const ctx = makeContext();
    const candles = candlesFromCloses(CLOSES);
    for (let i = 0; i < 4; i++) expect(strategy.onCandle(ctx, candles[i]!)).toBe(NO_INTENTS);
    expect(strategy.onCandle(ctx, candles[4]!)).toEqual([
      { kind: 'enter', side: 'buy', orderType: 'market', quantity: 3, reason: 'RSI 2 crossed above oversold 30 (0 → 50)' },
    ]);
    ctx.positionQty = 3;
    expect(strategy.onCandle(ctx, candles[5]!)).toEqual([{ kind: 'exit', orderType: 'market', reason: 'RSI 2 crossed above overbought 70 (50 → 75)' }]);
    expect(createRsiMeanReversion().params).toEqual({ period: 14, oversold: 30, overbought: 70 });
  });
});
