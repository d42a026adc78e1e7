import { and, eq, inArray, orderEvents, orders, sql, type Database, type Tx } from '@kestrel/db';
import { Dec, ledgerTxId, releaseTx, type Clock, type LedgerTransaction } from '@kestrel/trading-core';
import { insertLedgerTxs, loadLedgers } from './ledger-store.ts';
import type { Logger } from 'pino';
import { applyAndStore, lockOrder, noteAttempts, type OrderRow } from './order-store.ts';
import { applyVenueOrder, applyVenueTrade, releaseIfDone } from './venue-events.ts';
import { asVenueFailure, checkVenueOrder, checkVenueTrade, toCreateOrderRequest, type ExchangeAdapter, type VenueOrder, type VenueTrade } from './venue.ts';

export interface SenderOptions {
  /** Sends of one order at most (the first one included); a resend happens only after a lookup declared the order absent. */
  readonly maxSubmitAttempts: number;
  /** Pause between two lookups of an ambiguous order. */
  readonly lookupIntervalMs: number;
  /** "Not found" hysteresis: at least this many consecutive misses… */
  readonly minLookupMisses: number;
  /** …spanning at least this long, before the order is declared absent at the venue. */
  readonly missWindowMs: number;
  /** Lookups that fail (network) before giving up for now (reconciliation takes over). */
  readonly maxLookupErrors: number;
  /**
   * What an order declared absent becomes once the sends are used up: `expired` with reason
   * `LOST: …` — a terminal status that still accepts a late fill (trading-core books fills on
   * cancelled/expired orders as `late_fill`), so a venue that shows the order after all is booked.
   */
  readonly onLost: 'expire';
  /** Test-only crash probe (crash-at-every-step); production never sets it. */
  readonly probe?: CrashProbe;
}

/** The boundaries a crash test kills the process at (trading/crash/). */
export type CrashPoint = 'intent.committed' | 'venue.answered' | 'ack.persisted' | 'fill.applied-uncommitted' | 'fill.committed';
export type CrashProbe = (point: CrashPoint, ctx: { readonly clientOrderId: string }) => void;

export const DEFAULT_SENDER_OPTIONS: SenderOptions = { maxSubmitAttempts: 2, lookupIntervalMs: 1_000, minLookupMisses: 5, missWindowMs: 10_000, maxLookupErrors: 30, onLost: 'expire' };

class RefusedTrade extends Error {}

/** Statuses from which a cancel may be requested (trading-core ORDER_TRANSITIONS). */
const CANCELLABLE = ['submitted', 'accepted', 'partially_filled'] as const;

/** Told after each commit that changed an order or booked a fill (the app pushes them on /trading). */
export interface OrderEventsSink {
  orderChanged(row: OrderRow): void;
  fillBooked(row: OrderRow, trade: VenueTrade, venue: string): void;
}

/** Resends after explicit, retryable refusals (429): the venue said the order was not taken. */
const MAX_REFUSAL_RETRIES = 3;

/**
 * Sends orders and books what the venue says. Rules (RELIABILITY.md "Why orders get lost or doubled"):
 * - an ambiguous answer (time-out, 5xx, dropped response) is never followed by a resend: the order
 *   is looked up by its client order id; found → its venue state is adopted;
 * - "not found" is normal for a while after a submit: only `minLookupMisses` consecutive misses over
 *   at least `missWindowMs` declare the order absent; then it is resent with the SAME client order
 *   id (while `maxSubmitAttempts` allows), else rejected as lost;
 * - an explicit refusal that is retryable (429 with Retry-After) was not placed: it is sent again
 *   after the wait; any other refusal rejects the order and releases its reservation;
 * - fills arrive as trades, from the stream and from polls, and are deduplicated by the database.
 */
export class OrderSender {
  readonly #options: SenderOptions;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #watched = new WeakMap<ExchangeAdapter, () => void>();
  #closed = false;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly clock: Clock,
    options: Partial<SenderOptions> = {},
    private readonly events: OrderEventsSink | null = null,
  ) {
    this.#options = { ...DEFAULT_SENDER_OPTIONS, ...options };
  }

  #changed<T extends OrderRow | null | undefined>(row: T): T {
    if (row) this.events?.orderChanged(row);
    return row;
  }

  /** Books the stream of an account's adapter: trades (fills) and order updates. */
  watch(tenantId: string, accountId: string, venue: ExchangeAdapter): void {
    if (this.#watched.has(venue)) return;
    const unsubscribe = venue.subscribe((event) => {
      if (event.type === 'trade') this.#track(this.ingestTrade(tenantId, accountId, venue.venue, event.trade));
      else if (event.type === 'order') this.#track(this.ingestOrder(tenantId, accountId, event.order));
    });
    this.#watched.set(venue, unsubscribe);
  }

  /**
   * Consulted right before an order goes to the venue (the trading runtime's kill switches): a
   * reason refuses the send and rejects the order locally, so an intent committed just before a
   * kill switch never reaches the venue after it.
   */
  setSendGate(gate: ((order: OrderRow) => string | null) | null): void {
    this.#sendGate = gate;
  }

  #sendGate: ((order: OrderRow) => string | null) | null = null;

  async send(order: OrderRow, venue: ExchangeAdapter): Promise<OrderRow> {
    let row = order;
    const refused = this.#sendGate?.(order);
    if (refused) return this.#reject(row, refused, 0);
    for (let attempt = 1; ; attempt++) {
      try {
        // An unreadable answer is ambiguous (MALFORMED_RESPONSE, ambiguous): looked up, never resent blindly.
        const vo = checkVenueOrder(await venue.createOrder(toCreateOrderRequest({ ...order, quantity: dec(order.quantity), price: decOrNull(order.price), stopPrice: decOrNull(order.stopPrice) })), { venue: venue.venue, expect: order, write: true });
        this.#options.probe?.('venue.answered', order);
        row = await this.#adopt(row, vo, 'exchange', attempt);
        this.#options.probe?.('ack.persisted', order);
        if (new Dec(vo.filledQuantity).isZero()) return row; // as stored by the adoption
        await this.pullTrades(row, venue);
        return this.#reload(row);
      } catch (err) {
        const failure = asVenueFailure(err);
        if (failure && !failure.ambiguous && failure.code !== 'DUPLICATE_CLIENT_ORDER_ID') {
          if (failure.retryable && attempt <= MAX_REFUSAL_RETRIES) {
            await this.#sleep(failure.retryAfterMs ?? this.#options.lookupIntervalMs);
            continue;
          }
          return this.#reject(row, `${failure.code}: ${failure.message}`, attempt);
        }
        // Ambiguous (or not an ExchangeError at all): the order may exist. Record that it went out, then look it up.
        const reason = failure ? `ambiguous ${failure.code}: ${failure.message}` : `ambiguous: ${(err as Error).message}`;
        row = await this.#markSubmitted(row, reason, attempt);
        this.#track(this.resolve(row, venue, attempt));
        return row;
      }
    }
  }

  /** Looks an ambiguous order up by client order id until the venue knows it, or the hysteresis declares it absent. */
  async resolve(order: OrderRow, venue: ExchangeAdapter, attemptsSoFar: number): Promise<void> {
    const o = this.#options;
    let misses = 0;
    let errors = 0;
    let firstMissAt: number | null = null;
    while (!this.#closed) {
      await this.#sleep(o.lookupIntervalMs);
      const current = await this.#reload(order);
      if (current.status !== 'submitted' && current.status !== 'new') return; // the stream got there first
      let vo: VenueOrder | null;
      try {
        const found = await venue.fetchOrder({ clientOrderId: order.clientOrderId, symbol: order.symbol });
        vo = found === null ? null : checkVenueOrder(found, { venue: venue.venue, expect: order });
      } catch (err) {
        if (++errors >= o.maxLookupErrors) return this.logger.warn({ err, clientOrderId: order.clientOrderId }, 'order lookups keep failing; reconciliation will resolve it');
        continue;
      }
      if (vo) {
        const row = await this.#adopt(current, vo, 'exchange', attemptsSoFar, 'found by client order id after an ambiguous submit');
        if (vo.filledQuantity !== '0') await this.pullTrades(row, venue);
        return;
      }
      misses++;
      firstMissAt ??= this.clock.now();
      await this.database.withTenant({ tenantId: order.tenantId }, (tx) => noteAttempts(tx, order.id, { lookupMisses: misses, firstMissAt: new Date(firstMissAt!) }));
      if (misses < o.minLookupMisses || this.clock.now() - firstMissAt < o.missWindowMs) continue;
      if (attemptsSoFar >= o.maxSubmitAttempts) {
        await this.#expireLost(current, `LOST: not found at the venue after ${misses} lookups over ${this.clock.now() - firstMissAt} ms`, attemptsSoFar);
        return;
      }
      // Declared absent: send again with the SAME client order id.
      attemptsSoFar++;
      misses = 0;
      firstMissAt = null;
      try {
        const again = checkVenueOrder(await venue.createOrder(toCreateOrderRequest({ ...current, quantity: dec(current.quantity), price: decOrNull(current.price), stopPrice: decOrNull(current.stopPrice) })), { venue: venue.venue, expect: current, write: true });
        const row = await this.#adopt(current, again, 'exchange', attemptsSoFar, 'resent after the venue did not know it');
        if (again.filledQuantity !== '0') await this.pullTrades(row, venue);
        return;
      } catch (err) {
        const failure = asVenueFailure(err);
        if (failure && !failure.ambiguous && failure.code !== 'DUPLICATE_CLIENT_ORDER_ID' && !failure.retryable) {
          await this.#reject(current, `${failure.code}: ${failure.message}`, attemptsSoFar);
          return;
        }
        await this.database.withTenant({ tenantId: order.tenantId }, (tx) => noteAttempts(tx, order.id, { submitAttempts: attemptsSoFar }));
      }
    }
  }

  /** Polls the account's recent trades of this order (the second path besides the stream). */
  async pullTrades(order: OrderRow, venue: ExchangeAdapter): Promise<void> {
    const trades = await venue.fetchMyTrades(order.symbol).catch(() => [] as VenueTrade[]);
    for (const t of Array.isArray(trades) ? trades : []) {
      if (typeof t !== 'object' || t === null) continue; // garbage in a list: nothing to match it by
      if (t.clientOrderId === order.clientOrderId || (order.venueOrderId !== null && t.venueOrderId === order.venueOrderId)) {
        await this.ingestTrade(order.tenantId, order.exchangeAccountId, venue.venue, t);
      }
    }
  }

  /** Books one venue trade in its own transaction; a refused one (overfill, illegal) books nothing and is logged. */
  async ingestTrade(tenantId: string, accountId: string, venueName: string, trade: VenueTrade): Promise<'applied' | 'duplicate' | 'refused' | 'unknown'> {
    let booked: OrderRow | null = null;
    const malformed = this.#malformed(() => checkVenueTrade(trade, venueName), { tradeId: (trade as Partial<VenueTrade> | null)?.tradeId, clientOrderId: (trade as Partial<VenueTrade> | null)?.clientOrderId });
    if (malformed) return 'refused';
    try {
      return await this.database.withTenant({ tenantId }, async (tx) => {
        const row =
          (trade.clientOrderId ? await lockOrder(tx, { accountId, clientOrderId: trade.clientOrderId }) : null) ??
          (await lockOrder(tx, { accountId, venueOrderId: trade.venueOrderId }));
        if (!row) return 'unknown' as const;
        if (trade.symbol !== row.symbol || trade.side !== row.side) throw new RefusedTrade(`trade ${trade.tradeId} is a ${trade.side} of ${trade.symbol}, the order a ${row.side} of ${row.symbol}`);
        const r = await applyVenueTrade(tx, row, venueName, trade);
        if (r.outcome === 'refused') throw new RefusedTrade(r.message);
        if (r.outcome === 'applied') booked = r.row;
        if (booked) this.#options.probe?.('fill.applied-uncommitted', row);
        return r.outcome;
      }).then((outcome) => {
        if (booked) {
          this.#options.probe?.('fill.committed', booked);
          this.#changed(booked);
          this.events?.fillBooked(booked, trade, venueName);
        }
        return outcome;
      });
    } catch (err) {
      if (!(err instanceof RefusedTrade)) throw err;
      this.logger.error({ tradeId: trade.tradeId, clientOrderId: trade.clientOrderId, reason: err.message }, 'venue trade refused by the order state machine; left to reconciliation');
      return 'refused';
    }
  }

  /** Orders a batch cancel is settling right now (account|client order id): their status news from the stream is left to it. */
  readonly #batchCancelling = new Set<string>();

  async ingestOrder(tenantId: string, accountId: string, vo: VenueOrder): Promise<void> {
    // A batch cancel adopts these answers in one transaction; per-order stream updates would only
    // queue behind its row locks. (Trades are never skipped: fills always book from the stream.)
    if (vo?.status === 'cancelled' && this.#batchCancelling.has(`${accountId}|${vo.clientOrderId}`)) return;
    if (vo && typeof vo === 'object' && this.#alreadyAdopted(accountId, vo)) return;
    if (this.#malformed(() => checkVenueOrder(vo), { clientOrderId: (vo as Partial<VenueOrder> | null)?.clientOrderId })) return;
    const row = await this.database.withTenant({ tenantId }, async (tx) => {
      const row = await lockOrder(tx, { accountId, clientOrderId: vo.clientOrderId });
      return row ? applyVenueOrder(tx, row, vo, 'exchange') : null;
    });
    this.#changed(row);
  }

  /**
   * Cancel: `cancel_requested` is stored first, then the venue is asked. The venue's answer is the
   * final word (cancel-vs-fill race): an order it reports gone (ORDER_NOT_FOUND: already finished)
   * is fetched and its state adopted; fills that raced the cancel arrive as trades. An ambiguous
   * answer leaves the order in cancel_requested for the stream or reconciliation to settle.
   */
  async cancel(order: OrderRow, venue: ExchangeAdapter): Promise<OrderRow> {
    const requested = await this.database.withTenant({ tenantId: order.tenantId }, async (tx) => {
      const locked = (await lockOrder(tx, { id: order.id }))!;
      const r = await applyAndStore(tx, locked, { type: 'OrderCancelRequested', at: this.clock.now(), clientOrderId: order.clientOrderId, source: 'local', reason: 'cancel requested' });
      return r.row;
    });
    this.#changed(requested);
    const answer = await this.#askCancel(requested, venue);
    if (answer.vo) await this.#adopt(requested, answer.vo, 'exchange', requested.submitAttempts, answer.reason);
    await this.pullTrades(requested, venue);
    return this.#reload(requested);
  }

  /**
   * Cancels many orders of one tenant on one venue at once (kill switches): the same rules as
   * `cancel`, in three steps instead of per-order round trips — one transaction records every
   * `cancel_requested`, the venue is asked for all of them concurrently, one transaction adopts
   * every answer. Trades are pulled only for orders whose venue answer shows fills we have not
   * booked (the stream books them too). Returns the orders the venue answered for, as adopted.
   */
  async cancelMany(tenantId: string, list: readonly OrderRow[], venue: ExchangeAdapter): Promise<OrderRow[]> {
    if (list.length === 0) return [];
    // Set-based: three statements for any number of orders. Only statuses from which the state
    // machine allows cancel_requested (ORDER_TRANSITIONS) are touched; the history gets one step each.
    const at = this.clock.now();
    const requested = await this.database.withTenant({ tenantId }, async (tx) => {
      const current = await tx
        .select({ id: orders.id, tenantId: orders.tenantId, status: orders.status })
        .from(orders)
        .where(and(inArray(orders.id, list.map((o) => o.id)), inArray(orders.status, CANCELLABLE)))
        .for('update');
      if (current.length === 0) return [];
      const rows = await tx
        .update(orders)
        .set({ status: 'cancel_requested', updatedAt: sql`greatest(${orders.updatedAt}, ${new Date(at)})`, version: sql`${orders.version} + 1` })
        .where(inArray(orders.id, current.map((c) => c.id)))
        .returning();
      await tx.insert(orderEvents).values(
        current.map((c) => ({ tenantId: c.tenantId, orderId: c.id, at: new Date(at), fromStatus: c.status, toStatus: 'cancel_requested', event: 'OrderCancelRequested', source: 'local' as const, reason: 'cancel requested' })),
      );
      return rows;
    });
    for (const r of requested) this.#changed(r);
    const keys = requested.map((r) => `${r.exchangeAccountId}|${r.clientOrderId}`);
    for (const k of keys) this.#batchCancelling.add(k);
    try {
      return await this.#settleBatch(tenantId, requested, venue);
    } finally {
      for (const k of keys) this.#batchCancelling.delete(k);
    }
  }

  async #settleBatch(tenantId: string, requested: OrderRow[], venue: ExchangeAdapter): Promise<OrderRow[]> {
    const answers = await Promise.all(requested.map(async (row) => ({ row, ...(await this.#askCancel(row, venue)) })));
    const adopted = await this.database.withTenant({ tenantId }, async (tx) => {
      // The usual answer — cancelled, nothing filled since — is booked set-based: one update, one
      // history insert, the releases from one ledger read per profile, two ledger inserts.
      const plain = new Map(answers.filter((a) => a.vo?.status === 'cancelled' && new Dec(a.vo.filledQuantity).equals(a.row.filledQty)).map((a) => [a.row.id, a]));
      const out = plain.size > 0 ? await this.#cancelPlain(tx, plain) : [];
      const done = new Set(out.map((r) => r.id));
      for (const a of answers) {
        if (!a.vo || done.has(a.row.id)) continue;
        const locked = (await lockOrder(tx, { id: a.row.id }))!;
        out.push(await applyVenueOrder(tx, locked, a.vo, 'exchange', a.reason));
      }
      return out;
    });
    for (const r of adopted) this.#changed(r);
    const unbooked = answers.filter((a) => a.vo && new Dec(a.vo.filledQuantity).greaterThan(a.row.filledQty));
    for (const a of unbooked) await this.pullTrades(a.row, venue);
    return adopted;
  }

  /**
   * Orders the venue cancelled with nothing filled since the request, still `cancel_requested`
   * here: → `cancelled` (history step, source exchange) and their reservations released. An order
   * that moved meanwhile (a fill booked from the stream) is left to the per-order path.
   */
  async #cancelPlain(tx: Tx, plain: Map<string, { row: OrderRow; vo: VenueOrder | null }>): Promise<OrderRow[]> {
    const locked = await tx
      .select()
      .from(orders)
      .where(and(inArray(orders.id, [...plain.keys()]), eq(orders.status, 'cancel_requested')))
      .for('update');
    const still = locked.filter((r) => new Dec(r.filledQty).equals(plain.get(r.id)!.row.filledQty));
    if (still.length === 0) return [];
    const at = (r: OrderRow) => Math.max(plain.get(r.id)!.vo!.updatedAt, r.updatedAt.getTime());
    const rows = await tx
      .update(orders)
      .set({ status: 'cancelled', updatedAt: sql`greatest(${orders.updatedAt}, ${new Date(Math.max(...still.map(at)))})`, version: sql`${orders.version} + 1` })
      .where(inArray(orders.id, still.map((r) => r.id)))
      .returning();
    await tx.insert(orderEvents).values(
      still.map((r) => ({ tenantId: r.tenantId, orderId: r.id, at: new Date(at(r)), fromStatus: 'cancel_requested', toStatus: 'cancelled', event: 'OrderCancelled', source: 'exchange' as const, reason: plain.get(r.id)!.vo!.reason ?? null })),
    );
    const releases: LedgerTransaction[] = [];
    const byProfile = new Map<string, OrderRow[]>();
    for (const r of rows) if (r.profileId) byProfile.set(r.profileId, [...(byProfile.get(r.profileId) ?? []), r]);
    const ledgers = await loadLedgers(tx, [...byProfile.keys()]);
    for (const [profileId, list] of byProfile) {
      const ledger = ledgers.get(profileId)!;
      for (const r of list) {
        const built = releaseTx(ledger, { id: ledgerTxId.release(r.clientOrderId), at: r.updatedAt.getTime(), clientOrderId: r.clientOrderId, currency: r.symbol.split('/')[1] ?? '' });
        if (built.ok && built.value !== null && ledger.post(built.value).ok) releases.push(built.value);
      }
    }
    await insertLedgerTxs(tx, rows[0]!.tenantId, releases);
    return rows;
  }

  /**
   * Asks the venue to cancel and returns its word on the order: the cancelled order; or, when the
   * venue says it is gone (ORDER_NOT_FOUND: it finished first), the order as fetched; or null when
   * the outcome is unknown (logged; the stream or reconciliation settles it).
   */
  async #askCancel(order: OrderRow, venue: ExchangeAdapter): Promise<{ vo: VenueOrder | null; reason: string | undefined }> {
    const ref = { clientOrderId: order.clientOrderId, symbol: order.symbol };
    try {
      return { vo: checkVenueOrder(await venue.cancelOrder(ref), { venue: venue.venue, expect: ref, write: true }), reason: undefined };
    } catch (err) {
      if (asVenueFailure(err)?.code === 'ORDER_NOT_FOUND') {
        const vo = await venue.fetchOrder(ref).then((v) => (v === null ? null : checkVenueOrder(v, { venue: venue.venue, expect: ref }))).catch(() => null);
        return { vo, reason: 'cancel raced the end of the order' };
      }
      this.logger.warn({ err, clientOrderId: order.clientOrderId }, 'cancel outcome unknown; the stream or reconciliation settles it');
      return { vo: null, reason: undefined };
    }
  }

  /** Runs a venue-data check; a failure is logged (with what to do) and reported as true. Nothing has been booked then. */
  #malformed(check: () => unknown, ids: Record<string, unknown>): boolean {
    try {
      check();
      return false;
    } catch (err) {
      this.logger.error({ err, ...ids }, 'malformed venue data refused, nothing booked; if the venue keeps sending it, check the adapter, reconciliation settles the order');
      return true;
    }
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  close(): void {
    this.#closed = true;
  }

  async #adopt(row: OrderRow, vo: VenueOrder, source: 'exchange', attempts: number, reason?: string): Promise<OrderRow> {
    const adopted = await this.database.withTenant({ tenantId: row.tenantId }, async (tx) => {
      const locked = (await lockOrder(tx, { id: row.id }))!;
      await noteAttempts(tx, row.id, { submitAttempts: attempts, lookupMisses: 0, firstMissAt: null });
      return applyVenueOrder(tx, locked, vo, source, reason);
    });
    this.#remember(adopted.exchangeAccountId, vo);
    return this.#changed(adopted);
  }

  /**
   * The venue state last adopted per order (bounded): the stream repeats what a call just answered
   * (the acknowledgement of a submit, a cancel), and booking the same news again would cost a
   * transaction contending for the same row. Only an identical status and filled quantity are
   * skipped; anything new goes through.
   */
  readonly #adoptedVenueState = new Map<string, string>();

  #remember(accountId: string, vo: VenueOrder): void {
    if (this.#adoptedVenueState.size >= 10_000) this.#adoptedVenueState.clear();
    this.#adoptedVenueState.set(`${accountId}|${vo.clientOrderId}`, `${vo.status}|${vo.filledQuantity}`);
  }

  #alreadyAdopted(accountId: string, vo: VenueOrder): boolean {
    return this.#adoptedVenueState.get(`${accountId}|${vo.clientOrderId}`) === `${vo.status}|${vo.filledQuantity}`;
  }

  async #markSubmitted(row: OrderRow, reason: string, attempts: number): Promise<OrderRow> {
    return this.#changed(await this.database.withTenant({ tenantId: row.tenantId }, async (tx) => {
      const locked = (await lockOrder(tx, { id: row.id }))!;
      await noteAttempts(tx, row.id, { submitAttempts: attempts });
      if (locked.status !== 'new') return locked;
      return (await applyAndStore(tx, locked, { type: 'OrderSubmitted', at: this.clock.now(), clientOrderId: row.clientOrderId, source: 'local', reason })).row;
    }));
  }

  async #reject(row: OrderRow, reason: string, attempts: number): Promise<OrderRow> {
    return this.#changed(await this.database.withTenant({ tenantId: row.tenantId }, async (tx) => {
      let locked = (await lockOrder(tx, { id: row.id }))!;
      await noteAttempts(tx, row.id, { submitAttempts: attempts });
      const at = this.clock.now();
      if (locked.status === 'new') locked = (await applyAndStore(tx, locked, { type: 'OrderSubmitted', at, clientOrderId: row.clientOrderId, source: 'local' })).row;
      if (locked.status !== 'submitted') return locked;
      locked = (await applyAndStore(tx, locked, { type: 'OrderRejected', at, clientOrderId: row.clientOrderId, source: 'local', reason })).row;
      await releaseIfDone(tx, locked);
      return locked;
    }));
  }

  async #expireLost(row: OrderRow, reason: string, attempts: number): Promise<void> {
    const expired = await this.database.withTenant({ tenantId: row.tenantId }, async (tx) => {
      const locked = (await lockOrder(tx, { id: row.id }))!;
      await noteAttempts(tx, row.id, { submitAttempts: attempts });
      if (locked.status !== 'submitted') return null;
      const r = await applyAndStore(tx, locked, { type: 'OrderExpired', at: this.clock.now(), clientOrderId: row.clientOrderId, source: 'local', reason });
      await releaseIfDone(tx, r.row);
      return r.row;
    });
    this.#changed(expired);
    this.logger.warn({ clientOrderId: row.clientOrderId, reason }, 'order declared lost; a late fill will still be booked');
  }

  async #reload(row: OrderRow): Promise<OrderRow> {
    return this.database.withTenant({ tenantId: row.tenantId }, async (tx) => (await lockOrder(tx, { id: row.id }))!);
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.logger.error({ err }, 'order pipeline background task failed'));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
  }
}

const dec = (v: string) => new Dec(v);
const decOrNull = (v: string | null) => (v === null ? null : new Dec(v));
