import { AppError, rooms, type ReconciliationRun, type ReconciliationRunDetail } from '@kestrel/contracts';
import { and, eq, exchangeAccounts, type Database } from '@kestrel/db';
import type { RealtimeHub } from '../../realtime/hub.ts';
import { appendAudit } from '../../services/audit.ts';
import type { ActorContext } from '../../services/context.ts';
import type { Reconciler } from './reconciler.ts';
import { listRuns, loadRunDetail, type RunQuery } from './run-store.ts';

/** The API's side of reconciliation: runs of the caller's tenant, and a manual run now. */
export class ReconciliationService {
  constructor(
    private readonly database: Database,
    private readonly reconciler: Reconciler,
    private readonly hub: RealtimeHub,
  ) {}

  list(actor: Pick<ActorContext, 'tenantId'>, q: RunQuery): Promise<{ items: ReconciliationRun[]; nextCursor: string | null }> {
    return this.database.withTenant({ tenantId: actor.tenantId }, (tx) => listRuns(tx, actor.tenantId, q));
  }

  async get(actor: Pick<ActorContext, 'tenantId'>, id: string): Promise<ReconciliationRunDetail> {
    const run = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) => loadRunDetail(tx, actor.tenantId, id));
    if (!run) throw new AppError('NOT_FOUND', 'No such reconciliation run in your tenant: list them with GET /api/reconciliation/runs.');
    return run;
  }

  /**
   * Reconciles one exchange account of the caller's tenant now (after any run of it in progress)
   * and audits it. A venue that does not answer gives a stored run with status `failed`, not an error.
   */
  async runNow(actor: ActorContext, exchangeAccountId: string): Promise<ReconciliationRunDetail> {
    const [account] = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      tx
        .select({ id: exchangeAccounts.id, tenantId: exchangeAccounts.tenantId, kind: exchangeAccounts.kind, venue: exchangeAccounts.venue })
        .from(exchangeAccounts)
        .where(and(eq(exchangeAccounts.tenantId, actor.tenantId), eq(exchangeAccounts.id, exchangeAccountId))),
    );
    if (!account) throw new AppError('NOT_FOUND', 'No such exchange account in your tenant: list them with GET /api/exchange-accounts.');
    const run = await this.reconciler.reconcileAccount(account, 'manual');
    const entry = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      appendAudit(tx, actor, {
        tenantId: actor.tenantId,
        action: 'reconciliation.run',
        target: `exchange_account:${account.id}`,
        before: null,
        after: { runId: run.id, status: run.status, discrepancies: run.discrepancyCount, error: run.error },
      }),
    );
    void this.hub.publish('/admin', rooms.tenant(actor.tenantId), 'audit.entry', entry);
    return run;
  }
}
