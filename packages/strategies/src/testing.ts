/** Test helpers (not exported from the package). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CandleHistory, createInstrument, flatPosition, type Candle, type Instrument, type Intent, type MutableStrategyContext, type OpenOrderView, type Strategy } from '@kestrel/trading-core';

export const PROFILE_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

export interface CandleColumns {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly length: number;
}

/** Reads packages/market-data/data/candles/<file>: a header line, then timestamp_ms,open,high,low,close,volume. */
export function loadCandles(file: string): CandleColumns {
  const text = readFileSync(fileURLToPath(new URL(`../../market-data/data/candles/${file}`, import.meta.url)), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'timestamp_ms,open,high,low,close,volume') throw new Error(`${file}: unexpected header ${lines[0]}`);
  const n = lines.length - 1;
  const cols = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n), length: n };
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1]!.split(',').map(Number);
    if (f.length !== 6 || f.some((x) => !Number.isFinite(x))) throw new Error(`${file}:${i + 2}: bad line`);
    cols.time[i] = f[0]!;
    cols.open[i] = f[1]!;
    cols.high[i] = f[2]!;
    cols.low[i] = f[3]!;
    cols.close[i] = f[4]!;
    cols.volume[i] = f[5]!;
  }
  return cols;
}

export function candleAt(cols: CandleColumns, i: number): Candle {
  return { time: cols.time[i]!, open: cols.open[i]!, high: cols.high[i]!, low: cols.low[i]!, close: cols.close[i]!, volume: cols.volume[i]! };
}

/** Candles from closes (open = high = low = close), one minute apart. */
export function candlesFromCloses(closes: readonly number[]): Candle[] {
  return closes.map((c, i) => ({ time: i * 60_000, open: c, high: c, low: c, close: c, volume: 1 }));
}

export function testInstrument(): Instrument {
  const r = createInstrument({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.0001', minQty: '0.0001' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A context as a host keeps it: one object, updated in place before each call. */
export function makeContext(instrument: Instrument = testInstrument()): MutableStrategyContext & { history: CandleHistory } {
  const history = new CandleHistory(64);
  return {
    now: 0,
    profileId: PROFILE_ID,
    instrument,
    position: flatPosition(PROFILE_ID, instrument, 0),
    positionQty: 0,
    freeCapital: 1_000_000,
    lastPrice: NaN,
    openOrders: [],
    candles: history,
    history,
  };
}

export interface Signal {
  readonly index: number;
  readonly intent: Intent;
}

/**
 * A toy host for single-position strategies: feeds the candles in order; an `enter` makes the
 * position its quantity (1 without one) and an `exit` makes it flat, at once (before the next
 * candle; the same as filling at the next open for these strategies, which only look at the
 * position on the next close). With `apply: false` the position stays as `ctx` has it. Returns
 * every intent with its candle index.
 */
export function runSignals(strategy: Strategy, candles: readonly Candle[], ctx = makeContext(), apply = true): Signal[] {
  const signals: Signal[] = [];
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    ctx.history.push(c);
    ctx.now = c.time;
    ctx.lastPrice = c.close;
    for (const intent of strategy.onCandle(ctx, c)) {
      signals.push({ index: i, intent });
      if (!apply) continue;
      if (intent.kind === 'enter') ctx.positionQty += typeof intent.quantity === 'number' ? intent.quantity : 1;
      else if (intent.kind === 'exit') ctx.positionQty = 0;
    }
  }
  return signals;
}

export type { OpenOrderView };
