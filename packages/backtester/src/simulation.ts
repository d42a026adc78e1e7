import { toCreateOrderRequest, type EngineEvent, type PaperMatchingEngine, type VenueOrder, type VenueTrade } from '@kestrel/exchanges';
import {
  applyFillToPosition,
  applyOrderEvent,
  createOrder,
  Dec,
  decToString,
  fillTx,
  flatPosition,
  isTerminal,
  ledgerTxId,
  releaseTx,
  ZERO,
  type CandleHistory,
  type Instrument,
  type Ledger,
  type LedgerTransaction,
  type MutableStrategyContext,
  type OpenOrderView,
  type Order,
  type OrderEvent,
  type Position,
  type Strategy,
  type SubmitOrder,
} from '@kestrel/trading-core';
import type { BacktestFill, BacktestOpenPosition, BacktestOrder, BacktestTrade } from './types.ts';

const DAY_MS = 86_400_000;
const ENTRY_WINDOW_MS = 2 * DAY_MS;

/** A round trip being built: from flat to flat. Money in exact decimals, converted once it closes. */
interface OpenTrade {
  readonly side: 'long' | 'short';
  readonly entryTime: number;
  readonly entryBar: number;
  entryQty: Dec;
  entryNotional: Dec;
  exitQty: Dec;
  exitNotional: Dec;
  fees: Dec;
  exitTime: number;
}

/** One market of the run: its strategy, the strategy's context (updated in place), its position. */
export interface Leg {
  readonly symbol: string;
  readonly instrument: Instrument;
  readonly strategy: Strategy;
  readonly history: CandleHistory;
  readonly ctx: MutableStrategyContext;
  readonly barMs: number;
  position: Position;
  /** position.quantity as a float (the equity curve and the strategy read it every bar). */
  qty: number;
  openBuy: Dec;
  openSell: Dec;
  lastClose: number;
  /** Bars played, for trade durations. */
  bar: number;
  trade: OpenTrade | null;
}

interface SimOrder {
  order: Order;
  readonly leg: Leg;
  readonly view: { -readonly [K in keyof OpenOrderView]: OpenOrderView[K] };
  readonly log: { -readonly [K in keyof BacktestOrder]: BacktestOrder[K] };
}

/**
 * The simulated account: what the backend's order pipeline and venue-event ingestion do with the
 * database, done in memory with the same trading-core functions. Orders go to the paper matching
 * engine as venue requests; the engine's order and trade events move each order through its state
 * machine (`applyOrderEvent`), fills update the position (`applyFillToPosition`) and the ledger
 * (`fillTx`), and a finished order gives back what its reservation still holds (`releaseTx`) —
 * the same steps, in the same order, as live trading.
 */
export class SimAccount {
  readonly orders: BacktestOrder[] = [];
  readonly fills: BacktestFill[] = [];
  readonly trades: BacktestTrade[] = [];
  /** Times of entries (orders that are not reduce-only, not rejected) of the last two days: the trades-per-day rule. */
  readonly entryTimes: number[] = [];
  lastLossAt: number | null = null;
  feesPaid: Dec = ZERO;
  /** cash + reserved − Σ position cost, as a float: equity = base + Σ qty × price. */
  equityBase = 0;
  #day = -1;
  #dayRealized: Dec = ZERO;
  #dayFees: Dec = ZERO;
  readonly #open = new Map<string, SimOrder>();
  readonly #legs: Map<string, Leg>;

  constructor(
    readonly ledger: Ledger,
    readonly engine: PaperMatchingEngine,
    readonly quote: string,
    legs: readonly Leg[],
    readonly profileId: string,
  ) {
    this.#legs = new Map(legs.map((l) => [l.symbol, l]));
    engine.subscribe((e) => this.#onEngineEvent(e));
    this.refreshCash();
  }

  /** Legs with a position (the max-open-positions rule). */
  openPositions(): number {
    let n = 0;
    for (const leg of this.#legs.values()) if (leg.qty !== 0) n++;
    return n;
  }

  /** Realized P&L minus fees booked since 00:00 UTC of `now` (the daily-loss limit, as the backend counts it). */
  dailyPnl(now: number): Dec {
    return Math.floor(now / DAY_MS) === this.#day ? this.#dayRealized.minus(this.#dayFees) : ZERO;
  }

  /** Equity with every position marked at its last close, exactly. */
  equity(): Dec {
    let e = this.ledger.equityAtCost(this.quote);
    for (const leg of this.#legs.values()) {
      if (leg.position.quantity.isZero()) continue;
      e = e.minus(leg.position.costBasis).plus(leg.position.quantity.times(new Dec(leg.lastClose)));
    }
    return e;
  }

  /** Entry times still inside the trades-per-day window. */
  recentEntries(now: number): readonly number[] {
    const from = now - ENTRY_WINDOW_MS;
    let drop = 0;
    while (drop < this.entryTimes.length && this.entryTimes[drop]! < from) drop++;
    if (drop > 0) this.entryTimes.splice(0, drop);
    return this.entryTimes;
  }

  /** Sends an approved order (its reservation already posted by the risk engine) to the engine. */
  submit(cmd: SubmitOrder, leg: Leg, at: number): void {
    // Field by field (no spread of the command): this runs for every order of a backtest.
    const created = createOrder({
      id: cmd.clientOrderId,
      clientOrderId: cmd.clientOrderId,
      profileId: cmd.profileId,
      tenantId: cmd.tenantId,
      symbol: cmd.symbol,
      side: cmd.side,
      orderType: cmd.orderType,
      timeInForce: cmd.timeInForce,
      reduceOnly: cmd.reduceOnly,
      quantity: cmd.quantity,
      price: cmd.price,
      stopPrice: cmd.stopPrice,
      createdAt: at,
    });
    if (!created.ok) throw new Error(`order ${cmd.clientOrderId}: ${created.error.message}`);
    const view = { clientOrderId: cmd.clientOrderId, side: cmd.side, orderType: cmd.orderType, price: cmd.price === null ? null : cmd.price.toNumber(), leavesQty: cmd.quantity.toNumber() };
    const log = {
      clientOrderId: cmd.clientOrderId,
      symbol: cmd.symbol,
      side: cmd.side,
      orderType: cmd.orderType,
      quantity: decToString(cmd.quantity),
      price: cmd.price === null ? null : decToString(cmd.price),
      status: 'new',
      createdAt: at,
      reason: null as string | null,
    };
    const sim: SimOrder = { order: created.value, leg, view, log };
    this.orders.push(log);
    this.#open.set(cmd.clientOrderId, sim);
    if (cmd.side === 'buy') leg.openBuy = leg.openBuy.plus(cmd.quantity);
    else leg.openSell = leg.openSell.plus(cmd.quantity);
    if (!cmd.reduceOnly) this.entryTimes.push(at);
    this.#syncOpenOrders(leg);
    this.#apply(sim, { type: 'OrderSubmitted', at, clientOrderId: cmd.clientOrderId, source: 'local' });
    // The engine answers synchronously: its order/trade events (accept, an immediate fill) arrive
    // through the listener before submit returns.
    const answer = this.engine.submit(toCreateOrderRequest(cmd), at);
    if (!answer.ok && this.#open.has(cmd.clientOrderId)) {
      this.#apply(sim, { type: 'OrderRejected', at, clientOrderId: cmd.clientOrderId, source: 'exchange', reason: `${answer.error.code}: ${answer.error.message}` });
    }
  }

  cancel(clientOrderId: string, at: number): void {
    const sim = this.#open.get(clientOrderId);
    if (!sim) return;
    this.engine.cancel({ clientOrderId, symbol: sim.leg.symbol }, at);
  }

  #dirty = true;

  /** Brings the float views (free capital, equity base) up to date after ledger changes; cheap when nothing changed. */
  sync(): void {
    if (this.#dirty) this.refreshCash();
  }

  /** Free capital and the equity base after any ledger change, as floats for the strategy and the curve. */
  refreshCash(): void {
    this.#dirty = false;
    let base = this.ledger.equityAtCost(this.quote);
    for (const leg of this.#legs.values()) base = base.minus(leg.position.costBasis);
    this.equityBase = base.toNumber();
    const free = this.ledger.freeCapital(this.quote).toNumber();
    for (const leg of this.#legs.values()) leg.ctx.freeCapital = free;
  }

  /** The round trips still open at the end, marked at the last close. */
  openTrades(): BacktestOpenPosition[] {
    const out: BacktestOpenPosition[] = [];
    for (const leg of this.#legs.values()) {
      const t = leg.trade;
      if (!t || leg.position.quantity.isZero()) continue;
      const size = leg.position.quantity.abs();
      const entryPrice = t.entryNotional.dividedBy(t.entryQty);
      const mark = new Dec(leg.lastClose);
      const unrealized = (t.side === 'long' ? mark.minus(entryPrice) : entryPrice.minus(mark)).times(size);
      out.push({ symbol: leg.symbol, entryTime: t.entryTime, entryPrice: entryPrice.toNumber(), size: size.toNumber(), unrealizedPnl: unrealized.toNumber() });
    }
    return out;
  }

  #onEngineEvent(e: EngineEvent): void {
    if (e.type === 'trade') this.#onTrade(e.trade);
    else this.#onOrder(e.order);
  }

  #onOrder(vo: VenueOrder): void {
    const sim = this.#open.get(vo.clientOrderId);
    if (!sim) return;
    const at = vo.updatedAt;
    const base = { at, clientOrderId: vo.clientOrderId, source: 'exchange' as const };
    this.#accept(sim, vo.venueOrderId, at);
    if (vo.status === 'cancelled') this.#apply(sim, { ...base, type: 'OrderCancelled', ...(vo.reason ? { reason: vo.reason } : {}) });
    else if (vo.status === 'expired') this.#apply(sim, { ...base, type: 'OrderExpired', ...(vo.reason ? { reason: vo.reason } : {}) });
    else if (vo.status === 'rejected') this.#apply(sim, { ...base, type: 'OrderRejected', reason: vo.reason ?? 'rejected by the venue' });
  }

  #onTrade(trade: VenueTrade): void {
    // The paper engine always names the order; a trade without our id is not ours.
    const clientOrderId = trade.clientOrderId;
    if (clientOrderId === null) return;
    const sim = this.#open.get(clientOrderId);
    if (!sim) return;
    this.#accept(sim, trade.venueOrderId, trade.timestamp);
    const leg = sim.leg;
    const qty = new Dec(trade.quantity);
    const price = new Dec(trade.price);
    const fee = new Dec(trade.fee);
    const at = trade.timestamp;
    const side = sim.order.side;
    const applied = this.#apply(sim, {
      type: 'OrderFilled',
      at,
      clientOrderId,
      source: 'exchange',
      venueOrderId: trade.venueOrderId,
      fill: { tradeId: trade.tradeId, venue: 'backtest', qty, price, fee, feeCurrency: trade.feeCurrency, liquidity: trade.liquidity, at },
    });
    if (!applied) return;
    this.#dirty = true;
    const before = leg.position.quantity;
    const moved = applyFillToPosition(leg.position, { side, qty, price, fee, feeCurrency: trade.feeCurrency, at, tradeId: trade.tradeId });
    leg.position = moved.position;
    leg.qty = moved.position.quantity.toNumber();
    leg.ctx.position = moved.position;
    leg.ctx.positionQty = leg.qty;
    const built = fillTx(this.ledger, {
      id: ledgerTxId.fill('backtest', trade.tradeId),
      at,
      clientOrderId,
      tradeId: trade.tradeId,
      symbol: leg.symbol,
      quote: this.quote,
      side,
      qty,
      price,
      fee,
      feeCurrency: trade.feeCurrency,
      costDelta: moved.costDelta,
      realizedPnl: moved.realizedPnl,
    });
    if (!built.ok) throw new Error(`fill ${trade.tradeId} cannot be booked: ${built.error.message}`);
    this.#post(built.value);
    if (side === 'buy') leg.openBuy = leg.openBuy.minus(qty);
    else leg.openSell = leg.openSell.minus(qty);
    sim.view.leavesQty = sim.order.quantity.minus(sim.order.filledQty).toNumber();

    const feeQuote = trade.feeCurrency === this.quote ? fee : fee.times(price);
    this.feesPaid = this.feesPaid.plus(feeQuote);
    const day = Math.floor(at / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayRealized = ZERO;
      this.#dayFees = ZERO;
    }
    this.#dayRealized = this.#dayRealized.plus(moved.realizedPnl);
    this.#dayFees = this.#dayFees.plus(feeQuote);
    if (moved.realizedPnl.isNegative()) this.lastLossAt = at;
    this.fills.push({ clientOrderId, symbol: leg.symbol, side, quantity: trade.quantity, price: trade.price, fee: trade.fee, time: at });
    this.#roundTrip(leg, side, before, qty, price, feeQuote, at);
    this.#syncOpenOrders(leg);
  }

  /** Before any other news of an order: the venue took it (its id). */
  #accept(sim: SimOrder, venueOrderId: string, at: number): void {
    if (sim.order.status === 'submitted') this.#apply(sim, { type: 'OrderAccepted', at, clientOrderId: sim.order.clientOrderId, source: 'exchange', venueOrderId });
  }

  /** One event through the order's state machine; a finished order leaves the open set and gives back its reservation. */
  #apply(sim: SimOrder, event: OrderEvent): boolean {
    const r = applyOrderEvent(sim.order, event);
    if (!r.ok) throw new Error(`order ${sim.order.clientOrderId}: ${r.error.code}: ${r.error.message}`);
    sim.order = r.order;
    sim.log.status = r.order.status;
    if (!isTerminal(r.order.status)) return true;
    if ('reason' in event && event.reason) sim.log.reason = event.reason;
    this.#finish(sim, event.at);
    return true;
  }

  #finish(sim: SimOrder, at: number): void {
    const { order, leg } = sim;
    this.#open.delete(order.clientOrderId);
    // A rejected order was no entry (the backend counts entries among orders not rejected).
    if (order.status === 'rejected' && !order.reduceOnly) {
      const i = this.entryTimes.lastIndexOf(order.createdAt);
      if (i >= 0) this.entryTimes.splice(i, 1);
    }
    const leaves = order.quantity.minus(order.filledQty);
    if (leaves.greaterThan(0)) {
      if (order.side === 'buy') leg.openBuy = leg.openBuy.minus(leaves);
      else leg.openSell = leg.openSell.minus(leaves);
    }
    const released = releaseTx(this.ledger, { id: ledgerTxId.release(order.clientOrderId), at, clientOrderId: order.clientOrderId, currency: this.quote });
    if (!released.ok) throw new Error(`release of ${order.clientOrderId}: ${released.error.message}`);
    if (released.value !== null) this.#post(released.value);
    this.#syncOpenOrders(leg);
  }

  #post(tx: LedgerTransaction): void {
    this.#dirty = true;
    const posted = this.ledger.post(tx);
    if (!posted.ok) throw new Error(`ledger refused ${tx.id}: ${posted.error.message}`);
  }

  #syncOpenOrders(leg: Leg): void {
    const views: OpenOrderView[] = [];
    for (const sim of this.#open.values()) if (sim.leg === leg) views.push(sim.view);
    leg.ctx.openOrders = views;
  }

  /** Folds a fill into the leg's round trip: opened from flat, grown, reduced, closed (a flip closes one and opens the next). */
  #roundTrip(leg: Leg, side: 'buy' | 'sell', before: Dec, qty: Dec, price: Dec, fee: Dec, at: number): void {
    const sign = side === 'buy' ? 1 : -1;
    let rest = qty;
    let restFee = fee;
    const t = leg.trade;
    if (t && !before.isZero() && before.isNegative() !== (sign < 0)) {
      // Against the position: reduces (and maybe closes) the open trade.
      const open = before.abs();
      const closing = rest.lessThan(open) ? rest : open;
      const share = closing.equals(rest) ? restFee : restFee.times(closing).dividedBy(rest);
      t.exitQty = t.exitQty.plus(closing);
      t.exitNotional = t.exitNotional.plus(closing.times(price));
      t.fees = t.fees.plus(share);
      t.exitTime = at;
      rest = rest.minus(closing);
      restFee = restFee.minus(share);
      if (closing.equals(open)) {
        this.#close(leg, t);
        leg.trade = null;
      }
    } else if (t) {
      t.entryQty = t.entryQty.plus(rest);
      t.entryNotional = t.entryNotional.plus(rest.times(price));
      t.fees = t.fees.plus(restFee);
      return;
    }
    if (rest.isZero()) return;
    leg.trade = {
      side: sign > 0 ? 'long' : 'short',
      entryTime: at,
      entryBar: leg.bar,
      entryQty: rest,
      entryNotional: rest.times(price),
      exitQty: ZERO,
      exitNotional: ZERO,
      fees: restFee,
      exitTime: at,
    };
  }

  #close(leg: Leg, t: OpenTrade): void {
    const entryPrice = t.entryNotional.dividedBy(t.entryQty);
    const exitPrice = t.exitNotional.dividedBy(t.exitQty);
    // Every unit entered has left: gross = what the exits brought minus what the entries cost (long).
    const gross = t.side === 'long' ? t.exitNotional.minus(t.entryNotional) : t.entryNotional.minus(t.exitNotional);
    this.trades.push({
      symbol: leg.symbol,
      side: t.side,
      entryTime: t.entryTime,
      entryPrice: entryPrice.toNumber(),
      exitTime: t.exitTime,
      exitPrice: exitPrice.toNumber(),
      size: t.entryQty.toNumber(),
      pnlGross: gross.toNumber(),
      commission: t.fees.toNumber(),
      pnlNet: gross.minus(t.fees).toNumber(),
      bars: leg.bar - t.entryBar,
    });
  }
}

/** A flat leg for a strategy on an instrument. */
export function newLeg(symbol: string, instrument: Instrument, strategy: Strategy, history: CandleHistory, profileId: string, barMs: number): Leg {
  const position = flatPosition(profileId, instrument, 0);
  return {
    symbol,
    instrument,
    strategy,
    history,
    barMs,
    ctx: { now: 0, profileId, instrument, position, positionQty: 0, freeCapital: 0, lastPrice: NaN, openOrders: [], candles: history },
    position,
    qty: 0,
    openBuy: ZERO,
    openSell: ZERO,
    lastClose: NaN,
    bar: 0,
    trade: null,
  };
}
