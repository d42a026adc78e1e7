import type { Fill, TransitionSource } from '../orders/order-types.ts';

/**
 * Order events (past tense): what happened to one order. They are the input of
 * `applyOrderEvent` and, once applied, what the backend stores and pushes. The client order id
 * identifies the order (it also encodes the profile: see `parseClientOrderId`).
 */
interface OrderEventBase {
  readonly at: number;
  readonly clientOrderId: string;
  readonly source: TransitionSource;
  readonly reason?: string;
}

/** Handed to the venue (the request went out; the outcome may still be unknown). */
export interface OrderSubmitted extends OrderEventBase {
  readonly type: 'OrderSubmitted';
}

/** Stopped before the venue by a rule, the risk engine or instrument validation. */
export interface OrderDenied extends OrderEventBase {
  readonly type: 'OrderDenied';
  readonly code: string;
  readonly reason: string;
}

/** Acknowledged by the venue (resting or about to be matched). */
export interface OrderAccepted extends OrderEventBase {
  readonly type: 'OrderAccepted';
  readonly venueOrderId: string;
}

/** Refused by the venue. */
export interface OrderRejected extends OrderEventBase {
  readonly type: 'OrderRejected';
  readonly reason: string;
}

/** One execution; the order's cumulative filled quantity and average price follow from it. */
export interface OrderFilled extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly fill: Fill;
  readonly venueOrderId?: string;
}

export interface OrderCancelRequested extends OrderEventBase {
  readonly type: 'OrderCancelRequested';
}

export interface OrderCancelled extends OrderEventBase {
  readonly type: 'OrderCancelled';
}

export interface OrderExpired extends OrderEventBase {
  readonly type: 'OrderExpired';
}

export type OrderEvent =
  | OrderSubmitted
  | OrderDenied
  | OrderAccepted
  | OrderRejected
  | OrderFilled
  | OrderCancelRequested
  | OrderCancelled
  | OrderExpired;

export type OrderEventType = OrderEvent['type'];
