import { AppError, rooms, type TradingControl, type TradingControlChanged, type UpdateTradingControlRequest } from '@kestrel/contracts';
import { eq, platformControl, tenantTradingControl, type Database, type Tx } from '@kestrel/db';
import type { RealtimeHub } from '../realtime/hub.ts';
import { appendAudit } from './audit.ts';
import { isAdmin, isOperator, type ActorContext } from './context.ts';

type SwitchRow = { tradingEnabled: boolean; killSwitchReason: string | null; updatedAt: Date | null; updatedBy: string | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (r: SwitchRow) => ({
  tradingEnabled: r.tradingEnabled,
  killSwitchReason: r.killSwitchReason,
  updatedAt: iso(r.updatedAt),
  updatedBy: r.updatedBy,
});
const ENABLED: SwitchRow = { tradingEnabled: true, killSwitchReason: null, updatedAt: null, updatedBy: null };

/**
 * The kill switches: a platform-wide one (operators) and one per tenant (its admins). Trading is
 * enabled for a tenant only when both are on. Every change and its audit entry commit in one
 * transaction; the change is then pushed to /trading and /admin.
 */
export class TradingControlService {
  readonly #listeners: ((change: TradingControlChanged) => void | Promise<unknown>)[] = [];

  /** Told after each committed change (the trading runtime halts or resumes trading at once). */
  onChange(listener: (change: TradingControlChanged) => void | Promise<unknown>): void {
    this.#listeners.push(listener);
  }

  constructor(
    private readonly database: Database,
    private readonly hub: RealtimeHub,
  ) {}

  async get(tenantId: string): Promise<TradingControl> {
    return this.database.withTenant({ tenantId }, (tx) => this.read(tx, tenantId));
  }

  private async read(tx: Tx, tenantId: string): Promise<TradingControl> {
    const [g] = await tx.select().from(platformControl).where(eq(platformControl.id, 1));
    const [t] = await tx.select().from(tenantTradingControl).where(eq(tenantTradingControl.tenantId, tenantId));
    const global = view(g ?? ENABLED);
    const tenant = { tenantId, ...view(t ?? ENABLED) };
    return {
      globalTradingEnabled: global.tradingEnabled,
      killSwitchReason: global.killSwitchReason,
      global,
      tenant,
      effectiveTradingEnabled: global.tradingEnabled && tenant.tradingEnabled,
    };
  }

  async update(actor: ActorContext, body: UpdateTradingControlRequest): Promise<TradingControl> {
    if (body.scope === 'global' && !isOperator(actor)) {
      throw new AppError('FORBIDDEN', 'Only a platform operator can change the global trading switch.');
    }
    if (body.scope === 'tenant' && !isAdmin(actor) && !isOperator(actor)) {
      throw new AppError('FORBIDDEN', "Only an admin of this tenant can change the tenant's trading switch.");
    }
    const now = new Date();
    const values = {
      tradingEnabled: body.tradingEnabled,
      killSwitchReason: body.tradingEnabled ? null : (body.killSwitchReason ?? null),
      updatedAt: now,
      updatedBy: actor.username,
    };
    const scope = body.scope === 'global' ? ({ allTenants: true, tenantId: actor.tenantId } as const) : { tenantId: actor.tenantId };
    const { state, entry } = await this.database.withTenant(scope, async (tx) => {
      const before = await this.read(tx, actor.tenantId);
      if (body.scope === 'global') {
        await tx.update(platformControl).set(values).where(eq(platformControl.id, 1));
      } else {
        await tx
          .insert(tenantTradingControl)
          .values({ tenantId: actor.tenantId, ...values })
          .onConflictDoUpdate({ target: tenantTradingControl.tenantId, set: values });
      }
      const after = await this.read(tx, actor.tenantId);
      const pick = (s: TradingControl) => (body.scope === 'global' ? s.global : s.tenant);
      const entry = await appendAudit(tx, actor, {
        tenantId: body.scope === 'global' ? null : actor.tenantId,
        action: `trading.control.${body.scope}`,
        target: body.scope === 'global' ? 'platform' : `tenant:${actor.tenantId}`,
        before: pick(before),
        after: pick(after),
      });
      return { state: after, entry };
    });

    const change: TradingControlChanged = {
      scope: body.scope,
      tenantId: body.scope === 'global' ? null : actor.tenantId,
      tradingEnabled: values.tradingEnabled,
      killSwitchReason: values.killSwitchReason,
      updatedAt: now.toISOString(),
      updatedBy: actor.username,
    };
    // The runtime halts first (send gate, halted profiles, cancels), so the answer means "done".
    await Promise.all(this.#listeners.map((l) => Promise.resolve(l(change)).catch(() => {})));
    const room = body.scope === 'global' ? rooms.platform() : rooms.tenant(actor.tenantId);
    void this.hub.publish('/trading', room, 'trading.control', change);
    void this.hub.publish('/admin', room, 'trading.control', change);
    void this.hub.publish('/admin', body.scope === 'global' ? rooms.operators() : rooms.tenant(actor.tenantId), 'audit.entry', entry);
    return state;
  }
}
