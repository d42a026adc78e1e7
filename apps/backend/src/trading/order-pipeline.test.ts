import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, fills, orderEvents, orders, migrate } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec, type Intent } from '@kestrel/trading-core';
import { storedBalances } from './ledger-store.ts';
import { OrderPipeline } from './order-pipeline.ts';
import { paperVenue, recordCalls, singleVenue, tradingFixture } from './testing/paper-venue.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const buy = (qty: string, reason = 'test'): Intent => ({ kind: 'order', side: 'buy', orderType: 'market', quantity: dec(qty), reason });
const fast = { lookupIntervalMs: 15, minLookupMisses: 3, missWindowMs: 60 };

describe.each(dbTargets())('order pipeline on the paper exchange [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  const history = async (orderId: string) => (await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id)).map((e) => `${e.fromStatus}>${e.toStatus}`);
  const cash = async (profileId: string) => {
    const b = await database.withTenant({ allTenants: true }, (tx) => storedBalances(tx, profileId));
    return Object.fromEntries(b.map((x) => [x.account, x.balance.toFixed()]));
  };

  it('intent → decision + order + reservation → venue → fill, position and ledger in one go', async () => {
    const venue = paperVenue();
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, fast);
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: buy('1'), source: 'strategy' });
    await pipeline.drain();
    expect(r.decision).toMatchObject({ outcome: 'approved', seq: 1 });
    const [o] = await database.db.select().from(orders).where(eq(orders.id, r.order!.id));
    expect(o).toMatchObject({ status: 'filled', filledQty: '1', submitAttempts: 1 });
    expect(await history(o!.id)).toEqual(['new>submitted', 'submitted>accepted', 'accepted>filled']);
    const b = await cash(f.profileId);
    // 10000 − 1 × 100 − 0.1 fee; the reservation is released.
    expect(b).toMatchObject({ cash: '9899.9', 'position:BTC/USDT': '100', fees: '0.1' });
    expect(Object.keys(b).some((k) => k.startsWith('reserved:'))).toBe(false);
    pipeline.close();
  });

  const faults = [
    ['a dropped response', { kind: 'drop_response' } as const],
    ['a 5xx after the order was placed', { kind: 'server_error', placed: true } as const],
    ['a time-out', { kind: 'timeout' } as const],
  ] as const;
  it.each(faults.flatMap(([name, fault]) => [[`${name}, stream off`, fault, false] as const, [`${name}, stream on`, fault, true] as const]))(
    'ambiguous submit (%s): no second createOrder before a lookup; exactly one venue order; filled once',
    async (_name, fault, stream) => {
    const venue = paperVenue();
    venue.faults.script('createOrder', fault);
    const { calls } = recordCalls(venue, { stream });
    const f = await tradingFixture(database);
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, undefined, fast);
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent: buy('0.5'), source: 'manual' });
    if (!stream) expect(r.order!.status).toBe('submitted');
    await pipeline.drain();
    const coid = r.order!.clientOrderId;
    expect(calls[0]).toBe(`create:${coid}`);
    // Without the stream the venue state can only come from a lookup; with it, the stream may answer first.
    if (!stream) expect(calls[1]).toBe(`lookup:${coid}`);
    expect(calls.filter((c) => c.startsWith('create:'))).toHaveLength(1);
    expect(venue.engine.stats.submitted).toBe(1);
    const [o] = await database.db.select().from(orders).where(eq(orders.id, r.order!.id));
    expect(o).toMatchObject({ status: 'filled', filledQty: '0.5' });
    expect(await database.db.select().from(fills).where(eq(fills.orderId, o!.id))).toHaveLength(1);
    expect(await cash(f.profileId)).toMatchObject({ cash: '9949.95', 'position:BTC/USDT': '50' });
    pipeline.close();
  });
});
