import { and, asc, eq, gt, inArray, orderEvents, orders, type Database } from '@kestrel/db';
import { ORDER_TRANSITIONS, validateLifecycleHistory, type LifecycleStep, type OrderStatus } from '@kestrel/trading-core';

export interface LifecycleIssue {
  readonly orderId: string;
  readonly tenantId: string;
  readonly exchangeAccountId: string;
  readonly clientOrderId: string;
  readonly status: string;
  readonly problems: ReadonlyArray<{ readonly index: number; readonly code: string; readonly message: string }>;
}

export interface LifecycleCheckResult {
  readonly checked: number;
  readonly issues: readonly LifecycleIssue[];
}

const isStatus = (s: string): s is OrderStatus => Object.hasOwn(ORDER_TRANSITIONS, s);

/**
 * Checks one stored history (order_events rows, in id order) against the order state machine with
 * trading-core's validateLifecycleHistory. A step naming a status the state machine does not have
 * (a hand-edited row) is reported as such instead of being validated.
 */
export function checkHistory(status: string, rows: ReadonlyArray<{ at: Date; fromStatus: string; toStatus: string; event: string; source: string; reason: string | null }>): LifecycleIssue['problems'] {
  const unknown = rows.flatMap((r, index) =>
    [r.fromStatus, r.toStatus].filter((s) => !isStatus(s)).map((s) => ({ index, code: 'LIFECYCLE_ILLEGAL_TRANSITION', message: `step ${index} names an unknown status "${s}"` })),
  );
  if (!isStatus(status)) unknown.push({ index: rows.length, code: 'LIFECYCLE_STATUS_MISMATCH', message: `the order has an unknown status "${status}"` });
  if (unknown.length > 0) return unknown;
  const history: LifecycleStep[] = rows.map((r) => ({
    at: r.at.getTime(),
    from: r.fromStatus as OrderStatus,
    to: r.toStatus as OrderStatus,
    source: r.source as LifecycleStep['source'],
    event: r.event,
    ...(r.reason === null ? {} : { reason: r.reason }),
  }));
  const v = validateLifecycleHistory(history, status as OrderStatus);
  return v.ok ? [] : v.problems;
}

/**
 * Validates the lifecycle history of every order (of one exchange account, or of every tenant),
 * in batches of `batchSize` orders, each batch in its own short transaction so a large history
 * never holds one long snapshot. `onProgress` is told after each batch.
 */
export async function checkLifecycles(
  database: Database,
  scope: { tenantId: string; exchangeAccountId: string } | { allTenants: true },
  opts: { batchSize?: number; onProgress?: (checked: number, issues: number) => void } = {},
): Promise<LifecycleCheckResult> {
  const batchSize = opts.batchSize ?? 500;
  const issues: LifecycleIssue[] = [];
  let checked = 0;
  let after: string | null = null;
  for (;;) {
    const batch: LifecycleIssue[] = [];
    const cursor: string | null = after;
    const n: number = await database.withTenant('allTenants' in scope ? { allTenants: true } : { tenantId: scope.tenantId }, async (tx) => {
      const filters = [
        'exchangeAccountId' in scope ? eq(orders.exchangeAccountId, scope.exchangeAccountId) : undefined,
        cursor === null ? undefined : gt(orders.id, cursor),
      ].filter((f) => f !== undefined);
      const page = await tx
        .select({ id: orders.id, tenantId: orders.tenantId, exchangeAccountId: orders.exchangeAccountId, clientOrderId: orders.clientOrderId, status: orders.status })
        .from(orders)
        .where(filters.length > 0 ? and(...filters) : undefined)
        .orderBy(asc(orders.id))
        .limit(batchSize);
      if (page.length === 0) return 0;
      const steps = await tx
        .select()
        .from(orderEvents)
        .where(inArray(orderEvents.orderId, page.map((o) => o.id)))
        .orderBy(asc(orderEvents.orderId), asc(orderEvents.id));
      const byOrder = new Map<string, (typeof steps)[number][]>();
      for (const s of steps) byOrder.set(s.orderId, [...(byOrder.get(s.orderId) ?? []), s]);
      for (const o of page) {
        const problems = checkHistory(o.status, byOrder.get(o.id) ?? []);
        if (problems.length > 0) batch.push({ orderId: o.id, tenantId: o.tenantId, exchangeAccountId: o.exchangeAccountId, clientOrderId: o.clientOrderId, status: o.status, problems });
      }
      after = page[page.length - 1]!.id;
      return page.length;
    });
    if (n === 0) break;
    checked += n;
    issues.push(...batch);
    opts.onProgress?.(checked, issues.length);
    if (n < batchSize) break;
  }
  return { checked, issues };
}
