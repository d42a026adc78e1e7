import { describe, expect, it } from 'vitest';
import { flushMicrotasks, VirtualScheduler, type VenueStreamEvent } from '@kestrel/exchanges';
import { PaperMarket } from './paper-market.ts';
import type { MarketDataEvent } from './market-data.ts';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

/** Runs a virtual scheduler forward in small steps, letting promises settle between them. */
async function pump(scheduler: VirtualScheduler, ms: number) {
  for (let t = 0; t < ms; t += 10) {
    scheduler.advance(10);
    await flushMicrotasks();
  }
}

describe('the embedded paper market', () => {
  it('replays the real 5-minute BTC/USDT bars as 1-second bars on the wall clock at 300×, with history to warm up on', async () => {
    const scheduler = new VirtualScheduler(T0);
    const market = new PaperMarket({ speed: 300, historyBars: 100, scheduler });
    const btc = market.symbols().find((s) => s.symbol === 'BTC/USDT')!;
    expect(btc).toMatchObject({ timeframe: '1s', source: { kind: 'replay', dataset: 'BTC_USDT-5m.csv', speed: 300, dataTimeframe: '5m' } });
    // Before the first live bar: 100 bars of history, one second apart, the last closing now.
    const history = await market.candles('BTC/USDT', '1s');
    expect(history).toHaveLength(100);
    expect(history[99]!.time + 1000).toBe(T0);
    expect(history[1]!.time - history[0]!.time).toBe(1000);
    expect(history[0]!.open).toBe(16727.3); // the data's first bar (packages/market-data/data/candles/BTC_USDT-5m.csv)

    const events: MarketDataEvent[] = [];
    market.subscribe((e) => events.push(e));
    market.start();
    scheduler.advance(3_000);
    const candles = events.flatMap((e) => (e.type === 'candle' ? [e.candle] : []));
    expect(candles.length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.type === 'tick').length).toBeGreaterThanOrEqual(12); // O, two extremes, C per bar
    // Times are the wall clock's: the live bars continue the history without a gap.
    expect(candles[0]!.time).toBe(T0);
    const ticker = await market.ticker('BTC/USDT');
    expect(Number(ticker.last)).toBeGreaterThan(0);
    expect(ticker.time).toBeLessThanOrEqual(scheduler.now());
    market.stop();
  });

  it('says clearly what it does not have', async () => {
    const market = new PaperMarket({ speed: 300, scheduler: new VirtualScheduler(T0) });
    await expect(market.candles('DOGE/USDT', '1s')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(market.candles('BTC/USDT', '1m')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('timeframe=1s') });
    expect(() => new PaperMarket({ speed: 600, scheduler: new VirtualScheduler(T0) })).toThrow(/under a second/);
    expect(market.venueFor({ id: 'x', kind: 'live', venue: 'binance' })).toBeNull();
  });

  it('gives each paper account its own venue fed by the same prices; venue ids keep increasing across restarts', async () => {
    const scheduler = new VirtualScheduler(T0);
    const market = new PaperMarket({ speed: 300, scheduler });
    const a = market.venueFor({ id: 'a', kind: 'paper', venue: 'paper' })!;
    const b = market.venueFor({ id: 'b', kind: 'paper', venue: 'paper' })!;
    expect(a).not.toBe(b);
    expect(market.venueFor({ id: 'a', kind: 'paper', venue: 'paper' })).toBe(a);
    market.start();
    const trades: VenueStreamEvent[] = [];
    a.subscribe((e) => e.type === 'trade' && trades.push(e));
    const buy = a.createOrder({ clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01' });
    await pump(scheduler, 200);
    const order = await buy;
    expect(order.status).toBe('filled');
    await pump(scheduler, 200);
    expect(trades).toHaveLength(1);
    const openAtB = b.fetchOpenOrders();
    await pump(scheduler, 100);
    expect(await openAtB).toEqual([]);
    const firstTradeId = BigInt((trades[0] as Extract<VenueStreamEvent, { type: 'trade' }>).trade.tradeId);
    market.stop();

    // The backend restarts a second later: a new venue, whose ids must not collide with the old ones.
    const s2 = new VirtualScheduler(T0 + 1_000);
    const later = new PaperMarket({ speed: 300, scheduler: s2 });
    const again = later.venueFor({ id: 'a', kind: 'paper', venue: 'paper' })!;
    later.start();
    const next = again.createOrder({ clientOrderId: 'c2', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01' });
    await pump(s2, 200);
    expect(BigInt((await next).venueOrderId)).toBeGreaterThan(BigInt(order.venueOrderId));
    // Asked as reconciliation asks: trades since the last id booked before the restart (16 digits).
    const fetched = again.fetchMyTrades('BTC/USDT', { sinceTradeId: String(firstTradeId) });
    await pump(s2, 200);
    const mine = await fetched;
    expect(mine).toHaveLength(1);
    expect(BigInt(mine[0]!.tradeId)).toBeGreaterThan(firstTradeId);
    later.stop();
  });
});
