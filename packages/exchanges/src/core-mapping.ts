import { createInstrument, decToString, type Instrument, type OrderRequest, type OrderType } from '@kestrel/trading-core';
import type { CreateOrderRequest, VenueMarket } from './port.ts';

const VENUE_TYPE: Record<OrderType, CreateOrderRequest['type']> = { market: 'market', limit: 'limit', stop_market: 'stop', stop_limit: 'stop_limit' };

/** A trading-core order as the request a venue takes (live trading and the backtester send the same). */
export function toCreateOrderRequest(o: Pick<OrderRequest, 'clientOrderId' | 'symbol' | 'side' | 'orderType' | 'quantity' | 'price' | 'stopPrice' | 'timeInForce'>): CreateOrderRequest {
  const req: { -readonly [K in keyof CreateOrderRequest]: CreateOrderRequest[K] } = {
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: VENUE_TYPE[o.orderType],
    quantity: decToString(o.quantity),
    timeInForce: o.timeInForce,
  };
  if (o.price !== null) req.price = decToString(o.price);
  if (o.stopPrice !== null) req.stopPrice = decToString(o.stopPrice);
  return req;
}

/** The trading-core instrument of a venue market (its filters as exact decimals); null when the market's filters are invalid. */
export function instrumentOfMarket(m: VenueMarket): Instrument | null {
  const r = createInstrument({ symbol: m.symbol, base: m.base, quote: m.quote, tickSize: m.tickSize, lotSize: m.lotSize, minQty: m.minQty, minNotional: m.minNotional });
  return r.ok ? r.value : null;
}
