import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, migrate, orders } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec, type Intent } from '@kestrel/trading-core';
import {
  ExchangeError,
  fixedLatency,
  PaperExchange,
  PaperMatchingEngine,
  systemScheduler,
  VirtualScheduler,
  type CreateOrderRequest,
  type ExchangeAdapter,
  type FaultLogEntry,
  type Scheduler,
  type VenueRateLimit,
} from '@kestrel/exchanges';
import { OrderPipeline } from './order-pipeline.ts';
import { BTC_USDT, singleVenue, tradingFixture } from './testing/paper-venue.ts';
import { guardVenue, VenueGuard } from './venue-guard.ts';

/** The real paper exchange with a request limit (429, then 418 for a client that ignores Retry-After). */
function limitedVenue(scheduler: Scheduler, rateLimit?: VenueRateLimit, latencyMs = 5): PaperExchange {
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' }, config: { takerFeeRate: '0.001', makerFeeRate: '0.001' } });
  engine.onTick('BTC/USDT', 100, scheduler.now());
  return new PaperExchange({
    engine,
    scheduler,
    latency: { request: fixedLatency(latencyMs), response: fixedLatency(latencyMs), stream: fixedLatency(latencyMs) },
    ...(rateLimit ? { rateLimit } : {}),
    faults: { banMs: 5_000 },
    onListenerError: () => {},
  });
}

/** Runs virtual time until every promise has settled. */
async function settle<T>(scheduler: VirtualScheduler, promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  let done = false;
  const all = Promise.allSettled(promises).then((r) => {
    done = true;
    return r;
  });
  for (let i = 0; i < 20_000 && !done; i++) await scheduler.advanceAsync(50);
  return all;
}
async function run<T>(scheduler: VirtualScheduler, p: Promise<T>): Promise<T> {
  const [r] = await settle(scheduler, [p]);
  if (r!.status === 'rejected') throw r!.reason;
  return r!.value;
}
async function failure(scheduler: VirtualScheduler, p: Promise<unknown>): Promise<ExchangeError> {
  const [r] = await settle(scheduler, [p]);
  if (r!.status === 'fulfilled') throw new Error('expected the call to fail');
  expect(r!.reason).toBeInstanceOf(ExchangeError);
  return r!.reason as ExchangeError;
}

const buy = (id: string, qty = '0.1'): CreateOrderRequest => ({ clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: qty });

/** Calls that reached the venue's door (refused ones included), in arrival order. */
const calls = (x: PaperExchange) => x.log.entries.filter((e) => e.call !== 'stream' && e.fault !== 'unknown_order');
const refused = (x: PaperExchange, code: 'RATE_LIMITED' | 'BANNED') => calls(x).filter((e) => e.outcome === code);

/** No request reached the venue inside [from, until). */
function quietBetween(entries: FaultLogEntry[], from: number, until: number): FaultLogEntry[] {
  return entries.filter((e) => e.at > from && e.at < until);
}

describe('VenueGuard on the real paper exchange', () => {
  it('control: a client that ignores Retry-After is banned (418) by the venue, so the checks below can fail', async () => {
    const s = new VirtualScheduler(1_000_000);
    const x = limitedVenue(s, { maxRequests: 3, windowMs: 1_000 });
    for (let i = 0; i < 3; i++) await run(s, x.fetchTicker('BTC/USDT'));
    expect((await failure(s, x.fetchTicker('BTC/USDT'))).code).toBe('RATE_LIMITED');
    expect((await failure(s, x.createOrder(buy('c-1')))).code).toBe('BANNED');
    expect(x.engine.stats.submitted).toBe(0);
  });

  it('after a 429 no request goes out until Retry-After has passed; the order waits and is placed exactly once; no 418', async () => {
    const s = new VirtualScheduler(1_000_000);
    const x = limitedVenue(s, { maxRequests: 3, windowMs: 1_000 });
    // The guard runs on the venue's (virtual) scheduler.
    const guard = new VenueGuard(x, { scheduler: s });
    for (let i = 0; i < 3; i++) await run(s, guard.fetchTicker('BTC/USDT'));
    const limited = await failure(s, guard.fetchTicker('BTC/USDT'));
    // The venue's own refusal, passed through unchanged.
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryable: true, ambiguous: false, venue: 'paper' });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(guard.state.blockedBy).toBe('RATE_LIMITED');

    const order = await run(s, guard.createOrder(buy('g-1')));
    expect(order).toMatchObject({ clientOrderId: 'g-1', status: 'filled' });

    const [r429] = refused(x, 'RATE_LIMITED');
    const waitEnd = r429!.at + limited.retryAfterMs!;
    expect(quietBetween(calls(x), r429!.at, waitEnd)).toEqual([]);
    expect(refused(x, 'BANNED')).toEqual([]);
    const creates = calls(x).filter((e) => e.call === 'createOrder');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.at).toBeGreaterThanOrEqual(waitEnd);
    expect(x.log.reachedEngine('createOrder')).toBe(1);
    expect(x.engine.stats.submitted).toBe(1);
    expect(guard.state.waited).toBe(1);
  });

  it('after a 418 no call at all reaches the venue until the ban ends: reads fail fast with BANNED, the order waits and is placed once', async () => {
    const s = new VirtualScheduler(2_000_000);
    const x = limitedVenue(s);
    const guard = new VenueGuard(x, { scheduler: s, maxReadWaitMs: 1_000 });
    x.faults.script('fetchTicker', { kind: 'banned', banMs: 5_000 });
    const ban = await failure(s, guard.fetchTicker('BTC/USDT'));
    expect(ban).toMatchObject({ code: 'BANNED', retryable: true });
    expect(guard.state.blockedBy).toBe('BANNED');
    const bannedUntil = x.bannedUntil;
    const before = calls(x).length;

    // A read during the ban is not sent: the same retryable code, with how long is left.
    const fast = await failure(s, guard.fetchOrder({ clientOrderId: 'nope', symbol: 'BTC/USDT' }));
    expect(fast).toMatchObject({ code: 'BANNED', retryable: true, ambiguous: false });
    expect(fast.retryAfterMs).toBeGreaterThan(1_000);
    expect(fast.message).toMatch(/not sent.*retry after/);
    expect(calls(x)).toHaveLength(before);

    // Writes wait the ban out, together with more reads that do not mind waiting.
    // A second client that knows of no ban calls meanwhile: the venue refuses it (418), which shows
    // the log would catch a guarded call made during the ban too.
    const [placed, unaware] = await settle<unknown>(s, [guard.createOrder(buy('b-1')), new VenueGuard(x, { scheduler: s }).fetchBalances()]);
    expect(placed).toMatchObject({ status: 'fulfilled', value: { clientOrderId: 'b-1', status: 'filled' } });
    expect(unaware!.status).toBe('rejected');
    const banEntry = refused(x, 'BANNED')[0]!;
    const create = calls(x).find((e) => e.call === 'createOrder')!;
    expect(create.at).toBeGreaterThanOrEqual(bannedUntil);
    expect(quietBetween(calls(x).filter((e) => e.call !== 'fetchBalances'), banEntry.at, bannedUntil)).toEqual([]);
    expect(x.engine.stats.submitted).toBe(1);
  });

  it('a client-side request budget keeps a concurrent burst under the venue limit: no 429, no 418, every order placed once', async () => {
    const s = new VirtualScheduler(3_000_000);
    const limit = { maxRequests: 3, windowMs: 500 };
    // Control: the same burst without a budget draws 429s and a ban.
    const raw = limitedVenue(s, limit);
    await settle<unknown>(s, Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? raw.createOrder(buy(`raw-${i}`)) : raw.fetchTicker('BTC/USDT'))));
    expect(refused(raw, 'RATE_LIMITED').length + refused(raw, 'BANNED').length).toBeGreaterThan(0);

    const x = limitedVenue(s, limit);
    const guard = new VenueGuard(x, { scheduler: s, requestLimit: limit, maxReadWaitMs: 60_000 });
    const results = await settle<unknown>(s, Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? guard.createOrder(buy(`o-${i}`)) : guard.fetchTicker('BTC/USDT'))));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(refused(x, 'RATE_LIMITED')).toEqual([]);
    expect(refused(x, 'BANNED')).toEqual([]);
    expect(x.engine.stats.submitted).toBe(4);
    expect(new Set(calls(x).filter((e) => e.call === 'createOrder').map((e) => e.clientOrderId)).size).toBe(4);
  });

  it('is transparent otherwise: the same results and the same errors as the venue; one guard per venue connection', async () => {
    const s = new VirtualScheduler(4_000_000);
    const x = limitedVenue(s);
    const guard = new VenueGuard(x, { scheduler: s });
    await run(s, guard.createOrder(buy('t-1')));
    expect(await run(s, guard.fetchOrder({ clientOrderId: 't-1', symbol: 'BTC/USDT' }))).toEqual(await run(s, x.fetchOrder({ clientOrderId: 't-1', symbol: 'BTC/USDT' })));
    expect(await run(s, guard.fetchMyTrades('BTC/USDT'))).toEqual(await run(s, x.fetchMyTrades('BTC/USDT')));
    const viaGuard = await failure(s, guard.createOrder({ ...buy('t-2'), symbol: 'DOGE/USDT' }));
    const direct = await failure(s, x.createOrder({ ...buy('t-3'), symbol: 'DOGE/USDT' }));
    expect({ code: viaGuard.code, retryable: viaGuard.retryable, ambiguous: viaGuard.ambiguous }).toEqual({ code: direct.code, retryable: direct.retryable, ambiguous: direct.ambiguous });
    const notFound = await failure(s, guard.cancelOrder({ clientOrderId: 't-1', symbol: 'BTC/USDT' }));
    expect(notFound.code).toBe('ORDER_NOT_FOUND');
    expect(guard.state).toMatchObject({ blockedBy: null, waited: 0, refusedLocally: 0 });

    const adapter: ExchangeAdapter = x;
    expect(guardVenue(adapter)).toBe(guardVenue(adapter));
    expect(guardVenue(guardVenue(adapter))).toBe(guardVenue(adapter));
    expect(() => new VenueGuard(x, { requestLimit: { maxRequests: 0, windowMs: 10 } })).toThrow(/requestLimit/);
  });
});

const logger = createLogger({ name: 'test', level: 'silent' });

describe.each(dbTargets())('VenueGuard under the order pipeline [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  it('two profiles on one venue connection: while one order waits out a 429, the other profile sends nothing; each order placed exactly once; no ban', async () => {
    const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' } });
    engine.onTick('BTC/USDT', 100, Date.now());
    const x = new PaperExchange({
      engine,
      scheduler: systemScheduler(),
      latency: { request: fixedLatency(1), response: fixedLatency(0), stream: fixedLatency(1) },
      rateLimit: { maxRequests: 50, windowMs: 1_000 },
      faults: { banMs: 60_000 },
      onListenerError: () => {},
    });
    const a = await tradingFixture(database);
    const b = await tradingFixture(database);
    // One venue connection for both accounts, guarded (what the runtime does with every venue).
    const pipeline = new OrderPipeline(database, singleVenue(guardVenue(x)), logger, undefined, { lookupIntervalMs: 20 });
    const limitBuy: Intent = { kind: 'order', side: 'buy', orderType: 'limit', quantity: dec('0.1'), price: dec('99'), reason: 'rate limit' };
    const submit = (p: { tenantId: string; profileId: string }) => pipeline.submit({ tenantId: p.tenantId, profileId: p.profileId, intent: limitBuy, source: 'strategy' });
    for (let round = 1; round <= 3; round++) {
      x.faults.script('createOrder', { kind: 'rate_limited', retryAfterMs: 400 });
      const first = submit(a);
      // Profile B starts once A's send was refused: its calls fall inside A's Retry-After wait.
      for (let i = 0; i < 1_000 && refused(x, 'RATE_LIMITED').length < round; i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 10));
      const second = submit(b);
      for (const r of await Promise.all([first, second])) expect(r.order?.status, r.decision.reason).toBe('accepted');
    }
    await pipeline.drain();
    pipeline.close();

    expect(refused(x, 'RATE_LIMITED')).toHaveLength(3);
    // The venue bans (418) any request that arrives during a Retry-After wait: none did.
    expect(refused(x, 'BANNED')).toEqual([]);
    const rows = await database.db.select().from(orders).where(inArray(orders.profileId, [a.profileId, b.profileId]));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const sent = calls(x).filter((e) => e.call === 'createOrder' && e.clientOrderId === row.clientOrderId && e.reachedEngine);
      expect(sent, row.clientOrderId).toHaveLength(1);
    }
    expect(engine.stats.submitted).toBe(6);
  });
});
