import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableName, sql, type Table } from 'drizzle-orm';
import { migrate } from './migrate.ts';
import { createTestDatabase, dbTargets, type TestDatabase } from './testing.ts';
import { pgErrorOf, type Tx } from './client.ts';
import * as trading from './schema/trading.ts';
import { exchangeAccounts, fills, ledgerEntries, ledgerTransactions, orderEvents, orders, profiles } from './schema/trading.ts';

const refusedBy = (re: RegExp) => (e: unknown) => re.test(pgErrorOf(e).message);

describe.each(dbTargets())('trading tables [%s]', (kind) => {
  let database: TestDatabase;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const accountA = randomUUID();
  const profileA = randomUUID();
  const orderA = randomUUID();

  const seed = async (tenantId: string, accountId: string, profileId: string, orderId: string) => {
    await database.withTenant({ tenantId }, async (tx) => {
      await tx.insert(exchangeAccounts).values({ id: accountId, tenantId, name: 'paper', kind: 'paper', venue: 'paper' });
      await tx.insert(profiles).values({
        id: profileId,
        tenantId,
        name: 'bot',
        exchangeAccountId: accountId,
        symbol: 'BTC/USDT',
        timeframe: '1m',
        strategy: 'sma-crossover',
        strategyParams: {},
        rules: {},
        riskLimits: {},
        capitalAllocation: '1000',
        quoteCurrency: 'USDT',
        mode: 'paper',
      });
      await tx.insert(orders).values({
        id: orderId,
        tenantId,
        profileId,
        exchangeAccountId: accountId,
        clientOrderId: `c-${orderId}`,
        symbol: 'BTC/USDT',
        side: 'buy',
        orderType: 'market',
        timeInForce: 'IOC',
        quantity: '1',
        status: 'new',
        source: 'manual',
      });
    });
  };

  const postTx = (tx: Tx, tenantId: string, profileId: string, id: string, amounts: Array<[string, string, string]>) =>
    tx
      .insert(ledgerTransactions)
      .values({ profileId, id, tenantId, kind: 'deposit', at: new Date() })
      .then(() =>
        amounts.length === 0
          ? undefined
          : tx.insert(ledgerEntries).values(amounts.map(([account, currency, amount]) => ({ tenantId, profileId, transactionId: id, account, currency, amount }))),
      );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
    await seed(tenantA, accountA, profileA, orderA);
    await seed(tenantB, randomUUID(), randomUUID(), randomUUID());
  }, 60_000);
  afterAll(async () => database?.close());

  it('accepts a balanced ledger transaction', async () => {
    await database.withTenant({ tenantId: tenantA }, (tx) =>
      postTx(tx, tenantA, profileA, 'deposit:1', [
        ['cash', 'USDT', '100.5'],
        ['external', 'USDT', '-100.5'],
      ]),
    );
    const rows = await database.withTenant({ tenantId: tenantA }, (tx) => tx.select().from(ledgerEntries));
    expect(rows.map((r) => r.amount).sort()).toEqual(['-100.5', '100.5']);
  });

  it('refuses at commit a transaction whose entries do not sum to zero per currency, or that has none', async () => {
    await expect(
      database.withTenant({ tenantId: tenantA }, (tx) =>
        postTx(tx, tenantA, profileA, 'deposit:2', [
          ['cash', 'USDT', '10'],
          ['external', 'USDT', '-9'],
        ]),
      ),
    ).rejects.toSatisfy(refusedBy(/unbalanced: USDT entries sum to 1/));
    // Balanced in total but not per currency.
    await expect(
      database.withTenant({ tenantId: tenantA }, (tx) =>
        postTx(tx, tenantA, profileA, 'deposit:3', [
          ['cash', 'USDT', '10'],
          ['external', 'EUR', '-10'],
        ]),
      ),
    ).rejects.toSatisfy(refusedBy(/unbalanced/));
    await expect(database.withTenant({ tenantId: tenantA }, (tx) => postTx(tx, tenantA, profileA, 'deposit:4', []))).rejects.toSatisfy(
      refusedBy(/has no entries/),
    );
    // Entries added to an already committed transaction unbalance it: refused too.
    await expect(
      database.withTenant({ tenantId: tenantA }, (tx) =>
        tx.insert(ledgerEntries).values({ tenantId: tenantA, profileId: profileA, transactionId: 'deposit:1', account: 'cash', currency: 'USDT', amount: '1' }),
      ),
    ).rejects.toSatisfy(refusedBy(/unbalanced/));
    const ids = await database.withTenant({ tenantId: tenantA }, (tx) => tx.select({ id: ledgerTransactions.id }).from(ledgerTransactions));
    expect(ids.map((r) => r.id)).toEqual(['deposit:1']);
  });

  it('ledger entries and transactions, fills, order events and decisions are append-only for every role', async () => {
    const appendOnly = refusedBy(/append-only/);
    await database.withTenant({ tenantId: tenantA }, (tx) =>
      postTx(tx, tenantA, profileA, 'deposit:immutable', [
        ['cash', 'USDT', '1'],
        ['external', 'USDT', '-1'],
      ]),
    );
    await expect(database.db.update(ledgerEntries).set({ amount: '1' })).rejects.toSatisfy(appendOnly);
    await expect(database.db.delete(ledgerEntries)).rejects.toSatisfy(appendOnly);
    await expect(database.db.update(ledgerTransactions).set({ memo: 'x' })).rejects.toSatisfy(appendOnly);
    await expect(database.db.delete(ledgerTransactions)).rejects.toSatisfy(appendOnly);
    await database.withTenant({ tenantId: tenantA }, (tx) =>
      tx.insert(orderEvents).values({ tenantId: tenantA, orderId: orderA, at: new Date(), fromStatus: 'new', toStatus: 'submitted', event: 'OrderSubmitted', source: 'local' }),
    );
    await expect(database.db.update(orderEvents).set({ reason: 'x' })).rejects.toSatisfy(appendOnly);
    await expect(database.db.delete(orderEvents)).rejects.toSatisfy(appendOnly);
    // The application role has no UPDATE/DELETE grant on them at all.
    await expect(database.withTenant({ tenantId: tenantA }, (tx) => tx.delete(ledgerEntries))).rejects.toSatisfy(refusedBy(/permission denied/));
    await expect(database.withTenant({ tenantId: tenantA }, (tx) => tx.update(fills).set({ fee: '0' }))).rejects.toSatisfy(refusedBy(/permission denied/));
  });

  it('one fill per (account, venue, trade id): a repeat is a no-op with ON CONFLICT DO NOTHING, a plain insert fails', async () => {
    const fill = {
      tenantId: tenantA,
      orderId: orderA,
      profileId: profileA,
      exchangeAccountId: accountA,
      venue: 'paper',
      tradeId: '42',
      side: 'buy' as const,
      quantity: '0.5',
      price: '100',
      fee: '0.05',
      feeCurrency: 'USDT',
      liquidity: 'taker' as const,
      at: new Date(),
    };
    const first = await database.withTenant({ tenantId: tenantA }, (tx) => tx.insert(fills).values(fill).onConflictDoNothing().returning({ id: fills.id }));
    const again = await database.withTenant({ tenantId: tenantA }, (tx) => tx.insert(fills).values(fill).onConflictDoNothing().returning({ id: fills.id }));
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    await expect(database.withTenant({ tenantId: tenantA }, (tx) => tx.insert(fills).values(fill))).rejects.toSatisfy((e) => pgErrorOf(e).code === '23505');
    await expect(database.db.update(fills).set({ fee: '0' })).rejects.toSatisfy(refusedBy(/append-only/));
  });

  it('row-level security on every trading table: a tenant sees only its rows, and cannot write another tenant’s', async () => {
    const tables = Object.values(trading).filter((t: unknown): t is Table => typeof t === 'object' && t !== null && Symbol.for('drizzle:IsDrizzleTable') in t);
    expect(tables.length).toBe(14); // a new table fails here until it is checked below
    for (const table of tables) {
      const name = getTableName(table);
      const seen = await database.withTenant({ tenantId: tenantA }, async (tx) =>
        (await tx.execute(sql.raw(`select distinct tenant_id::text as t from ${name}`))) as unknown as { rows: Array<{ t: string }> },
      );
      expect(seen.rows.every((r) => r.t === tenantA), name).toBe(true);
      const none = await database.withTenant({ tenantId: '' }, async (tx) => (await tx.execute(sql.raw(`select count(*)::int as n from ${name}`))) as unknown as { rows: Array<{ n: number }> });
      expect(none.rows[0]?.n, name).toBe(0);
    }
    const bProfiles = await database.withTenant({ tenantId: tenantB }, (tx) => tx.select().from(profiles));
    expect(bProfiles.map((p) => p.tenantId)).toEqual([tenantB]);
    await expect(
      database.withTenant({ tenantId: tenantB }, (tx) => tx.insert(exchangeAccounts).values({ id: randomUUID(), tenantId: tenantA, name: 'sneaky', kind: 'paper', venue: 'paper' })),
    ).rejects.toSatisfy(refusedBy(/row-level security/));
    const updated = await database.withTenant({ tenantId: tenantB }, (tx) => tx.update(profiles).set({ name: 'taken' }).where(sql`id = ${profileA}`).returning());
    expect(updated).toHaveLength(0);
  });
});
