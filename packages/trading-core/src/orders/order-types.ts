import { ZERO, type Dec } from '../decimal/dec.ts';

export type OrderSide = 'buy' | 'sell';
/** `stop_market` triggers a market order at `stopPrice`; `stop_limit` a limit order at `price`. */
export type OrderType = 'market' | 'limit' | 'stop_market' | 'stop_limit';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

export type OrderStatus =
  | 'new'
  | 'submitted'
  | 'accepted'
  | 'partially_filled'
  | 'filled'
  | 'cancel_requested'
  | 'cancelled'
  | 'rejected'
  | 'expired';

/** Who caused a transition: our own code, the venue, or a reconciliation run. */
export type TransitionSource = 'local' | 'exchange' | 'reconciliation';

export type Liquidity = 'maker' | 'taker';

/** One execution as the venue reports it. (venue, tradeId) identifies it; a repeat is ignored. */
export interface Fill {
  readonly tradeId: string;
  readonly venue: string;
  readonly qty: Dec;
  readonly price: Dec;
  /** Negative for a maker rebate. */
  readonly fee: Dec;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly at: number;
}

export interface FeeAmount {
  readonly currency: string;
  readonly amount: Dec;
}

/** One entry of an order's append-only lifecycle history. */
export interface LifecycleStep {
  readonly at: number;
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly source: TransitionSource;
  /** The event type that caused the step, e.g. `OrderFilled`. */
  readonly event: string;
  readonly reason?: string;
}

export interface Order {
  /** Storage id, given by the caller (the core makes no random ids). */
  readonly id: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string | null;
  readonly profileId: string;
  readonly tenantId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly quantity: Dec;
  /** Limit price (limit, stop_limit), else null. */
  readonly price: Dec | null;
  /** Trigger price (stop_market, stop_limit), else null. */
  readonly stopPrice: Dec | null;
  readonly status: OrderStatus;
  readonly filledQty: Dec;
  /** Σ qty × price over the fills: exact; `avgFillPrice` is this divided by `filledQty`. */
  readonly filledNotional: Dec;
  readonly avgFillPrice: Dec | null;
  readonly fees: readonly FeeAmount[];
  readonly fills: readonly Fill[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly history: readonly LifecycleStep[];
}

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Open at the venue or possibly so (submitted, not yet acknowledged). */
export function isOpen(status: OrderStatus): boolean {
  return status === 'submitted' || status === 'accepted' || status === 'partially_filled' || status === 'cancel_requested';
}

export function leavesQty(order: Pick<Order, 'quantity' | 'filledQty' | 'status'>): Dec {
  return isTerminal(order.status) ? ZERO : order.quantity.minus(order.filledQty);
}

/** What is asked of the venue: an order before it has a status (risk checks and SubmitOrder use it). */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly profileId: string;
  readonly tenantId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly quantity: Dec;
  readonly price: Dec | null;
  readonly stopPrice: Dec | null;
  readonly reduceOnly: boolean;
}
