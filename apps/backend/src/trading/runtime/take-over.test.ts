import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, migrate, orders, profiles } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { createLogger } from '@kestrel/server-kit';
import { RealtimeHub } from '../../realtime/hub.ts';
import { OrderPipeline } from '../order-pipeline.ts';
import { tradingFixture } from '../testing/paper-venue.ts';
import { until } from '../testing/wait.ts';
import { PaperMarket } from './paper-market.ts';
import { TradingRuntime } from './trading-runtime.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** Two backend instances on one database: exactly one runs a profile; the other takes over when it dies. */
describe.each(dbTargets())('trading loop take-over between instances [%s]', (kind) => {
  let database: TestDatabase;
  let market: PaperMarket;
  const runtimes: TradingRuntime[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
    market = new PaperMarket({ speed: 300, historyBars: 100, onListenerError: () => {} });
    market.start();
  }, 60_000);
  afterAll(async () => {
    for (const r of runtimes) await r.stop();
    market?.stop();
    await database?.close();
  });

  const instance = (name: string) => {
    const pipeline = new OrderPipeline(database, market, logger);
    const runtime = new TradingRuntime({ database, pipeline, venues: market, market, hub: new RealtimeHub(), logger, instanceId: name, leaseTtlMs: 1_500, heartbeatMs: 300, scanMs: 200 });
    runtimes.push(runtime);
    return runtime;
  };

  it('one instance holds the loop; when it dies without a word, the other takes over after the lease expires and trading goes on', async () => {
    const f = await tradingFixture(database, { capital: '1000000', riskLimits: { feeRate: '0.001' } });
    await database.withTenant({ tenantId: f.tenantId }, (tx) =>
      tx.update(profiles).set({ status: 'running', timeframe: '1s', strategy: 'sma-cross', strategyParams: { fast: 2, slow: 3, size: 0.001 } }).where(eq(profiles.id, f.profileId)),
    );
    const a = instance('instance-a');
    await a.start();
    const b = instance('instance-b');
    await b.start();
    expect(a.status().runners.map((r) => r.profileId)).toEqual([f.profileId]);
    expect(b.status().runners).toEqual([]); // the lease is a's

    const ordersNow = async () => (await database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(orders).where(and(eq(orders.profileId, f.profileId))))).length;
    await until('a to trade', async () => (await ordersNow()) > 0);
    // Several heartbeats later b still has not taken it.
    await sleep(1_000);
    expect(b.status().runners).toEqual([]);

    await a.stop({ releaseLeases: false }); // a dies: no release, no more heartbeats
    await until('b to take the loop over', () => b.status().runners.length === 1, 20_000);
    expect(b.status().runners[0]).toMatchObject({ profileId: f.profileId, epoch: 2 });
    const before = await ordersNow();
    await until('b to trade', async () => (await ordersNow()) > before);
    // Orders placed after the take-over carry no trace of a: every order has exactly one decision and a unique client order id.
    const rows = await database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(orders).where(eq(orders.profileId, f.profileId)));
    expect(new Set(rows.map((r) => r.clientOrderId)).size).toBe(rows.length);
  });

  it('an exchange account created after start-up is reconciled and its running profile gets a loop', async () => {
    const live = runtimes.find((r) => r.status().started)!;
    const f = await tradingFixture(database, { capital: '1000000', riskLimits: { feeRate: '0.001' } });
    await database.withTenant({ tenantId: f.tenantId }, (tx) =>
      tx.update(profiles).set({ status: 'running', timeframe: '1s', strategy: 'sma-cross', strategyParams: { fast: 2, slow: 3, size: 0.001 } }).where(eq(profiles.id, f.profileId)),
    );
    await until('the new profile to get a loop', () => live.status().runners.some((r) => r.profileId === f.profileId), 20_000);
  });
});
