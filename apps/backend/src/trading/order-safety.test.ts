import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, decisions, eq, fills, ledgerTransactions, migrate, orders, positions, rowsOf, sql } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec, type Intent } from '@kestrel/trading-core';
import { storedBalances } from './ledger-store.ts';
import { OrderPipeline } from './order-pipeline.ts';
import { paperVenue, recordCalls, singleVenue, tradingFixture } from './testing/paper-venue.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
function market(qty: string): Intent;
function market(side: 'buy' | 'sell', qty: string): Intent;
function market(a: string, b?: string): Intent {
  const [side, qty] = b === undefined ? (['buy', a] as const) : ([a as 'buy' | 'sell', b] as const);
  return { kind: 'order', side, orderType: 'market', quantity: dec(qty), reason: 'test' };
}

/** RELIABILITY.md money-safety tests that need the database and the paper exchange. */
describe.each(dbTargets())('order safety [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  const balances = async (profileId: string) =>
    Object.fromEntries((await database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, profileId))).map((b) => [b.account, b.balance.toFixed()]));
  const orderRow = async (id: string) => (await database.db.select().from(orders).where(eq(orders.id, id)))[0]!;

  it('not-found hysteresis: the venue does not know the order for a while, then shows it filled → not lost early, late fill applied, position right', async () => {
    const venue = paperVenue();
    venue.faults.script('createOrder', { kind: 'drop_response' });
    venue.faults.scriptUnknownOrder({ ms: 150, calls: 4 });
    const { calls } = recordCalls(venue, { stream: false });
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { lookupIntervalMs: 15, minLookupMisses: 6, missWindowMs: 250 });
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('1'), source: 'strategy' });
    await pipeline.drain();
    const lookups = calls.filter((c) => c.startsWith('lookup:'));
    expect(lookups.length).toBeGreaterThanOrEqual(4);
    expect(calls.filter((c) => c.startsWith('create:'))).toHaveLength(1);
    expect(await orderRow(r.order!.id)).toMatchObject({ status: 'filled', filledQty: '1', lookupMisses: 0, submitAttempts: 1 });
    const [p] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
    expect(p).toMatchObject({ quantity: '1', cost: '100' });
    pipeline.close();
  });

  it('an order the venue really never got is declared absent only after the hysteresis, then resent with the same client order id: one venue order', async () => {
    const venue = paperVenue();
    venue.faults.script('createOrder', { kind: 'server_error', placed: false });
    const { calls } = recordCalls(venue, { stream: false });
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { lookupIntervalMs: 10, minLookupMisses: 4, missWindowMs: 60 });
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('1'), source: 'strategy' });
    await pipeline.drain();
    const coid = r.order!.clientOrderId;
    expect(calls.slice(0, 5)).toEqual([`create:${coid}`, ...Array(4).fill(`lookup:${coid}`)]);
    expect(calls.filter((c) => c === `create:${coid}`)).toHaveLength(2);
    expect(venue.engine.stats.submitted).toBe(1);
    expect(await orderRow(r.order!.id)).toMatchObject({ status: 'filled', submitAttempts: 2 });
    pipeline.close();
  });

  it('an order declared lost (expired, LOST) still books a late fill: fill, position and ledger', async () => {
    const venue = paperVenue();
    venue.faults.script('createOrder', { kind: 'drop_response' });
    venue.faults.scriptUnknownOrder({ ms: 10_000, calls: 1_000 });
    recordCalls(venue, { stream: false });
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { lookupIntervalMs: 5, minLookupMisses: 3, missWindowMs: 20, maxSubmitAttempts: 1 });
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('1'), source: 'strategy' });
    await pipeline.drain();
    const lost = await orderRow(r.order!.id);
    expect(lost).toMatchObject({ status: 'expired', filledQty: '0' });
    expect(venue.engine.stats.submitted).toBe(1);
    // The venue did fill it: the trade shows up later (stream, poll or reconciliation).
    const [trade] = await venue.fetchMyTrades('BTC/USDT');
    expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', trade!)).toBe('applied');
    expect(await orderRow(r.order!.id)).toMatchObject({ status: 'expired', filledQty: '1' });
    const [p] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
    expect(p).toMatchObject({ quantity: '1', cost: '100' });
    expect(await balances(f.profileId)).toMatchObject({ cash: '9899.9', 'position:BTC/USDT': '100', fees: '0.1' });
    pipeline.close();
  });

  it('fill dedup: the same trades twice, from the stream and from polls, out of order → one fill row and one ledger posting per trade; filled ≤ ordered', async () => {
    const venue = paperVenue();
    venue.faults.scriptStream('duplicate_fill');
    venue.faults.scriptStream('out_of_order_fill');
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, { lookupIntervalMs: 10 });
    const first = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('1'), source: 'strategy' });
    const second = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('0.5'), source: 'strategy' });
    await new Promise((r) => setTimeout(r, 100));
    await pipeline.drain();
    // Both paths again, reversed, twice.
    const trades = await venue.fetchMyTrades('BTC/USDT');
    expect(trades.length).toBe(2);
    for (const t of [...trades].reverse().concat(trades)) {
      expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', t)).toBe('duplicate');
    }
    for (const o of [first.order!, second.order!]) {
      const row = await orderRow(o.id);
      expect(row.status).toBe('filled');
      expect(dec(row.filledQty).lessThanOrEqualTo(dec(row.quantity))).toBe(true);
      expect(await database.db.select().from(fills).where(eq(fills.orderId, o.id))).toHaveLength(1);
    }
    const fillTxs = await database.db.select().from(ledgerTransactions).where(and(eq(ledgerTransactions.profileId, f.profileId), eq(ledgerTransactions.kind, 'fill')));
    expect(fillTxs.map((t) => t.id).sort()).toEqual(trades.map((t) => `fill:paper:${t.tradeId}`).sort());
    expect(await balances(f.profileId)).toMatchObject({ 'position:BTC/USDT': '150' });
    pipeline.close();
  });

  it('a venue trade that would overfill an order is refused by the state machine and books nothing (no fill row, no ledger posting)', async () => {
    const venue = paperVenue();
    recordCalls(venue, { stream: false });
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: market('0.2'), source: 'strategy' });
    const [t] = await venue.fetchMyTrades('BTC/USDT');
    const fake = { ...t!, tradeId: 'early-1', quantity: '0.1' }; // one more 0.1 on a filled 0.2
    const row = await orderRow(r.order!.id);
    expect(row.status).toBe('filled');
    expect(await pipeline.sender.ingestTrade(f.tenantId, f.accountId, 'paper', { ...fake, clientOrderId: row.clientOrderId })).toBe('refused');
    expect(await orderRow(row.id)).toMatchObject({ filledQty: '0.2' });
    expect(await database.db.select().from(fills).where(eq(fills.tradeId, 'early-1'))).toHaveLength(0);
    expect(await database.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.id, 'fill:paper:early-1'))).toHaveLength(0);
    pipeline.close();
  });

  it('capital over-spend race: concurrent intents whose sum exceeds free capital → accepted total ≤ free capital', async () => {
    const venue = paperVenue();
    const f = await tradingFixture(database, { capital: '1000', riskLimits: { feeRate: '0.001' } });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const limitBuy: Intent = { kind: 'order', side: 'buy', orderType: 'limit', quantity: dec('2'), price: dec('90'), reason: 'race' };
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: limitBuy, source: 'strategy' })));
    await pipeline.drain();
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const ds = await database.db.select().from(decisions).where(eq(decisions.profileId, f.profileId));
    expect(ds).toHaveLength(12);
    expect(new Set(ds.map((d) => d.seq)).size).toBe(12);
    const approved = ds.filter((d) => d.outcome === 'approved');
    // Each reserves 2 × 90 × 1.001 = 180.18: five fit in 1000, a sixth does not.
    expect(approved).toHaveLength(5);
    expect(ds.filter((d) => d.outcome === 'denied').every((d) => d.code === 'RISK_INSUFFICIENT_CAPITAL')).toBe(true);
    const b = await balances(f.profileId);
    expect(dec(b.cash!).greaterThanOrEqualTo(0)).toBe(true);
    const [reserved] = rowsOf<{ total: string }>(await database.db.execute(sql`select coalesce(sum(amount), 0)::text as total from ledger_entries where profile_id = ${f.profileId} and account like 'reserved:%'`));
    expect(dec(reserved!.total).lessThanOrEqualTo(1000)).toBe(true);
    expect(dec(reserved!.total).toFixed()).toBe('900.9');
    expect(venue.engine.stats.submitted).toBe(5);
    pipeline.close();
  });

  it('the ledger balances after a sequence of fills: every transaction sums to zero; equity identity holds; the position agrees with the ledger', async () => {
    const venue = paperVenue();
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const steps: Array<[number, Intent]> = [
      [100, market('1')],
      [110, market('0.4')],
      [110, market('sell', '0.6')],
      [95, market('sell', '0.5')],
      [90, market('0.2')],
    ];
    for (const [price, intent] of steps) {
      venue.engine.onTick('BTC/USDT', price, Date.now());
      const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy' });
      expect(r.decision.outcome, r.decision.reason).toBe('approved');
    }
    await pipeline.drain();
    const perTx = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from (select transaction_id, currency from ledger_entries where profile_id = ${f.profileId} group by transaction_id, currency having sum(amount) <> 0) x`),
    );
    expect(perTx[0]!.n).toBe(0);
    const b = await balances(f.profileId);
    const [p] = await database.db.select().from(positions).where(eq(positions.profileId, f.profileId));
    expect(p!.quantity).toBe('0.5');
    expect(b['position:BTC/USDT']).toBe(dec(p!.cost).toFixed());
    expect(dec(b.realized_pnl ?? '0').negated().toFixed()).toBe(dec(p!.realizedPnl).toFixed());
    const assets = dec(b.cash!).plus(b['position:BTC/USDT']!);
    const equity = dec('10000').plus(p!.realizedPnl).minus(b.fees!);
    expect(assets.toFixed()).toBe(equity.toFixed());
    expect(Object.keys(b).some((k) => k.startsWith('reserved:'))).toBe(false);
    pipeline.close();
  });
});
