import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { migrate } from './migrate.ts';
import { createTestDatabase, dbTargets, type TestDatabase } from './testing.ts';
import { pgErrorOf, rowsOf } from './client.ts';
import { backtestRuns } from './schema/backtests.ts';

describe.each(dbTargets())('backtest_runs (migration 0008) [%s]', (kind) => {
  let database: TestDatabase;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const run = (tenantId: string) => ({ id: randomUUID(), tenantId, kind: 'backtest' as const, status: 'queued' as const, config: { strategy: 'sma-cross' }, progress: { percent: 0 }, runner: 'host:4018', createdBy: randomUUID(), createdByUsername: 'trader' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
    await database.withTenant({ tenantId: tenantA }, (tx) => tx.insert(backtestRuns).values(run(tenantA)));
    await database.withTenant({ tenantId: tenantB }, (tx) => tx.insert(backtestRuns).values(run(tenantB)));
  }, 60_000);
  afterAll(async () => database?.close());

  it('the drizzle schema matches the table', async () => {
    const res = await database.db.execute(sql`select column_name from information_schema.columns where table_name = 'backtest_runs' and table_schema = 'public'`);
    const inDb = rowsOf<{ column_name: string }>(res).map((r) => r.column_name).sort();
    expect(Object.values(getTableColumns(backtestRuns)).map((c) => c.name).sort()).toEqual(inDb);
  });

  it('row-level security: a tenant reads and changes only its runs; without a tenant nothing', async () => {
    const a = await database.withTenant({ tenantId: tenantA }, (tx) => tx.select().from(backtestRuns));
    expect(a.map((r) => r.tenantId)).toEqual([tenantA]);
    expect(await database.withTenant({ tenantId: '' }, (tx) => tx.select().from(backtestRuns))).toHaveLength(0);
    const stolen = await database.withTenant({ tenantId: tenantB }, (tx) => tx.update(backtestRuns).set({ status: 'cancelled', finishedAt: new Date() }).where(eq(backtestRuns.tenantId, tenantA)).returning());
    expect(stolen).toHaveLength(0);
    const deleted = await database.withTenant({ tenantId: tenantB }, (tx) => tx.delete(backtestRuns).where(eq(backtestRuns.tenantId, tenantA)).returning());
    expect(deleted).toHaveLength(0);
    await expect(database.withTenant({ tenantId: tenantB }, (tx) => tx.insert(backtestRuns).values(run(tenantA)))).rejects.toSatisfy((e) => /row-level security/.test(pgErrorOf(e).message));
  });

  it('a finished run has a finish time and an unfinished one has none; unknown statuses are refused', async () => {
    const bad = [
      { ...run(tenantA), status: 'completed' as const },
      { ...run(tenantA), status: 'running' as const, finishedAt: new Date() },
      { ...run(tenantA), status: 'paused' as never },
    ];
    for (const row of bad) {
      await expect(database.withTenant({ tenantId: tenantA }, (tx) => tx.insert(backtestRuns).values(row))).rejects.toSatisfy((e) => pgErrorOf(e).code === '23514');
    }
  });
});
