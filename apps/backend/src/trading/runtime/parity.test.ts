/**
 * Parity (issue 4): one profile traded by the live trading loop — ProfileRunner → OrderPipeline
 * (database outbox, rules, risk, ledger) → the paper exchange — over a replay of real candles, and
 * the same profile backtested over the same candles, give the same orders (same client order ids,
 * sides, quantities, statuses), the same fills (price, quantity, fee) and the same final equity.
 *
 * The replay is stepped by the test: each bar is first matched by the venue's engine (a market
 * order sent at the previous close fills at this bar's open, as the backtester's next-open model
 * does), the fills are booked, and only then does the bar reach the trading loop — the order in
 * which the backtester plays a bar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, fills, migrate, orders, positions, profiles } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { runBacktest } from '@kestrel/backtester';
import { instrumentOfMarket, noLatency, PaperExchange, PaperMatchingEngine, readCandlesCsv, systemScheduler, type CandleSeries, type MarketListener, type VenueCandle } from '@kestrel/exchanges';
import { createLogger } from '@kestrel/server-kit';
import { Dec } from '@kestrel/trading-core';
import { storedBalances } from '../ledger-store.ts';
import { OrderPipeline } from '../order-pipeline.ts';
import { BTC_USDT, singleVenue, tradingFixture } from '../testing/paper-venue.ts';
import { BTC_USDT_5M_CSV } from '../testing/replay-market.ts';
import { until } from '../testing/wait.ts';
import { LeaseManager } from './lease.ts';
import { ProfileRunner } from './profile-runner.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const CAPITAL = '20000';
const BARS = 400;
const PARAMS = { fast: 5, slow: 20, size: 0.05 };

describe.each(dbTargets())('parity: live trading loop on the paper exchange = backtest on the same candles [%s]', (kind) => {
  let database: TestDatabase;
  let all: CandleSeries;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
    all = await readCandlesCsv(BTC_USDT_5M_CSV);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it('same orders, same fills, same final equity', async () => {
    const f = await tradingFixture(database, { capital: CAPITAL, riskLimits: { feeRate: '0.001' } });
    await database.withTenant({ tenantId: f.tenantId }, (tx) =>
      tx.update(profiles).set({ status: 'running', timeframe: '5m', strategy: 'sma-cross', strategyParams: PARAMS }).where(eq(profiles.id, f.profileId)),
    );

    // The venue: the paper exchange with the profile's capital as its balance (so a buy the cash
    // cannot pay is refused at the fill, as in the backtest), market orders filled at the next bar's open.
    const engine = new PaperMatchingEngine({
      markets: [BTC_USDT],
      balances: { USDT: CAPITAL },
      config: { takerFeeRate: '0.001', makerFeeRate: '0.001', marketOrders: 'next-price' },
    });
    const listeners = new Set<MarketListener>();
    /** Bars the loop finished: its strategy saw them and every intent went through the pipeline. */
    let barsDone = 0;
    let marketNow = all.time[0]!;
    const venue = new PaperExchange({
      engine,
      scheduler: systemScheduler(),
      clock: { now: () => marketNow },
      latency: { request: noLatency, response: noLatency, stream: noLatency },
      marketData: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
      candles: { candles: () => [] },
      onListenerError: () => {},
    });
    const pipeline = new OrderPipeline(database, singleVenue(venue), logger, { now: () => marketNow });
    const [profile] = await database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(profiles).where(eq(profiles.id, f.profileId)));
    const lease = await new LeaseManager(database, 'parity', 60_000).acquire(f.profileId, f.tenantId);
    const runner = new ProfileRunner({
      profile: profile!,
      lease: lease!,
      venue,
      instrument: instrumentOfMarket(BTC_USDT)!,
      pipeline,
      database,
      logger,
      feedTimeframe: '5m',
      onLeaseLost: () => {},
      onBar: () => void barsDone++,
    });
    await runner.start();

    const ofProfile = () => database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(orders).where(eq(orders.profileId, f.profileId)).orderBy(asc(orders.createdAt), asc(orders.clientOrderId)));
    const bookedFills = () => database.withTenant({ tenantId: f.tenantId }, (tx) => tx.select().from(fills).where(eq(fills.profileId, f.profileId)));
    const settled = async () => {
      await pipeline.drain();
      const [rows, booked] = await Promise.all([ofProfile(), bookedFills()]);
      const venueTrades = engine.trades(BTC_USDT.symbol, undefined, 10_000).length;
      // Every fill the venue made is booked, and every order has the venue's word (no `new`/`submitted` left).
      return booked.length === venueTrades && rows.every((r) => r.status !== 'new' && r.status !== 'submitted');
    };

    for (let i = 0; i < BARS; i++) {
      const bar: VenueCandle = { time: all.time[i]!, open: all.open[i]!, high: all.high[i]!, low: all.low[i]!, close: all.close[i]!, volume: all.volume[i]! };
      marketNow = bar.time;
      engine.onBar(BTC_USDT.symbol, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume);
      await until(`bar ${i}: the venue's fills booked`, settled, 10_000, 5);
      marketNow = bar.time + 300_000;
      const handled = barsDone;
      for (const l of listeners) l({ type: 'candle', symbol: BTC_USDT.symbol, timeframe: '5m', candle: bar });
      await until(`bar ${i}: handled by the loop`, () => barsDone > handled, 10_000, 2);
      await until(`bar ${i}: its orders answered`, settled, 10_000, 5);
    }
    await runner.stop();
    pipeline.close();

    const backtest = runBacktest({
      strategy: { id: 'sma-cross', params: PARAMS },
      markets: [{ symbol: BTC_USDT.symbol, series: { ...all, length: BARS }, tickSize: BTC_USDT.tickSize, lotSize: BTC_USDT.lotSize, minQty: BTC_USDT.minQty, minNotional: BTC_USDT.minNotional }],
      cash: CAPITAL,
      feeRate: '0.001',
      fill: 'next-open',
      profileId: f.profileId,
      tenantId: f.tenantId,
    });

    const liveOrders = await ofProfile();
    expect(liveOrders.length).toBeGreaterThan(6); // the strategy traded: the comparison means something
    expect(liveOrders.map((o) => ({ id: o.clientOrderId, side: o.side, quantity: new Dec(o.quantity).toFixed(), status: o.status }))).toEqual(
      backtest.orders.map((o) => ({ id: o.clientOrderId, side: o.side, quantity: new Dec(o.quantity).toFixed(), status: o.status })),
    );
    const liveFills = (await bookedFills()).sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.tradeId) - Number(b.tradeId));
    const byId = new Map(liveOrders.map((o) => [o.id, o.clientOrderId]));
    expect(liveFills.map((x) => ({ id: byId.get(x.orderId), price: new Dec(x.price).toFixed(), qty: new Dec(x.quantity).toFixed(), fee: new Dec(x.fee).toFixed(), at: x.at.getTime() }))).toEqual(
      backtest.fills.map((x) => ({ id: x.clientOrderId, price: new Dec(x.price).toFixed(), qty: new Dec(x.quantity).toFixed(), fee: new Dec(x.fee).toFixed(), at: x.time })),
    );

    // Final equity: cash + reservations + the position marked at the last close.
    const { balances, position } = await database.withTenant({ tenantId: f.tenantId }, async (tx) => ({
      balances: await storedBalances(tx, f.profileId),
      position: (await tx.select().from(positions).where(eq(positions.profileId, f.profileId)))[0],
    }));
    const cash = balances.filter((b) => b.currency === 'USDT' && (b.account === 'cash' || b.account.startsWith('reserved'))).reduce((s, b) => s.plus(b.balance), new Dec(0));
    const qty = new Dec(position?.quantity ?? '0');
    const liveEquity = cash.plus(qty.times(all.close[BARS - 1]!));
    expect(liveEquity.toNumber()).toBeCloseTo(backtest.finalValue, 8);
  }, 240_000);
});
