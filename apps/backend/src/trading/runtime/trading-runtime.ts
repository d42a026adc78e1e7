import { rooms, type ProfileState } from '@kestrel/contracts';
import { and, eq, exchangeAccounts, inArray, isNull, orders, platformControl, profiles, sql, tenantTradingControl, type Database } from '@kestrel/db';
import type { Logger } from 'pino';
import type { RealtimeHub } from '../../realtime/hub.ts';
import { InstrumentCache, type ExchangeAdapter, type VenueProvider } from '../venue.ts';
import type { OrderPipeline } from '../order-pipeline.ts';
import type { OrderRow } from '../order-store.ts';
import { LeaseManager, type Lease } from './lease.ts';
import type { MarketDataSource } from './market-data.ts';
import { ProfileRunner } from './profile-runner.ts';

type ProfileRow = typeof profiles.$inferSelect;
type AccountRow = typeof exchangeAccounts.$inferSelect;

/** What the runtime needs of reconciliation (trading/reconciliation/reconciler.ts). */
export interface AccountReconciler {
  reconcileAccount(account: { id: string; tenantId: string; kind: 'paper' | 'live'; venue: string }, trigger: 'startup' | 'periodic' | 'manual'): Promise<{ status: string; error?: string | null }>;
}

export interface TradingRuntimeOptions {
  readonly database: Database;
  readonly pipeline: OrderPipeline;
  readonly venues: VenueProvider;
  /** The market feed's bar duration per symbol (paper market); without it the profile's own timeframe is asked of the venue. */
  readonly market?: MarketDataSource | null;
  readonly reconciler?: AccountReconciler | null;
  readonly hub: RealtimeHub;
  readonly logger: Logger;
  /** This instance's name in the lease table (stable across restarts of the same instance). */
  readonly instanceId: string;
  readonly leaseTtlMs?: number;
  readonly heartbeatMs?: number;
  /** How often profiles to run (and kill switches set by other instances) are looked for. */
  readonly scanMs?: number;
  readonly reconcileIntervalMs?: number;
}

export interface RuntimeStatus {
  readonly instanceId: string;
  readonly started: boolean;
  /** Accounts whose last reconciliation succeeded: only their profiles trade (fail closed). */
  readonly readyAccounts: number;
  readonly blockedAccounts: readonly { readonly accountId: string; readonly error: string }[];
  readonly runners: readonly { readonly profileId: string; readonly epoch: number; readonly barsHandled: number; readonly lastBarTime: number }[];
}

const OPEN_AT_VENUE = ['submitted', 'accepted', 'partially_filled', 'cancel_requested'] as const;

/**
 * The trading runtime of one backend instance.
 *
 * - Start-up: every active exchange account is reconciled first; an account whose venue cannot be
 *   reached stays blocked (its profiles do not trade) and is retried on every scan — fail closed.
 * - Every `scanMs`: profiles with status `running` get a loop here when their lease can be taken
 *   (free, expired, or ours from before a restart); loops of profiles no longer running stop and
 *   release their lease. Heartbeats renew the leases; a lease found taken over stops its loop
 *   without touching the lease (fencing: the pipeline refuses writes under an old epoch anyway).
 * - Kill switches: `halt()` (called in-process when a switch flips, and from the scan for switches
 *   flipped through another instance) closes the send gate at once, marks the affected running
 *   profiles halted with the reason, stops their loops and cancels every open order in scope.
 * - Periodic reconciliation of every account every `reconcileIntervalMs`.
 */
export class TradingRuntime {
  readonly leases: LeaseManager;
  readonly #o: TradingRuntimeOptions;
  readonly #runners = new Map<string, ProfileRunner>();
  readonly #starting = new Set<string>();
  readonly #ready = new Set<string>();
  readonly #blocked = new Map<string, string>();
  readonly #retry = new Map<string, { at: number; delayMs: number }>();
  readonly #instruments = new InstrumentCache();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  /** Kill switches as last seen: global, and tenants switched off. The send gate reads them synchronously. */
  #globalHalted: string | null = null;
  readonly #tenantsHalted = new Map<string, string>();
  #started = false;
  #scanning: Promise<void> | null = null;

  constructor(options: TradingRuntimeOptions) {
    this.#o = options;
    this.leases = new LeaseManager(options.database, options.instanceId, options.leaseTtlMs ?? 15_000);
    options.pipeline.sender.setSendGate((order) => this.#gate(order));
  }

  #gate(order: OrderRow): string | null {
    if (this.#globalHalted !== null) return `KILL_SWITCH: global trading switched off (${this.#globalHalted}); not sent`;
    const tenant = this.#tenantsHalted.get(order.tenantId);
    if (tenant !== undefined) return `KILL_SWITCH: tenant trading switched off (${tenant}); not sent`;
    return null;
  }

  status(): RuntimeStatus {
    return {
      instanceId: this.#o.instanceId,
      started: this.#started,
      readyAccounts: this.#ready.size,
      blockedAccounts: [...this.#blocked].map(([accountId, error]) => ({ accountId, error })),
      runners: [...this.#runners.values()].map((r) => ({ profileId: r.profileId, epoch: r.lease.epoch, barsHandled: r.barsHandled, lastBarTime: r.lastBarTime })),
    };
  }

  runner(profileId: string): ProfileRunner | undefined {
    return this.#runners.get(profileId);
  }

  /** Reconciles every account (start-up), then starts the loops. Resolves once the first scan is done. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#readSwitches();
    const accounts = await this.#accounts();
    await Promise.all(accounts.map((a) => this.#reconcile(a, 'startup')));
    await this.scan();
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err: unknown) => this.#o.logger.error({ err }, 'trading runtime task failed')), ms);
      t.unref?.();
      this.#timers.push(t);
    };
    every(this.#o.scanMs ?? 1_000, () => this.scan());
    every(this.#o.heartbeatMs ?? 5_000, () => this.#heartbeat());
    every(this.#o.reconcileIntervalMs ?? 60_000, async () => {
      for (const a of await this.#accounts()) await this.#reconcile(a, 'periodic');
    });
  }

  /**
   * Stops every loop and timer. A clean stop releases the leases so another instance takes over at
   * once; `{ releaseLeases: false }` leaves them to expire (what a crash looks like to the others).
   */
  async stop(options: { releaseLeases?: boolean } = {}): Promise<void> {
    this.#started = false;
    for (const t of this.#timers.splice(0)) clearInterval(t);
    await this.#scanning?.catch(() => {});
    await Promise.all([...this.#runners.values()].map((r) => this.#drop(r, options.releaseLeases ?? true)));
  }

  async #reconcile(account: AccountRow, trigger: 'startup' | 'periodic'): Promise<void> {
    const venue = this.#venue(account);
    if (!venue) {
      if (!this.#blocked.has(account.id)) {
        this.#o.logger.warn(
          { accountId: account.id, venue: account.venue, kind: account.kind },
          `no venue connection for the ${account.kind} account "${account.name}" (${account.venue}): its profiles do not trade. Paper accounts need PAPER_MARKET=true; live venues are not connected in this build`,
        );
      }
      this.#blocked.set(account.id, `no venue connection for ${account.venue}`);
      this.#ready.delete(account.id);
      return;
    }
    const reconciler = this.#o.reconciler;
    if (!reconciler) {
      this.#ready.add(account.id);
      return;
    }
    try {
      const run = await reconciler.reconcileAccount(account, trigger);
      if (run.status === 'succeeded') {
        this.#ready.add(account.id);
        this.#blocked.delete(account.id);
      } else if (trigger === 'startup' || !this.#ready.has(account.id)) {
        this.#blocked.set(account.id, run.error ?? 'reconciliation failed');
        this.#ready.delete(account.id);
        this.#o.logger.warn({ accountId: account.id, error: run.error }, 'reconciliation failed: the profiles of this account do not trade until it succeeds (retried every scan)');
      }
    } catch (err) {
      this.#blocked.set(account.id, (err as Error).message);
      this.#ready.delete(account.id);
      this.#o.logger.error({ err, accountId: account.id }, 'reconciliation crashed: the profiles of this account do not trade until it succeeds');
    }
  }

  #venue(account: Pick<AccountRow, 'id' | 'tenantId' | 'kind' | 'venue'>): ExchangeAdapter | null {
    const venue = this.#o.venues.venueFor(account);
    if (venue) this.#o.pipeline.sender.watch(account.tenantId, account.id, venue);
    return venue;
  }

  async #accounts(): Promise<AccountRow[]> {
    return this.#o.database.withTenant({ allTenants: true }, (tx) => tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.status, 'active')));
  }

  async #readSwitches(): Promise<void> {
    const { global, tenants } = await this.#o.database.withTenant({ allTenants: true }, async (tx) => ({
      global: (await tx.select().from(platformControl).where(eq(platformControl.id, 1)))[0],
      tenants: await tx.select().from(tenantTradingControl).where(eq(tenantTradingControl.tradingEnabled, false)),
    }));
    this.#globalHalted = global && !global.tradingEnabled ? (global.killSwitchReason ?? 'no reason given') : null;
    this.#tenantsHalted.clear();
    for (const t of tenants) this.#tenantsHalted.set(t.tenantId, t.killSwitchReason ?? 'no reason given');
  }

  /** One pass: switches, blocked accounts, profiles to start and loops to stop. Passes never overlap. */
  scan(): Promise<void> {
    this.#scanning ??= this.#scan().finally(() => (this.#scanning = null));
    return this.#scanning;
  }

  async #scan(): Promise<void> {
    const wasGlobal = this.#globalHalted;
    const wasTenants = new Set(this.#tenantsHalted.keys());
    await this.#readSwitches();
    // A switch flipped through another instance: halt here too (idempotent).
    if (this.#globalHalted !== null && wasGlobal === null) await this.halt({ scope: 'global', reason: this.#globalHalted });
    for (const [tenantId, reason] of this.#tenantsHalted) if (!wasTenants.has(tenantId)) await this.halt({ scope: 'tenant', tenantId, reason });

    // Blocked accounts are retried with a growing pause (1 s, 2 s, 4 s … 60 s): each try stores a run.
    for (const [accountId] of this.#blocked) {
      const retry = this.#retry.get(accountId) ?? { at: 0, delayMs: 1_000 };
      if (Date.now() < retry.at) continue;
      const [account] = await this.#o.database.withTenant({ allTenants: true }, (tx) => tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, accountId)));
      if (!account || account.status !== 'active') {
        this.#blocked.delete(accountId);
        this.#retry.delete(accountId);
        continue;
      }
      await this.#reconcile(account, 'startup');
      if (this.#blocked.has(accountId)) this.#retry.set(accountId, { at: Date.now() + retry.delayMs, delayMs: Math.min(60_000, retry.delayMs * 2) });
      else this.#retry.delete(accountId);
    }

    const running = await this.#o.database.withTenant({ allTenants: true }, (tx) =>
      tx
        .select()
        .from(profiles)
        .where(and(eq(profiles.status, 'running'), isNull(profiles.deletedAt))),
    );
    const want = new Map(running.map((p) => [p.id, p]));
    // An account created since the start is reconciled before its profiles' first loop.
    const unseen = new Set(running.map((p) => p.exchangeAccountId).filter((id) => !this.#ready.has(id) && !this.#blocked.has(id)));
    if (unseen.size > 0) {
      const accounts = await this.#o.database.withTenant({ allTenants: true }, (tx) => tx.select().from(exchangeAccounts).where(inArray(exchangeAccounts.id, [...unseen])));
      for (const account of accounts) await this.#reconcile(account, 'startup');
    }
    for (const runner of [...this.#runners.values()]) if (!want.has(runner.profileId)) await this.#drop(runner, true);
    if (!this.#started) return;
    await Promise.all(
      running
        .filter((p) => !this.#runners.has(p.id) && !this.#starting.has(p.id) && this.#ready.has(p.exchangeAccountId) && this.#gateOf(p) === null)
        .map((p) => this.#run(p)),
    );
  }

  #gateOf(p: ProfileRow): string | null {
    return this.#globalHalted ?? this.#tenantsHalted.get(p.tenantId) ?? null;
  }

  async #run(profile: ProfileRow): Promise<void> {
    this.#starting.add(profile.id);
    let lease: Lease | null = null;
    try {
      lease = await this.leases.acquire(profile.id, profile.tenantId);
      if (!lease) return; // another instance runs it
      const [account] = await this.#o.database.withTenant({ tenantId: profile.tenantId }, (tx) => tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, profile.exchangeAccountId)));
      const venue = account ? this.#venue(account) : null;
      if (!venue) throw new Error(`no venue connection for the account of profile ${profile.name}`);
      const instrument = await this.#instruments.instrument(venue, profile.symbol);
      if (!instrument) throw new Error(`the venue does not list ${profile.symbol}`);
      const feedTimeframe = this.#o.market?.symbols().find((s) => s.symbol === profile.symbol)?.timeframe ?? profile.timeframe;
      const runner = new ProfileRunner({
        profile,
        lease,
        venue,
        instrument,
        pipeline: this.#o.pipeline,
        database: this.#o.database,
        logger: this.#o.logger,
        feedTimeframe,
        onLeaseLost: (r) => void this.#drop(r, false),
      });
      await runner.start();
      this.#runners.set(profile.id, runner);
      this.#o.logger.info({ profileId: profile.id, profile: profile.name, epoch: lease.epoch, symbol: profile.symbol, timeframe: profile.timeframe }, 'trading loop started');
    } catch (err) {
      this.#o.logger.error({ err, profileId: profile.id }, 'could not start the trading loop; retrying on the next scan');
      if (lease) await this.leases.release(lease).catch(() => {});
    } finally {
      this.#starting.delete(profile.id);
    }
  }

  async #drop(runner: ProfileRunner, release: boolean): Promise<void> {
    if (this.#runners.get(runner.profileId) === runner) this.#runners.delete(runner.profileId);
    await runner.stop();
    if (release) await this.leases.release(runner.lease).catch((err: unknown) => this.#o.logger.warn({ err }, 'could not release a lease; it expires by itself'));
    this.#o.logger.info({ profileId: runner.profileId }, 'trading loop stopped');
  }

  async #heartbeat(): Promise<void> {
    await Promise.all(
      [...this.#runners.values()].map(async (r) => {
        const held = await this.leases.renew(r.lease).catch(() => true); // a database hiccup is not a take-over
        if (!held) {
          this.#o.logger.warn({ profileId: r.profileId, epoch: r.lease.epoch }, 'lease taken over by another instance; stopping the loop here');
          await this.#drop(r, false);
        }
      }),
    );
  }

  /**
   * A kill switch: nothing is sent for the scope from this moment (send gate), its running
   * profiles become `halted` with the reason (pushed as profile.state), their loops stop, and every
   * open order in scope is cancelled at the venue. Resolves when the cancels have been answered.
   * Returns the number of profiles halted and orders cancelled.
   */
  async halt(target: { scope: 'global'; reason: string | null } | { scope: 'tenant'; tenantId: string; reason: string | null } | { scope: 'profile'; tenantId: string; profileId: string; reason: string }): Promise<{ halted: number; cancelled: number }> {
    const reason = target.reason ?? 'no reason given';
    if (target.scope === 'global') this.#globalHalted = reason;
    if (target.scope === 'tenant') this.#tenantsHalted.set(target.tenantId, reason);
    const why = target.scope === 'global' ? `global kill switch: ${reason}` : target.scope === 'tenant' ? `tenant kill switch: ${reason}` : reason;
    const scope = target.scope === 'global' ? { allTenants: true as const } : { tenantId: target.tenantId };
    const t0 = performance.now();
    const phases: Record<string, number> = {};
    const mark = (name: string) => (phases[name] = Math.round(performance.now() - t0));
    const halted = await this.#o.database.withTenant(scope, async (tx) => {
      if (target.scope === 'profile') return [];
      const where = target.scope === 'global' ? inArray(profiles.status, ['running', 'paused']) : and(eq(profiles.tenantId, target.tenantId), inArray(profiles.status, ['running', 'paused']));
      return tx
        .update(profiles)
        .set({ status: 'halted', tradingState: 'HALTED', haltReason: why, version: sql`${profiles.version} + 1`, updatedAt: new Date() })
        .where(and(where, isNull(profiles.deletedAt)))
        .returning();
    });
    mark('halted');
    for (const p of halted) this.#publishState(p, 'kill switch');
    // Loops end first: a bar being handled finishes its intents (the gate refuses their sends).
    const affected = new Set(target.scope === 'profile' ? [target.profileId] : halted.map((p) => p.id));
    // The loops stop while the first cancel pass runs (the gate already refuses their sends); the
    // second pass, after they stopped, catches whatever they had in flight.
    const loopsStopped = Promise.all(
      [...this.#runners.values()].filter((r) => affected.has(r.profileId) || target.scope === 'global' || (target.scope === 'tenant' && r.tenantId === target.tenantId)).map((r) => this.#drop(r, true)),
    ).then(() => mark('loopsStopped'));
    const orderScope = target.scope === 'global' ? undefined : target.scope === 'tenant' ? eq(orders.tenantId, target.tenantId) : eq(orders.profileId, target.profileId);
    const openOrders = () => this.#o.database.withTenant(scope, (tx) => tx.select().from(orders).where(and(orderScope, inArray(orders.status, [...OPEN_AT_VENUE]))));
    let cancelled = await this.#cancelAll(await openOrders());
    mark('cancelled');
    await loopsStopped;
    // An order whose send had passed the gate when the switch came is acknowledged after the first pass: a second one.
    const late = (await openOrders()).filter((o) => o.status !== 'cancel_requested');
    if (late.length > 0) cancelled += await this.#cancelAll(late);
    mark('done');
    this.#o.logger.info({ scope: target.scope, halted: halted.length, cancelled, late: late.length, phasesMs: phases }, `kill switch (${target.scope}): ${halted.length} profile(s) halted, ${cancelled} order(s) cancelled in ${phases.done} ms`);
    return { halted: halted.length, cancelled };
  }

  /** Cancels orders at their venues, every account at once (OrderSender.cancelMany); an order already gone is settled by the venue's word. */
  async #cancelAll(open: OrderRow[]): Promise<number> {
    const byAccount = new Map<string, OrderRow[]>();
    for (const o of open) {
      if (o.status === 'cancel_requested') continue;
      const list = byAccount.get(o.exchangeAccountId) ?? [];
      list.push(o);
      byAccount.set(o.exchangeAccountId, list);
    }
    const results = await Promise.allSettled(
      [...byAccount].map(async ([accountId, list]) => {
        const tenantId = list[0]!.tenantId;
        const [account] = await this.#o.database.withTenant({ tenantId }, (tx) => tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.id, accountId)));
        const venue = account ? this.#venue(account) : null;
        if (!venue) throw new Error(`no venue connection for account ${accountId}: ${list.length} order(s) stay open until reconciliation`);
        const done = await this.#o.pipeline.sender.cancelMany(tenantId, list, venue);
        return done.filter((o) => o.status === 'cancelled').length;
      }),
    );
    let cancelled = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') cancelled += r.value;
      else this.#o.logger.warn({ err: r.reason }, 'kill switch: orders could not be cancelled now; reconciliation retries');
    }
    return cancelled;
  }

  /** The switch is back on: the send gate opens. Halted profiles stay halted until someone starts them. */
  resume(target: { scope: 'global' } | { scope: 'tenant'; tenantId: string }): void {
    if (target.scope === 'global') this.#globalHalted = null;
    else this.#tenantsHalted.delete(target.tenantId);
  }

  /** A profile was stopped or paused: its loop ends now (stop also cancels its open orders). */
  async profileChanged(profile: { id: string; tenantId: string; status: string }): Promise<void> {
    if (profile.status === 'running') return void this.scan();
    const runner = this.#runners.get(profile.id);
    if (runner) await this.#drop(runner, true);
    if (profile.status === 'stopped') await this.halt({ scope: 'profile', tenantId: profile.tenantId, profileId: profile.id, reason: 'profile stopped' });
  }

  #publishState(p: ProfileRow, by: string): void {
    const state: ProfileState = {
      profileId: p.id,
      status: p.status,
      tradingState: p.tradingState,
      haltReason: p.haltReason,
      version: p.version,
      updatedAt: p.updatedAt.toISOString(),
      updatedBy: by,
    };
    void this.#o.hub.publish('/trading', rooms.tenant(p.tenantId), 'profile.state', state);
    void this.#o.hub.publish('/trading', rooms.profile(p.id), 'profile.state', state);
  }
}
