import type { Dec } from '../decimal/dec.ts';
import type { OrderSide, OrderType, TimeInForce } from '../orders/order-types.ts';

/**
 * What a strategy wants; never an order. Rules and the risk engine decide whether it becomes
 * one. Numbers may be floats (strategies compute in floats): they become exact decimals, rounded
 * to the instrument's tick and lot size, when the intent is turned into an order.
 */
interface PricedIntent {
  readonly orderType: OrderType;
  /** Limit price (limit, stop_limit). */
  readonly price?: number | Dec;
  /** Trigger price (stop_market, stop_limit). */
  readonly stopPrice?: number | Dec;
  readonly timeInForce?: TimeInForce;
  /** Why, in words for the decision log ("SMA 10 crossed above SMA 30"). */
  readonly reason: string;
}

/** Open or add to a position. Without a quantity, the profile's stake sizes it. */
export interface EnterIntent extends PricedIntent {
  readonly kind: 'enter';
  readonly side: OrderSide;
  readonly quantity?: number | Dec;
}

/** Close the position (or `quantity` of it); the side follows from the position. Reduce-only. */
export interface ExitIntent extends PricedIntent {
  readonly kind: 'exit';
  readonly quantity?: number | Dec;
}

/** An explicit order (grids, ladders); counts as reducing when it shrinks the position. */
export interface PlaceOrderIntent extends PricedIntent {
  readonly kind: 'order';
  readonly side: OrderSide;
  readonly quantity: number | Dec;
  readonly reduceOnly?: boolean;
}

/** Cancel one open order, or all of the profile's open orders (clientOrderId null). Never gated. */
export interface CancelIntent {
  readonly kind: 'cancel';
  readonly clientOrderId: string | null;
  readonly reason: string;
}

export type Intent = EnterIntent | ExitIntent | PlaceOrderIntent | CancelIntent;

/** Shared empty result: strategies return it when there is nothing to do (no allocation). */
export const NO_INTENTS: readonly Intent[] = Object.freeze([]);

export type IntentEffect = 'increase' | 'reduce' | 'cancel';

/**
 * Whether an intent adds exposure or takes it away, given the signed position quantity. Rules
 * such as cooldowns gate only `increase`; exits must stay possible.
 */
export function intentEffect(intent: Intent, positionQty: Dec): IntentEffect {
  switch (intent.kind) {
    case 'cancel':
      return 'cancel';
    case 'exit':
      return 'reduce';
    case 'enter':
      return 'increase';
    case 'order': {
      const against = intent.side === 'buy' ? positionQty.isNegative() : positionQty.greaterThan(0);
      const qty = typeof intent.quantity === 'number' ? intent.quantity : intent.quantity.toNumber();
      return against && qty <= positionQty.abs().toNumber() ? 'reduce' : 'increase';
    }
  }
}
