import { Dec, isMultipleOf } from '../decimal.ts';
import { ExchangeError } from '../exchange-error.ts';
import type { CreateOrderRequest, TimeInForce } from '../port.ts';
import type { EngineInstrument } from './engine-instrument.ts';

export interface ValidOrder {
  readonly quantity: Dec;
  readonly price: Dec | null;
  readonly stopPrice: Dec | null;
  readonly timeInForce: TimeInForce;
}

/** Binance's rule for client order ids, the strictest common one. */
const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const POSITIVE_DECIMAL = /^(?:0|[1-9]\d{0,17})(?:\.\d{1,24})?$/;

/**
 * Checks a request the way a venue's filters do (LOT_SIZE, PRICE_FILTER, MIN_NOTIONAL, stop
 * direction). `lastPrice` is NaN before the first price. Returns the parsed order or the refusal.
 */
export function validateOrder(req: CreateOrderRequest, inst: EngineInstrument, lastPrice: number): ValidOrder | ExchangeError {
  if (!CLIENT_ORDER_ID.test(req.clientOrderId)) return invalid(`clientOrderId must match ${CLIENT_ORDER_ID.source}`);
  if (req.side !== 'buy' && req.side !== 'sell') return invalid(`unknown side ${String(req.side)}`);
  const quantity = positive(req.quantity, 'quantity');
  if (quantity instanceof ExchangeError) return quantity;
  if (!isMultipleOf(quantity, inst.lotSize)) return invalid(`quantity ${req.quantity} is not a multiple of the lot size ${inst.market.lotSize}`);
  if (quantity.lessThan(inst.minQty)) return invalid(`quantity ${req.quantity} is below the minimum ${inst.market.minQty}`);

  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsStop = req.type === 'stop' || req.type === 'stop_limit';
  if (!needsPrice && req.price !== undefined) return invalid(`a ${req.type} order takes no price`);
  if (!needsStop && req.stopPrice !== undefined) return invalid(`a ${req.type} order takes no stopPrice`);
  const price = needsPrice ? tickPrice(req.price, 'price', inst) : null;
  if (price instanceof ExchangeError) return price;
  const stopPrice = needsStop ? tickPrice(req.stopPrice, 'stopPrice', inst) : null;
  if (stopPrice instanceof ExchangeError) return stopPrice;

  const timeInForce = req.timeInForce ?? 'GTC';
  if (timeInForce !== 'GTC' && timeInForce !== 'IOC' && timeInForce !== 'FOK') return invalid(`unknown timeInForce ${String(timeInForce)}`);
  if (needsStop && timeInForce !== 'GTC') return invalid('stop orders are GTC only');

  if (stopPrice && Number.isFinite(lastPrice)) {
    const stop = stopPrice.toNumber();
    if (req.side === 'buy' ? lastPrice >= stop : lastPrice <= stop) return invalid('Stop price would trigger immediately.');
  }
  const reference = price ?? stopPrice ?? (Number.isFinite(lastPrice) ? new Dec(lastPrice) : null);
  if (!reference) return invalid(`no price for ${req.symbol} yet: a market order cannot be valued`);
  if (quantity.times(reference).lessThan(inst.minNotional)) return invalid(`notional below the minimum ${inst.market.minNotional}`);
  return { quantity, price, stopPrice, timeInForce };
}

function positive(value: string | undefined, field: string): Dec | ExchangeError {
  if (typeof value !== 'string' || !POSITIVE_DECIMAL.test(value)) return invalid(`${field} must be a plain decimal string, got ${JSON.stringify(value)}`);
  const d = new Dec(value);
  return d.isZero() ? invalid(`${field} must be greater than zero`) : d;
}

function tickPrice(value: string | undefined, field: string, inst: EngineInstrument): Dec | ExchangeError {
  const d = positive(value, field);
  if (d instanceof ExchangeError) return d;
  return isMultipleOf(d, inst.tickSize) ? d : invalid(`${field} ${value} is not a multiple of the tick size ${inst.market.tickSize}`);
}

function invalid(message: string): ExchangeError {
  return new ExchangeError('INVALID_ORDER', message);
}
