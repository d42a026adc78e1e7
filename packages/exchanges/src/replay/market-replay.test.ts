import { beforeAll, describe, expect, it } from 'vitest';
import type { MarketEvent } from '../market/market-feed.ts';
import { highFirst } from '../market/ohlc-path.ts';
import { fixedLatency } from '../paper/latency.ts';
import { PaperMatchingEngine } from '../paper/matching-engine.ts';
import { PaperExchange } from '../paper/paper-exchange.ts';
import { BTC_USDT, order, settle } from '../paper/testing-fixtures.ts';
import type { VenueStreamEvent } from '../port.ts';
import { VirtualScheduler } from '../time/virtual-scheduler.ts';
import type { CandleSeries } from './candle-series.ts';
import { readCandlesCsv } from './candles-csv.ts';
import { CANDLES_DIR } from './testing-data.ts';
import { MarketReplay } from './market-replay.ts';

let btc: CandleSeries;
beforeAll(async () => {
  btc = await readCandlesCsv(`${CANDLES_DIR}BTC_USDT-5m.csv`);
});

function series(rows: [number, number, number, number, number, number][]): CandleSeries {
  const col = (k: number) => Float64Array.from(rows.map((r) => r[k]!));
  return { length: rows.length, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

function collect(replay: MarketReplay): MarketEvent[] {
  const events: MarketEvent[] = [];
  replay.subscribe((e) => events.push(e));
  return events;
}

describe('MarketReplay over the real BTC/USDT 5m data', () => {
  it('plays all 10999 bars with ticks along open → nearer extreme → other extreme → close, each within [low, high]', () => {
    const n = 2;
    const replay = new MarketReplay({ symbol: 'BTC/USDT', series: btc, scheduler: new VirtualScheduler(), ticksPerSegment: n });
    const events = collect(replay);
    while (replay.step());
    const perBar = 4 + 3 * n;
    expect(events).toHaveLength(10999 * (perBar + 1));
    expect(replay.barsPlayed).toBe(10999);
    expect(replay.timeframe).toBe('5m');
    for (let i = 0; i < 10999; i++) {
      const bar = events.slice(i * (perBar + 1), (i + 1) * (perBar + 1));
      const candle = bar[perBar]!;
      if (candle.type !== 'candle') throw new Error('expected the candle last');
      const c = candle.candle;
      const prices = bar.slice(0, perBar).map((e) => (e.type === 'tick' ? e.price : NaN));
      const hf = highFirst(c.open, c.high, c.low, c.close);
      expect([prices[0], prices[n + 1], prices[2 * (n + 1)], prices[perBar - 1]]).toEqual([c.open, hf ? c.high : c.low, hf ? c.low : c.high, c.close]);
      for (const p of prices) expect(p >= c.low && p <= c.high).toBe(true);
      for (let s = 0; s < 3; s++) {
        const seg = prices.slice(s * (n + 1), (s + 1) * (n + 1) + 1);
        const up = seg[seg.length - 1]! >= seg[0]!;
        for (let k = 1; k < seg.length; k++) expect(up ? seg[k]! >= seg[k - 1]! : seg[k]! <= seg[k - 1]!).toBe(true);
      }
      const times = bar.slice(0, perBar).map((e) => (e.type === 'tick' ? e.time : NaN));
      expect(times[0]).toBe(c.time);
      expect(times.every((t, k) => k === 0 || t > times[k - 1]!)).toBe(true);
      expect(times[perBar - 1]! < c.time + 300_000).toBe(true);
    }
  });

  it('loops forever with timestamps shifted so that time keeps increasing', () => {
    const replay = new MarketReplay({ symbol: 'BTC/USDT', series: btc, scheduler: new VirtualScheduler(), mode: 'bars', loop: true });
    const events = collect(replay);
    for (let i = 0; i < 10999 * 2 + 5; i++) replay.step();
    const times = events.map((e) => (e.type === 'candle' ? e.candle.time : NaN));
    expect(times).toHaveLength(10999 * 2 + 5);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(300_000);
    const span = btc.time[btc.length - 1]! - btc.time[0]! + 300_000;
    expect(times[10999]).toBe(btc.time[0]! + span);
    expect(events[10999]).toMatchObject({ candle: { open: btc.open[0], close: btc.close[0] } });
    expect(replay.finished).toBe(false);
  });
});

describe('MarketReplay pacing', () => {
  const bars = series([
    [0, 100, 110, 95, 105, 8],
    [300_000, 105, 106, 90, 92, 8],
    [600_000, 92, 99, 91, 98, 8],
  ]);

  it('at 60× real time plays a 5-minute bar every 5 seconds of scheduler time, ticks spread inside it', async () => {
    const scheduler = new VirtualScheduler(1_000_000);
    const replay = new MarketReplay({ symbol: 'X', series: bars, scheduler, speed: 60 });
    const seen: [number, string][] = [];
    replay.subscribe((e) => seen.push([scheduler.now() - 1_000_000, e.type === 'tick' ? `t${e.price}` : `c${e.candle.close}`]));
    replay.start();
    await scheduler.advanceAsync(5_000);
    expect(seen).toEqual([
      [0, 't100'],
      [1_250, 't95'], // nearer extreme first: low 5 away, high 10 away
      [2_500, 't110'],
      [3_750, 't105'],
      [5_000, 'c105'],
      [5_000, 't105'],
    ]);
    expect(replay.clock.now()).toBe(300_000);
    replay.stop();
    await scheduler.advanceAsync(60_000);
    expect(seen).toHaveLength(6);
  });

  it("'max' runs through the data as fast as the scheduler turns, then stops", async () => {
    const scheduler = new VirtualScheduler();
    const replay = new MarketReplay({ symbol: 'BTC/USDT', series: btc, scheduler, speed: 'max', batchSize: 5_000 });
    const events = collect(replay);
    replay.start();
    await scheduler.runAllAsync();
    expect(events).toHaveLength(10999 * 5);
    expect(replay.running).toBe(false);
    expect(replay.finished).toBe(true);
    expect(scheduler.now()).toBe(0);
  });

  it('serves closed bars only (no look-ahead), by since and limit', () => {
    const replay = new MarketReplay({ symbol: 'X', series: bars, scheduler: new VirtualScheduler(), mode: 'bars', loop: true, shiftMs: 1_000 });
    expect(replay.candles('X', '5m')).toEqual([]);
    replay.step();
    replay.step();
    expect(replay.candles('X', '5m').map((c) => c.time)).toEqual([1_000, 301_000]);
    for (let i = 0; i < 3; i++) replay.step();
    expect(replay.candles('X', '5m', 601_000).map((c) => c.time)).toEqual([601_000, 901_000, 1_201_000]);
    expect(replay.candles('X', '5m', undefined, 2).map((c) => c.close)).toEqual([105, 92]);
    expect(replay.candles('Y', '5m')).toEqual([]);
    const warm = new MarketReplay({ symbol: 'X', series: bars, scheduler: new VirtualScheduler(), mode: 'bars', startIndex: 2 });
    expect(warm.candles('X', '5m').map((c) => c.time)).toEqual([0, 300_000]); // history before the start, for warm-up
    warm.step();
    expect(warm.candles('X', '5m').map((c) => c.time)).toEqual([0, 300_000, 600_000]);
    expect(warm.finished).toBe(true);
    expect(() => replay.candles('X', '1h')).toThrow(/5m bars/);
  });
});

describe('MarketReplay feeding the paper exchange', () => {
  it('drives the matching engine by default: a resting order fills as the replayed price reaches it', async () => {
    const scheduler = new VirtualScheduler();
    const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000' }, config: { makerFeeRate: '0' } });
    const replay = new MarketReplay({ symbol: 'BTC/USDT', series: btc, scheduler, speed: 60, engine, ticksPerSegment: 3, priceStep: 0.1 });
    const exchange = new PaperExchange({ engine, scheduler, clock: replay.clock, marketData: replay, candles: replay, latency: { request: fixedLatency(10), response: fixedLatency(10), stream: fixedLatency(5) } });
    const stream: VenueStreamEvent[] = [];
    exchange.subscribe((e) => stream.push(e));
    replay.start();
    await scheduler.advanceAsync(5_000); // the first bar
    const target = btc.low[3]!.toFixed(1); // bar 3's low: touched during bar 3
    const placed = settle(exchange.createOrder(order({ clientOrderId: 'demo1', type: 'limit', price: target, quantity: '0.01' })));
    await scheduler.advanceAsync(100);
    expect(placed.value).toMatchObject({ status: expect.stringMatching(/open|filled/) });
    await scheduler.advanceAsync(20_000);
    const filled = settle(exchange.fetchOrder({ clientOrderId: 'demo1', symbol: 'BTC/USDT' }));
    const candles = settle(exchange.fetchCandles('BTC/USDT', '5m'));
    await scheduler.advanceAsync(100);
    expect(filled.value).toMatchObject({ status: 'filled', averagePrice: target });
    const types = new Set(stream.map((e) => e.type));
    expect([...types].sort()).toEqual(['candle', 'order', 'tick', 'trade']);
    const fill = stream.find((e) => e.type === 'trade');
    expect(fill?.type === 'trade' && fill.trade.timestamp).toBeGreaterThanOrEqual(btc.time[1]!);
    expect((candles.value as unknown[]).length).toBe(replay.barsPlayed);
    replay.stop();
  });

  it("in 'bars' mode gives the engine exactly what the backtester gives it (same fills as onBar)", () => {
    const run = (viaReplay: boolean) => {
      const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '1000000', BTC: '10' }, config: { marketOrders: 'next-price' } });
      const onClose = (i: number) => {
        if (i % 50 === 0) engine.submit(order({ clientOrderId: `m${i}`, side: i % 100 ? 'sell' : 'buy', quantity: '0.05' }), btc.time[i]! + 300_000);
        if (i % 70 === 0) engine.submit(order({ clientOrderId: `l${i}`, type: 'limit', price: (Math.round(btc.close[i]! * 0.995 * 10) / 10).toFixed(1), quantity: '0.02' }), btc.time[i]! + 300_000);
      };
      if (viaReplay) {
        const replay = new MarketReplay({ symbol: 'BTC/USDT', series: btc, scheduler: new VirtualScheduler(), mode: 'bars', engine });
        let i = 0;
        replay.subscribe((e) => e.type === 'candle' && onClose(i++));
        while (replay.step());
      } else {
        for (let i = 0; i < btc.length; i++) {
          engine.onBar('BTC/USDT', btc.time[i]!, btc.open[i]!, btc.high[i]!, btc.low[i]!, btc.close[i]!, btc.volume[i]!);
          onClose(i);
        }
      }
      return { trades: engine.trades('BTC/USDT', '0', 1e6), balances: engine.balances() };
    };
    const direct = run(false);
    expect(direct.trades.length).toBeGreaterThan(300);
    expect(run(true)).toEqual(direct);
  });
});
