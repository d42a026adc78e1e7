import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange-error.ts';
import type { VenueStreamEvent } from '../port.ts';
import { VirtualScheduler } from '../time/virtual-scheduler.ts';
import { fixedLatency } from './latency.ts';
import { PaperExchange, type PaperExchangeOptions } from './paper-exchange.ts';
import { PaperMatchingEngine } from './matching-engine.ts';
import { BTC_USDT, order, settle } from './testing-fixtures.ts';

function setup(options: Partial<PaperExchangeOptions> = {}) {
  const scheduler = new VirtualScheduler(1_700_000_000_000);
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000', BTC: '1' } });
  engine.onTick('BTC/USDT', 20000, scheduler.now());
  const exchange = new PaperExchange({
    engine,
    scheduler,
    seed: 7,
    latency: { request: fixedLatency(10), response: fixedLatency(20), stream: fixedLatency(5) },
    ...options,
  });
  const stream: VenueStreamEvent[] = [];
  exchange.subscribe((e) => stream.push(e));
  return { scheduler, engine, exchange, stream };
}

const describeEvent = (e: VenueStreamEvent) => (e.type === 'order' ? `order:${e.order.status}` : e.type === 'trade' ? `trade:${e.trade.tradeId}` : e.type);

describe('PaperExchange: the normal path', () => {
  it('answers after request + response latency and streams the order and its fill', async () => {
    const { scheduler, exchange, stream } = setup();
    const start = scheduler.now();
    const call = settle(exchange.createOrder(order({ clientOrderId: 'a1', quantity: '0.1' })));
    await scheduler.advanceAsync(29);
    expect(call.done).toBe(false);
    await scheduler.advanceAsync(1);
    expect(call.value).toMatchObject({ clientOrderId: 'a1', status: 'filled', createdAt: start + 10 });
    expect(stream.map(describeEvent)).toEqual(['order:open', 'trade:1', 'order:filled']);
    const found = settle(exchange.fetchOrder({ clientOrderId: 'a1', symbol: 'BTC/USDT' }));
    const trades = settle(exchange.fetchMyTrades('BTC/USDT', { sinceTradeId: '0' }));
    const ticker = settle(exchange.fetchTicker('BTC/USDT'));
    const book = settle(exchange.fetchOrderBook('BTC/USDT', 2));
    const markets = settle(exchange.loadMarkets());
    await scheduler.advanceAsync(30);
    expect(found.value).toMatchObject({ status: 'filled', filledQuantity: '0.1' });
    expect((trades.value as unknown[]).length).toBe(1);
    expect(ticker.value).toMatchObject({ last: '20000', bid: '20000', ask: '20000.1' });
    expect(book.value).toMatchObject({ bids: [['20000', '1'], ['19999.9', '1']], asks: [['20000.1', '1'], ['20000.2', '1']] });
    expect(markets.value).toEqual([BTC_USDT]);
    expect(exchange.log.calls('createOrder')).toBe(1);
    expect(exchange.log.reachedEngine('createOrder')).toBe(1);
  });

  it('rejects a venue refusal with its code after the round trip', async () => {
    const { scheduler, exchange } = setup();
    const call = settle(exchange.createOrder(order({ clientOrderId: 'big', quantity: '100' })));
    await scheduler.advanceAsync(30);
    expect(call.error).toBeInstanceOf(ExchangeError);
    expect(call.error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', retryable: false, ambiguous: false });
  });
});

describe('PaperExchange: ambiguous submits', () => {
  it('time-out: the order IS placed, the caller waits timeoutMs and gets TIMEOUT (ambiguous); a lookup finds it', async () => {
    const { scheduler, exchange, engine } = setup({ faults: { timeoutMs: 5_000 } });
    exchange.faults.script('createOrder', { kind: 'timeout' });
    const call = settle(exchange.createOrder(order({ clientOrderId: 't1' })));
    await scheduler.advanceAsync(4_999);
    expect(call.done).toBe(false);
    expect(engine.getOrder('t1')!.status).toBe('filled');
    await scheduler.advanceAsync(1);
    expect(call.error).toMatchObject({ code: 'TIMEOUT', retryable: true, ambiguous: true });
    const lookup = settle(exchange.fetchOrder({ clientOrderId: 't1', symbol: 'BTC/USDT' }));
    await scheduler.advanceAsync(30);
    expect(lookup.value).toMatchObject({ clientOrderId: 't1', status: 'filled' });
    expect(exchange.log.reachedEngine('createOrder')).toBe(1);
    expect(exchange.log.faults('timeout')).toBe(1);
  });

  it('a blind resend after a time-out doubles an instantly filled order (venues only refuse ids of open orders)', async () => {
    const { scheduler, exchange, engine } = setup();
    exchange.faults.script('createOrder', { kind: 'timeout' });
    const first = settle(exchange.createOrder(order({ clientOrderId: 'dbl' })));
    await scheduler.advanceAsync(10_000);
    expect(first.error).toMatchObject({ code: 'TIMEOUT' });
    const resend = settle(exchange.createOrder(order({ clientOrderId: 'dbl' })));
    await scheduler.advanceAsync(30);
    expect(resend.value).toMatchObject({ status: 'filled' });
    expect(engine.stats.trades).toBe(2); // the hazard the order pipeline must avoid
  });

  it('dropped response: placed, the caller gets NETWORK (ambiguous)', async () => {
    const { scheduler, exchange, engine } = setup();
    exchange.faults.script('createOrder', { kind: 'drop_response' });
    const call = settle(exchange.createOrder(order({ clientOrderId: 'd1', type: 'limit', price: '19000' })));
    await scheduler.advanceAsync(30);
    expect(call.error).toMatchObject({ code: 'NETWORK', ambiguous: true, retryable: true });
    expect(engine.getOrder('d1')!.status).toBe('open');
  });

  it('5xx: EXCHANGE_UNAVAILABLE, ambiguous for writes, placed or not as scripted; never ambiguous for reads', async () => {
    const { scheduler, exchange, engine } = setup();
    exchange.faults.script('createOrder', { kind: 'server_error', placed: false });
    exchange.faults.script('createOrder', { kind: 'server_error', placed: true });
    exchange.faults.script('fetchBalances', { kind: 'server_error' });
    const notPlaced = settle(exchange.createOrder(order({ clientOrderId: 'n1' })));
    const placed = settle(exchange.createOrder(order({ clientOrderId: 'p1' })));
    const read = settle(exchange.fetchBalances());
    await scheduler.advanceAsync(30);
    for (const c of [notPlaced, placed]) expect(c.error).toMatchObject({ code: 'EXCHANGE_UNAVAILABLE', ambiguous: true, retryable: true });
    expect(read.error).toMatchObject({ code: 'EXCHANGE_UNAVAILABLE', ambiguous: false });
    expect(engine.getOrder('n1')).toBeNull();
    expect(engine.getOrder('p1')!.status).toBe('filled');
    expect(exchange.log.reachedEngine('createOrder')).toBe(1);
  });

  it('a time-out on cancel still cancels', async () => {
    const { scheduler, exchange, engine } = setup();
    const placed = settle(exchange.createOrder(order({ clientOrderId: 'c1', type: 'limit', price: '19000' })));
    await scheduler.advanceAsync(30);
    expect(placed.value).toMatchObject({ status: 'open' });
    exchange.faults.script('cancelOrder', { kind: 'timeout' });
    const cancel = settle(exchange.cancelOrder({ clientOrderId: 'c1', symbol: 'BTC/USDT' }));
    await scheduler.advanceAsync(10_000);
    expect(cancel.error).toMatchObject({ code: 'TIMEOUT', ambiguous: true });
    expect(engine.getOrder('c1')!.status).toBe('cancelled');
  });
});

describe('PaperExchange: rate limits and bans', () => {
  it('429 then 418: a client that ignores Retry-After is banned, and nothing reaches the engine during the ban', async () => {
    const { scheduler, exchange, engine } = setup({ faults: { banMs: 60_000 } });
    exchange.faults.script('createOrder', { kind: 'rate_limited', retryAfterMs: 1_000 });
    const first = settle(exchange.createOrder(order({ clientOrderId: 'r1' })));
    await scheduler.advanceAsync(30);
    expect(first.error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, ambiguous: false, retryAfterMs: 1_000 });
    const tooSoon = settle(exchange.createOrder(order({ clientOrderId: 'r1' })));
    await scheduler.advanceAsync(30);
    expect(tooSoon.error).toMatchObject({ code: 'BANNED', retryAfterMs: 60_000 });
    const during = [settle(exchange.createOrder(order({ clientOrderId: 'r1' }))), settle(exchange.fetchTicker('BTC/USDT')), settle(exchange.fetchOrder({ clientOrderId: 'r1', symbol: 'BTC/USDT' }))];
    await scheduler.advanceAsync(30_000);
    for (const c of during) expect(c.error).toMatchObject({ code: 'BANNED' });
    expect((during[0]!.error as ExchangeError).retryAfterMs).toBe(60_000 - 30);
    expect(exchange.log.reachedEngine('createOrder')).toBe(0);
    expect(engine.stats.submitted).toBe(0);
    await scheduler.advanceAsync(30_000);
    const after = settle(exchange.createOrder(order({ clientOrderId: 'r1' })));
    await scheduler.advanceAsync(30);
    expect(after.value).toMatchObject({ status: 'filled' });
  });

  it('a client that waits for Retry-After is not banned', async () => {
    const { scheduler, exchange } = setup();
    exchange.faults.script('fetchTicker', { kind: 'rate_limited', retryAfterMs: 500 });
    const first = settle(exchange.fetchTicker('BTC/USDT'));
    await scheduler.advanceAsync(30);
    await scheduler.advanceAsync((first.error as ExchangeError).retryAfterMs!);
    const again = settle(exchange.fetchTicker('BTC/USDT'));
    await scheduler.advanceAsync(30);
    expect(again.value).toMatchObject({ last: '20000' });
  });

  it("enforces the venue's request limit by itself", async () => {
    const { scheduler, exchange } = setup({ rateLimit: { maxRequests: 3, windowMs: 1_000 } });
    const calls = Array.from({ length: 4 }, () => settle(exchange.fetchBalances()));
    await scheduler.advanceAsync(30);
    expect(calls.slice(0, 3).every((c) => c.value !== undefined)).toBe(true);
    expect(calls[3]!.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1_000 });
  });

  it('a scripted 418 refuses every call until the ban ends', async () => {
    const { scheduler, exchange } = setup();
    exchange.faults.script('fetchBalances', { kind: 'banned', banMs: 2_000 });
    const banned = settle(exchange.fetchBalances());
    await scheduler.advanceAsync(30);
    expect(banned.error).toMatchObject({ code: 'BANNED', retryAfterMs: 2_000 });
    expect(exchange.bannedUntil).toBe(scheduler.now() - 20 + 2_000);
    const during = settle(exchange.loadMarkets());
    await scheduler.advanceAsync(30);
    expect(during.error).toMatchObject({ code: 'BANNED' });
    await scheduler.advanceAsync(2_000);
    const after = settle(exchange.loadMarkets());
    await scheduler.advanceAsync(30);
    expect(after.value).toHaveLength(1);
  });
});

describe('PaperExchange: stream faults', () => {
  it('delivers the same trade twice (duplicate fill)', async () => {
    const { scheduler, exchange, stream } = setup();
    exchange.faults.scriptStream('duplicate_fill');
    const call = settle(exchange.createOrder(order({ clientOrderId: 'dup' })));
    await scheduler.advanceAsync(30);
    expect(call.value).toBeDefined();
    expect(stream.map(describeEvent)).toEqual(['order:open', 'trade:1', 'trade:1', 'order:filled']);
    expect(exchange.log.faults('duplicate_fill')).toBe(1);
  });

  it('delivers the fill before the order acknowledgement and before the REST response (out of order)', async () => {
    const { scheduler, exchange, stream } = setup({ latency: { request: fixedLatency(10), response: fixedLatency(1), stream: fixedLatency(50) } });
    exchange.faults.scriptStream('out_of_order_fill');
    const seenAtResponse: string[] = [];
    const call = exchange.createOrder(order({ clientOrderId: 'ooo' })).then((o) => {
      seenAtResponse.push(...stream.map(describeEvent));
      return o;
    });
    await scheduler.advanceAsync(100);
    await call;
    expect(seenAtResponse[0]).toBe('trade:1');
    expect(stream.map(describeEvent)).toEqual(['trade:1', 'order:open', 'order:filled']);
  });

  it('fills of resting orders (driven by prices) go out on the stream with its latency', async () => {
    const { scheduler, exchange, engine, stream } = setup();
    const placed = settle(exchange.createOrder(order({ clientOrderId: 'rest', type: 'limit', price: '19900' })));
    await scheduler.advanceAsync(30);
    expect(placed.value).toMatchObject({ status: 'open' });
    stream.length = 0;
    engine.onTick('BTC/USDT', 19850, scheduler.now());
    await scheduler.advanceAsync(4);
    expect(stream).toHaveLength(0);
    await scheduler.advanceAsync(1);
    expect(stream.map(describeEvent)).toEqual(['trade:1', 'order:filled']);
  });
});

describe('PaperExchange: the unknown-order window', () => {
  it('answers null for a while after a successful submit, then shows the order, filled later', async () => {
    const { scheduler, exchange, engine } = setup();
    exchange.faults.scriptUnknownOrder({ ms: 500, calls: 3 });
    const placed = settle(exchange.createOrder(order({ clientOrderId: 'u1', type: 'limit', price: '19900' })));
    await scheduler.advanceAsync(30);
    expect(placed.value).toMatchObject({ status: 'open' });
    const ref = { clientOrderId: 'u1', symbol: 'BTC/USDT' };
    const misses: (unknown | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = settle(exchange.fetchOrder(ref));
      await scheduler.advanceAsync(30);
      misses.push(r.value);
    }
    expect(misses).toEqual([null, null, null]);
    const cancel = settle(exchange.cancelOrder(ref));
    const open = settle(exchange.fetchOpenOrders('BTC/USDT'));
    await scheduler.advanceAsync(30);
    expect(cancel.error).toMatchObject({ code: 'ORDER_NOT_FOUND', ambiguous: false });
    expect(open.value).toEqual([]);
    expect(engine.getOrder('u1')!.status).toBe('open'); // the cancel never reached the engine
    await scheduler.advanceAsync(500);
    engine.onTick('BTC/USDT', 19900, scheduler.now());
    const later = settle(exchange.fetchOrder(ref));
    await scheduler.advanceAsync(30);
    expect(later.value).toMatchObject({ status: 'filled', filledQuantity: '0.01' });
    expect(exchange.log.faults('unknown_order')).toBe(1);
  });
});

describe('PaperExchange: determinism', () => {
  async function run(seed: number) {
    const { scheduler, exchange, engine, stream } = setup({
      seed,
      latency: undefined,
      faults: {
        calls: { createOrder: { timeout: 0.15, dropResponse: 0.15, serverError: 0.15 }, all: { serverError: 0.1 } },
        stream: { duplicateFill: 0.2, outOfOrderFill: 0.2 },
        unknownOrderWindow: { probability: 0.3, calls: 1 },
        timeoutMs: 2_000,
      },
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const c = settle(exchange.createOrder(order({ clientOrderId: `o${i}`, side: i % 2 ? 'sell' : 'buy' })));
      const f = settle(exchange.fetchOrder({ clientOrderId: `o${i}`, symbol: 'BTC/USDT' }));
      await scheduler.advanceAsync(2_100);
      outcomes.push(`${c.error ? (c.error as ExchangeError).code : 'ok'}/${f.error ? (f.error as ExchangeError).code : f.value === null ? 'null' : 'found'}`);
      engine.onTick('BTC/USDT', 20000 + (i % 7) * 10, scheduler.now());
    }
    return { outcomes, log: exchange.log.entries, trades: engine.trades('BTC/USDT', '0'), stream: stream.map(describeEvent), placed: engine.stats.submitted, reached: exchange.log.reachedEngine('createOrder') };
  }

  it('replays the same latencies, faults, trades and stream from the same seed', async () => {
    const a = await run(11);
    const b = await run(11);
    expect(b).toEqual(a);
    expect(new Set(a.outcomes).size).toBeGreaterThan(3);
    expect(a.placed).toBe(a.reached);
    const c = await run(12);
    expect(c.outcomes).not.toEqual(a.outcomes);
  });
});

describe('PaperExchange: what a correct order pipeline does with it', () => {
  it('after an ambiguous submit it looks the order up (with hysteresis) instead of resending: one venue order', async () => {
    const { scheduler, exchange, engine } = setup({ faults: { timeoutMs: 3_000 } });
    exchange.faults.script('createOrder', { kind: 'timeout' });
    exchange.faults.scriptUnknownOrder({ ms: 2_000, calls: 2 });
    const ref = { clientOrderId: 'kPipeline1', symbol: 'BTC/USDT' };

    const resolve = async (): Promise<string> => {
      try {
        return (await exchange.createOrder(order({ ...ref, type: 'limit', price: '19900' }))).status;
      } catch (error) {
        if (!(error instanceof ExchangeError) || !error.ambiguous) throw error;
      }
      // Ambiguous: never resend blindly. Several misses over a window before calling it lost.
      for (let miss = 0; miss < 10; miss++) {
        const found = await exchange.fetchOrder(ref);
        if (found) return `found:${found.status}`;
        await new Promise<void>((r) => scheduler.setTimeout(r, 500));
      }
      return 'lost';
    };
    const outcome = settle(resolve());
    await scheduler.advanceAsync(10_000);
    expect(outcome.value).toBe('found:open');
    expect(exchange.log.calls('createOrder')).toBe(1);
    expect(engine.openOrders()).toHaveLength(1);
    expect(exchange.log.entries.filter((e) => e.call === 'fetchOrder').length).toBeGreaterThanOrEqual(2);
  });
});
