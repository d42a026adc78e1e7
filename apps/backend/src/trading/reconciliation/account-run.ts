import { randomUUID } from 'node:crypto';
import { and, eq, inArray, orders, profiles, type Database, type Tx } from '@kestrel/db';
import { compareTradeIds } from '@kestrel/exchanges';
import { Dec, isTerminal, parseClientOrderId, type Clock } from '@kestrel/trading-core';
import type { Logger } from 'pino';
import type { OrderEventsSink, OrderSender } from '../order-sender.ts';
import { applyAndStore, lockOrder, type OrderRow } from '../order-store.ts';
import { applyVenueOrder, releaseIfDone } from '../venue-events.ts';
import { asVenueFailure, checkVenueOrder, type ExchangeAdapter, type VenueOrder, type VenueTrade } from '../venue.ts';
import { checkLifecycles } from './lifecycle-check.ts';
import { OPEN_STATUSES, type ReconcilerOptions } from './options.ts';
import { lastBookedTradeId, maxTradeId, tradeSymbols } from './trade-cursor.ts';
import { emptySummary, type Finding } from './run-store.ts';
import { plain, tradeDetails, VENUE_TYPE_TO_ORDER_TYPE, venueOrderDetails } from './venue-details.ts';

export interface RunAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly venue: string;
}

/**
 * One reconciliation run of one exchange account against its venue. The steps, in order:
 * 1. the venue's open orders (the first venue call: if it fails nothing has been changed);
 * 2. the venue's trades since the last trade id booked per symbol → booked through the sender
 *    (the database deduplicates); trades of unknown orders are kept for step 5;
 * 3. every local open order against the venue (open list, else a lookup by client order id):
 *    found → its missing trades, then the venue's status (source `reconciliation`); not found and
 *    old enough → `new`: rejected `NEVER_SENT` (never sent later), otherwise expired `LOST`
 *    (a late fill is still booked); younger → left for the next run;
 * 4. venue open orders unknown locally → adopted when the client order id is one of this tenant's
 *    profiles on this account, else flagged; ours finished locally but open there → cancelled;
 * 5. unmatched trades again (adopted orders now match), else adopted by lookup, else flagged;
 * 6. every order's lifecycle history against the state machine.
 * Every change is its own transaction through the same order-store / venue-events helpers the
 * sender uses, so releases, positions and ledger postings are the ones a live update would make.
 * A venue error stops the run (the caller stores it as failed: fail closed).
 */
export class AccountRun {
  readonly summary = emptySummary();
  readonly findings: Finding[] = [];
  /** Per symbol, the greatest trade id this run saw (it starts from the last succeeded run's). */
  readonly tradeCursors: Record<string, string>;
  readonly #unmatched: VenueTrade[] = [];
  readonly #recent = new Map<string, Promise<VenueTrade[]>>();

  constructor(
    private readonly database: Database,
    private readonly sender: OrderSender,
    private readonly events: OrderEventsSink,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly options: ReconcilerOptions,
    private readonly account: RunAccount,
    private readonly venue: ExchangeAdapter,
    previousCursors: Readonly<Record<string, string>> = {},
  ) {
    this.tradeCursors = { ...previousCursors };
  }

  async execute(): Promise<void> {
    const venueOpen = (await this.venue.fetchOpenOrders()).map((v) => checkVenueOrder(v, { venue: this.venue.venue }));
    this.summary.venueOpenOrders = venueOpen.length;
    const local = await this.#tx((tx) =>
      tx
        .select()
        .from(orders)
        .where(and(eq(orders.exchangeAccountId, this.account.id), inArray(orders.status, [...OPEN_STATUSES])))
        .orderBy(orders.createdAt, orders.id),
    );
    this.summary.localOpenOrders = local.length;

    for (const symbol of await this.#tx((tx) => tradeSymbols(tx, this.account.id, venueOpen))) await this.#pullTrades(symbol);

    const openAtVenue = new Map(venueOpen.map((o) => [o.clientOrderId, o]));
    for (const o of local) await this.#reconcileLocal(o, openAtVenue.get(o.clientOrderId) ?? null);

    const localIds = new Set(local.map((o) => o.clientOrderId));
    for (const vo of venueOpen) if (!localIds.has(vo.clientOrderId)) await this.#reconcileVenueOnly(vo);

    await this.#settleUnmatched();

    const lifecycle = await checkLifecycles(this.database, { tenantId: this.account.tenantId, exchangeAccountId: this.account.id }, { batchSize: this.options.lifecycleBatchSize });
    this.summary.ordersLifecycleChecked = lifecycle.checked;
    this.summary.lifecycleInvalid = lifecycle.issues.length;
    for (const issue of lifecycle.issues) {
      const codes = [...new Set(issue.problems.map((p) => p.code))].join(', ');
      this.#find('lifecycle_invalid', issue, 'flagged', {
        status: issue.status,
        problems: issue.problems,
        message: `The stored lifecycle history of this ${issue.status} order breaks the order state machine (${codes}); nothing was changed: compare it with the venue and the fills before trusting the order's status.`,
      });
    }
  }

  // ---- step 2: trades ------------------------------------------------------------------------

  /**
   * Trades after max(the last booked fill, the last trade the previous succeeded run saw), page by
   * page until the venue has no more: a trade nobody here knows is flagged once, not on every run.
   */
  async #pullTrades(symbol: string): Promise<void> {
    let since = maxTradeId(await this.#tx((tx) => lastBookedTradeId(tx, this.account.id, this.venue.venue, symbol)), this.tradeCursors[symbol] ?? null);
    for (let page = 0; page < this.options.maxTradePages; page++) {
      const trades = await this.venue.fetchMyTrades(symbol, since === null ? { limit: this.options.tradePageSize } : { sinceTradeId: since, limit: this.options.tradePageSize });
      if (trades.length === 0) return;
      for (const t of trades) await this.#ingest(t);
      const last = trades.map((t) => t.tradeId).reduce((a, b) => (compareTradeIds(a, b) >= 0 ? a : b));
      if (since !== null && compareTradeIds(last, since) <= 0) return; // the venue did not move on: stop rather than loop
      since = last;
      this.tradeCursors[symbol] = last;
    }
    this.logger.warn({ accountId: this.account.id, symbol, since }, 'reconciliation stopped paging trades at maxTradePages; the next run goes on from here');
  }

  /** Books one venue trade through the sender (same path as the stream); unknown ones wait for step 5. */
  async #ingest(t: VenueTrade, retry = false): Promise<'applied' | 'duplicate' | 'refused' | 'unknown'> {
    if (!retry) this.summary.tradesSeen++;
    const outcome = await this.sender.ingestTrade(this.account.tenantId, this.account.id, this.venue.venue, t);
    switch (outcome) {
      case 'applied': {
        this.summary.tradesApplied++;
        const order = await this.#orderOfTrade(t);
        this.#find('missing_fill', order ?? { orderId: null, clientOrderId: t.clientOrderId }, 'applied', {
          trade: tradeDetails(t),
          message: `Venue trade ${t.tradeId} (${t.side} ${t.quantity} ${t.symbol} @ ${t.price}) was not booked locally; it is booked now (fill, position and ledger).`,
        });
        break;
      }
      case 'duplicate':
        this.summary.tradesDuplicate++;
        break;
      case 'refused': {
        this.summary.tradesUnmatched++;
        const order = await this.#orderOfTrade(t);
        this.#find('trade_refused', order ?? { orderId: null, clientOrderId: t.clientOrderId }, 'flagged', {
          trade: tradeDetails(t),
          orderStatus: order?.status ?? null,
          message: `Venue trade ${t.tradeId} cannot be booked on its order (unreadable trade data, an overfill, another symbol or side, or the order is rejected locally); nothing was booked: check the order at the exchange and correct the position by hand if the trade is real.`,
        });
        break;
      }
      case 'unknown':
        if (!retry) this.#unmatched.push(t);
        break;
    }
    return outcome;
  }

  async #orderOfTrade(t: VenueTrade): Promise<{ orderId: string; clientOrderId: string; status: string } | null> {
    const [row] = await this.#tx((tx) =>
      tx
        .select({ orderId: orders.id, clientOrderId: orders.clientOrderId, status: orders.status })
        .from(orders)
        .where(and(eq(orders.exchangeAccountId, this.account.id), t.clientOrderId ? eq(orders.clientOrderId, t.clientOrderId) : eq(orders.venueOrderId, t.venueOrderId))),
    );
    return row ?? null;
  }

  /**
   * This order's trades from the venue's most recent page (trades older than the last booked trade
   * id, which step 2 does not ask for). The page is fetched once per symbol and run, and again when
   * it does not account for the venue's filled quantity (it may predate the order's last fills).
   */
  async #tradesOfOrder(row: Pick<OrderRow, 'id' | 'symbol' | 'clientOrderId' | 'venueOrderId'>, vo: VenueOrder): Promise<void> {
    for (const fresh of [false, true]) {
      for (const t of await this.#recentTrades(row.symbol, fresh)) {
        if (t.clientOrderId === row.clientOrderId || t.venueOrderId === vo.venueOrderId || (row.venueOrderId !== null && t.venueOrderId === row.venueOrderId)) await this.#ingest(t);
      }
      if (!new Dec(vo.filledQuantity).greaterThan((await this.#reload(row.id)).filledQty)) return;
    }
  }

  #recentTrades(symbol: string, fresh: boolean): Promise<VenueTrade[]> {
    let page = this.#recent.get(symbol);
    if (fresh || !page) {
      page = this.venue.fetchMyTrades(symbol, { limit: this.options.tradePageSize });
      this.#recent.set(symbol, page);
    }
    return page;
  }

  // ---- step 3: local open orders -------------------------------------------------------------

  async #reconcileLocal(o: OrderRow, open: VenueOrder | null): Promise<void> {
    const ref = { clientOrderId: o.clientOrderId, symbol: o.symbol };
    let vo = open ?? (await this.#lookup(ref));
    if (!vo) return this.#notFound(o);
    let after = await this.#applyVenueState(o.id, vo);
    let recancelled = false;
    if (after.status === 'cancel_requested' && (vo.status === 'open' || vo.status === 'partially_filled')) {
      // The cancel was stored but never reached the venue (the process stopped in between): ask again.
      const answer = await this.#cancelAtVenue(ref);
      recancelled = true;
      if (answer) {
        vo = answer;
        after = await this.#applyVenueState(o.id, answer);
      }
    }
    if (after.status !== o.status || !new Dec(after.filledQty).equals(o.filledQty)) {
      this.summary.ordersUpdated++;
      this.#find('order_state', after, 'applied', {
        local: { status: o.status, filledQty: plain(o.filledQty) },
        venue: { status: vo.status, filledQuantity: plain(vo.filledQuantity), venueOrderId: vo.venueOrderId },
        now: { status: after.status, filledQty: plain(after.filledQty) },
        message: recancelled
          ? `The cancel requested earlier had not reached the venue (the order was still open there): it was sent again; the order is now ${after.status}.`
          : `Local ${o.status} (filled ${plain(o.filledQty)}) but ${vo.status} at the venue (filled ${plain(vo.filledQuantity)}): the venue's state was applied; the order is now ${after.status}.`,
      });
    }
    if (new Dec(vo.filledQuantity).greaterThan(after.filledQty)) {
      this.#find('fill_mismatch', after, 'flagged', {
        local: { filledQty: plain(after.filledQty) },
        venue: { filledQuantity: plain(vo.filledQuantity) },
        message: `The venue reports ${plain(vo.filledQuantity)} filled, but only ${plain(after.filledQty)} could be booked from its trades (the others are not in the venue's recent trade history); check the order's trades at the exchange and book the difference by hand.`,
      });
    }
  }

  /** The order's missing trades first (so fills come out of its reservation), then the venue's status. */
  async #applyVenueState(id: string, vo: VenueOrder): Promise<OrderRow> {
    let current = await this.#reload(id);
    if (new Dec(vo.filledQuantity).greaterThan(current.filledQty)) {
      await this.#tradesOfOrder(current, vo);
      current = await this.#reload(id);
    }
    const after = await this.#tx(async (tx) => applyVenueOrder(tx, (await lockOrder(tx, { id }))!, vo, 'reconciliation', `reconciliation: the venue reports it ${vo.status}`));
    if (after.version !== current.version) this.events.orderChanged(after);
    return after;
  }

  async #lookup(ref: { clientOrderId: string; symbol: string }): Promise<VenueOrder | null> {
    const found = await this.venue.fetchOrder(ref);
    return found === null ? null : checkVenueOrder(found, { venue: this.venue.venue, expect: ref });
  }

  /** The venue's answer to a cancel; an order it says is already finished is looked up for its final state. */
  async #cancelAtVenue(ref: { clientOrderId: string; symbol: string }): Promise<VenueOrder | null> {
    try {
      return checkVenueOrder(await this.venue.cancelOrder(ref), { venue: this.venue.venue, expect: ref, write: true });
    } catch (err) {
      if (asVenueFailure(err)?.code !== 'ORDER_NOT_FOUND') throw err;
      return this.#lookup(ref);
    }
  }

  async #notFound(o: OrderRow): Promise<void> {
    const now = this.clock.now();
    const result = await this.#tx(async (tx) => {
      const locked = await lockOrder(tx, { id: o.id });
      if (!locked || locked.status !== o.status) return { kind: 'moved' as const };
      const quietMs = now - locked.updatedAt.getTime();
      if (quietMs < this.options.notFoundAfterMs) return { kind: 'young' as const, quietMs };
      const at = Math.max(now, locked.updatedAt.getTime());
      const r =
        locked.status === 'new'
          ? await applyAndStore(tx, locked, { type: 'OrderDenied', at, clientOrderId: locked.clientOrderId, source: 'reconciliation', code: 'NEVER_SENT', reason: `still new after ${quietMs} ms and unknown to the venue: it will never be sent` })
          : await applyAndStore(tx, locked, { type: 'OrderExpired', at, clientOrderId: locked.clientOrderId, source: 'reconciliation', reason: `LOST: not found at the venue by reconciliation, ${quietMs} ms after its last change (a late fill is still booked)` });
      if (!r.ok) return { kind: 'refused' as const, message: `${r.code}: ${r.message}` };
      await releaseIfDone(tx, r.row);
      return { kind: locked.status === 'new' ? ('never_sent' as const) : ('lost' as const), row: r.row };
    });
    switch (result.kind) {
      case 'moved':
        return;
      case 'young':
        this.summary.ordersDeferred++;
        this.#find('order_not_found', o, 'deferred', {
          local: { status: o.status },
          message: `Unknown to the venue, but changed only ${result.quietMs} ms ago (an ambiguous submit may still be resolving): left as ${o.status} for the next run.`,
        });
        return;
      case 'refused':
        this.logger.error({ orderId: o.id, reason: result.message }, 'reconciliation could not close an order the venue does not know');
        return;
      case 'never_sent':
        this.summary.ordersNeverSent++;
        this.events.orderChanged(result.row);
        this.#find('order_never_sent', result.row, 'rejected', {
          local: { status: o.status },
          message: 'Recorded but never acknowledged by the venue, which does not know it: rejected (NEVER_SENT) so it is never sent later; its capital reservation is released.',
        });
        return;
      case 'lost':
        this.summary.ordersLost++;
        this.events.orderChanged(result.row);
        this.#find('order_lost', result.row, 'expired', {
          local: { status: o.status, filledQty: plain(o.filledQty) },
          message: `Local ${o.status} but unknown to the venue: expired (LOST) and its reservation released; a fill the venue reports later is still booked.`,
        });
        return;
    }
  }

  // ---- step 4: venue open orders unknown locally --------------------------------------------------

  async #reconcileVenueOnly(vo: VenueOrder): Promise<void> {
    const [known] = await this.#tx((tx) => tx.select().from(orders).where(and(eq(orders.exchangeAccountId, this.account.id), eq(orders.clientOrderId, vo.clientOrderId))));
    if (known && !isTerminal(known.status)) return; // placed while this run was going: the sender and the next run have it
    if (known) return this.#zombie(known, vo);
    const adopted = await this.#adopt(vo, 'open at the venue');
    if (adopted) return;
    this.summary.venueOrdersFlagged++;
    this.#find('unknown_venue_order', { orderId: null, clientOrderId: vo.clientOrderId }, 'flagged', {
      venue: venueOrderDetails(vo),
      message: `Open at the venue but not placed by Kestrel for this account (${vo.side} ${vo.quantity} ${vo.symbol}, client order id ${vo.clientOrderId}): left untouched. Cancel it at the exchange if nobody meant to place it.`,
    });
  }

  /** Ours, finished locally (lost, never sent, cancelled) but open at the venue: nobody tracks it, so it is cancelled. */
  async #zombie(known: OrderRow, vo: VenueOrder): Promise<void> {
    if (!this.options.cancelZombies) {
      this.#find('zombie_venue_order', known, 'flagged', { local: { status: known.status }, venue: venueOrderDetails(vo), message: `Locally ${known.status} but open at the venue: cancel it at the exchange.` });
      return;
    }
    const final = (await this.#cancelAtVenue({ clientOrderId: vo.clientOrderId, symbol: vo.symbol })) ?? vo;
    await this.#tradesOfOrder(known, final);
    this.summary.venueOrdersCancelled++;
    this.#find('zombie_venue_order', known, 'cancelled', {
      local: { status: known.status },
      venue: venueOrderDetails(vo),
      message: `Locally ${known.status} but still open at the venue: cancelled there so it cannot trade untracked; fills it had are booked as late fills.`,
    });
  }

  /** Adopts a venue order whose client order id is one of this tenant's profiles on this account. */
  async #adopt(vo: VenueOrder, why: string): Promise<OrderRow | null> {
    const parsed = parseClientOrderId(vo.clientOrderId);
    if (!parsed.ok) return null;
    const row = await this.#tx(async (tx) => {
      const [profile] = await tx
        .select({ id: profiles.id })
        .from(profiles)
        .where(and(eq(profiles.id, parsed.value.profileId), eq(profiles.tenantId, this.account.tenantId), eq(profiles.exchangeAccountId, this.account.id)));
      if (!profile) return null;
      const at = new Date(vo.createdAt);
      const [inserted] = await tx
        .insert(orders)
        .values({
          id: randomUUID(),
          tenantId: this.account.tenantId,
          profileId: profile.id,
          exchangeAccountId: this.account.id,
          clientOrderId: vo.clientOrderId,
          venueOrderId: null,
          decisionId: null,
          symbol: vo.symbol,
          side: vo.side,
          orderType: VENUE_TYPE_TO_ORDER_TYPE[vo.type],
          timeInForce: vo.timeInForce ?? 'GTC',
          quantity: vo.quantity,
          price: vo.price ?? null,
          stopPrice: vo.stopPrice ?? null,
          status: 'new',
          source: 'reconciliation',
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .returning();
      if (!inserted) return null;
      return applyVenueOrder(tx, inserted, vo, 'reconciliation', `adopted by reconciliation: ${why}, unknown locally`);
    });
    if (!row) return null;
    if (new Dec(vo.filledQuantity).greaterThan(0)) await this.#tradesOfOrder(row, vo);
    const now = await this.#reload(row.id);
    this.events.orderChanged(now);
    this.summary.venueOrdersAdopted++;
    this.#find('unknown_venue_order', now, 'adopted', {
      venue: venueOrderDetails(vo),
      message: `${why === 'open at the venue' ? 'Open' : 'Traded'} at the venue with a client order id of this account's profile, but unknown locally: adopted as a reconciliation order (it holds no capital reservation); its fills are booked.`,
    });
    return now;
  }

  // ---- step 5: trades of orders that were unknown --------------------------------------------------

  async #settleUnmatched(): Promise<void> {
    const looked = new Set<string>();
    for (const t of this.#unmatched) {
      if ((await this.#ingest(t, true)) !== 'unknown') continue;
      if (t.clientOrderId && !looked.has(t.clientOrderId)) {
        looked.add(t.clientOrderId);
        const vo = await this.#lookup({ clientOrderId: t.clientOrderId, symbol: t.symbol });
        if (vo && (await this.#adopt(vo, 'traded')) && (await this.#ingest(t, true)) !== 'unknown') continue;
      }
      this.summary.tradesUnmatched++;
      this.#find('unknown_trade', { orderId: null, clientOrderId: t.clientOrderId }, 'flagged', {
        trade: tradeDetails(t),
        message: `Venue trade ${t.tradeId} (${t.side} ${t.quantity} ${t.symbol} @ ${t.price}) belongs to no order of this account: nothing was booked. If it was placed by hand at the exchange, book it by hand; otherwise ask the exchange.`,
      });
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  #find(kind: Finding['kind'], order: { orderId?: string | null; id?: string; clientOrderId: string | null }, resolution: Finding['resolution'], details: Finding['details']): void {
    this.findings.push({ kind, orderId: order.orderId ?? order.id ?? null, clientOrderId: order.clientOrderId, details, resolution });
  }

  #tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.database.withTenant({ tenantId: this.account.tenantId }, fn);
  }

  async #reload(id: string): Promise<OrderRow> {
    const [row] = await this.#tx((tx) => tx.select().from(orders).where(eq(orders.id, id)));
    return row!;
  }
}
