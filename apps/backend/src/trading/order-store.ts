import { and, eq, orderEvents, orders, sql, type Tx } from '@kestrel/db';
import { applyOrderEvent, Dec, type Fill, type LifecycleStep, type Order, type OrderEvent } from '@kestrel/trading-core';

export type OrderRow = typeof orders.$inferSelect;

const dec = (v: string | null) => (v === null ? null : new Dec(v));

/** The stored order as trading-core's Order (fills are deduplicated by the database, so they are not loaded). */
export function toCoreOrder(r: OrderRow): Order {
  return {
    id: r.id,
    clientOrderId: r.clientOrderId,
    venueOrderId: r.venueOrderId,
    profileId: r.profileId ?? '',
    tenantId: r.tenantId,
    symbol: r.symbol,
    side: r.side,
    orderType: r.orderType,
    timeInForce: r.timeInForce,
    reduceOnly: r.reduceOnly,
    quantity: new Dec(r.quantity),
    price: dec(r.price),
    stopPrice: dec(r.stopPrice),
    status: r.status,
    filledQty: new Dec(r.filledQty),
    filledNotional: new Dec(r.filledNotional),
    avgFillPrice: dec(r.avgFillPrice),
    fees: [],
    fills: [],
    createdAt: r.createdAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
    history: [],
  };
}

export async function lockOrder(tx: Tx, where: { id: string } | { accountId: string; clientOrderId: string } | { accountId: string; venueOrderId: string }): Promise<OrderRow | null> {
  const cond =
    'id' in where
      ? eq(orders.id, where.id)
      : 'clientOrderId' in where
        ? and(eq(orders.exchangeAccountId, where.accountId), eq(orders.clientOrderId, where.clientOrderId))
        : and(eq(orders.exchangeAccountId, where.accountId), eq(orders.venueOrderId, where.venueOrderId));
  const [row] = await tx.select().from(orders).where(cond).for('update');
  return row ?? null;
}

export type AppliedEvent = { ok: true; row: OrderRow; step: LifecycleStep | null; fill: Fill | null; effect: string } | { ok: false; row: OrderRow; code: string; message: string };

/**
 * Applies one event to a locked order with trading-core's state machine and stores the result:
 * the order row (status, venue id, quantities, fees) and, for a status change, one lifecycle
 * step in order_events. Refused events (illegal transition, overfill) change nothing.
 */
export async function applyAndStore(tx: Tx, row: OrderRow, event: OrderEvent): Promise<AppliedEvent> {
  const r = applyOrderEvent(toCoreOrder(row), event);
  if (!r.ok) return { ok: false, row, code: r.error.code, message: r.error.message };
  const o = r.order;
  const fill = r.fill;
  const sameCurrency = fill !== null && (row.feeCurrency === null || row.feeCurrency === fill.feeCurrency);
  const [next] = await tx
    .update(orders)
    .set({
      status: o.status,
      venueOrderId: o.venueOrderId,
      filledQty: o.filledQty.toFixed(),
      filledNotional: o.filledNotional.toFixed(),
      avgFillPrice: o.avgFillPrice === null ? null : o.avgFillPrice.toDecimalPlaces(18).toFixed(),
      ...(fill !== null && sameCurrency ? { fees: new Dec(row.fees).plus(fill.fee).toFixed(), feeCurrency: fill.feeCurrency } : {}),
      updatedAt: new Date(Math.max(row.updatedAt.getTime(), event.at)),
      version: sql`${orders.version} + 1`,
    })
    .where(eq(orders.id, row.id))
    .returning();
  if (r.transition) {
    const s = r.transition;
    await tx.insert(orderEvents).values({ tenantId: row.tenantId, orderId: row.id, at: new Date(s.at), fromStatus: s.from, toStatus: s.to, event: s.event, source: s.source, reason: s.reason ?? null });
  }
  return { ok: true, row: next!, step: r.transition, fill, effect: r.effect };
}

/** Bookkeeping of the submit and lookup attempts (not part of the state machine). */
export async function noteAttempts(tx: Tx, id: string, set: { submitAttempts?: number; lookupMisses?: number; firstMissAt?: Date | null }): Promise<void> {
  await tx.update(orders).set(set).where(eq(orders.id, id));
}
