import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { eq, fills, migrate, orderEvents, orders, positions, rowsOf, sql } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { captureLogger } from '@kestrel/test-stack';
import { dec, type Intent } from '@kestrel/trading-core';
import { PaperExchange, PaperMatchingEngine, systemScheduler, uniformLatency, type ExchangeAdapter, type VenueOrder, type VenueStreamEvent, type VenueTrade } from '@kestrel/exchanges';
import { storedBalances } from './ledger-store.ts';
import { OrderPipeline } from './order-pipeline.ts';
import { BTC_USDT, paperVenue, singleVenue, tradingFixture } from './testing/paper-venue.ts';

const silent = createLogger({ name: 'test', level: 'silent' });
const limit = (side: 'buy' | 'sell', qty: string, price: string): Intent => ({ kind: 'order', side, orderType: 'limit', quantity: dec(qty), price: dec(price), reason: 'test' });
const market = (qty: string): Intent => ({ kind: 'order', side: 'buy', orderType: 'market', quantity: dec(qty), reason: 'test' });

/**
 * A venue whose answers and stream events go through `corrupt` first: a stand-in for a venue (or
 * an adapter bug) that sends NaN, negative, missing or absurd values.
 */
function corrupting(venue: PaperExchange) {
  const c: { order?: (o: VenueOrder) => unknown; trade?: (t: VenueTrade) => unknown } = {};
  const mapOrder = (o: VenueOrder) => (c.order ? c.order(o) : o) as VenueOrder;
  const mapTrade = (t: VenueTrade) => (c.trade ? c.trade(t) : t) as VenueTrade;
  const adapter: ExchangeAdapter = {
    venue: venue.venue,
    loadMarkets: () => venue.loadMarkets(),
    fetchTicker: (s) => venue.fetchTicker(s),
    fetchCandles: (s, tf, since, n) => venue.fetchCandles(s, tf, since, n),
    fetchOrderBook: (s, d) => venue.fetchOrderBook(s, d),
    fetchBalances: () => venue.fetchBalances(),
    createOrder: async (r) => mapOrder(await venue.createOrder(r)),
    cancelOrder: async (r) => mapOrder(await venue.cancelOrder(r)),
    fetchOrder: async (r) => {
      const o = await venue.fetchOrder(r);
      return o === null ? null : mapOrder(o);
    },
    fetchOpenOrders: async (s) => (await venue.fetchOpenOrders(s)).map(mapOrder),
    fetchMyTrades: async (s, o) => (await venue.fetchMyTrades(s, o)).map(mapTrade),
    subscribe: (listener) =>
      venue.subscribe((e: VenueStreamEvent) => {
        if (e.type === 'order') listener({ type: 'order', order: mapOrder(e.order) });
        else if (e.type === 'trade') listener({ type: 'trade', trade: mapTrade(e.trade) });
        else listener(e);
      }),
  };
  return { adapter, corrupt: c };
}

const settle = (ms = 80) => new Promise((r) => setTimeout(r, ms));

describe.each(dbTargets())('exchange robustness [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  /** Everything the venue's word can change for a tenant, as plain data. */
  const snapshot = async (tenantId: string) =>
    database.withTenant({ allTenants: true }, async (tx) => ({
      orders: await tx.select().from(orders).where(eq(orders.tenantId, tenantId)).orderBy(orders.id),
      steps: await tx.select().from(orderEvents).where(eq(orderEvents.tenantId, tenantId)).orderBy(orderEvents.id),
      fills: await tx.select().from(fills).where(eq(fills.tenantId, tenantId)).orderBy(fills.id),
      positions: await tx.select().from(positions).where(eq(positions.tenantId, tenantId)),
      ledger: rowsOf(await tx.execute(sql`select transaction_id, account, currency, amount::text from ledger_entries where tenant_id = ${tenantId} order by transaction_id, account, currency`)),
    }));
  const balances = async (profileId: string) =>
    Object.fromEntries((await database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, profileId))).map((b) => [b.account, b.balance.toFixed()]));
  const orderRow = async (id: string) => (await database.db.select().from(orders).where(eq(orders.id, id)))[0]!;

  describe('malformed venue data', () => {
    it('trades with NaN, negative, missing, exponent or huge values, or another order’s side/symbol, are refused with a logged error and change nothing', async () => {
      const venue = paperVenue();
      const { adapter } = corrupting(venue);
      const { logger, lines } = captureLogger('robustness', 'info');
      const f = await tradingFixture(database);
      const pipeline = new OrderPipeline(database, singleVenue(adapter), logger);
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limit('buy', '1', '95'), source: 'strategy' });
      expect(r.order!.status).toBe('accepted');
      await settle();
      const good: VenueTrade = {
        tradeId: 'bad-1',
        venueOrderId: r.order!.venueOrderId!,
        clientOrderId: r.order!.clientOrderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '0.5',
        price: '95',
        fee: '0.0475',
        feeCurrency: 'USDT',
        liquidity: 'maker',
        timestamp: Date.now(),
      };
      const { fee: _fee, ...noFee } = good;
      const bad: Array<[string, unknown]> = [
        ['NaN quantity', { ...good, quantity: 'NaN' }],
        ['NaN price as a number', { ...good, price: Number.NaN }],
        ['negative quantity', { ...good, quantity: '-0.5' }],
        ['negative price', { ...good, price: '-95' }],
        ['zero price', { ...good, price: '0' }],
        ['missing fee', noFee],
        ['fee NaN', { ...good, fee: 'NaN' }],
        ['exponent notation', { ...good, quantity: '5e-1' }],
        ['Infinity', { ...good, price: 'Infinity' }],
        ['huge quantity', { ...good, quantity: '1000000000000000000000000000000' }],
        ['timestamp NaN', { ...good, timestamp: Number.NaN }],
        ['missing trade id', { ...good, tradeId: undefined }],
        ['unknown side', { ...good, side: 'short' }],
        ['the other side of the order', { ...good, side: 'sell' }],
        ['another symbol', { ...good, symbol: 'ETH/USDT' }],
        ['not an object', null],
      ];
      const before = await snapshot(f.tenantId);
      for (const [what, trade] of bad) {
        expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', trade as VenueTrade), what).toBe('refused');
      }
      expect(await snapshot(f.tenantId)).toEqual(before);
      const errors = lines.filter((l) => l.level === 50);
      expect(errors.length).toBe(bad.length);
      expect(errors.filter((l) => /malformed venue data/.test(String(l.msg)) && /MALFORMED_RESPONSE/.test(JSON.stringify(l.err)))).toHaveLength(bad.length - 2);
      expect(JSON.stringify(errors)).toMatch(/quantity/);

      // The same trade, well-formed, is booked: the refusals above were about the data.
      expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', good)).toBe('applied');
      expect(await orderRow(r.order!.id)).toMatchObject({ status: 'partially_filled', filledQty: '0.5' });
      pipeline.close();
    });

    it('corrupted stream events (an impossible status, filled above quantity, a NaN fill) change no row; the order is booked from the valid data that follows', async () => {
      const venue = paperVenue();
      const { adapter, corrupt } = corrupting(venue);
      const { logger, lines } = captureLogger('robustness', 'info');
      const f = await tradingFixture(database);
      const pipeline = new OrderPipeline(database, singleVenue(adapter), logger);
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limit('buy', '1', '95'), source: 'strategy' });
      expect(r.order!.status).toBe('accepted');
      await settle();
      const before = await snapshot(f.tenantId);
      let n = 0;
      const variants = [
        (o: VenueOrder) => ({ ...o, status: 'exploded' }),
        (o: VenueOrder) => ({ ...o, filledQuantity: '2' }),
        (o: VenueOrder) => ({ ...o, quantity: '-1' }),
        (o: VenueOrder) => ({ ...o, updatedAt: 'yesterday' }),
      ];
      corrupt.order = (o) => variants[n++ % variants.length]!(o);
      corrupt.trade = (t) => ({ ...t, quantity: 'NaN' });
      // The price crosses the limit: the venue fills the order and pushes the order update and the trade.
      venue.engine.onTick('BTC/USDT', 94, Date.now());
      await settle(150);
      await pipeline.drain();
      expect(await snapshot(f.tenantId)).toEqual(before);
      expect(lines.filter((l) => l.level === 50 && /malformed venue data/.test(String(l.msg))).length).toBeGreaterThanOrEqual(2);

      // The venue's data read again without corruption (a poll) books the fill once.
      delete corrupt.order;
      delete corrupt.trade;
      await pipeline.sender.pullTrades(await orderRow(r.order!.id), adapter);
      expect(await orderRow(r.order!.id)).toMatchObject({ status: 'filled', filledQty: '1' });
      expect(await database.db.select().from(fills).where(eq(fills.orderId, r.order!.id))).toHaveLength(1);
      pipeline.close();
    });

    it('an unreadable answer to a submit is treated as ambiguous: no blind resend, the order is looked up and adopted from the valid lookup', async () => {
      const venue = paperVenue();
      const { adapter, corrupt } = corrupting(venue);
      let creates = 0;
      const create = adapter.createOrder;
      adapter.createOrder = (req) => {
        creates++;
        return create(req);
      };
      adapter.subscribe = () => () => {}; // no stream: only the sender's own calls tell it anything
      corrupt.order = (o) => {
        delete corrupt.order; // only the submit's answer is garbage
        return { ...o, status: 'exploded', filledQuantity: 'NaN' };
      };
      const f = await tradingFixture(database);
      const pipeline = new OrderPipeline(database, singleVenue(adapter), silent, undefined, { lookupIntervalMs: 10 });
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('0.5'), source: 'strategy' });
      expect(r.order!.status).toBe('submitted');
      await pipeline.drain();
      expect(creates).toBe(1);
      expect(venue.engine.stats.submitted).toBe(1);
      expect(await orderRow(r.order!.id)).toMatchObject({ status: 'filled', filledQty: '0.5' });
      const steps = await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, r.order!.id)).orderBy(orderEvents.id);
      expect(steps[0]).toMatchObject({ toStatus: 'submitted' });
      expect(steps[0]!.reason).toMatch(/^ambiguous MALFORMED_RESPONSE: malformed venue data: order: .* at status/);
      expect(steps.map((st) => st.toStatus)).toEqual(['submitted', 'accepted', 'filled']);
      pipeline.close();
    });
  });

  describe('cancel-vs-fill race', () => {
    it('the order fills while the cancel is on its way: the venue says ORDER_NOT_FOUND; final state filled from the venue, fill booked once, reservation released, no new order', async () => {
      const venue = paperVenue();
      const f = await tradingFixture(database);
      const pipeline = new OrderPipeline(database, singleVenue(venue), silent);
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limit('buy', '1', '95'), source: 'strategy' });
      const row = await orderRow(r.order!.id);
      expect(row.status).toBe('accepted');
      expect(Object.keys(await balances(f.profileId))).toContain(`reserved:${row.clientOrderId}`);
      // The cancel request is on the wire when the market trades through the limit.
      const cancelOrder = venue.cancelOrder.bind(venue);
      venue.cancelOrder = (ref) => {
        venue.engine.onTick('BTC/USDT', 94, Date.now());
        return cancelOrder(ref);
      };
      const after = await pipeline.sender.cancel(row, venue);
      await settle();
      await pipeline.drain();
      expect(venue.log.entries.find((e) => e.call === 'cancelOrder')!.outcome).toBe('ORDER_NOT_FOUND');
      expect(after.status).toBe('filled');
      const final = await orderRow(row.id);
      expect(final).toMatchObject({ status: 'filled', filledQty: '1' });
      expect(await database.db.select().from(fills).where(eq(fills.orderId, row.id))).toHaveLength(1);
      expect(venue.engine.stats.submitted).toBe(1);
      expect(await database.db.select().from(orders).where(eq(orders.profileId, f.profileId))).toHaveLength(1);
      const steps = await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, row.id)).orderBy(orderEvents.id);
      expect(steps.map((s) => s.toStatus)).toEqual(['submitted', 'accepted', 'cancel_requested', 'filled']);
      const b = await balances(f.profileId);
      expect(Object.keys(b).some((k) => k.startsWith('reserved:'))).toBe(false);
      // Maker fill at the limit price 95 with 0.1 % fee: 95.095 paid out of 10 000.
      expect(b).toMatchObject({ cash: '9904.905', 'position:BTC/USDT': '95', fees: '0.095' });
      pipeline.close();
    });

    it('half fills while the cancel is on its way: the venue cancels the rest; cancelled with 0.5 filled, booked once, position and ledger right', async () => {
      // At most half of an order fills per price event.
      const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' }, config: { makerFeeRate: '0.001', takerFeeRate: '0.001', partialFills: { maxFillFraction: 0.5 } } });
      engine.onTick('BTC/USDT', 100, Date.now());
      const venue = new PaperExchange({ engine, scheduler: systemScheduler(), latency: { request: uniformLatency(1, 3), response: uniformLatency(1, 3), stream: uniformLatency(1, 3) }, onListenerError: () => {} });
      const f = await tradingFixture(database);
      const pipeline = new OrderPipeline(database, singleVenue(venue), silent);
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limit('buy', '1', '95'), source: 'strategy' });
      const row = await orderRow(r.order!.id);
      // A trade of 0.5 against the resting order (the rest stays open), then the cancel arrives.
      const cancelOrder = venue.cancelOrder.bind(venue);
      venue.cancelOrder = (ref) => {
        venue.engine.onTick('BTC/USDT', 94, Date.now());
        return cancelOrder(ref);
      };
      await pipeline.sender.cancel(row, venue);
      await settle();
      await pipeline.drain();
      const vo = await venue.fetchOrder({ clientOrderId: row.clientOrderId, symbol: 'BTC/USDT' });
      expect(vo).toMatchObject({ status: 'cancelled', filledQuantity: '0.5' });
      expect(await orderRow(row.id)).toMatchObject({ status: 'cancelled', filledQty: '0.5' });
      expect(await database.db.select().from(fills).where(eq(fills.orderId, row.id))).toHaveLength(1);
      expect(venue.engine.stats.submitted).toBe(1);
      const [p] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
      expect(p).toMatchObject({ quantity: '0.5', cost: '47.5' });
      const b = await balances(f.profileId);
      expect(Object.keys(b).some((k) => k.startsWith('reserved:'))).toBe(false);
      expect(dec(b.cash!).plus(b['position:BTC/USDT']!).plus(b.fees!).toFixed()).toBe('10000');
      pipeline.close();
    });
  });

  // PGlite runs inside this process: it has no server connections that another session could
  // terminate, so database loss is a PostgreSQL-only test (the one allowed skip).
  describe.skipIf(kind === 'pglite')('database loss', () => {
    it('every connection is terminated while submits run: the process survives, failed submits say why, later ones succeed by themselves; no venue order without its row; ledger balances', async () => {
      const venue = paperVenue();
      const f = await tradingFixture(database);
      const { logger } = captureLogger('robustness', 'info');
      const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { lookupIntervalMs: 20 });
      const crashes: unknown[] = [];
      const onCrash = (err: unknown) => crashes.push(err);
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const outcomes: Array<{ ok: true; status: string } | { ok: false; message: string }> = [];
      try {
        const kill = async () => {
          const r = await admin.query(`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
          return (r.rows[0] as { n: number }).n;
        };
        let killed = 0;
        const loop = (async () => {
          for (let i = 0; i < 40; i++) {
            try {
              const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('0.1'), source: 'strategy' });
              outcomes.push({ ok: true, status: r.order?.status ?? `${r.decision.outcome} ${r.decision.code}` });
            } catch (err) {
              outcomes.push({ ok: false, message: err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err) });
            }
          }
        })();
        // Kill every connection again and again while the loop runs, then let it finish.
        let running = true;
        void loop.finally(() => (running = false));
        for (let k = 0; k < 8 && running; k++) {
          await settle(25);
          killed += await kill();
        }
        await loop;
        expect(killed).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      await settle(200);
      await pipeline.drain();
      pipeline.close();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);

      expect(crashes).toEqual([]);
      // A submit whose connection died in use fails with the driver's reason (a kill that hits only
      // idle connections is absorbed by the pool: then none fails, which is fine too).
      const failed = outcomes.filter((o): o is { ok: false; message: string } => !o.ok);
      for (const o of failed) expect(o.message).toMatch(/terminat|connection|ECONNRESET/i);
      // It came back by itself: the last submits went through and were filled.
      expect(outcomes.slice(-5)).toEqual(Array(5).fill({ ok: true, status: 'filled' }));

      // No order at the venue without its row.
      const rows = await database.db.select().from(orders).where(eq(orders.profileId, f.profileId));
      const known = new Set(rows.map((o) => o.clientOrderId));
      const trades = await venue.fetchMyTrades('BTC/USDT', { limit: 1_000 });
      const venueIds = new Set(trades.map((t) => t.clientOrderId));
      expect(venueIds.size).toBe(venue.engine.stats.submitted);
      for (const id of venueIds) expect(known.has(id!), `venue order ${id} has no row`).toBe(true);
      // Every ledger transaction sums to zero per currency; the position agrees with the fills booked.
      const unbalanced = rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from (select transaction_id, currency from ledger_entries where profile_id = ${f.profileId} group by transaction_id, currency having sum(amount) <> 0) x`),
      );
      expect(unbalanced[0]!.n).toBe(0);
      const booked = rowsOf<{ qty: string }>(await database.db.execute(sql`select coalesce(sum(quantity), 0)::text as qty from fills where profile_id = ${f.profileId}`));
      const [p] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
      expect(dec(p?.quantity ?? '0').toFixed()).toBe(dec(booked[0]!.qty).toFixed());
      const b = await balances(f.profileId);
      expect(dec(b.cash ?? '0').greaterThanOrEqualTo(0)).toBe(true);
    }, 60_000);
  });
});
