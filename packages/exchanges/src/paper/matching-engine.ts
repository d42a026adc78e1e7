import { Dec, decStr, minDec, roundToStep, ZERO } from '../decimal.ts';
import { ExchangeError } from '../exchange-error.ts';
import { highFirst, pathPoint } from '../market/ohlc-path.ts';
import type { CreateOrderRequest, Liquidity, OrderRef, VenueBalances, VenueCandle, VenueMarket, VenueOrder, VenueTrade } from '../port.ts';
import { PaperBalances } from './balances.ts';
import { resolveEngineConfig, type PaperEngineConfig, type ResolvedEngineConfig } from './engine-config.ts';
import { EngineEventBus, type EngineBatchListener, type EngineListener } from './engine-events.ts';
import { engineInstrument, type EngineInstrument } from './engine-instrument.ts';
import { isDone, newEngineOrder, restsAtLimit, takesMarketPrice, toVenueOrder, type EngineOrder } from './engine-order.ts';
import { validateOrder } from './order-validation.ts';
import { buyReserve, settleFill, slipped } from './settlement.ts';
import { SymbolBook } from './symbol-book.ts';

export type { EngineBatchListener, EngineEvent, EngineListener } from './engine-events.ts';
export type EngineResult = { readonly ok: true; readonly order: VenueOrder } | { readonly ok: false; readonly error: ExchangeError };

export interface PaperEngineOptions {
  readonly markets?: readonly VenueMarket[];
  readonly config?: PaperEngineConfig;
  /** Starting balances, e.g. { USDT: "100000" }. */
  readonly balances?: Readonly<Record<string, string>>;
  /**
   * Venue order ids and trade ids count up from here (default 0). A venue that lives longer than
   * one process (the embedded paper venue restarts with the backend) passes e.g. `Date.now() * 1000`
   * so ids stay unique and increasing across restarts: fills are deduplicated by trade id.
   */
  readonly idStart?: number;
}

export interface EngineStats {
  readonly submitted: number;
  readonly refused: number;
  readonly cancelled: number;
  readonly trades: number;
}

const DEFAULT_TRADES_PAGE = 1000;

/**
 * The paper venue's matching engine: synchronous, deterministic, no clock (times are passed in),
 * no randomness. Prices arrive as ticks (`onTick`) or bars (`onCandle`/`onBar`); resting orders
 * match against them, every change is emitted synchronously to listeners as `order` / `trade`
 * events, in the order it happened.
 *
 * Matching rules (documented once, tested in matching-engine*.test.ts):
 * - market: fills on submit at the last price (or at the next price event with
 *   `marketOrders: 'next-price'`: the next tick, or the next bar's open), taker, with slippage;
 * - limit: marketable on submit → taker fill at the last price (slipped, never beyond the
 *   limit); otherwise it rests and fills at its limit price, maker, once the price touches it
 *   (or trades through it with `limitFill: 'cross'`);
 * - stop: a buy stop triggers when the price reaches the stop from below (a sell stop from
 *   above) and fills as a market order, taker: at the stop price when the price moved through it
 *   continuously (inside a bar), at the price itself when it jumped past it (a tick, or a bar
 *   opening beyond it); a stop that would trigger at once is refused, as venues do;
 * - stop_limit: triggers like a stop, then behaves as a limit order at `price`;
 * - a bar is walked along `open → nearer extreme → other extreme → close` (market/ohlc-path.ts);
 * - partial fills: see `PaperEngineConfig.partialFills`; an order fills at most once per event;
 * - funds are reserved on submit (quote for buys incl. the worst fee, base for sells) and an
 *   order that cannot pay for a fill at fill time expires with reason INSUFFICIENT_FUNDS.
 *
 * Fast path: a price event for a symbol without an order that could trade returns after a map
 * lookup and a few comparisons, allocating nothing; the backtester calls it for every bar.
 */
export class PaperMatchingEngine {
  readonly #cfg: ResolvedEngineConfig;
  readonly #books = new Map<string, SymbolBook>();
  readonly #balances = new PaperBalances();
  readonly #byClientId = new Map<string, EngineOrder>();
  readonly #events = new EngineEventBus();
  #orderSeq = 0;
  #tradeSeq = 0;
  readonly #idStart: number;
  #eventSeq = 0;
  /** The price event being matched (a submit's immediate fill counts as one). */
  #event = 0;
  /** Base quantity the current event can still fill (volume cap); null without one. */
  #budget: Dec | null = null;
  #matching = false;
  #lastSymbol: string | undefined;
  #lastBook: SymbolBook | undefined;
  #submitted = 0;
  #refused = 0;
  #cancelled = 0;

  constructor(options: PaperEngineOptions = {}) {
    this.#cfg = resolveEngineConfig(options.config);
    const idStart = options.idStart ?? 0;
    if (!Number.isSafeInteger(idStart) || idStart < 0) throw new RangeError(`idStart must be a non-negative safe integer, got ${idStart}`);
    this.#idStart = idStart;
    this.#orderSeq = idStart;
    this.#tradeSeq = idStart;
    for (const market of options.markets ?? []) this.addMarket(market);
    for (const [currency, amount] of Object.entries(options.balances ?? {})) this.deposit(currency, amount);
  }

  addMarket(market: VenueMarket): void {
    const inst = engineInstrument(market);
    const book = this.#books.get(market.symbol);
    if (book) book.instrument = inst;
    else this.#books.set(market.symbol, new SymbolBook(market.symbol, inst));
  }

  markets(): VenueMarket[] {
    const out: VenueMarket[] = [];
    for (const book of this.#books.values()) if (book.instrument) out.push(book.instrument.market);
    return out;
  }

  deposit(currency: string, amount: string): void {
    this.#balances.deposit(currency, new Dec(amount));
  }

  balances(): VenueBalances {
    return this.#balances.snapshot();
  }

  /** Every order update and trade, synchronously, as it happens. */
  subscribe(listener: EngineListener): () => void {
    return this.#events.subscribe(listener);
  }

  /** Like `subscribe`, but one call per engine operation with all of its events. */
  subscribeBatches(listener: EngineBatchListener): () => void {
    return this.#events.subscribeBatches(listener);
  }

  get stats(): EngineStats {
    return { submitted: this.#submitted, refused: this.#refused, cancelled: this.#cancelled, trades: this.#tradeSeq - this.#idStart };
  }

  /** Orders that can still trade, over all symbols. */
  get activeOrderCount(): number {
    let n = 0;
    for (const book of this.#books.values()) n += book.active.length;
    return n;
  }

  lastPrice(symbol: string): { readonly price: number; readonly time: number } | null {
    const book = this.#books.get(symbol);
    return book && Number.isFinite(book.lastPrice) ? { price: book.lastPrice, time: book.lastTime } : null;
  }

  instrument(symbol: string): EngineInstrument | null {
    return this.#books.get(symbol)?.instrument ?? null;
  }

  // ---- orders ------------------------------------------------------------------------------

  submit(req: CreateOrderRequest, time: number): EngineResult {
    this.#events.begin();
    try {
      return this.#submit(req, time);
    } finally {
      this.#events.end();
    }
  }

  #submit(req: CreateOrderRequest, time: number): EngineResult {
    const book = this.#books.get(req.symbol);
    const inst = book?.instrument;
    if (!book || !inst) return this.#refuse(new ExchangeError('INVALID_ORDER', `unknown symbol ${req.symbol}`));
    const valid = validateOrder(req, inst, book.lastPrice);
    if (valid instanceof ExchangeError) return this.#refuse(valid);
    const existing = this.#byClientId.get(req.clientOrderId);
    if (existing && (this.#cfg.uniqueAmongAll || !isDone(existing))) {
      return this.#refuse(new ExchangeError('DUPLICATE_CLIENT_ORDER_ID', `Duplicate order sent: client order id ${req.clientOrderId} is in use`));
    }

    const { base, quote } = inst.market;
    const reserveCurrency = req.side === 'buy' ? quote : base;
    const reserve = req.side === 'sell' ? valid.quantity : buyReserve(this.#cfg, req.type, valid.quantity, valid.price ?? valid.stopPrice, book.lastPrice, book.lastVolume);
    if (!this.#balances.lock(reserveCurrency, reserve)) {
      return this.#refuse(new ExchangeError('INSUFFICIENT_FUNDS', `Account has insufficient balance for requested action: needs ${decStr(reserve)} ${reserveCurrency}`));
    }

    const o = newEngineOrder({
      seq: ++this.#orderSeq,
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      ...valid,
      reserved: reserve,
      reserveCurrency,
      time,
    });
    this.#byClientId.set(o.clientOrderId, o);
    book.active.push(o);
    this.#submitted++;
    this.#emitOrder(o);

    const marketable =
      (o.type === 'market' && this.#cfg.immediateMarket) ||
      (o.type === 'limit' && (o.side === 'buy' ? o.priceNum >= book.lastPrice : o.priceNum <= book.lastPrice));
    if (marketable) {
      // A listener may submit while an event is being matched: keep that event's state.
      const outerEvent = this.#event;
      const outerBudget = this.#budget;
      this.#event = ++this.#eventSeq;
      this.#budget = this.#eventBudget(book.lastVolume);
      this.#takeAt(book, o, book.lastPrice, time);
      this.#event = outerEvent;
      this.#budget = outerBudget;
    }
    if (!isDone(o) && o.timeInForce !== 'GTC' && (marketable || o.type === 'limit')) this.#finish(o, 'expired', `${o.timeInForce}: not filled at once`, time);
    if (!this.#matching) book.refresh();
    return { ok: true, order: toVenueOrder(o) };
  }

  cancel(ref: OrderRef, time: number): EngineResult {
    this.#events.begin();
    try {
      return this.#cancel(ref, time);
    } finally {
      this.#events.end();
    }
  }

  #cancel(ref: OrderRef, time: number): EngineResult {
    const o = this.#byClientId.get(ref.clientOrderId);
    if (!o || o.symbol !== ref.symbol) return { ok: false, error: new ExchangeError('ORDER_NOT_FOUND', `Unknown order sent: ${ref.clientOrderId}`) };
    if (isDone(o)) return { ok: false, error: new ExchangeError('ORDER_NOT_FOUND', `Unknown order sent: ${ref.clientOrderId} is already ${o.status}`) };
    this.#finish(o, 'cancelled', undefined, time);
    this.#cancelled++;
    if (!this.#matching) this.#books.get(o.symbol)?.refresh();
    return { ok: true, order: toVenueOrder(o) };
  }

  /** The newest order with this client order id, or null. */
  getOrder(clientOrderId: string, symbol?: string): VenueOrder | null {
    const o = this.#byClientId.get(clientOrderId);
    return o && (symbol === undefined || o.symbol === symbol) ? toVenueOrder(o) : null;
  }

  openOrders(symbol?: string): VenueOrder[] {
    const orders: EngineOrder[] = [];
    for (const book of this.#books.values()) {
      if (symbol !== undefined && book.symbol !== symbol) continue;
      for (const o of book.active) if (!isDone(o)) orders.push(o);
    }
    return orders.sort((a, b) => a.seq - b.seq).map(toVenueOrder);
  }

  /** Trades with an id greater than `sinceTradeId` (the most recent page without it), ascending. */
  trades(symbol: string, sinceTradeId?: string, limit = DEFAULT_TRADES_PAGE): VenueTrade[] {
    // Ids are safe integers (16 digits with idStart at boot time × 1000).
    if (sinceTradeId !== undefined && !(/^\d{1,16}$/.test(sinceTradeId) && Number.isSafeInteger(Number(sinceTradeId)))) throw new ExchangeError('INVALID_ORDER', `not a paper trade id: ${sinceTradeId}`);
    const book = this.#books.get(symbol);
    return book ? book.tradesSince(sinceTradeId === undefined ? undefined : Number(sinceTradeId), limit) : [];
  }

  // ---- prices ------------------------------------------------------------------------------

  /** One traded price. Resting orders the price reached fill (a jump past a stop fills at the price). */
  onTick(symbol: string, price: number, time: number, volume = NaN): void {
    const book = this.#book(symbol);
    book.lastPrice = price;
    book.lastTime = time;
    book.lastVolume = volume;
    if (book.active.length === 0 || !book.mayTrade(price, price)) return;
    this.#matchPath(book, price, price, price, price, 1, time, volume);
  }

  onCandle(symbol: string, candle: VenueCandle): void {
    this.onBar(symbol, candle.time, candle.open, candle.high, candle.low, candle.close, candle.volume);
  }

  /**
   * One bar (its open time and OHLCV), walked along the documented path; fills are stamped with
   * the bar's open time. Orders submitted before this call can fill within it: submit at bar t's
   * close, then `onBar(t+1)` gives "fill at the next bar's open" for market orders.
   */
  onBar(symbol: string, time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const book = this.#book(symbol);
    if (book.active.length !== 0 && book.mayTrade(low, high)) this.#matchPath(book, open, high, low, close, 4, time, volume);
    book.lastPrice = close;
    book.lastTime = time;
    book.lastVolume = volume;
  }

  // ---- matching ----------------------------------------------------------------------------

  #matchPath(book: SymbolBook, open: number, high: number, low: number, close: number, points: number, time: number, volume: number): void {
    const event = ++this.#eventSeq;
    this.#event = event;
    this.#budget = this.#eventBudget(volume);
    const hiFirst = highFirst(open, high, low, close);
    const wasMatching = this.#matching;
    this.#matching = true;
    this.#events.begin();
    try {
      for (let k = 0; k < points; k++) {
        const b = pathPoint(open, high, low, close, hiFirst, points === 1 ? 0 : k);
        const a = k === 0 ? b : pathPoint(open, high, low, close, hiFirst, k - 1);
        book.lastPrice = b;
        const lo = a < b ? a : b;
        const hi = a < b ? b : a;
        const active = book.active;
        const n = active.length;
        for (let i = 0; i < n; i++) {
          const o = active[i]!;
          if (o.lastFillEvent === event || isDone(o)) continue;
          this.#evaluate(book, o, event, k, a, b, lo, hi, time);
        }
      }
    } finally {
      this.#matching = wasMatching;
      book.refresh();
      this.#events.end();
    }
  }

  /** Segment k of the path runs from price a to price b (k = 0: the opening jump to b). */
  #evaluate(book: SymbolBook, o: EngineOrder, event: number, k: number, a: number, b: number, lo: number, hi: number, time: number): void {
    if (takesMarketPrice(o)) {
      this.#takeAt(book, o, a, time);
      if (o.type === 'market' && o.timeInForce !== 'GTC' && !isDone(o)) this.#finish(o, 'expired', `${o.timeInForce}: not filled at once`, time);
      return;
    }
    if (restsAtLimit(o)) {
      if (o.triggerEvent === event && o.triggerSegment === k) return; // a segment is monotonic: no way back to the limit
      const touched = o.side === 'buy' ? (this.#cfg.limitTouch ? lo <= o.priceNum : lo < o.priceNum) : this.#cfg.limitTouch ? hi >= o.priceNum : hi > o.priceNum;
      if (touched) this.#fill(book, o, this.#fillQty(o), o.price!, 'maker', time);
      return;
    }
    // An untriggered stop: at k = 0 the price jumped to b; inside a bar it moved through the stop.
    const reached = o.side === 'buy' ? (k === 0 ? b >= o.stopNum : hi >= o.stopNum) : k === 0 ? b <= o.stopNum : lo <= o.stopNum;
    if (!reached) return;
    o.triggered = true;
    o.triggerEvent = event;
    o.triggerSegment = k;
    const at = k === 0 ? b : o.stopNum;
    const atDec = k === 0 ? new Dec(b) : o.stopPrice!;
    if (o.type === 'stop') {
      this.#takeAt(book, o, at, time, atDec);
    } else if (o.side === 'buy' ? o.priceNum >= at : o.priceNum <= at) {
      this.#takeAt(book, o, at, time, atDec);
    }
  }

  /** A taker fill at `price` (slipped, capped by the limit of a limit order). */
  #takeAt(book: SymbolBook, o: EngineOrder, price: number, time: number, exact?: Dec): void {
    const qty = this.#fillQty(o);
    if (o.timeInForce === 'FOK' && !qty.equals(o.quantity.minus(o.filled))) {
      this.#finish(o, 'expired', 'FOK: cannot fill completely', time);
      return;
    }
    if (qty.isZero()) return;
    const inst = book.instrument!;
    const bps = this.#cfg.slippage({ side: o.side, quantity: qty.toNumber(), price, volume: book.lastVolume });
    const ref = exact ?? new Dec(price);
    let fillPrice = roundToStep(slipped(ref, bps, o.side), inst.tickSize, o.side === 'buy' ? 'up' : 'down');
    if (o.price && restsAtLimit(o)) fillPrice = o.side === 'buy' ? minDec(fillPrice, o.price) : Dec.max(fillPrice, o.price);
    if (fillPrice.lessThan(inst.tickSize)) fillPrice = inst.tickSize;
    this.#fill(book, o, qty, fillPrice, 'taker', time);
  }

  #fillQty(o: EngineOrder): Dec {
    const inst = this.#books.get(o.symbol)!.instrument!;
    let qty = o.quantity.minus(o.filled);
    if (this.#cfg.maxFillFraction < 1) {
      let cap = roundToStep(o.quantity.times(this.#cfg.maxFillFraction), inst.lotSize, 'down');
      if (cap.lessThan(inst.lotSize)) cap = inst.lotSize;
      qty = minDec(qty, cap);
    }
    if (this.#budget) qty = minDec(qty, roundToStep(this.#budget, inst.lotSize, 'down'));
    return qty;
  }

  #fill(book: SymbolBook, o: EngineOrder, qty: Dec, price: Dec, liquidity: Liquidity, time: number): void {
    if (qty.isZero()) return;
    const { base, quote } = book.instrument!.market;
    const rate = liquidity === 'maker' ? this.#cfg.makerFeeRate : this.#cfg.takerFeeRate;
    const settled = settleFill(this.#balances, this.#cfg, o, qty, price, rate, base, quote);
    if (!settled) {
      this.#finish(o, 'expired', 'INSUFFICIENT_FUNDS: cannot pay for the fill', time);
      return;
    }
    const cost = qty.times(price);
    o.filled = o.filled.plus(qty);
    o.notional = o.notional.plus(cost);
    o.lastFillEvent = this.#event;
    o.updatedAt = time;
    if (this.#budget) this.#budget = this.#budget.minus(qty);

    const id = ++this.#tradeSeq;
    const trade: VenueTrade = {
      tradeId: String(id),
      venueOrderId: o.venueOrderId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      quantity: decStr(qty),
      price: decStr(price),
      fee: decStr(settled.fee),
      feeCurrency: settled.feeCurrency,
      liquidity,
      timestamp: time,
    };
    book.addTrade(trade, id);
    this.#events.publish({ type: 'trade', trade });
    if (o.filled.equals(o.quantity)) this.#finish(o, 'filled', undefined, time);
    else {
      o.status = 'partially_filled';
      this.#emitOrder(o);
    }
  }

  /** Ends an order: releases what it still reserves and emits its final state. */
  #finish(o: EngineOrder, status: 'filled' | 'cancelled' | 'expired', reason: string | undefined, time: number): void {
    o.status = status;
    o.reason = reason;
    o.updatedAt = time;
    if (o.reserved.greaterThan(0)) this.#balances.unlock(o.reserveCurrency, o.reserved);
    o.reserved = ZERO;
    this.#emitOrder(o);
  }

  #eventBudget(volume: number): Dec | null {
    return this.#cfg.volumeShare > 0 && Number.isFinite(volume) && volume >= 0 ? new Dec(volume).times(this.#cfg.volumeShare) : null;
  }

  #book(symbol: string): SymbolBook {
    if (symbol === this.#lastSymbol && this.#lastBook) return this.#lastBook;
    let book = this.#books.get(symbol);
    if (!book) {
      book = new SymbolBook(symbol, null);
      this.#books.set(symbol, book);
    }
    this.#lastSymbol = symbol;
    this.#lastBook = book;
    return book;
  }

  #refuse(error: ExchangeError): EngineResult {
    this.#refused++;
    return { ok: false, error };
  }

  #emitOrder(o: EngineOrder): void {
    if (this.#events.wanted) this.#events.publish({ type: 'order', order: toVenueOrder(o) });
  }
}
