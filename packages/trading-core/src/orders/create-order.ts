import { ZERO, type Dec } from '../decimal/dec.ts';
import { err, ok, type Result } from '../errors/codes.ts';
import type { Order, OrderSide, OrderType, TimeInForce } from './order-types.ts';

export interface OrderSpec {
  readonly id: string;
  readonly clientOrderId: string;
  readonly profileId: string;
  readonly tenantId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly reduceOnly?: boolean;
  readonly quantity: Dec;
  readonly price?: Dec | null;
  readonly stopPrice?: Dec | null;
  readonly createdAt: number;
}

/** Checks that price and stop price fit the order type and that every number is positive. */
export function checkOrderSpec(spec: Pick<OrderSpec, 'orderType' | 'quantity' | 'price' | 'stopPrice'>): string | null {
  const price = spec.price ?? null;
  const stop = spec.stopPrice ?? null;
  if (!spec.quantity.isFinite() || !spec.quantity.greaterThan(0)) return 'quantity must be greater than zero';
  const needsPrice = spec.orderType === 'limit' || spec.orderType === 'stop_limit';
  const needsStop = spec.orderType === 'stop_market' || spec.orderType === 'stop_limit';
  if (needsPrice !== (price !== null)) return needsPrice ? `a ${spec.orderType} order needs a price` : `a ${spec.orderType} order takes no price`;
  if (needsStop !== (stop !== null)) return needsStop ? `a ${spec.orderType} order needs a stop price` : `a ${spec.orderType} order takes no stop price`;
  if (price !== null && (!price.isFinite() || !price.greaterThan(0))) return 'price must be greater than zero';
  if (stop !== null && (!stop.isFinite() || !stop.greaterThan(0))) return 'stop price must be greater than zero';
  return null;
}

/** A new order (status `new`, empty history) once its parameters are consistent. */
export function createOrder(spec: OrderSpec): Result<Order, 'ORDER_INVALID_SPEC'> {
  const problem = checkOrderSpec(spec);
  if (problem !== null) return err('ORDER_INVALID_SPEC', problem);
  return ok({
    id: spec.id,
    clientOrderId: spec.clientOrderId,
    venueOrderId: null,
    profileId: spec.profileId,
    tenantId: spec.tenantId,
    symbol: spec.symbol,
    side: spec.side,
    orderType: spec.orderType,
    timeInForce: spec.timeInForce ?? 'GTC',
    reduceOnly: spec.reduceOnly ?? false,
    quantity: spec.quantity,
    price: spec.price ?? null,
    stopPrice: spec.stopPrice ?? null,
    status: 'new',
    filledQty: ZERO,
    filledNotional: ZERO,
    avgFillPrice: null,
    fees: [],
    fills: [],
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
    history: [],
  });
}
