import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions, eq, migrate, orders } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec } from '@kestrel/trading-core';
import { OrderPipeline } from '../order-pipeline.ts';
import { paperVenue, singleVenue, tradingFixture } from '../testing/paper-venue.ts';
import { LeaseLostError, LeaseManager } from './lease.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One instance runs a profile at a time; a dead holder is taken over; a stale holder is fenced off. */
describe.each(dbTargets())('profile leases [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  it('a held lease is not taken; an expired one is, with a new epoch; the old holder can neither renew nor write an intent', async () => {
    const f = await tradingFixture(database);
    const a = new LeaseManager(database, 'instance-a', 400);
    const b = new LeaseManager(database, 'instance-b', 60_000);
    const leaseA = await a.acquire(f.profileId, f.tenantId);
    expect(leaseA).toMatchObject({ holder: 'instance-a', epoch: 1 });
    expect(await b.acquire(f.profileId, f.tenantId)).toBeNull();
    expect(await a.renew(leaseA!)).toBe(true);
    expect((await b.holderOf(f.profileId, f.tenantId))?.holder).toBe('instance-a');

    await sleep(600); // A stopped heart-beating (died or stalled)
    const leaseB = await b.acquire(f.profileId, f.tenantId);
    expect(leaseB).toMatchObject({ holder: 'instance-b', epoch: 2 });
    expect(await a.renew(leaseA!)).toBe(false);

    const venue = paperVenue();
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const intent = { kind: 'order', side: 'buy', orderType: 'market', quantity: dec('0.1'), reason: 'test' } as const;
    // A wakes up and tries to trade under its old epoch: refused inside the intent transaction.
    await expect(pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy', lease: leaseA! })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await database.db.select().from(orders).where(eq(orders.profileId, f.profileId))).toHaveLength(0);
    expect(await database.db.select().from(decisions).where(eq(decisions.profileId, f.profileId))).toHaveLength(0);
    expect(venue.engine.stats.submitted).toBe(0);
    // B, the holder, trades.
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy', lease: leaseB! });
    expect(r.order?.status, JSON.stringify(r.decision)).toBe('filled');
    await pipeline.drain();
    pipeline.close();
  });

  it('the same instance restarting takes its own lease back at once (next epoch); release frees it for others', async () => {
    const f = await tradingFixture(database);
    const a = new LeaseManager(database, 'instance-a', 60_000);
    const first = await a.acquire(f.profileId, f.tenantId);
    const again = await new LeaseManager(database, 'instance-a', 60_000).acquire(f.profileId, f.tenantId);
    expect(again?.epoch).toBe(first!.epoch + 1);
    const b = new LeaseManager(database, 'instance-b', 60_000);
    expect(await b.acquire(f.profileId, f.tenantId)).toBeNull();
    await a.release(again!);
    expect(await b.acquire(f.profileId, f.tenantId)).toMatchObject({ holder: 'instance-b', epoch: first!.epoch + 2 });
  });

  it('two instances racing for a free lease: exactly one wins', async () => {
    const f = await tradingFixture(database);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => new LeaseManager(database, `racer-${i}`, 60_000).acquire(f.profileId, f.tenantId)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
