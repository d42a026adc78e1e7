import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, rowsOf, sql } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { dec, type Intent } from '@kestrel/trading-core';
import { OrderPipeline } from './order-pipeline.ts';
import { paperVenue, singleVenue, tradingFixture } from './testing/paper-venue.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

/** The running balances (0005) are a cache of the entries: after real trading they must be equal, account by account. */
describe.each(dbTargets())('ledger running balances [%s]', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
  }, 60_000);
  afterAll(async () => database?.close());

  it('equal the sum of the entries for every profile, account and currency after orders, fills, cancels and releases', async () => {
    const f = await tradingFixture(database, { capital: '50000' });
    const venue = paperVenue({ price: 100 });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
    const submit = (intent: Intent) => pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy' });
    await submit({ kind: 'order', side: 'buy', orderType: 'market', quantity: dec('3'), reason: 't' });
    const resting = await submit({ kind: 'order', side: 'buy', orderType: 'limit', price: dec('99'), quantity: dec('2'), reason: 't' });
    await submit({ kind: 'order', side: 'sell', orderType: 'market', quantity: dec('1'), reason: 't' });
    await pipeline.sender.cancel(resting.order!, venue);
    await pipeline.drain();
    const diff = rowsOf<{ profile_id: string; account: string; currency: string; entries: string; balance: string | null }>(
      await database.db.execute(sql`select e.profile_id, e.account, e.currency, sum(e.amount)::text as entries, b.balance::text as balance
        from ledger_entries e left join ledger_balances b on b.profile_id = e.profile_id and b.account = e.account and b.currency = e.currency
        group by e.profile_id, e.account, e.currency, b.balance having b.balance is null or sum(e.amount) <> b.balance`),
    );
    expect(diff).toEqual([]);
    const mine = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ledger_balances where profile_id = ${f.profileId}`));
    expect(mine[0]!.n).toBeGreaterThanOrEqual(4); // cash, reserved, position, fees, realized P&L…
    pipeline.close();
  });
});
