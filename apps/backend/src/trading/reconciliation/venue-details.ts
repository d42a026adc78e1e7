import { Dec } from '@kestrel/trading-core';
import type { VenueOrder, VenueTrade } from '../venue.ts';

/** How venue data is written into discrepancy details and adopted orders. */
export const VENUE_TYPE_TO_ORDER_TYPE = { market: 'market', limit: 'limit', stop: 'stop_market', stop_limit: 'stop_limit' } as const;

export const plain = (v: string) => new Dec(v).toFixed();

export function tradeDetails(t: VenueTrade) {
  return { tradeId: t.tradeId, venueOrderId: t.venueOrderId, clientOrderId: t.clientOrderId, symbol: t.symbol, side: t.side, quantity: t.quantity, price: t.price, fee: t.fee, feeCurrency: t.feeCurrency, at: new Date(t.timestamp).toISOString() };
}

export function venueOrderDetails(vo: VenueOrder) {
  return { venueOrderId: vo.venueOrderId, clientOrderId: vo.clientOrderId, symbol: vo.symbol, side: vo.side, type: vo.type, status: vo.status, quantity: vo.quantity, filledQuantity: vo.filledQuantity, price: vo.price ?? null };
}
