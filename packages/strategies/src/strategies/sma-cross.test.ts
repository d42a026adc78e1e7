import { NO_INTENTS } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import { candlesFromCloses, makeContext, runSignals, type Signal } from '../testing.ts';
import { createSmaCross } from './sma-cross.ts';

const summary = (signals: Signal[]) => signals.map((s) => `${s.intent.kind}@${s.index}`);

// fast = 2, slow = 4 on integers: both averages are exact, so equality is exact.
//   i:      3   4     5   6   7     8    9  10  11  12    13     14     15   16     17
//   fast:  10  11    12  11   9     8    9  10  11  11    10     9.5    9    10     11.5
//   slow:  10  10.5  11  11  10.5  9.5   9   9  10  10.5  10.5  10.25  9.5  9.75  10.25
//          =   >     >   =   <     <    =   >   >   >     <      <      <    >      >
const SERIES = [10, 10, 10, 10, 12, 12, 10, 8, 8, 10, 10, 12, 10, 10, 9, 9, 11, 12];

describe('sma-cross', () => {
  it('enters on each cross above when flat and exits on each cross below when long; equal → apart is the cross', () => {
    const strategy = createSmaCross({ fast: 2, slow: 4 });
    expect(strategy.warmup).toBe(4);
    // 4: equal → above (the first candle with two pairs of averages); 6: above → equal: nothing yet;
    // 7: equal → below; 9: below → equal: nothing; 10: equal → above; 13, 16: plain crosses.
    expect(summary(runSignals(strategy, candlesFromCloses(SERIES)))).toEqual(['enter@4', 'exit@7', 'enter@10', 'exit@13', 'enter@16']);
  });

  it('never enters while long and never exits while flat', () => {
    const long = makeContext();
    long.positionQty = 1;
    expect(summary(runSignals(createSmaCross({ fast: 2, slow: 4 }), candlesFromCloses(SERIES), long, false))).toEqual(['exit@7', 'exit@13']);
    expect(summary(runSignals(createSmaCross({ fast: 2, slow: 4 }), candlesFromCloses(SERIES), makeContext(), false))).toEqual(['enter@4', 'enter@10', 'enter@16']);
  });

  it('counts a touch as a cross in the direction the averages leave it', () => {
    // states from i = 3: = > = > < <  (touch from above, bounces up at 6, then crosses down at 7)
    const upTouch = candlesFromCloses([10, 10, 10, 10, 11, 9, 13, 6, 6]);
    expect(summary(runSignals(createSmaCross({ fast: 2, slow: 4 }), upTouch, makeContext(), false))).toEqual(['enter@4', 'enter@6']);
    // states from i = 3: = < = < < <  (touch from below, falls back at 6)
    const downTouch = candlesFromCloses([10, 10, 10, 10, 9, 11, 6, 6, 6]);
    const long = makeContext();
    long.positionQty = 1;
    expect(summary(runSignals(createSmaCross({ fast: 2, slow: 4 }), downTouch, long, false))).toEqual(['exit@4', 'exit@6']);
    expect(runSignals(createSmaCross({ fast: 2, slow: 4 }), downTouch)).toEqual([]);
  });

  it('does nothing before both averages exist on two candles', () => {
    // A rise right from the start: fast > slow from candle 3 on, but no candle before it to cross from.
    expect(runSignals(createSmaCross({ fast: 2, slow: 4 }), candlesFromCloses([1, 2, 3, 4, 5, 6]))).toEqual([]);
  });

  it('returns the shared NO_INTENTS when idle, and explains a signal with the numbers', () => {
    const strategy = createSmaCross({ fast: 2, slow: 4, size: 0.5 });
    const ctx = makeContext();
    const candles = candlesFromCloses(SERIES);
    for (let i = 0; i < 4; i++) expect(strategy.onCandle(ctx, candles[i]!)).toBe(NO_INTENTS);
    expect(strategy.onCandle(ctx, candles[4]!)).toEqual([
      { kind: 'enter', side: 'buy', orderType: 'market', quantity: 0.5, reason: 'SMA 2 crossed above SMA 4 (fast 11 > slow 10.5)' },
    ]);
    ctx.positionQty = 0.5;
    expect(strategy.onCandle(ctx, candles[5]!)).toBe(NO_INTENTS);
    expect(strategy.onCandle(ctx, candles[6]!)).toBe(NO_INTENTS);
    expect(strategy.onCandle(ctx, candles[7]!)).toEqual([{ kind: 'exit', orderType: 'market', reason: 'SMA 2 crossed below SMA 4 (fast 9 < slow 10.5)' }]);
  });

  it('leaves the quantity to the stake without a size; the reference defaults are 10/30', () => {
    const [first] = runSignals(createSmaCross({ fast: 2, slow: 4 }), candlesFromCloses(SERIES));
    expect(first!.intent).not.toHaveProperty('quantity');
    const reference = createSmaCross();
    expect(reference.params).toEqual({ fast: 10, slow: 30 });
    expect(reference.warmup).toBe(30);
    expect(reference.id).toBe('sma-cross');
  });

  it('prints close averages with enough digits to tell them apart', () => {
    // fast − slow is tiny here: 100.0000001 vs 100 must not both print as 100.
    const closes = [...Array(4).fill(100), 100.0000004];
    const [signal] = runSignals(createSmaCross({ fast: 2, slow: 4 }), candlesFromCloses(closes));
    expect(signal!.intent.reason).toBe('SMA 2 crossed above SMA 4 (fast 100.0000002 > slow 100.0000001)');
  });

  it('keeps state per instance', () => {
    const a = createSmaCross({ fast: 2, slow: 4 });
    const b = createSmaCross({ fast: 2, slow: 4 });
    runSignals(a, candlesFromCloses(SERIES.slice(0, 10)));
    expect(summary(runSignals(b, candlesFromCloses(SERIES)))).toEqual(['enter@4', 'exit@7', 'enter@10', 'exit@13', 'enter@16']);
  });
});
