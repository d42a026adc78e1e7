import { and, eq, inArray, orders, positions, type Database, type profiles } from '@kestrel/db';
import { timeframeToMs, type VenueCandle } from '@kestrel/exchanges';
import { createStrategy, type StrategyConfig } from '@kestrel/strategies';
import {
  CandleHistory,
  Dec,
  decFromNumber,
  flatPosition,
  type Candle,
  type Instrument,
  type Intent,
  type MutableStrategyContext,
  type OpenOrderView,
  type Strategy,
} from '@kestrel/trading-core';
import type { Logger } from 'pino';
import type { OrderPipeline } from '../order-pipeline.ts';
import { storedBalances } from '../ledger-store.ts';
import type { ExchangeAdapter } from '../venue.ts';
import { LeaseLostError, type Lease } from './lease.ts';

type ProfileRow = typeof profiles.$inferSelect;
const OPEN = ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'] as const;

export interface ProfileRunnerOptions {
  readonly profile: ProfileRow;
  readonly lease: Lease;
  readonly venue: ExchangeAdapter;
  readonly instrument: Instrument;
  readonly pipeline: OrderPipeline;
  readonly database: Database;
  readonly logger: Logger;
  /** Bar duration of the venue's candle stream; the profile's timeframe must be a multiple of it. */
  readonly feedTimeframe: string;
  /** The lease was taken over (fencing refused a write): the runtime drops this runner. */
  readonly onLeaseLost: (runner: ProfileRunner) => void;
  /** After each bar has been handled (tests and the runtime's status). */
  readonly onBar?: (runner: ProfileRunner, candle: Candle, intents: readonly Intent[]) => void;
}

/**
 * The trading loop of one running profile, in the instance that holds its lease:
 * venue candles (aggregated to the profile's timeframe) → the profile's strategy, with a context of
 * its position, free capital and open orders read from the database → each intent through the
 * order pipeline (rules, risk, outbox, venue), under the lease's fencing token. Bars are handled
 * one at a time, in order. The strategy is the same object the backtester runs; it warms up on
 * the venue's recent history before the first live bar, without trading on it.
 */
export class ProfileRunner {
  readonly profileId: string;
  readonly tenantId: string;
  readonly lease: Lease;
  readonly #o: ProfileRunnerOptions;
  readonly #strategy: Strategy;
  readonly #history: CandleHistory;
  readonly #ctx: MutableStrategyContext;
  readonly #tfMs: number;
  readonly #feedMs: number;
  #bucket: { time: number; open: number; high: number; low: number; close: number; volume: number; bars: number } | null = null;
  #unsubscribe: (() => void) | null = null;
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  #lastBarTime = 0;
  barsHandled = 0;
  intentsSent = 0;

  constructor(options: ProfileRunnerOptions) {
    this.#o = options;
    const p = options.profile;
    this.profileId = p.id;
    this.tenantId = p.tenantId;
    this.lease = options.lease;
    this.#strategy = createStrategy({ id: p.strategy, params: p.strategyParams } as StrategyConfig, options.instrument);
    this.#history = new CandleHistory(Math.max(64, (this.#strategy.warmup ?? 0) + 2));
    this.#tfMs = timeframeToMs(p.timeframe);
    this.#feedMs = timeframeToMs(options.feedTimeframe);
    if (this.#tfMs % this.#feedMs !== 0) throw new RangeError(`profile timeframe ${p.timeframe} is not a multiple of the market's ${options.feedTimeframe} bars`);
    this.#ctx = {
      now: 0,
      profileId: p.id,
      instrument: options.instrument,
      position: flatPosition(p.id, options.instrument, 0),
      positionQty: 0,
      freeCapital: 0,
      lastPrice: NaN,
      openOrders: [],
      candles: this.#history,
    };
  }

  get running(): boolean {
    return this.#unsubscribe !== null && !this.#stopped;
  }

  get lastBarTime(): number {
    return this.#lastBarTime;
  }

  async start(): Promise<void> {
    const p = this.#o.profile;
    // Listen first (bars arriving during the warm-up wait in the queue), then warm up on recent
    // history: the strategy sees those bars, its intents are not acted on.
    let warmed!: () => void;
    this.#queue = new Promise<void>((resolve) => (warmed = resolve));
    this.#unsubscribe = this.#o.venue.subscribe((event) => {
      if (event.type !== 'candle' || event.symbol !== p.symbol || event.timeframe !== this.#o.feedTimeframe) return;
      const bar = event.candle;
      this.#queue = this.#queue.then(() => (bar.time > this.#lastFeedTime ? this.#aggregate(bar, true) : undefined)).catch((err: unknown) => this.#failed(err));
    });
    try {
      const ratio = this.#tfMs / this.#feedMs;
      const need = ((this.#strategy.warmup ?? 0) + 2) * ratio;
      const history = await this.#o.venue.fetchCandles(p.symbol, this.#o.feedTimeframe, undefined, Math.min(5000, need + ratio));
      for (const bar of history) this.#aggregate(bar, false);
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      warmed();
    }
  }

  #lastFeedTime = -Infinity;

  /** Folds a feed bar into the profile's timeframe; a completed bar goes to the strategy. */
  #aggregate(bar: VenueCandle, live: boolean): Promise<void> | void {
    this.#lastFeedTime = bar.time;
    const bucketTime = Math.floor(bar.time / this.#tfMs) * this.#tfMs;
    if (this.#bucket && this.#bucket.time !== bucketTime) this.#bucket = null; // a gap: the partial bar is dropped
    const b = (this.#bucket ??= { time: bucketTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: 0, bars: 0 });
    b.high = Math.max(b.high, bar.high);
    b.low = Math.min(b.low, bar.low);
    b.close = bar.close;
    b.volume += bar.volume;
    b.bars++;
    if (bar.time + this.#feedMs < bucketTime + this.#tfMs) return;
    this.#bucket = null;
    const candle: Candle = { time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
    return live ? this.#onBar(candle) : void this.#warm(candle);
  }

  #warm(candle: Candle): void {
    this.#history.push(candle);
    this.#ctx.now = candle.time + this.#tfMs;
    this.#ctx.lastPrice = candle.close;
    this.#strategy.onCandle(this.#ctx, candle);
  }

  async #onBar(candle: Candle): Promise<void> {
    if (this.#stopped) return;
    this.#lastBarTime = candle.time;
    this.#history.push(candle);
    await this.#refreshContext(candle);
    if (this.#stopped) return; // halted while reading: the strategy does not see this bar
    const intents = this.#strategy.onCandle(this.#ctx, candle);
    this.barsHandled++;
    for (const intent of intents) {
      if (this.#stopped) break;
      await this.#act(intent);
    }
    this.#o.onBar?.(this, candle, intents);
  }

  async #act(intent: Intent): Promise<void> {
    const { pipeline } = this.#o;
    if (intent.kind === 'cancel') {
      const open = await this.#o.database.withTenant({ tenantId: this.tenantId }, (tx) =>
        tx
          .select()
          .from(orders)
          .where(and(eq(orders.profileId, this.profileId), inArray(orders.status, ['accepted', 'partially_filled']))),
      );
      for (const row of open) if (intent.clientOrderId === null || row.clientOrderId === intent.clientOrderId) await pipeline.sender.cancel(row, this.#o.venue);
      return;
    }
    try {
      this.intentsSent++;
      await pipeline.submit({ tenantId: this.tenantId, profileId: this.profileId, intent, source: 'strategy', lease: this.lease, ...(Number.isFinite(this.#ctx.lastPrice) ? { lastPrice: decFromNumber(this.#ctx.lastPrice) ?? undefined } : {}) });
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.#o.logger.warn({ profileId: this.profileId, epoch: this.lease.epoch }, 'lease lost: another instance runs this profile now; stopping the loop here');
        this.#stopped = true;
        this.#o.onLeaseLost(this);
        return;
      }
      this.#o.logger.warn({ err, profileId: this.profileId }, 'intent could not be processed; the next bar tries again');
    }
  }

  /** Position, free capital and open orders as stored, before the strategy sees the bar. */
  async #refreshContext(candle: Candle): Promise<void> {
    const p = this.#o.profile;
    const { position, cash, open } = await this.#o.database.withTenant({ tenantId: this.tenantId }, async (tx) => {
      const [position] = await tx.select().from(positions).where(and(eq(positions.profileId, p.id), eq(positions.symbol, p.symbol)));
      const balances = await storedBalances(tx, p.id);
      const open = await tx.select().from(orders).where(and(eq(orders.profileId, p.id), inArray(orders.status, [...OPEN])));
      return { position, cash: balances.find((b) => b.account === 'cash' && b.currency === p.quoteCurrency)?.balance ?? new Dec(0), open };
    });
    const ctx = this.#ctx;
    ctx.now = candle.time + this.#tfMs;
    ctx.lastPrice = candle.close;
    const qty = position ? new Dec(position.quantity) : new Dec(0);
    ctx.positionQty = qty.toNumber();
    ctx.position = {
      ...flatPosition(p.id, this.#o.instrument, ctx.now),
      quantity: qty,
      costBasis: position ? new Dec(position.cost) : new Dec(0),
      avgEntryPrice: position?.avgEntryPrice ? new Dec(position.avgEntryPrice) : null,
      realizedPnl: position ? new Dec(position.realizedPnl) : new Dec(0),
      openedAt: position?.openedAt ? position.openedAt.getTime() : null,
    };
    ctx.freeCapital = cash.toNumber();
    ctx.openOrders = open.map(
      (o): OpenOrderView => ({
        clientOrderId: o.clientOrderId,
        side: o.side,
        orderType: o.orderType,
        price: o.price === null ? null : Number(o.price),
        leavesQty: Number(o.quantity) - Number(o.filledQty),
      }),
    );
  }

  #failed(err: unknown): void {
    this.#o.logger.error({ err, profileId: this.profileId }, 'trading loop step failed; the next bar tries again');
  }

  /** Stops listening; waits for the bar being handled. The lease is the runtime's to release. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#queue.catch(() => {});
  }
}
