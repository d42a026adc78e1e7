/** Shared test fixtures (not exported from the package). */
import { dec } from '../decimal/dec.ts';
import { createInstrument, type Instrument, type InstrumentSpec } from '../instruments/instrument.ts';
import { createOrder, type OrderSpec } from '../orders/create-order.ts';
import type { Fill, Order } from '../orders/order-types.ts';

export const PROFILE_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
export const TENANT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

export function instrument(spec: Partial<InstrumentSpec> = {}): Instrument {
  const r = createInstrument({
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    tickSize: '0.01',
    lotSize: '0.0001',
    minQty: '0.0001',
    minNotional: '10',
    ...spec,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function order(spec: Partial<OrderSpec> = {}): Order {
  const r = createOrder({
    id: 'order-1',
    clientOrderId: 'coid-1',
    profileId: PROFILE_ID,
    tenantId: TENANT_ID,
    symbol: 'BTC/USDT',
    side: 'buy',
    orderType: 'limit',
    quantity: dec('1'),
    price: dec('100'),
    createdAt: 1_000,
    ...spec,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function fill(tradeId: string, qty: string, price: string, overrides: Partial<Fill> = {}): Fill {
  return { tradeId, venue: 'paper', qty: dec(qty), price: dec(price), fee: dec('0'), feeCurrency: 'USDT', liquidity: 'taker', at: 2_000, ...overrides };
}
