import { and, auditLog, desc, eq, gte, lt, lte, type Database, type Tx } from '@kestrel/db';
import type { AuditEntry } from '@kestrel/contracts';
import type { ActorContext } from './context.ts';
import { isOperator } from './context.ts';

export interface AuditRecord {
  tenantId: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

type AuditRow = typeof auditLog.$inferSelect;

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    tenantId: row.tenantId,
    actorId: row.actorId,
    actorUsername: row.actorUsername,
    action: row.action,
    target: row.target,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Appends an audit entry inside the caller's transaction, so the change and its record commit together. */
export async function appendAudit(tx: Tx, actor: ActorContext, record: AuditRecord): Promise<AuditEntry> {
  const [row] = await tx
    .insert(auditLog)
    .values({
      tenantId: record.tenantId,
      actorId: actor.userId,
      actorUsername: actor.username,
      action: record.action,
      target: record.target,
      before: record.before ?? null,
      after: record.after ?? null,
      requestId: actor.requestId,
    })
    .returning();
  return toAuditEntry(row!);
}

export interface AuditQuery {
  action?: string | undefined;
  actorId?: string | undefined;
  tenantId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Admins read their own tenant's entries; operators read every tenant's and the platform-wide
 * ones (row-level security admits them through the all-tenants scope). Newest first; the cursor
 * is the last id seen.
 */
export async function listAudit(database: Database, actor: ActorContext, q: AuditQuery) {
  const operator = isOperator(actor);
  const filters = [
    operator ? (q.tenantId ? eq(auditLog.tenantId, q.tenantId) : undefined) : eq(auditLog.tenantId, actor.tenantId),
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
    q.from ? gte(auditLog.createdAt, new Date(q.from)) : undefined,
    q.to ? lte(auditLog.createdAt, new Date(q.to)) : undefined,
    q.cursor ? lt(auditLog.id, Number(q.cursor)) : undefined,
  ].filter((f) => f !== undefined);
  const scope = operator ? ({ allTenants: true } as const) : { tenantId: actor.tenantId };
  const rows = await database.withTenant(scope, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(...filters))
      .orderBy(desc(auditLog.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(toAuditEntry),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
  };
}
