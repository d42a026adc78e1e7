import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, migrate, positions } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { dec } from '@kestrel/trading-core';
import { lockPositionForFill, storePosition } from './position-store.ts';
import { tradingFixture } from './testing/paper-venue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A profile's first two fills booked at once (two transactions, e.g. the venue's stream and an
 * order lookup): the second must start from the first one's result. Before the position row was
 * created under the lock, both started from flat and the second write erased the first fill.
 */
describe.each(dbTargets())('positions booked by concurrent fills [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  it('the first fills of a profile are both counted when their transactions overlap', async () => {
    const f = await tradingFixture(database);
    const book = (qty: string, holdMs: number) =>
      database.withTenant({ tenantId: f.tenantId }, async (tx) => {
        const p = await lockPositionForFill(tx, f.tenantId, f.profileId, 'BTC/USDT');
        await sleep(holdMs); // the other transaction arrives while this one holds the position
        await storePosition(tx, f.tenantId, { ...p, quantity: p.quantity.plus(qty), updatedAt: Date.now() });
      });
    await Promise.all([book('0.1', 150), sleep(30).then(() => book('0.2', 0))]);
    const [row] = await database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(positions).where(and(eq(positions.profileId, f.profileId), eq(positions.symbol, 'BTC/USDT'))));
    expect(dec(row!.quantity).toFixed()).toBe('0.3');
  });
});
