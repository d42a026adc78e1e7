import { decToString, type Dec } from '../decimal/dec.ts';
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
  for (const [name, p] of [['price', order.price], ['stop price', order.stopPrice]] as const) {
    if (p !== undefined && p !== null && !isMultipleOf(p, instrument.tickSize)) {
      return coreError('INSTRUMENT_TICK_SIZE', `${name} ${decToString(p)} is not a multiple of the tick size ${decToString(instrument.tickSize)}`);
    }
  }
  if (!isMultipleOf(order.quantity, instrument.lotSize)) {
    return coreError('INSTRUMENT_LOT_SIZE', `quantity ${decToString(order.quantity)} is not a multiple of the lot size ${decToString(instrument.lotSize)}`);
  }
  if (order.quantity.lessThan(instrument.minQty)) {
    return coreError('INSTRUMENT_MIN_QTY', `quantity ${decToString(order.quantity)} is below the minimum ${decToString(instrument.minQty)}`);
  }
  if (instrument.maxQty !== null && order.quantity.greaterThan(instrument.maxQty)) {
    return coreError('INSTRUMENT_MAX_QTY', `quantity ${decToString(order.quantity)} is above the maximum ${decToString(instrument.maxQty)}`);
  }
  const price = order.price ?? order.stopPrice ?? referencePrice ?? null;
  if (price !== null && instrument.minNotional.greaterThan(0)) {
    const notional = order.quantity.times(price);
    if (notional.lessThan(instrument.minNotional)) {
      return coreError(
        'INSTRUMENT_MIN_NOTIONAL',
        `notional ${decToString(notional)} ${instrument.quote} is below the minimum ${decToString(instrument.minNotional)} ${instrument.quote}`,
      );
    }
  }
  return null;
}
