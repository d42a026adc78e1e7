import { cmpDec, decToString, isPositiveDec, type Dec } from '../decimal/dec.ts';
import { coreError, type CoreError } from '../errors/codes.ts';
import type { OrderSide, OrderType } from '../orders/order-types.ts';
import { isMultipleOf, type Instrument } from './instrument.ts';

export type InstrumentCode =
  | 'INSTRUMENT_SYMBOL_MISMATCH'
  | 'INSTRUMENT_TICK_SIZE'
  | 'INSTRUMENT_LOT_SIZE'
  | 'INSTRUMENT_MIN_QTY'
  | 'INSTRUMENT_MAX_QTY'
  | 'INSTRUMENT_MIN_NOTIONAL';

export interface OrderShape {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: Dec;
  readonly price?: Dec | null | undefined;
  readonly stopPrice?: Dec | null | undefined;
}

/**
 * Checks an order against the venue's instrument filters, the way the venue would, so that a
 * doomed order is denied locally with a reason instead of being rejected remotely. Market orders
 * use `referencePrice` (the last price) for the minimum notional; without one that check is left
 * to the venue.
 */
export function validateOrderForInstrument(
  instrument: Instrument,
  order: OrderShape,
  referencePrice?: Dec,
): CoreError<InstrumentCode> | null {
  if (order.symbol !== instrument.symbol) {
    return coreError('INSTRUMENT_SYMBOL_MISMATCH', `order is for ${order.symbol}, instrument is ${instrument.symbol}`);
  }
  return validateOrderFilters(instrument, order, order.price ?? order.stopPrice ?? referencePrice ?? null, null);
}

/**
 * The checks after the symbol, for the risk engine: `price` is the price the notional is valued
 * at and `notional` (when given) is quantity × price, already computed by the caller.
 */
export function validateOrderFilters(instrument: Instrument, order: OrderShape, price: Dec | null, notional: Dec | null): CoreError<InstrumentCode> | null {
  const tick = instrument.tickSize;
  if (order.price !== undefined && order.price !== null && !isMultipleOf(order.price, tick)) return tickError('price', order.price, tick);
  if (order.stopPrice !== undefined && order.stopPrice !== null && !isMultipleOf(order.stopPrice, tick)) return tickError('stop price', order.stopPrice, tick);
  if (!isMultipleOf(order.quantity, instrument.lotSize)) {
    return coreError('INSTRUMENT_LOT_SIZE', `quantity ${decToString(order.quantity)} is not a multiple of the lot size ${decToString(instrument.lotSize)}`);
  }
  if (cmpDec(order.quantity, instrument.minQty) < 0) {
    return coreError('INSTRUMENT_MIN_QTY', `quantity ${decToString(order.quantity)} is below the minimum ${decToString(instrument.minQty)}`);
  }
  if (instrument.maxQty !== null && cmpDec(order.quantity, instrument.maxQty) > 0) {
    return coreError('INSTRUMENT_MAX_QTY', `quantity ${decToString(order.quantity)} is above the maximum ${decToString(instrument.maxQty)}`);
  }
  if (price !== null && isPositiveDec(instrument.minNotional)) {
    notional ??= order.quantity.times(price);
    if (cmpDec(notional, instrument.minNotional) < 0) {
      return coreError(
        'INSTRUMENT_MIN_NOTIONAL',
        `notional ${decToString(notional)} ${instrument.quote} is below the minimum ${decToString(instrument.minNotional)} ${instrument.quote}`,
      );
    }
  }
  return null;
}

function tickError(name: string, p: Dec, tick: Dec): CoreError<InstrumentCode> {
  return coreError('INSTRUMENT_TICK_SIZE', `${name} ${decToString(p)} is not a multiple of the tick size ${decToString(tick)}`);
}
