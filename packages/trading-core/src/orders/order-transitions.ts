import type { OrderStatus } from './order-types.ts';

/**
 * The order state machine: every legal status change. Anything not listed is refused with
 * ORDER_ILLEGAL_TRANSITION, and the terminal statuses (filled, cancelled, rejected, expired) have
 * no way out.
 *
 * - new → submitted (sent), rejected (denied locally, never sent), cancelled (dropped before sending).
 * - submitted → a fill may arrive before the acknowledgement, and a venue may answer an IOC/FOK
 *   order with "cancelled" or "expired" straight away, so every venue outcome is legal here.
 * - accepted / partially_filled → fills, a cancel request, or a venue-initiated cancel/expiry.
 * - cancel_requested → cancel-vs-fill race: the venue's word wins, so fills (partial or complete),
 *   the cancel, an expiry, or, when the cancel was asked before the acknowledgement, a rejection of
 *   the order itself. A partial fill while the cancel is pending goes to partially_filled (a later
 *   OrderCancelled is still legal from there).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['submitted', 'rejected', 'cancelled'],
  submitted: ['accepted', 'rejected', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'expired'],
  accepted: ['partially_filled', 'filled', 'cancel_requested', 'cancelled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'cancel_requested', 'cancelled', 'expired'],
  cancel_requested: ['partially_filled', 'filled', 'cancelled', 'expired', 'rejected'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export function isLegalTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}
