import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'socket.io';
import type { ReconciliationRunDetail } from '@kestrel/contracts';
import { and, eq, fills, migrate, orderEvents, orders, positions, reconciliationDiscrepancies, reconciliationRuns, rowsOf, sql } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { PaperExchange, PaperMatchingEngine, systemScheduler, uniformLatency } from '@kestrel/exchanges';
import { createLogger } from '@kestrel/server-kit';
import { clientOrderId, dec, type Clock, type Intent } from '@kestrel/trading-core';
import { RealtimeHub } from '../../realtime/hub.ts';
import { storedBalances } from '../ledger-store.ts';
import { OrderPipeline } from '../order-pipeline.ts';
import { OrderSender } from '../order-sender.ts';
import { BTC_USDT, paperVenue, singleVenue, tradingFixture } from '../testing/paper-venue.ts';
import type { CreateOrderRequest, VenueOrder } from '../venue.ts';
import { Reconciler, type ReconcileAccount } from './reconciler.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const SYMBOL = 'BTC/USDT';
/** A start-up after a long stop: every local order is older than the not-found window. */
const later: Clock = { now: () => Date.now() + 3_600_000 };
const limitBuy = (qty: string, price: string): Intent => ({ kind: 'order', side: 'buy', orderType: 'limit', quantity: dec(qty), price: dec(price), reason: 'test' });
const marketBuy = (qty: string): Intent => ({ kind: 'order', side: 'buy', orderType: 'market', quantity: dec(qty), reason: 'test' });

/**
 * The real paper exchange with its stream cut (local state only learns what a call returns, as
 * after a crash) and partial fills by volume: a tick with a volume fills at most that much.
 */
function venueWithoutStream(): PaperExchange {
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' }, config: { takerFeeRate: '0.001', makerFeeRate: '0.001', partialFills: { volumeShare: 1 } } });
  engine.onTick(SYMBOL, 100, Date.now());
  const venue = new PaperExchange({ engine, scheduler: systemScheduler(), latency: { request: uniformLatency(1, 3), response: uniformLatency(1, 3), stream: uniformLatency(1, 3) }, onListenerError: () => {} });
  venue.subscribe = () => () => {};
  return venue;
}

/** Everything the hub pushes, as (namespace, room, event, data). */
function capturingHub() {
  const pushed: Array<{ ns: string; room: string; event: string; data: { status?: string; id?: string; error?: string | null } }> = [];
  const hub = new RealtimeHub();
  hub.attach({ of: (ns: string) => ({ to: (room: string) => ({ emit: (event: string, e: { data: never }) => pushed.push({ ns, room, event, data: e.data }) }) }) } as unknown as Server);
  return { hub, pushed };
}

/** Submits an intent whose createOrder never answers (the process "dies" there); `reach` says whether the venue got it first. */
async function submitAndHang(pipeline: OrderPipeline, venue: PaperExchange, f: { tenantId: string; profileId: string }, intent: Intent, reach: boolean): Promise<void> {
  const real = venue.createOrder.bind(venue);
  await new Promise<void>((resolve) => {
    venue.createOrder = async (req: CreateOrderRequest): Promise<VenueOrder> => {
      if (reach) await real(req);
      resolve();
      return new Promise<VenueOrder>(() => {});
    };
    void pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy' });
  });
  venue.createOrder = real;
}

describe.each(dbTargets())('reconciliation against the paper exchange [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  const account = (f: { tenantId: string; accountId: string }): ReconcileAccount => ({ id: f.accountId, tenantId: f.tenantId, kind: 'paper', venue: 'paper' });
  const reconciler = (venue: PaperExchange | null, clock: Clock = later, hub = new RealtimeHub()) =>
    new Reconciler({ database, venues: { venueFor: () => venue }, sender: new OrderSender(database, logger, clock), hub, logger, clock });
  const orderByCoid = async (coid: string) => (await database.db.select().from(orders).where(eq(orders.clientOrderId, coid)))[0];
  const fillsOf = async (orderId: string) => database.db.select().from(fills).where(eq(fills.orderId, orderId));
  const balances = async (profileId: string) =>
    Object.fromEntries((await database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, profileId))).map((b) => [b.account, b.balance.toFixed()]));
  const unbalancedTransactions = async (profileId: string) =>
    rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from (select transaction_id, currency from ledger_entries where profile_id = ${profileId} group by transaction_id, currency having sum(amount) <> 0) x`))[0]!.n;
  const findings = (run: ReconciliationRunDetail) => run.discrepancies.map((d) => `${d.kind}:${d.clientOrderId}:${d.resolution}`).sort();

  it('start-up matrix: local open vs venue filled / cancelled / partially filled / partially filled then cancelled / missing, local new sent or never sent, a trade already booked → venue truth; a second run finds nothing to do', async () => {
    const venue = venueWithoutStream();
    const elsewhere = paperVenue();
    elsewhere.subscribe = () => () => {};
    const f = await tradingFixture(database, { riskLimits: { feeRate: '0.001' } });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const other = new OrderPipeline(database, singleVenue(elsewhere), logger);
    const submit = async (intent: Intent, p = pipeline) => (await p.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy' })).order!;
    const tick = (price: number, volume?: number) => venue.engine.onTick(SYMBOL, price, Date.now(), volume);
    const cancelAtVenue = (coid: string) => expect(venue.engine.cancel({ clientOrderId: coid, symbol: SYMBOL }, Date.now()).ok).toBe(true);

    const a = await submit(limitBuy('1', '95')); // rests; then fills at the venue, unseen
    tick(94);
    const d = await submit(limitBuy('1', '92')); // 0.4 fills, then cancelled at the venue
    tick(91.9, 0.4);
    cancelAtVenue(d.clientOrderId);
    const p = await submit(limitBuy('1', '91')); // 0.3 fills and is booked (as the stream would), 0.3 more unseen; still open
    tick(90.9, 0.3);
    const [seen] = (await venue.fetchMyTrades(SYMBOL)).filter((t) => t.clientOrderId === p.clientOrderId);
    expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', seen!)).toBe('applied');
    tick(90.8, 0.3);
    const b = await submit(limitBuy('1', '85')); // cancelled at the venue
    cancelAtVenue(b.clientOrderId);
    await submitAndHang(pipeline, venue, f, limitBuy('1', '80'), false); // E: stopped after the intent, before the send
    await submitAndHang(pipeline, venue, f, marketBuy('0.2'), true); // F: stopped after the send, before the answer
    const g = await submit(limitBuy('1', '84'), other); // accepted by a venue that is not this account's: missing here
    const h = await submit(marketBuy('0.3')); // filled and booked: its trade is the newest one
    const statusNow = async (coid: string) => (await orderByCoid(coid))!.status;
    expect(await Promise.all([a, d, p, b, g, h].map((o) => statusNow(o.clientOrderId)))).toEqual(['accepted', 'accepted', 'partially_filled', 'accepted', 'accepted', 'filled']);
    const locals = await database.db.select().from(orders).where(eq(orders.profileId, f.profileId));
    const e = locals.find((o) => o.status === 'new' && o.orderType === 'limit')!;
    const fm = locals.find((o) => o.status === 'new' && o.orderType === 'market')!;

    const { hub, pushed } = capturingHub();
    const run = await reconciler(venue, later, hub).reconcileAccount(account(f), 'startup');
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'startup', error: null, exchangeAccountId: f.accountId });

    const expected: Record<string, { status: string; filledQty: string; fills: number }> = {
      [a.clientOrderId]: { status: 'filled', filledQty: '1', fills: 1 },
      [d.clientOrderId]: { status: 'cancelled', filledQty: '0.4', fills: 1 },
      [p.clientOrderId]: { status: 'partially_filled', filledQty: '0.6', fills: 2 },
      [b.clientOrderId]: { status: 'cancelled', filledQty: '0', fills: 0 },
      [e.clientOrderId]: { status: 'rejected', filledQty: '0', fills: 0 },
      [fm.clientOrderId]: { status: 'filled', filledQty: '0.2', fills: 1 },
      [g.clientOrderId]: { status: 'expired', filledQty: '0', fills: 0 },
      [h.clientOrderId]: { status: 'filled', filledQty: '0.3', fills: 1 },
    };
    for (const [coid, want] of Object.entries(expected)) {
      const row = (await orderByCoid(coid))!;
      expect({ status: row.status, filledQty: dec(row.filledQty).toFixed(), fills: (await fillsOf(row.id)).length }, coid).toEqual(want);
    }
    const lastStep = async (coid: string) => (await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, (await orderByCoid(coid))!.id)).orderBy(orderEvents.id)).at(-1)!;
    expect(await lastStep(e.clientOrderId)).toMatchObject({ fromStatus: 'new', toStatus: 'rejected', source: 'reconciliation', reason: expect.stringMatching(/^NEVER_SENT: /) });
    expect(await lastStep(g.clientOrderId)).toMatchObject({ toStatus: 'expired', source: 'reconciliation', reason: expect.stringMatching(/^LOST: /) });
    expect(await lastStep(b.clientOrderId)).toMatchObject({ toStatus: 'cancelled', source: 'reconciliation' });

    // One fill row per venue trade of this account, position and ledger as the venue says.
    const venueTrades = await venue.fetchMyTrades(SYMBOL);
    expect(venueTrades).toHaveLength(6);
    const rows = await database.db.select().from(fills).where(eq(fills.exchangeAccountId, f.accountId));
    expect(rows.map((r) => r.tradeId).sort()).toEqual(venueTrades.map((t) => t.tradeId).sort());
    const [position] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
    expect({ quantity: dec(position!.quantity).toFixed(), cost: dec(position!.cost).toFixed() }).toEqual({ quantity: '2.5', cost: '231.8' });
    expect(await unbalancedTransactions(f.profileId)).toBe(0);
    const ledger = await balances(f.profileId);
    // Only the order still open at the venue holds a reservation: what is left of 1 × 91 × 1.001 after 0.6 filled.
    expect(Object.entries(ledger).filter(([k]) => k.startsWith('reserved:'))).toEqual([[`reserved:${p.clientOrderId}`, '36.4364']]);
    expect(ledger).toMatchObject({ 'position:BTC/USDT': '231.8', fees: '0.2318' });
    expect(dec(ledger.cash!).toFixed()).toBe(dec('10000').minus('231.8').minus('0.2318').minus('36.4364').toFixed());

    expect(findings(run)).toEqual(
      [
        `missing_fill:${a.clientOrderId}:applied`,
        `missing_fill:${d.clientOrderId}:applied`,
        `missing_fill:${p.clientOrderId}:applied`,
        `missing_fill:${fm.clientOrderId}:applied`,
        `order_state:${a.clientOrderId}:applied`,
        `order_state:${d.clientOrderId}:applied`,
        `order_state:${p.clientOrderId}:applied`,
        `order_state:${b.clientOrderId}:applied`,
        `order_state:${fm.clientOrderId}:applied`,
        `order_never_sent:${e.clientOrderId}:rejected`,
        `order_lost:${g.clientOrderId}:expired`,
      ].sort(),
    );
    expect(run.summary).toMatchObject({ localOpenOrders: 7, venueOpenOrders: 1, ordersUpdated: 5, ordersNeverSent: 1, ordersLost: 1, tradesApplied: 4, tradesDuplicate: 1, lifecycleInvalid: 0, discrepancies: 11 });
    expect(run.discrepancyCount).toBe(11);
    const [stored] = await database.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, run.id));
    expect(stored).toMatchObject({ status: 'succeeded', tenantId: f.tenantId });
    expect(await database.db.select().from(reconciliationDiscrepancies).where(eq(reconciliationDiscrepancies.runId, run.id))).toHaveLength(11);
    await hub.flushed();
    expect(pushed.filter((x) => x.event === 'reconciliation.run')).toEqual([{ ns: '/admin', room: `tenant:${f.tenantId}`, event: 'reconciliation.run', data: expect.objectContaining({ id: run.id, status: 'succeeded', discrepancyCount: 11 }) }]);
    expect(pushed.filter((x) => x.ns === '/trading' && x.event === 'order.update').length).toBeGreaterThanOrEqual(7);

    const again = await reconciler(venue).reconcileAccount(account(f), 'periodic');
    expect(again.status).toBe('succeeded');
    expect(again.discrepancies).toEqual([]);
    expect(again.summary).toMatchObject({ localOpenOrders: 1, ordersUpdated: 0, ordersLost: 0, ordersNeverSent: 0, tradesApplied: 0, venueOrdersAdopted: 0, discrepancies: 0 });
    expect(await database.db.select().from(fills).where(eq(fills.exchangeAccountId, f.accountId))).toHaveLength(6);
    pipeline.close();
    other.close();
  });

  it("venue-only orders: ours (open, or finished with a trade) are adopted with their fills; a foreign order is flagged and left open; a foreign trade is flagged once, not on every run", async () => {
    const venue = venueWithoutStream();
    const f = await tradingFixture(database, { riskLimits: { feeRate: '0.001' } });
    const stranger = await tradingFixture(database);
    const coid = (profileId: string, seq: number) => {
      const r = clientOrderId(profileId, seq);
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const place = (req: Omit<CreateOrderRequest, 'symbol' | 'side'>) => venue.createOrder({ symbol: SYMBOL, side: 'buy', ...req });
    await place({ clientOrderId: coid(f.profileId, 900), type: 'limit', quantity: '0.5', price: '80' });
    await place({ clientOrderId: coid(f.profileId, 901), type: 'market', quantity: '0.1' });
    await place({ clientOrderId: 'web_manual_1', type: 'limit', quantity: '1', price: '70' });
    await place({ clientOrderId: coid(stranger.profileId, 5), type: 'limit', quantity: '1', price: '71' });
    await place({ clientOrderId: 'web_manual_2', type: 'market', quantity: '0.1' });

    const run = await reconciler(venue).reconcileAccount(account(f), 'startup');
    expect(run.status).toBe('succeeded');
    const open = (await orderByCoid(coid(f.profileId, 900)))!;
    expect(open).toMatchObject({ source: 'reconciliation', profileId: f.profileId, status: 'accepted', quantity: '0.5', price: '80', orderType: 'limit', decisionId: null });
    const steps = await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, open.id)).orderBy(orderEvents.id);
    expect(steps.map((s) => `${s.fromStatus}>${s.toStatus}:${s.source}`)).toEqual(['new>submitted:reconciliation', 'submitted>accepted:reconciliation']);
    const done = (await orderByCoid(coid(f.profileId, 901)))!;
    expect(done).toMatchObject({ source: 'reconciliation', status: 'filled', filledQty: '0.1' });
    expect(await fillsOf(done.id)).toHaveLength(1);
    const [position] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
    expect(dec(position!.quantity).toFixed()).toBe('0.1');
    expect(await unbalancedTransactions(f.profileId)).toBe(0);
    // Never cancelled, never adopted: someone else's orders (a person at the exchange, another tenant's profile).
    expect(await orderByCoid('web_manual_1')).toBeUndefined();
    expect(await orderByCoid(coid(stranger.profileId, 5))).toBeUndefined();
    expect((await venue.fetchOpenOrders(SYMBOL)).map((o) => o.clientOrderId).sort()).toEqual([coid(f.profileId, 900), 'web_manual_1', coid(stranger.profileId, 5)].sort());
    expect(findings(run)).toEqual(
      [
        `unknown_venue_order:${coid(f.profileId, 900)}:adopted`,
        `unknown_venue_order:${coid(f.profileId, 901)}:adopted`,
        `missing_fill:${coid(f.profileId, 901)}:applied`,
        `unknown_venue_order:web_manual_1:flagged`,
        `unknown_venue_order:${coid(stranger.profileId, 5)}:flagged`,
        'unknown_trade:web_manual_2:flagged',
      ].sort(),
    );
    expect(run.summary).toMatchObject({ venueOrdersAdopted: 2, venueOrdersFlagged: 2, tradesUnmatched: 1 });

    // Still open foreign orders are reported again; the foreign trade, already reported, is not.
    const again = await reconciler(venue).reconcileAccount(account(f), 'periodic');
    expect(findings(again)).toEqual([`unknown_venue_order:web_manual_1:flagged`, `unknown_venue_order:${coid(stranger.profileId, 5)}:flagged`].sort());
    expect(again.summary).toMatchObject({ venueOrdersAdopted: 0, tradesApplied: 0, tradesUnmatched: 0 });
  });

  it('the unknown-order window: a young order the venue does not show is left for the next run; once old it is rejected NEVER_SENT; when the venue then shows it open it is cancelled there (zombie)', async () => {
    const venue = venueWithoutStream();
    const f = await tradingFixture(database, { riskLimits: { feeRate: '0.001' } });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    // The venue takes the order but does not show it to the next two lookups.
    venue.faults.scriptUnknownOrder({ calls: 2 });
    await submitAndHang(pipeline, venue, f, limitBuy('1', '80'), true);
    const [local] = await database.db.select().from(orders).where(eq(orders.profileId, f.profileId));
    expect(local!.status).toBe('new');

    const young = await reconciler(venue, { now: () => Date.now() }).reconcileAccount(account(f), 'startup');
    expect(findings(young)).toEqual([`order_not_found:${local!.clientOrderId}:deferred`]);
    expect((await orderByCoid(local!.clientOrderId))!.status).toBe('new');
    expect(Object.keys(await balances(f.profileId))).toContain(`reserved:${local!.clientOrderId}`);

    const old = await reconciler(venue).reconcileAccount(account(f), 'periodic');
    expect(findings(old)).toEqual([`order_never_sent:${local!.clientOrderId}:rejected`]);
    expect((await orderByCoid(local!.clientOrderId))!.status).toBe('rejected');
    expect(Object.keys(await balances(f.profileId)).some((k) => k.startsWith('reserved:'))).toBe(false);

    const zombie = await reconciler(venue).reconcileAccount(account(f), 'periodic');
    expect(findings(zombie)).toEqual([`zombie_venue_order:${local!.clientOrderId}:cancelled`]);
    expect(venue.engine.getOrder(local!.clientOrderId)?.status).toBe('cancelled');
    expect(await venue.fetchOpenOrders(SYMBOL)).toEqual([]);
    pipeline.close();
  });

  it('a venue that fails on the first call → a failed run is stored with an error that says what to do, nothing changes, it is pushed; the next run converges', async () => {
    const venue = venueWithoutStream();
    const f = await tradingFixture(database, { riskLimits: { feeRate: '0.001' } });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const o = (await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limitBuy('1', '95'), source: 'strategy' })).order!;
    venue.engine.onTick(SYMBOL, 94, Date.now());
    const before = { order: await orderByCoid(o.clientOrderId), ledger: await balances(f.profileId) };

    venue.faults.script('fetchOpenOrders', { kind: 'server_error' });
    const { hub, pushed } = capturingHub();
    const failed = await reconciler(venue, later, hub).reconcileAccount(account(f), 'startup');
    expect(failed).toMatchObject({ status: 'failed', discrepancies: [], discrepancyCount: 0 });
    expect(failed.error).toMatch(/EXCHANGE_UNAVAILABLE/);
    expect(failed.error).toMatch(/must not trade until a run succeeds/);
    expect(failed.error).toMatch(/run it again/);
    expect(failed.finishedAt).not.toBeNull();
    expect(await orderByCoid(o.clientOrderId)).toEqual(before.order);
    expect(await fillsOf(o.id)).toHaveLength(0);
    expect(await balances(f.profileId)).toEqual(before.ledger);
    const [stored] = await database.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, failed.id));
    expect(stored).toMatchObject({ status: 'failed', error: failed.error });
    await hub.flushed();
    expect(pushed).toEqual([expect.objectContaining({ ns: '/admin', room: `tenant:${f.tenantId}`, event: 'reconciliation.run', data: expect.objectContaining({ id: failed.id, status: 'failed' }) })]);

    const noVenue = await reconciler(null).reconcileAccount(account(f), 'startup');
    expect(noVenue).toMatchObject({ status: 'failed', error: expect.stringMatching(/No connection to the venue/) });

    const next = await reconciler(venue).reconcileAccount(account(f), 'periodic');
    expect(next.status).toBe('succeeded');
    expect((await orderByCoid(o.clientOrderId))!).toMatchObject({ status: 'filled', filledQty: '1' });
    pipeline.close();
  });

  it('a lifecycle history that breaks the state machine is flagged lifecycle_invalid with its problems; the order is left as it is', async () => {
    const venue = venueWithoutStream();
    const f = await tradingFixture(database, { riskLimits: { feeRate: '0.001' } });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const o = (await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: marketBuy('0.1'), source: 'strategy' })).order!;
    expect(o.status).toBe('filled');
    await database.db.insert(orderEvents).values({ tenantId: f.tenantId, orderId: o.id, at: new Date(), fromStatus: 'filled', toStatus: 'accepted', event: 'OrderAccepted', source: 'exchange', reason: 'corrupted by hand' });

    const run = await reconciler(venue).reconcileAccount(account(f), 'manual');
    expect(run.status).toBe('succeeded');
    expect(findings(run)).toEqual([`lifecycle_invalid:${o.clientOrderId}:flagged`]);
    const problems = (run.discrepancies[0]!.details.problems as Array<{ code: string }>).map((x) => x.code);
    expect(problems).toEqual(expect.arrayContaining(['LIFECYCLE_ILLEGAL_TRANSITION', 'LIFECYCLE_STATUS_MISMATCH']));
    expect(run.discrepancies[0]!.orderId).toBe(o.id);
    expect((await database.db.select().from(orders).where(and(eq(orders.id, o.id), eq(orders.status, 'filled'))))).toHaveLength(1);
    pipeline.close();
  });
});
