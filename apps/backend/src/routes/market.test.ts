import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { readCandlesCsv, type CandleSeries } from '@kestrel/exchanges';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { io as connect, type Socket } from 'socket.io-client';
import { singleVenue } from '../trading/testing/paper-venue.ts';
import { BTC_USDT_5M_CSV, replayMarket, type ReplayMarket } from '../trading/testing/replay-market.ts';

const BAR_MS = 300_000;
const START_INDEX = 100;

type Envelope<T = Record<string, unknown>> = { room: string; seq: number; ts: string; data: T };

function openSocket(stack: TestStack, token: string, sockets: Socket[]): Promise<Socket> {
  const s = connect(`${stack.backend.url}/trading`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('ready', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const ask = (s: Socket, event: string, payload: unknown) => new Promise<{ ok: boolean; room?: string; seq?: number; error?: { code: string; message: string } }>((resolve) => s.emit(event, payload, resolve));
const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe.each(dbTargets())('market data over REST and Socket.IO [%s]', (kind) => {
  let stack: TestStack;
  let m: ReplayMarket;
  let series: CandleSeries;
  // On a bar boundary just ahead of now: the first price is fresh (not stale).
  const startAt = Math.ceil(Date.now() / BAR_MS) * BAR_MS;
  const t: Record<string, string> = {};
  const sockets: Socket[] = [];

  beforeAll(async () => {
    series = await readCandlesCsv(BTC_USDT_5M_CSV);
    m = await replayMarket({ startAt, startIndex: START_INDEX });
    stack = await startTestStack({ kind, backendDeps: { venues: singleVenue(m.venue), market: m.market } });
    t.viewer = (await stack.platform.login('viewer', 'kestrel-viewer-demo', 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    m?.stop();
    await stack?.close();
  });

  it('lists the symbols with their steps, timeframe and source; needs a token', async () => {
    const res = await stack.api('/api/market/symbols', { token: t.viewer });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', timeframe: '5m', source: expect.objectContaining({ kind: 'replay', dataset: 'BTC_USDT-5m.csv' }) }),
    ]);
    expect((await stack.api('/api/market/symbols')).status).toBe(401);
  });

  it('ticker: the replay’s last price, moving as the market plays; unknown symbol 404, malformed 400', async () => {
    const first = await stack.api('/api/market/ticker?symbol=BTC/USDT', { token: t.traderB });
    expect(first.status).toBe(200);
    // The first tick of bar 100 is its open.
    expect(first.body).toMatchObject({ symbol: 'BTC/USDT', last: String(series.open[START_INDEX]), time: startAt, stale: false });
    expect(Number(first.body.bid)).toBeLessThanOrEqual(Number(first.body.last));
    expect(Number(first.body.ask)).toBeGreaterThan(Number(first.body.bid));
    m.step(3);
    const later = await stack.api(`/api/market/ticker?symbol=${encodeURIComponent('BTC/USDT')}`, { token: t.viewer });
    expect(later.body.last).toBe(String(series.close[START_INDEX]));
    expect(later.body.time).toBeGreaterThan(first.body.time);

    const unknown = await stack.api('/api/market/ticker?symbol=ETH/USDT', { token: t.viewer });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect(unknown.body.error.message).toContain('GET /api/market/symbols');
    const malformed = await stack.api('/api/market/ticker?symbol=btcusdt', { token: t.viewer });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(malformed.body.error.details)).toContain('BTC/USDT');
  });

  it('candles: the real bars already played (history first), oldest first, paged by since and limit', async () => {
    m.stepBars(1); // closes bar 100
    const res = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=5m', { token: t.viewer });
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{ time: number; open: number; high: number; low: number; close: number; volume: number }>;
    expect(items).toHaveLength(START_INDEX + 1);
    items.forEach((c, i) => {
      expect(c).toEqual({ time: startAt + (i - START_INDEX) * BAR_MS, open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i] });
    });
    // No look-ahead: the bar being played is not served.
    expect(items.at(-1)!.time).toBe(startAt);

    const lastThree = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=5m&limit=3', { token: t.viewer });
    expect(lastThree.body.items).toEqual(items.slice(-3));
    const since = items[90]!.time;
    const page = await stack.api(`/api/market/candles?symbol=BTC/USDT&timeframe=5m&since=${since}&limit=5`, { token: t.viewer });
    expect(page.body.items).toEqual(items.slice(90, 95));
  });

  it('candles: limit above 1000, an unserved or malformed timeframe and an unknown symbol are refused with what to do', async () => {
    const tooMany = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=5m&limit=1001', { token: t.viewer });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(tooMany.body.error.details)).toContain('at most 1000');
    expect((await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=5m&limit=1000', { token: t.viewer })).status).toBe(200);

    const unserved = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=1h', { token: t.viewer });
    expect(unserved.status).toBe(400);
    expect(unserved.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(unserved.body.error.message).toContain('timeframe=5m');
    const malformed = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=7x', { token: t.viewer });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.error.details)).toContain('e.g. 1m');
    const unknown = await stack.api('/api/market/candles?symbol=DOGE/USDT&timeframe=5m', { token: t.viewer });
    expect(unknown.status).toBe(404);
  });

  it('order book: `depth` levels a side around the last price; depth above 100 is 400', async () => {
    const res = await stack.api('/api/market/orderbook?symbol=BTC/USDT&depth=5', { token: t.viewer });
    expect(res.status).toBe(200);
    expect(res.body.bids).toHaveLength(5);
    expect(res.body.asks).toHaveLength(5);
    const last = m.lastPrice().price;
    expect(Number(res.body.bids[0][0])).toBeLessThanOrEqual(last);
    expect(Number(res.body.asks[0][0])).toBeGreaterThan(Number(res.body.bids[0][0]));
    expect(Number(res.body.bids[1][0])).toBeLessThan(Number(res.body.bids[0][0]));
    const deep = await stack.api('/api/market/orderbook?symbol=BTC/USDT&depth=101', { token: t.viewer });
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('sockets: subscribers of market:BTC/USDT in any tenant get ticks and candles with consecutive seq; others get nothing', async () => {
    const a = await openSocket(stack, t.viewer!, sockets);
    const b = await openSocket(stack, t.traderB!, sockets);
    const idle = await openSocket(stack, t.viewer!, sockets);
    const got = { a: [] as Array<[string, Envelope]>, b: [] as Array<[string, Envelope]>, idle: [] as unknown[] };
    for (const event of ['market.tick', 'market.candle']) {
      a.on(event, (e: Envelope) => got.a.push([event, e]));
      b.on(event, (e: Envelope) => got.b.push([event, e]));
      idle.on(event, (e: unknown) => got.idle.push(e));
    }
    const ackA = await ask(a, 'subscribe.market', { symbol: 'BTC/USDT' });
    expect(ackA).toMatchObject({ ok: true, room: 'market:BTC/USDT' });
    expect((await ask(b, 'subscribe.market', { symbol: 'BTC/USDT' })).ok).toBe(true);

    // Ticks spaced wider than the throttle window all arrive; then a bar closes.
    for (let i = 0; i < 3; i++) {
      m.step();
      await settle(300);
    }
    m.stepBars(1);
    await settle();

    const ticks = got.a.filter(([e]) => e === 'market.tick');
    const candles = got.a.filter(([e]) => e === 'market.candle');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(candles).toHaveLength(1);
    expect(ticks[0]![1]).toMatchObject({ room: 'market:BTC/USDT', data: { symbol: 'BTC/USDT' } });
    expect(typeof (ticks[0]![1].data as { price: unknown }).price).toBe('string');
    // The candle pushed is the bar the REST route now serves last.
    const rest = await stack.api('/api/market/candles?symbol=BTC/USDT&timeframe=5m&limit=1', { token: t.viewer });
    expect(candles[0]![1].data).toEqual({ symbol: 'BTC/USDT', timeframe: '5m', candle: rest.body.items[0] });
    // One seq per event of the room, starting after the seq the ack reported: no gap, no repeat.
    expect(got.a.map(([, e]) => e.seq)).toEqual(got.a.map((_, i) => ackA.seq! + 1 + i));
    expect(got.b.map(([, e]) => e.seq)).toEqual(got.a.map(([, e]) => e.seq));
    expect(got.idle).toEqual([]);

    expect((await ask(a, 'unsubscribe.market', { symbol: 'BTC/USDT' })).ok).toBe(true);
    const before = got.a.length;
    m.stepBars(1);
    await settle();
    expect(got.a).toHaveLength(before);
    expect(got.b.length).toBeGreaterThan(before);
  });

  it('sockets: a burst of ticks is throttled (held-back ticks give way to the bar close), every candle arrives; bad requests are refused', async () => {
    const s = await openSocket(stack, t.viewer!, sockets);
    expect(await ask(s, 'subscribe.market', { symbol: 'ETH/USDT' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask(s, 'subscribe.market', { profileId: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await ask(s, 'subscribe.market', { symbol: 'BTC/USDT' })).ok).toBe(true);
    const ticks: Envelope<{ price: string; time: number }>[] = [];
    const candles: Envelope[] = [];
    s.on('market.tick', (e: Envelope<{ price: string; time: number }>) => ticks.push(e));
    s.on('market.candle', (e: Envelope) => candles.push(e));
    await settle(300); // past any throttle window of the previous test
    // 40 bars in one synchronous burst: 160 ticks and 40 closes.
    m.stepBars(40);
    await settle(600);
    expect(candles).toHaveLength(40);
    // Without the throttle this would be 160: the first tick, then at most the one held back.
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(2);
    // Every event still carries the next seq of the room.
    const seqs = [...ticks, ...candles].map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });
});

describe('market data without a market feed', () => {
  let stack: TestStack;
  let token = '';
  const sockets: Socket[] = [];
  beforeAll(async () => {
    stack = await startTestStack({ kind: 'pglite' });
    token = (await stack.platform.login('viewer', 'kestrel-viewer-demo', 'demo')).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE saying the feed is not running, on REST and on subscribe.market', async () => {
    for (const path of ['/api/market/symbols', '/api/market/ticker?symbol=BTC/USDT', '/api/market/candles?symbol=BTC/USDT&timeframe=5m', '/api/market/orderbook?symbol=BTC/USDT']) {
      const res = await stack.api(path, { token });
      expect(res.status, path).toBe(503);
      expect(res.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(res.body.error.message).toContain('market data feed is not running');
    }
    const s = await openSocket(stack, token, sockets);
    expect(await ask(s, 'subscribe.market', { symbol: 'BTC/USDT' })).toMatchObject({ ok: false, error: { code: 'DEPENDENCY_UNAVAILABLE' } });
  });
});
