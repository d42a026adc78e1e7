import {
  type DiscrepancyKind,
  type DiscrepancyResolution,
  type ReconciliationDiscrepancy,
  type ReconciliationRun,
  type ReconciliationRunDetail,
  type ReconciliationSummary,
} from '@kestrel/contracts';
import { and, asc, desc, eq, lt, or, reconciliationDiscrepancies, reconciliationRuns, type Tx } from '@kestrel/db';
import { decodeTimeCursor, encodeTimeCursor } from '../../services/time-cursor.ts';

type RunRow = typeof reconciliationRuns.$inferSelect;
type DiscrepancyRow = typeof reconciliationDiscrepancies.$inferSelect;

/** One finding of a run, before it is stored. `details.message` says what differed in words. */
export interface Finding {
  readonly kind: DiscrepancyKind;
  readonly orderId: string | null;
  readonly clientOrderId: string | null;
  readonly details: Record<string, unknown> & { message: string };
  readonly resolution: DiscrepancyResolution;
}

export const emptySummary = (): { -readonly [K in keyof ReconciliationSummary]: number } => ({
  localOpenOrders: 0,
  venueOpenOrders: 0,
  ordersUpdated: 0,
  ordersLost: 0,
  ordersNeverSent: 0,
  ordersDeferred: 0,
  venueOrdersAdopted: 0,
  venueOrdersFlagged: 0,
  venueOrdersCancelled: 0,
  tradesSeen: 0,
  tradesApplied: 0,
  tradesDuplicate: 0,
  tradesUnmatched: 0,
  ordersLifecycleChecked: 0,
  lifecycleInvalid: 0,
  discrepancies: 0,
});

export function toRunView(r: RunRow): ReconciliationRun {
  const summary = (r.summary as ReconciliationSummary | null) ?? null;
  return {
    id: r.id,
    exchangeAccountId: r.exchangeAccountId,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    summary,
    error: r.error,
    discrepancyCount: summary?.discrepancies ?? 0,
  };
}

export function toDiscrepancyView(d: DiscrepancyRow): ReconciliationDiscrepancy {
  return {
    id: String(d.id),
    kind: d.kind as DiscrepancyKind,
    orderId: d.orderId,
    clientOrderId: d.clientOrderId,
    details: (d.details ?? {}) as Record<string, unknown>,
    resolution: (d.resolution as DiscrepancyResolution | null) ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The run row exists from the start (status running), so a run that dies half way is visible. */
export async function insertRun(tx: Tx, run: { id: string; tenantId: string; exchangeAccountId: string; trigger: RunRow['trigger']; startedAt: Date }): Promise<void> {
  await tx.insert(reconciliationRuns).values({ ...run, status: 'running' });
}

/** The outcome and every finding, in one transaction. */
export async function finishRun(
  tx: Tx,
  run: { id: string; tenantId: string },
  outcome: { status: 'succeeded' | 'failed'; finishedAt: Date; summary: ReconciliationSummary; error: string | null; tradeCursors: Record<string, string> },
  findings: readonly Finding[],
): Promise<ReconciliationRunDetail> {
  const [row] = await tx.update(reconciliationRuns).set(outcome).where(eq(reconciliationRuns.id, run.id)).returning();
  const stored =
    findings.length === 0
      ? []
      : await tx
          .insert(reconciliationDiscrepancies)
          .values(findings.map((f) => ({ tenantId: run.tenantId, runId: run.id, kind: f.kind, orderId: f.orderId, clientOrderId: f.clientOrderId, details: f.details, resolution: f.resolution, createdAt: outcome.finishedAt })))
          .returning();
  return { ...toRunView(row!), discrepancies: stored.sort((a, b) => a.id - b.id).map(toDiscrepancyView) };
}

export async function loadRunDetail(tx: Tx, tenantId: string, id: string): Promise<ReconciliationRunDetail | null> {
  const [row] = await tx.select().from(reconciliationRuns).where(and(eq(reconciliationRuns.tenantId, tenantId), eq(reconciliationRuns.id, id)));
  if (!row) return null;
  const ds = await tx.select().from(reconciliationDiscrepancies).where(eq(reconciliationDiscrepancies.runId, id)).orderBy(asc(reconciliationDiscrepancies.id));
  return { ...toRunView(row), discrepancies: ds.map(toDiscrepancyView) };
}

export interface RunQuery {
  exchangeAccountId?: string | undefined;
  status?: RunRow['status'] | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listRuns(tx: Tx, tenantId: string, q: RunQuery): Promise<{ items: ReconciliationRun[]; nextCursor: string | null }> {
  const c = q.cursor ? decodeTimeCursor(q.cursor) : null;
  const filters = [
    eq(reconciliationRuns.tenantId, tenantId),
    q.exchangeAccountId ? eq(reconciliationRuns.exchangeAccountId, q.exchangeAccountId) : undefined,
    q.status ? eq(reconciliationRuns.status, q.status) : undefined,
    c ? or(lt(reconciliationRuns.startedAt, c.at), and(eq(reconciliationRuns.startedAt, c.at), lt(reconciliationRuns.id, c.id))) : undefined,
  ].filter((f) => f !== undefined);
  const rows = await tx
    .select()
    .from(reconciliationRuns)
    .where(and(...filters))
    .orderBy(desc(reconciliationRuns.startedAt), desc(reconciliationRuns.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(toRunView), nextCursor: rows.length > q.limit && last ? encodeTimeCursor(last.startedAt, last.id) : null };
}
