import { randomUUID } from 'node:crypto';
import { AppError } from '@kestrel/contracts';
import { venueTickerSchema } from '@kestrel/exchanges';
import { and, decisions, eq, exchangeAccounts, isNull, orders, profiles, type Database } from '@kestrel/db';
import { decide, Dec, RiskEngine, type Clock, type Decision, type Intent } from '@kestrel/trading-core';
import type { Logger } from 'pino';
import { loadDecisionContext } from './decision-context.ts';
import { insertLedgerTx } from './ledger-store.ts';
import type { OrderRow } from './order-store.ts';
import { OrderSender, type OrderEventsSink, type SenderOptions } from './order-sender.ts';
import { assertLease, type Lease } from './runtime/lease.ts';
import { InstrumentCache, type ExchangeAdapter, type VenueProvider } from './venue.ts';

export interface SubmitRequest {
  readonly tenantId: string;
  readonly profileId: string;
  readonly intent: Intent;
  readonly source: 'strategy' | 'manual';
  /** The trading loop's lease: the intent is written only while it still holds (fencing). Manual orders have none. */
  readonly lease?: Lease;
  /** A manual request's Idempotency-Key: stored on the decision (unique per tenant). */
  readonly idempotencyKey?: string;
  /** The last price the caller knows (the loop: the bar its strategy just saw); else the venue's ticker is asked. */
  readonly lastPrice?: Dec;
}

/** Told of every decision the pipeline committed (approved, denied or skipped), after the commit. */
export interface DecisionEventsSink {
  decisionRecorded(decision: typeof decisions.$inferSelect): void;
}

export interface SubmitResult {
  readonly decision: typeof decisions.$inferSelect;
  /** The order as stored after the first send outcome; null when the intent was denied or skipped. */
  readonly order: OrderRow | null;
  readonly core: Decision;
}

/**
 * The order pipeline: intent → decision → order, then the venue.
 *
 * 1. Outside any transaction: the account's adapter, the instrument (markets are cached) and the
 *    last price — venue I/O never runs under a database lock.
 * 2. ONE transaction: lock the profile row (SELECT … FOR UPDATE: intents of one profile are
 *    serialised, so concurrent intents can never together spend more than the free capital), take
 *    the next decision_seq, load ledger/position/open orders/kill switches, run trading-core
 *    `decide()` with `reserveOnApproval`, and write the decision, the order (status `new`, the
 *    deterministic client order id) and the reservation. Commit: the intent is durable before
 *    anything is sent (outbox).
 * 3. Send through `OrderSender` (ambiguous outcomes are resolved by lookup, never by a blind resend).
 */
export class OrderPipeline {
  readonly sender: OrderSender;
  readonly #risk: RiskEngine;
  readonly #instruments = new InstrumentCache();
  readonly #probe: SenderOptions['probe'];

  constructor(
    private readonly database: Database,
    private readonly venues: VenueProvider,
    private readonly logger: Logger,
    private readonly clock: Clock = { now: () => Date.now() },
    options: Partial<SenderOptions> = {},
    private readonly events: (OrderEventsSink & Partial<DecisionEventsSink>) | null = null,
  ) {
    this.#risk = new RiskEngine(clock);
    this.#probe = options.probe;
    this.sender = new OrderSender(database, logger, clock, options, events);
  }

  /** The adapter of an account of this tenant, with its stream wired to fill ingestion. */
  async venueOf(tenantId: string, accountId: string): Promise<ExchangeAdapter> {
    const [account] = await this.database.withTenant({ tenantId }, (tx) => tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, accountId)));
    if (!account) throw new AppError('NOT_FOUND', 'No such exchange account.');
    const venue = this.venues.venueFor(account);
    if (!venue) throw new AppError('DEPENDENCY_UNAVAILABLE', `No connection to ${account.venue} for this account yet; try again shortly.`);
    this.sender.watch(tenantId, account.id, venue);
    return venue;
  }

  /**
   * Where a profile trades: its account's venue and its symbol. Neither changes for the life of a
   * profile (the API cannot change them), so they are read once per profile; deletion and the
   * tenant are checked again under the row lock in the intent transaction.
   */
  async #route(tenantId: string, profileId: string): Promise<{ venue: ExchangeAdapter; symbol: string; accountId: string }> {
    const cached = this.#routes.get(profileId);
    if (cached && cached.tenantId === tenantId) return cached;
    const [profile] = await this.database.withTenant({ tenantId }, (tx) =>
      tx.select().from(profiles).where(and(eq(profiles.id, profileId), eq(profiles.tenantId, tenantId), isNull(profiles.deletedAt))),
    );
    if (!profile) throw new AppError('NOT_FOUND', 'No such profile.');
    const venue = await this.venueOf(tenantId, profile.exchangeAccountId);
    const route = { tenantId, venue, symbol: profile.symbol, accountId: profile.exchangeAccountId };
    if (this.#routes.size >= 10_000) this.#routes.clear();
    this.#routes.set(profileId, route);
    return route;
  }

  readonly #routes = new Map<string, { tenantId: string; venue: ExchangeAdapter; symbol: string; accountId: string }>();

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const { venue, symbol } = await this.#route(req.tenantId, req.profileId);
    const profile = { id: req.profileId, symbol };
    const instrument = await this.#instruments.instrument(venue, symbol).catch(() => null);
    if (!instrument) throw new AppError('DEPENDENCY_UNAVAILABLE', `The venue does not list ${symbol} right now; try again shortly.`);
    // The trading loop passes the price its strategy decided on (no venue round trip); others ask the venue.
    const lastPrice =
      req.lastPrice ??
      (await venue.fetchTicker(symbol).then(
        // A ticker the venue schema refuses is no price (the price band then cannot pass).
        (t) => {
          const checked = venueTickerSchema.safeParse(t);
          const last = checked.success ? new Dec(checked.data.last) : null;
          return last?.greaterThan(0) ? last : null;
        },
        () => null,
      ));

    const result = await this.database.withTenant({ tenantId: req.tenantId }, async (tx) => {
      const [locked] = await tx.select().from(profiles).where(eq(profiles.id, profile.id)).for('update');
      if (!locked || locked.deletedAt || locked.tenantId !== req.tenantId) throw new AppError('NOT_FOUND', 'No such profile.');
      if (req.lease) await assertLease(tx, req.lease);
      const seq = locked.decisionSeq + 1;
      const now = this.clock.now();
      const ctx = await loadDecisionContext(tx, locked, instrument, lastPrice, now);
      const { decision: core, commands, reservation } = decide({
        intent: req.intent,
        decisionSeq: seq,
        profileId: locked.id,
        tenantId: locked.tenantId,
        instrument,
        rules: ctx.rules,
        ruleContext: ctx.ruleContext,
        risk: this.#risk,
        riskState: ctx.riskState,
        capital: ctx.ledger,
      });
      const peak = ctx.peakEquity.toFixed();
      await tx.update(profiles).set({ decisionSeq: seq, ...(peak !== locked.peakEquity ? { peakEquity: peak } : {}) }).where(eq(profiles.id, locked.id));
      let order: OrderRow | null = null;
      const submit = commands.find((c) => c.type === 'SubmitOrder');
      if (submit && submit.type === 'SubmitOrder') {
        const [row] = await tx
          .insert(orders)
          .values({
            id: randomUUID(),
            tenantId: locked.tenantId,
            profileId: locked.id,
            exchangeAccountId: locked.exchangeAccountId,
            clientOrderId: submit.clientOrderId,
            decisionId: core.id,
            symbol: submit.symbol,
            side: submit.side,
            orderType: submit.orderType,
            timeInForce: submit.timeInForce,
            reduceOnly: submit.reduceOnly,
            quantity: submit.quantity.toFixed(),
            price: submit.price?.toFixed() ?? null,
            stopPrice: submit.stopPrice?.toFixed() ?? null,
            status: 'new',
            source: req.source,
            createdAt: new Date(now),
            updatedAt: new Date(now),
          })
          .returning();
        order = row!;
        if (reservation) await insertLedgerTx(tx, locked.tenantId, reservation);
      }
      const [decision] = await tx
        .insert(decisions)
        .values({
          id: core.id,
          tenantId: locked.tenantId,
          profileId: locked.id,
          seq,
          at: new Date(core.at),
          source: req.source,
          outcome: core.outcome,
          stage: core.stage,
          code: core.code,
          reason: core.reason,
          intent: { ...core.intent },
          orderId: order?.id ?? null,
          idempotencyKey: req.idempotencyKey ?? null,
        })
        .returning();
      return { decision: decision!, order, core };
    });

    this.events?.decisionRecorded?.(result.decision);
    if (!result.order) return result;
    this.#probe?.('intent.committed', result.order);
    this.events?.orderChanged(result.order);
    const sent = await this.sender.send(result.order, venue);
    return { ...result, order: sent };
  }

  /** Waits for the background work (ambiguous-submit resolution) to finish: tests and shutdown. */
  async drain(): Promise<void> {
    await this.sender.drain();
  }

  close(): void {
    this.sender.close();
  }
}
