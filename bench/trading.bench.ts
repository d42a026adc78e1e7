/**
 * `npm run bench:trading` — the live trading path of issue 3, on the real database (embedded
 * PGlite; PostgreSQL too when DATABASE_URL is set), printed side by side with baselines measured in
 * the same run:
 *
 * 1. tick → order accepted: a bar reaches the strategy, its intent goes through rules and risk,
 *    the decision, order and reservation commit in one transaction, the paper exchange accepts the
 *    order and the acknowledgement commits. Baseline: one empty tenant transaction (the floor of
 *    any database write). Target: p99 ≤ 10 ms.
 * 2. kill switch with 100 running profiles (grid bots on 5-second bars), each with resting orders
 *    at the venue: time from the switch until every profile is halted and every open order
 *    cancelled. Baseline: the same with one profile. Target: ≤ 1 s.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildBackendApp } from '@kestrel/backend/app';
import { testConfig } from '@kestrel/backend/config';
import { and, eq, inArray, migrate, orders, profiles, sql, type DbKind } from '@kestrel/db';
import { createTestDatabase } from '@kestrel/db/testing';
import { noLatency, PaperExchange, PaperMatchingEngine, parseCandlesCsv, systemScheduler } from '@kestrel/exchanges';
import { createLogger } from '@kestrel/server-kit';
import { createStrategy } from '@kestrel/strategies';
import { CandleHistory, createInstrument, dec, flatPosition, type Candle, type Intent, type MutableStrategyContext } from '@kestrel/trading-core';
import { OrderPipeline } from '../apps/backend/src/trading/order-pipeline.ts';
import { PaperMarket } from '../apps/backend/src/trading/runtime/paper-market.ts';
import { BTC_USDT, singleVenue, tradingFixture } from '../apps/backend/src/trading/testing/paper-venue.ts';

const logger = createLogger({ name: 'bench', level: process.env.BENCH_LOG ?? 'silent' });
const N = Number(process.env.BENCH_ORDERS ?? 600);
const PROFILES = Number(process.env.BENCH_PROFILES ?? 100);
const kinds: DbKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const series = parseCandlesCsv(readFileSync(new URL('../packages/market-data/data/candles/BTC_USDT-5m.csv', import.meta.url), 'utf8'));

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), max: s[s.length - 1]! };
};
const f2 = (v: number) => v.toFixed(2).padStart(8);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tickToOrder(kind: DbKind) {
  const database = await createTestDatabase(kind);
  await migrate(database, 'backend');
  const f = await tradingFixture(database, { capital: '1000000000', riskLimits: { feeRate: '0.001' } });
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '1000000000000', BTC: '1000' } });
  const venue = new PaperExchange({ engine, scheduler: systemScheduler(), latency: { request: noLatency, response: noLatency, stream: noLatency }, onListenerError: () => {} });
  const pipeline = new OrderPipeline(database, singleVenue(venue), logger);
  const made = createInstrument(BTC_USDT);
  if (!made.ok) throw new Error(made.error.message);
  const instrument = made.value;
  const strategy = createStrategy({ id: 'sma-cross', params: { fast: 10, slow: 30, size: 0.001 } }, instrument);
  const history = new CandleHistory(64);
  const ctx: MutableStrategyContext = { now: 0, profileId: f.profileId, instrument, position: flatPosition(f.profileId, instrument, 0), positionQty: 0, freeCapital: 1e9, lastPrice: NaN, openOrders: [], candles: history };

  const floor: number[] = [];
  const path: number[] = [];
  for (let i = 0; i < N + 50; i++) {
    const c: Candle = { time: series.time[i]!, open: series.open[i]!, high: series.high[i]!, low: series.low[i]!, close: series.close[i]!, volume: series.volume[i]! };
    engine.onTick('BTC/USDT', c.close, Date.now());
    const t0 = performance.now();
    await database.withTenant({ tenantId: f.tenantId }, (tx) => tx.execute(sql`select 1`));
    const t1 = performance.now();
    history.push(c);
    ctx.lastPrice = c.close;
    const intents = strategy.onCandle(ctx, c);
    // Every bar trades (the strategy alone would on ~1 bar in 25): a buy limit resting below the price.
    const intent: Intent = intents[0] ?? { kind: 'order', side: 'buy', orderType: 'limit', price: Math.round(c.close * 0.9), quantity: dec('0.001'), reason: 'bench' };
    // As the trading loop does: the bar's close is the last price (no ticker round trip).
    const r = await pipeline.submit({ tenantId: f.tenantId, profileId: f.profileId, intent, source: 'strategy', lastPrice: dec(String(c.close)) });
    const t2 = performance.now();
    if (!r.order || r.order.status === 'new' || r.order.status === 'rejected') throw new Error(`bench order not accepted: ${r.core.code ?? r.order?.status} ${r.core.reason}`);
    if (i >= 50) {
      floor.push(t1 - t0);
      path.push(t2 - t1);
    }
  }
  await pipeline.drain();
  pipeline.close();
  await database.close();
  return { floor: stats(floor), path: stats(path) };
}

async function killSwitch(kind: DbKind, count: number) {
  const database = await createTestDatabase(kind);
  await migrate(database, 'backend');
  const market = new PaperMarket({ speed: 300, historyBars: 50, onListenerError: () => {} });
  const app = await buildBackendApp({
    config: testConfig({ LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: 20 }),
    database,
    logger,
    venues: market,
    market,
    runtime: { instanceId: 'bench', scanMs: 200, heartbeatMs: 2_000 },
  });
  const tenantId = randomUUID();
  const actor = { userId: randomUUID(), tenantId, username: 'bench-admin', roles: ['admin'] as const, requestId: 'bench' };
  const { services, runtime } = app.kestrel;
  const account = await services.accounts.create(actor, { name: 'Paper', kind: 'paper', venue: 'paper' });
  const [last] = await market.candles('BTC/USDT', '1s', undefined, 1);
  const price = last!.close;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = await services.profiles.create(actor, {
      name: `grid-${i}`,
      exchangeAccountId: account.id,
      symbol: 'BTC/USDT',
      // 5-second bars: 100 bots on 1-second bars saturate the embedded PGlite before any switch.
      timeframe: '5s',
      strategy: 'grid',
      strategyParams: { lower: Math.round(price * 0.95), upper: Math.round(price * 0.999), levels: 4, sizePerLevel: 0.001 },
      rules: {},
      riskLimits: {},
      capitalAllocation: '10000',
      mode: 'paper',
    });
    await services.profiles.act(actor, p.id, 'start');
    ids.push(p.id);
  }
  market.start();
  await runtime!.start();
  const openOrders = async () =>
    (await database.withTenant({ tenantId }, (tx) => tx.select({ id: orders.id }).from(orders).where(inArray(orders.status, ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'])))).length;
  const deadline = Date.now() + 120_000;
  while ((await openOrders()) < count * 2 && Date.now() < deadline) await sleep(200);
  const open = await openOrders();

  const t0 = performance.now();
  await services.control.update(actor, { scope: 'tenant', tradingEnabled: false, killSwitchReason: 'bench' });
  const answered = performance.now() - t0;
  let remaining = await openOrders();
  while (remaining > 0 && performance.now() - t0 < 10_000) {
    await sleep(5);
    remaining = await openOrders();
  }
  const allDone = performance.now() - t0;
  const left = await database.withTenant({ tenantId }, (tx) => tx.select({ status: orders.status, clientOrderId: orders.clientOrderId }).from(orders).where(inArray(orders.status, ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'])));
  if (left.length > 0) console.log(`  still open after the kill switch: ${left.map((o) => `${o.clientOrderId} ${o.status}`).join(', ')}`);
  const halted = (await database.withTenant({ tenantId }, (tx) => tx.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.tenantId, tenantId), eq(profiles.status, 'halted'))))).length;
  const before = open;
  market.stop();
  await app.close();
  await database.close();
  return { profiles: count, openBefore: before, answeredMs: answered, allCancelledMs: allDone, remaining, halted, loopsLeft: runtime!.status().runners.length };
}

console.log(`trading path benchmarks (${new Date().toISOString()})`);
const only = process.env.BENCH_ONLY;
for (const kind of kinds) {
  if (only !== 'kill') {
  console.log(`\n[${kind}] tick → order accepted by the paper exchange, database commits included (${N} orders), ms:`);
  const r = await tickToOrder(kind);
  console.log(`  ${'case'.padEnd(52)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(`  ${'baseline: one empty tenant transaction'.padEnd(52)} ${f2(r.floor.p50)} ${f2(r.floor.p99)} ${f2(r.floor.max)}`);
  console.log(`  ${'tick → strategy → decision+order commit → ack commit'.padEnd(52)} ${f2(r.path.p50)} ${f2(r.path.p99)} ${f2(r.path.max)}`);
  console.log(`  ratio to the baseline: p50 ${(r.path.p50 / r.floor.p50).toFixed(1)}×, p99 ${(r.path.p99 / r.floor.p99).toFixed(1)}×; target p99 ≤ 10 ms: ${r.path.p99 <= 10 ? 'met' : 'NOT met'}`);

  }
  console.log(`\n[${kind}] kill switch while bots trade (grid bots with resting orders on the replayed market):`);
  const one = await killSwitch(kind, 1);
  const many = await killSwitch(kind, PROFILES);
  for (const k of [one, many]) {
    console.log(
      `  ${String(k.profiles).padStart(4)} profile(s), ${String(k.openBefore).padStart(4)} open orders: switch answered in ${k.answeredMs.toFixed(0)} ms, all cancelled after ${k.allCancelledMs.toFixed(0)} ms; halted ${k.halted}/${k.profiles}, loops left ${k.loopsLeft}, orders still open ${k.remaining}`,
    );
  }
  console.log(`  ratio ${PROFILES} profiles / 1 profile: ${(many.allCancelledMs / one.allCancelledMs).toFixed(1)}×; target ≤ 1000 ms: ${many.allCancelledMs <= 1000 && many.remaining === 0 ? 'met' : 'NOT met'}`);
}
process.exit(0);
