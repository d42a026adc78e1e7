import { randomUUID } from 'node:crypto';
import { RECONCILIATION_RUN_EVENT, rooms, type ReconciliationRun, type ReconciliationRunDetail } from '@kestrel/contracts';
import { and, asc, desc, eq, exchangeAccounts, reconciliationRuns, type Database } from '@kestrel/db';
import type { Clock } from '@kestrel/trading-core';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../realtime/hub.ts';
import type { OrderEventsSink, OrderSender } from '../order-sender.ts';
import { TradingEvents } from '../trading-events.ts';
import { asVenueFailure, type VenueProvider } from '../venue.ts';
import { AccountRun } from './account-run.ts';
import { DEFAULT_RECONCILER_OPTIONS, type ReconcilerOptions } from './options.ts';
import { emptySummary, finishRun, insertRun } from './run-store.ts';

export { DEFAULT_RECONCILER_OPTIONS, type ReconcilerOptions };

export type ReconcileTrigger = 'startup' | 'periodic' | 'manual';
export interface ReconcileAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: 'paper' | 'live';
  readonly venue: string;
}

export interface ReconcilerDeps {
  database: Database;
  venues: VenueProvider;
  sender: OrderSender;
  hub: RealtimeHub;
  logger: Logger;
  clock?: Clock;
  options?: Partial<ReconcilerOptions>;
  /** Told about every order the run changes itself (default: pushes on /trading like the pipeline). */
  events?: OrderEventsSink;
}

/**
 * Reconciliation of local order state against the venue, per exchange account: at start-up
 * (the trading runtime trades nothing on an account until its run succeeded), periodically, and
 * by hand (POST /api/reconciliation/runs). What one run does is in AccountRun; this class stores
 * the run (`running` first, so a run that dies is visible), its outcome and findings, pushes
 * `reconciliation.run` on /admin to the tenant room after the commit, and keeps the runs of one
 * account one after the other in this process.
 */
export class Reconciler {
  readonly #deps: ReconcilerDeps;
  readonly #options: ReconcilerOptions;
  readonly #clock: Clock;
  readonly #events: OrderEventsSink;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(deps: ReconcilerDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_RECONCILER_OPTIONS, ...deps.options };
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#events = deps.events ?? new TradingEvents(deps.hub);
  }

  /**
   * One run for one account, stored with its discrepancies and pushed to /admin. Never throws
   * because the venue failed: it returns a run with status `failed` and the error (the caller then
   * keeps that account's profiles from trading: fail closed).
   */
  reconcileAccount(account: ReconcileAccount, trigger: ReconcileTrigger): Promise<ReconciliationRunDetail> {
    const previous = this.#queues.get(account.id) ?? Promise.resolve();
    const next = previous.then(
      () => this.#run(account, trigger),
      () => this.#run(account, trigger),
    );
    this.#queues.set(account.id, next);
    void next.then(
      () => this.#release(account.id, next),
      () => this.#release(account.id, next),
    );
    return next;
  }

  /** Every active exchange account of every tenant, one after the other. */
  async reconcileAll(trigger: ReconcileTrigger): Promise<ReconciliationRunDetail[]> {
    const accounts = await this.#deps.database.withTenant({ allTenants: true }, (tx) =>
      tx
        .select({ id: exchangeAccounts.id, tenantId: exchangeAccounts.tenantId, kind: exchangeAccounts.kind, venue: exchangeAccounts.venue })
        .from(exchangeAccounts)
        .where(eq(exchangeAccounts.status, 'active'))
        .orderBy(asc(exchangeAccounts.tenantId), asc(exchangeAccounts.createdAt), asc(exchangeAccounts.id)),
    );
    const runs: ReconciliationRunDetail[] = [];
    for (const account of accounts) runs.push(await this.reconcileAccount(account, trigger));
    return runs;
  }

  #release(accountId: string, p: Promise<unknown>): void {
    if (this.#queues.get(accountId) === p) this.#queues.delete(accountId);
  }

  async #run(account: ReconcileAccount, trigger: ReconcileTrigger): Promise<ReconciliationRunDetail> {
    const { database, logger } = this.#deps;
    const tenant = { tenantId: account.tenantId };
    const id = randomUUID();
    const startedAt = new Date(this.#clock.now());
    const previousCursors = await database.withTenant(tenant, async (tx) => {
      const [last] = await tx
        .select({ tradeCursors: reconciliationRuns.tradeCursors })
        .from(reconciliationRuns)
        .where(and(eq(reconciliationRuns.exchangeAccountId, account.id), eq(reconciliationRuns.status, 'succeeded')))
        .orderBy(desc(reconciliationRuns.startedAt), desc(reconciliationRuns.id))
        .limit(1);
      await insertRun(tx, { id, tenantId: account.tenantId, exchangeAccountId: account.id, trigger, startedAt });
      return last?.tradeCursors ?? {};
    });

    let error: string | null = null;
    let run: AccountRun | null = null;
    const venue = this.#deps.venues.venueFor(account);
    if (!venue) {
      error = `No connection to the venue "${account.venue}" for exchange account ${account.id}: nothing was compared and this account's profiles must not trade. Check the account (its API key, or that the venue is configured), then run the reconciliation again.`;
    } else {
      run = new AccountRun(database, this.#deps.sender, this.#events, logger, this.#clock, this.#options, account, venue, previousCursors);
      try {
        await run.execute();
      } catch (err) {
        error = describeFailure(err, account);
        const failure = asVenueFailure(err);
        if (failure) logger.warn({ accountId: account.id, runId: id, code: failure.code, message: failure.message }, 'reconciliation failed: a venue request failed');
        else logger.error({ err, accountId: account.id, runId: id }, 'reconciliation failed on an internal error');
      }
    }

    const findings = run?.findings ?? [];
    const summary = { ...(run?.summary ?? emptySummary()), discrepancies: findings.length };
    const outcome = { status: error === null ? ('succeeded' as const) : ('failed' as const), finishedAt: new Date(this.#clock.now()), summary, error, tradeCursors: run?.tradeCursors ?? previousCursors };
    const detail = await database.withTenant(tenant, (tx) => finishRun(tx, { id, tenantId: account.tenantId }, outcome, findings));
    const { discrepancies: _discrepancies, ...view } = detail;
    void this.#deps.hub.publish('/admin', rooms.tenant(account.tenantId), RECONCILIATION_RUN_EVENT, view satisfies ReconciliationRun);
    logger.info({ runId: id, accountId: account.id, trigger, status: detail.status, discrepancies: findings.length }, 'reconciliation run finished');
    return detail;
  }
}

/** The run's error in words: what failed and what to do next. */
function describeFailure(err: unknown, account: ReconcileAccount): string {
  const failure = asVenueFailure(err);
  const after = "Orders not yet compared were left as they were, and this account's profiles must not trade until a run succeeds";
  if (failure) {
    const hint =
      failure.code === 'AUTHENTICATION'
        ? "check the account's API key and secret"
        : failure.code === 'RATE_LIMITED' || failure.code === 'BANNED'
          ? `wait ${failure.retryAfterMs !== undefined ? `${Math.ceil(failure.retryAfterMs / 1000)} s` : 'a while'} (the venue is limiting requests)`
          : failure.code === 'MALFORMED_RESPONSE'
            ? 'the venue answered with data Kestrel cannot read: check the exchange adapter and the venue status'
            : failure.retryable
              ? "check the exchange's status and the network"
              : 'the venue refused the request: check the account and the exchange adapter';
    return `The venue "${account.venue}" failed a reconciliation request (${failure.code}: ${failure.message}). ${after}: ${hint}, then run it again (POST /api/reconciliation/runs); periodic runs retry by themselves.`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `Reconciliation stopped on an internal error: ${message}. Changes made before it are complete (each is its own transaction). ${after}: look at the backend log for this run id, then run it again.`;
}
