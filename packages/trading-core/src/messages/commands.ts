import type { OrderRequest } from '../orders/order-types.ts';

/**
 * Commands (imperative): what the trading core asks the order pipeline to do. Only an approved
 * decision produces a SubmitOrder; cancels are never gated (they reduce risk).
 */
export interface SubmitOrder extends OrderRequest {
  readonly type: 'SubmitOrder';
  readonly at: number;
  /** The decision that approved it ("why this trade"). */
  readonly decisionId: string;
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly at: number;
  readonly profileId: string;
  readonly tenantId: string;
  readonly clientOrderId: string;
  readonly reason: string;
}

export type TradingCommand = SubmitOrder | CancelOrder;
