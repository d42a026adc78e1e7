import { decToString } from '../decimal/dec.ts';
import { assertNever } from '../errors/assert-never.ts';
import { coreError, type CoreError } from '../errors/codes.ts';
import type { OrderEvent, OrderFilled } from '../messages/order-events.ts';
import { isLegalTransition } from './order-transitions.ts';
import { addFeeAmount } from './fee-amounts.ts';
import type { Fill, LifecycleStep, Order, OrderStatus } from './order-types.ts';

export type OrderEventCode = 'ORDER_ID_MISMATCH' | 'ORDER_ILLEGAL_TRANSITION' | 'ORDER_OVERFILL' | 'ORDER_INVALID_FILL';

/**
 * What applying an event did:
 * - `transition`: the status changed (one step appended to the history);
 * - `duplicate_fill`: this (venue, tradeId) was already applied: nothing changed;
 * - `late_fill`: a fill for an order the venue already reported cancelled/expired (the
 *   cancel-vs-fill race): quantities change, the terminal status stays;
 * - `late_ack`: an acknowledgement after the order had moved on (fill before ack): only the
 *   venue order id is recorded;
 * `fill` is the fill that must now be booked to the position and the ledger (null otherwise).
 */
export type OrderEffect = 'transition' | 'duplicate_fill' | 'late_fill' | 'late_ack';

export type ApplyOrderEventResult =
  | { readonly ok: true; readonly order: Order; readonly transition: LifecycleStep | null; readonly effect: OrderEffect; readonly fill: Fill | null }
  | { readonly ok: false; readonly error: CoreError<OrderEventCode> };

/** Statuses where a venue acknowledgement arrives late and changes nothing but the venue id. */
const LATE_ACK: ReadonlySet<OrderStatus> = new Set(['accepted', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'expired']);

/**
 * Applies one event to an order and returns the new order; the input is never mutated. Illegal
 * transitions, overfills and malformed fills are refused with a stable code and change nothing.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): ApplyOrderEventResult {
  if (event.clientOrderId !== order.clientOrderId) {
    return refuse('ORDER_ID_MISMATCH', `event for ${event.clientOrderId} applied to order ${order.clientOrderId}`);
  }
  switch (event.type) {
    case 'OrderSubmitted':
      return step(order, event, 'submitted', event.reason);
    case 'OrderDenied':
      if (order.status !== 'new') return refuse('ORDER_ILLEGAL_TRANSITION', `OrderDenied is only possible before sending, not in status ${order.status}`);
      return step(order, event, 'rejected', `${event.code}: ${event.reason}`);
    case 'OrderAccepted': {
      if (LATE_ACK.has(order.status)) {
        const venueOrderId = order.venueOrderId ?? event.venueOrderId;
        const changed = venueOrderId !== order.venueOrderId;
        return { ok: true, order: changed ? { ...order, venueOrderId } : order, transition: null, effect: 'late_ack', fill: null };
      }
      const r = step(order, event, 'accepted', event.reason);
      return r.ok ? { ...r, order: { ...r.order, venueOrderId: event.venueOrderId } } : r;
    }
    case 'OrderRejected':
      if (order.status === 'new') return refuse('ORDER_ILLEGAL_TRANSITION', 'OrderRejected (by the venue) before the order was submitted');
      return step(order, event, 'rejected', event.reason);
    case 'OrderFilled':
      return applyFill(order, event);
    case 'OrderCancelRequested':
      return step(order, event, 'cancel_requested', event.reason);
    case 'OrderCancelled':
      return step(order, event, 'cancelled', event.reason);
    case 'OrderExpired':
      return step(order, event, 'expired', event.reason);
    default:
      return assertNever(event);
  }
}

function step(order: Order, event: OrderEvent, to: OrderStatus, reason: string | undefined): ApplyOrderEventResult {
  if (!isLegalTransition(order.status, to)) {
    return refuse('ORDER_ILLEGAL_TRANSITION', `${event.type} is not allowed in status ${order.status} (${order.status} → ${to})`);
  }
  const transition: LifecycleStep = {
    at: event.at,
    from: order.status,
    to,
    source: event.source,
    event: event.type,
    ...(reason !== undefined ? { reason } : {}),
  };
  return {
    ok: true,
    order: { ...order, status: to, updatedAt: Math.max(order.updatedAt, event.at), history: [...order.history, transition] },
    transition,
    effect: 'transition',
    fill: null,
  };
}

function applyFill(order: Order, event: OrderFilled): ApplyOrderEventResult {
  const { fill } = event;
  if (!fill.qty.isFinite() || !fill.qty.greaterThan(0) || !fill.price.isFinite() || !fill.price.greaterThan(0) || !fill.fee.isFinite()) {
    return refuse('ORDER_INVALID_FILL', `fill ${fill.tradeId} needs a positive quantity and price and a finite fee`);
  }
  if (order.fills.some((f) => f.tradeId === fill.tradeId && f.venue === fill.venue)) {
    return { ok: true, order, transition: null, effect: 'duplicate_fill', fill: null };
  }
  if (order.status === 'new' || order.status === 'rejected') {
    return refuse('ORDER_ILLEGAL_TRANSITION', `OrderFilled is not allowed in status ${order.status}`);
  }
  const filledQty = order.filledQty.plus(fill.qty);
  if (filledQty.greaterThan(order.quantity)) {
    return refuse(
      'ORDER_OVERFILL',
      `fill ${fill.tradeId} of ${decToString(fill.qty)} would fill ${decToString(filledQty)} of ${decToString(order.quantity)}`,
    );
  }
  const filledNotional = order.filledNotional.plus(fill.qty.times(fill.price));
  const filled: Order = {
    ...order,
    venueOrderId: order.venueOrderId ?? event.venueOrderId ?? null,
    filledQty,
    filledNotional,
    avgFillPrice: filledNotional.dividedBy(filledQty),
    fees: addFeeAmount(order.fees, fill.feeCurrency, fill.fee),
    fills: [...order.fills, fill],
    updatedAt: Math.max(order.updatedAt, event.at),
  };
  if (order.status === 'cancelled' || order.status === 'expired') {
    return { ok: true, order: filled, transition: null, effect: 'late_fill', fill };
  }
  const to: OrderStatus = filledQty.equals(order.quantity) ? 'filled' : 'partially_filled';
  const reason = event.reason ?? `${decToString(fill.qty)} @ ${decToString(fill.price)} (trade ${fill.tradeId})`;
  const r = step(filled, event, to, reason);
  return r.ok ? { ...r, fill } : r;
}

function refuse(code: OrderEventCode, message: string): ApplyOrderEventResult {
  return { ok: false, error: coreError(code, message) };
}
