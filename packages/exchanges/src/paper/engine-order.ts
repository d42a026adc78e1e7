import { decStr, ZERO, type Dec } from '../decimal.ts';
import type { OrderSide, TimeInForce, VenueOrder, VenueOrderStatus, VenueOrderType } from '../port.ts';

/** The matching engine's mutable record of one order. Handed out only as `VenueOrder` snapshots. */
export interface EngineOrder {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: VenueOrderType;
  readonly timeInForce: TimeInForce;
  readonly quantity: Dec;
  readonly price: Dec | null;
  readonly stopPrice: Dec | null;
  /** Float copies for the matching hot path (NaN when absent). */
  readonly priceNum: number;
  readonly stopNum: number;
  /** Submission order: time priority among resting orders. */
  readonly seq: number;
  readonly createdAt: number;
  status: VenueOrderStatus;
  filled: Dec;
  /** Σ quantity × price over the fills. */
  notional: Dec;
  /** Stop orders: the trigger price has been reached. */
  triggered: boolean;
  /** Still to be reserved funds of this order (quote for buys, base for sells). */
  reserved: Dec;
  readonly reserveCurrency: string;
  updatedAt: number;
  reason: string | undefined;
  /** The last price event in which this order filled (one fill per order per event). */
  lastFillEvent: number;
  /** The event and path segment in which a stop_limit was triggered. */
  triggerEvent: number;
  triggerSegment: number;
}

/** A new, open order with nothing filled. */
export function newEngineOrder(fields: {
  seq: number;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: VenueOrderType;
  timeInForce: TimeInForce;
  quantity: Dec;
  price: Dec | null;
  stopPrice: Dec | null;
  reserved: Dec;
  reserveCurrency: string;
  time: number;
}): EngineOrder {
  // Field by field, not spread: orders are made on the hot path of a backtest, and object rest/spread
  // built them on V8's slow path (it showed as the top self-time entry of the backtest profile).
  return {
    venueOrderId: String(fields.seq),
    clientOrderId: fields.clientOrderId,
    symbol: fields.symbol,
    side: fields.side,
    type: fields.type,
    timeInForce: fields.timeInForce,
    quantity: fields.quantity,
    price: fields.price,
    stopPrice: fields.stopPrice,
    priceNum: fields.price ? fields.price.toNumber() : NaN,
    stopNum: fields.stopPrice ? fields.stopPrice.toNumber() : NaN,
    seq: fields.seq,
    createdAt: fields.time,
    status: 'open',
    filled: ZERO,
    notional: ZERO,
    triggered: false,
    reserved: fields.reserved,
    reserveCurrency: fields.reserveCurrency,
    updatedAt: fields.time,
    reason: undefined,
    lastFillEvent: 0,
    triggerEvent: 0,
    triggerSegment: -1,
  };
}

/** Digits kept in the average price: enough for any venue, within the port's 24. */
const AVERAGE_PRICE_DP = 18;

export function isDone(o: EngineOrder): boolean {
  return o.status === 'filled' || o.status === 'cancelled' || o.status === 'expired' || o.status === 'rejected';
}

/** Takes whatever the current price is: a market order, or a stop order once triggered. */
export function takesMarketPrice(o: EngineOrder): boolean {
  return o.type === 'market' || (o.type === 'stop' && o.triggered);
}

/** Waits at a limit price: a limit order, or a stop-limit once triggered. */
export function restsAtLimit(o: EngineOrder): boolean {
  return o.type === 'limit' || (o.type === 'stop_limit' && o.triggered);
}

export function toVenueOrder(o: EngineOrder): VenueOrder {
  const order: {
    -readonly [K in keyof VenueOrder]: VenueOrder[K];
  } = {
    venueOrderId: o.venueOrderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: decStr(o.quantity),
    filledQuantity: decStr(o.filled),
    averagePrice: o.filled.isZero() ? null : decStr(o.notional.dividedBy(o.filled).toDecimalPlaces(AVERAGE_PRICE_DP)),
    timeInForce: o.timeInForce,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
  if (o.price) order.price = decStr(o.price);
  if (o.stopPrice) order.stopPrice = decStr(o.stopPrice);
  if (o.reason !== undefined) order.reason = o.reason;
  return order;
}
