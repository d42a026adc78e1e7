import { randomUUID } from 'node:crypto';
import { AppError, rooms, type AuditEntry, type CreateProfileRequest, type Profile, type ProfileRules, type ProfileState, type RiskLimitsInput, type UpdateProfileRequest } from '@kestrel/contracts';
import { and, eq, inArray, isNull, orders, platformControl, profiles, sql, tenantTradingControl, type Database, type Tx } from '@kestrel/db';
import { Dec, depositTx, ledgerTxId, withdrawTx } from '@kestrel/trading-core';
import type { RealtimeHub } from '../realtime/hub.ts';
import { insertLedgerTx, loadLedger } from '../trading/ledger-store.ts';
import { checkRules, validateStrategy } from '../trading/profile-config.ts';
import { appendAudit } from './audit.ts';
import { isAdmin, isOperator, type ActorContext } from './context.ts';
import type { ExchangeAccountService } from './exchange-accounts.ts';

type Row = typeof profiles.$inferSelect;
export type ProfileAction = 'start' | 'stop' | 'pause';

export function toProfile(r: Row): Profile {
  return {
    id: r.id,
    name: r.name,
    exchangeAccountId: r.exchangeAccountId,
    symbol: r.symbol,
    timeframe: r.timeframe,
    strategy: r.strategy,
    strategyParams: r.strategyParams,
    rules: r.rules as ProfileRules,
    riskLimits: r.riskLimits as RiskLimitsInput,
    capitalAllocation: new Dec(r.capitalAllocation).toFixed(),
    quoteCurrency: r.quoteCurrency,
    mode: r.mode,
    status: r.status,
    haltReason: r.haltReason,
    tradingState: r.tradingState,
    decisionSeq: r.decisionSeq,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const OPEN_STATUSES = ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'] as const;
const NEXT_STATUS: Record<ProfileAction, { from: readonly Row['status'][]; to: Row['status'] }> = {
  start: { from: ['stopped', 'paused', 'halted'], to: 'running' },
  stop: { from: ['running', 'paused', 'halted'], to: 'stopped' },
  pause: { from: ['running'], to: 'paused' },
};

/**
 * Profiles (bots): CRUD, start/stop/pause. Strategy parameters go through the strategy's own zod
 * schema; the capital allocation is booked in the profile's ledger (a deposit on create, a
 * deposit or withdrawal when it changes). Every change is audited in its transaction and, after
 * the commit, pushed on /trading as `profile.state` to the tenant room and `profile:<id>`.
 * The trading loop (next milestone) starts and stops following `status`.
 */
export class ProfileService {
  readonly #listeners: ((profile: Profile, tenantId: string) => void | Promise<unknown>)[] = [];

  /** Told after start/stop/pause committed (the trading runtime starts or stops the loop). */
  onStateChange(listener: (profile: Profile, tenantId: string) => void | Promise<unknown>): void {
    this.#listeners.push(listener);
  }

  constructor(
    private readonly database: Database,
    private readonly accounts: ExchangeAccountService,
    private readonly hub: RealtimeHub,
  ) {}

  async list(actor: Pick<ActorContext, 'tenantId'>): Promise<Profile[]> {
    const rows = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      tx.select().from(profiles).where(and(eq(profiles.tenantId, actor.tenantId), isNull(profiles.deletedAt))).orderBy(profiles.createdAt),
    );
    return rows.map(toProfile);
  }

  async get(actor: Pick<ActorContext, 'tenantId'>, id: string): Promise<Profile> {
    return toProfile(await this.database.withTenant({ tenantId: actor.tenantId }, (tx) => this.find(tx, actor.tenantId, id)));
  }

  /** The profile row of this tenant (locked with `forUpdate`); 404 for another tenant's or a deleted one. */
  async find(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<Row> {
    const q = tx.select().from(profiles).where(and(eq(profiles.tenantId, tenantId), eq(profiles.id, id), isNull(profiles.deletedAt)));
    const [row] = forUpdate ? await q.for('update') : await q;
    if (!row) throw new AppError('NOT_FOUND', 'No such profile.');
    return row;
  }

  /** Whether the profile exists and belongs to the tenant (socket room checks). */
  async belongsTo(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.database.withTenant({ tenantId }, (tx) =>
      tx.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.tenantId, tenantId), eq(profiles.id, id), isNull(profiles.deletedAt))),
    );
    return rows.length === 1;
  }

  async create(actor: ActorContext, body: CreateProfileRequest): Promise<Profile> {
    const strategyParams = validateStrategy(body.strategy, body.strategyParams);
    checkRules(body.rules);
    if (body.mode === 'live' && !isAdmin(actor) && !isOperator(actor)) throw new AppError('FORBIDDEN', 'Only an admin can create a live-trading profile.');
    const id = randomUUID();
    const now = new Date();
    const { view, entry } = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const account = await this.accounts.find(tx, actor.tenantId, body.exchangeAccountId);
      if (account.kind !== body.mode) {
        throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: '/mode', where: 'body', message: `a ${body.mode} profile needs a ${body.mode} exchange account; this one is ${account.kind}` }] });
      }
      const taken = await tx.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.tenantId, actor.tenantId), eq(profiles.name, body.name), isNull(profiles.deletedAt)));
      if (taken.length > 0) throw new AppError('CONFLICT', `A profile named "${body.name}" already exists.`);
      const [row] = await tx
        .insert(profiles)
        .values({
          id,
          tenantId: actor.tenantId,
          name: body.name,
          exchangeAccountId: account.id,
          symbol: body.symbol,
          timeframe: body.timeframe,
          strategy: body.strategy,
          strategyParams,
          rules: body.rules,
          riskLimits: body.riskLimits,
          capitalAllocation: body.capitalAllocation,
          quoteCurrency: body.symbol.split('/')[1]!,
          mode: body.mode,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await this.bookAllocation(tx, row!, 1, new Dec(0), new Dec(body.capitalAllocation), now);
      const view = toProfile(row!);
      return { view, entry: await appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'profile.create', target: `profile:${id}`, before: null, after: view }) };
    });
    this.published(view, actor.username, entry);
    return view;
  }

  async update(actor: ActorContext, id: string, body: UpdateProfileRequest): Promise<Profile> {
    const { view, entry } = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const row = await this.find(tx, actor.tenantId, id, true);
      if (body.version !== undefined && body.version !== row.version) throw new AppError('CONFLICT', `The profile changed (version ${row.version}); reload it and try again.`);
      const strategy = body.strategy ?? row.strategy;
      const strategyParams =
        body.strategy !== undefined || body.strategyParams !== undefined ? validateStrategy(strategy, body.strategyParams ?? (body.strategy ? {} : row.strategyParams)) : row.strategyParams;
      if (body.rules) checkRules(body.rules);
      const now = new Date();
      if (body.capitalAllocation !== undefined) await this.bookAllocation(tx, row, row.version + 1, new Dec(row.capitalAllocation), new Dec(body.capitalAllocation), now);
      const [next] = await tx
        .update(profiles)
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.timeframe !== undefined ? { timeframe: body.timeframe } : {}),
          ...(body.rules !== undefined ? { rules: body.rules } : {}),
          ...(body.riskLimits !== undefined ? { riskLimits: body.riskLimits } : {}),
          ...(body.capitalAllocation !== undefined ? { capitalAllocation: body.capitalAllocation } : {}),
          strategy,
          strategyParams,
          version: sql`${profiles.version} + 1`,
          updatedAt: now,
        })
        .where(eq(profiles.id, id))
        .returning();
      const view = toProfile(next!);
      return { view, entry: await appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'profile.update', target: `profile:${id}`, before: toProfile(row), after: view }) };
    });
    this.published(view, actor.username, entry);
    return view;
  }

  /** Soft delete: the profile's orders, decisions and ledger stay. Only a stopped profile without open orders. */
  async delete(actor: ActorContext, id: string): Promise<void> {
    const entry = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const row = await this.find(tx, actor.tenantId, id, true);
      if (row.status !== 'stopped') throw new AppError('PROFILE_STATE_CONFLICT', 'Stop the profile before deleting it.');
      const open = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.profileId, id), inArray(orders.status, [...OPEN_STATUSES]))).limit(1);
      if (open.length > 0) throw new AppError('PROFILE_STATE_CONFLICT', 'The profile has open orders; cancel them first.');
      await tx.update(profiles).set({ deletedAt: new Date(), updatedAt: new Date(), version: sql`${profiles.version} + 1` }).where(eq(profiles.id, id));
      return appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'profile.delete', target: `profile:${id}`, before: toProfile(row), after: null });
    });
    void this.hub.publish('/admin', rooms.tenant(actor.tenantId), 'audit.entry', entry);
  }

  async act(actor: ActorContext, id: string, action: ProfileAction, reason?: string): Promise<Profile> {
    const rule = NEXT_STATUS[action];
    const { view, entry } = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const row = await this.find(tx, actor.tenantId, id, true);
      if (row.status === rule.to) return { view: toProfile(row), entry: null };
      if (!rule.from.includes(row.status)) throw new AppError('PROFILE_STATE_CONFLICT', `Cannot ${action} a profile that is ${row.status}.`);
      if (action === 'start' && row.mode === 'live' && !isAdmin(actor) && !isOperator(actor)) throw new AppError('FORBIDDEN', 'Only an admin can start a live-trading profile.');
      if (action === 'start') {
        // A bot started under a kill switch would show "running" without trading: refuse, and say why.
        const [global] = await tx.select().from(platformControl).where(eq(platformControl.id, 1));
        const [tenant] = await tx.select().from(tenantTradingControl).where(eq(tenantTradingControl.tenantId, actor.tenantId));
        const off = global && !global.tradingEnabled ? `the global kill switch is on (${global.killSwitchReason ?? 'no reason given'}); an operator must switch trading back on` : tenant && !tenant.tradingEnabled ? `the tenant kill switch is on (${tenant.killSwitchReason ?? 'no reason given'}); an admin must switch trading back on (PUT /api/trading/control)` : null;
        if (off) throw new AppError('PROFILE_STATE_CONFLICT', `Cannot start the profile: ${off}.`);
      }
      const [next] = await tx
        .update(profiles)
        .set({
          status: rule.to,
          ...(action === 'start' ? { tradingState: 'ACTIVE' as const, haltReason: null } : {}),
          version: sql`${profiles.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(profiles.id, id))
        .returning();
      const view = toProfile(next!);
      const entry = await appendAudit(tx, actor, { tenantId: actor.tenantId, action: `profile.${action}`, target: `profile:${id}`, before: { status: row.status }, after: { status: view.status, ...(reason ? { reason } : {}) } });
      return { view, entry };
    });
    if (entry) {
      this.published(view, actor.username, entry);
      await Promise.all(this.#listeners.map((l) => Promise.resolve(l(view, actor.tenantId)).catch(() => {})));
    }
    return view;
  }

  /** Books a change of the capital allocation: a deposit (more) or a withdrawal from free cash (less). */
  private async bookAllocation(tx: Tx, row: Row, version: number, before: Dec, after: Dec, now: Date): Promise<void> {
    const delta = after.minus(before);
    if (delta.isZero()) return;
    const ledger = await loadLedger(tx, row.id);
    // One allocation change per profile version: the ledger id names the version it produced.
    const ref = `allocation:${version}`;
    const built = delta.greaterThan(0)
      ? depositTx(ledger, { id: ledgerTxId.deposit(ref), at: now.getTime(), currency: row.quoteCurrency, amount: delta, memo: 'capital allocation' })
      : withdrawTx(ledger, { id: ledgerTxId.withdrawal(ref), at: now.getTime(), currency: row.quoteCurrency, amount: delta.negated(), memo: 'capital allocation' });
    if (!built.ok) throw new AppError('VALIDATION_FAILED', built.error.message);
    const posted = ledger.post(built.value);
    if (!posted.ok) throw new AppError('PROFILE_STATE_CONFLICT', `The allocation cannot shrink by ${delta.negated().toFixed()}: ${posted.error.message}.`);
    if (!(await insertLedgerTx(tx, row.tenantId, built.value))) throw new AppError('CONFLICT', 'The profile changed meanwhile; reload it and try again.');
  }

  private published(view: Profile, by: string, entry: AuditEntry): void {
    const state: ProfileState = { profileId: view.id, status: view.status, tradingState: view.tradingState, haltReason: view.haltReason, version: view.version, updatedAt: view.updatedAt, updatedBy: by };
    void this.hub.publish('/trading', rooms.tenant(entry.tenantId ?? ''), 'profile.state', state);
    void this.hub.publish('/trading', rooms.profile(view.id), 'profile.state', state);
    void this.hub.publish('/admin', rooms.tenant(entry.tenantId ?? ''), 'audit.entry', entry);
  }
}
