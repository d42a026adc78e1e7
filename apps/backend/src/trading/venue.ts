/**
 * The backend's view of packages/exchanges. `@kestrel/exchanges` does not export its port from the
 * package entry yet (work in progress beside this code), so the types come from the port file by
 * path, in this one place; switch to `from '@kestrel/exchanges'` when the entry exports them.
 */
import type { CreateOrderRequest, ExchangeAdapter, VenueMarket, VenueOrder, VenueTrade } from '@kestrel/exchanges';
import { ExchangeError, instrumentOfMarket, parseVenueData, toCreateOrderRequest, venueMarketSchema, venueOrderSchema, venueTradeSchema } from '@kestrel/exchanges';
import type { Instrument } from '@kestrel/trading-core';

export type { CreateOrderRequest, ExchangeAdapter, VenueMarket, VenueOrder, VenueTrade };
export { toCreateOrderRequest };

/**
 * Venue data is untrusted until checked (RELIABILITY.md "malformed venue data"): the ccxt adapter
 * validates what it hands out, the paper exchange and test doubles do not, so everything the
 * backend books is checked here first. NaN, negative, missing, exponent-notation or absurdly large
 * values and unknown statuses throw ExchangeError MALFORMED_RESPONSE naming the field; nothing
 * has been changed at that point. `expect` pins the order the answer must be about; `write` marks
 * the answer to a createOrder/cancelOrder, whose unreadable answer is ambiguous (the venue may have acted).
 */
export function checkVenueOrder(value: unknown, opts: { venue?: string; expect?: { clientOrderId: string; symbol: string }; write?: boolean } = {}): VenueOrder {
  const where = { ambiguous: opts.write ?? false, ...(opts.venue === undefined ? {} : { venue: opts.venue }) };
  const vo = parseVenueData(venueOrderSchema, value, 'order', where);
  const expect = opts.expect;
  if (expect && (vo.clientOrderId !== expect.clientOrderId || vo.symbol !== expect.symbol)) {
    throw new ExchangeError('MALFORMED_RESPONSE', `malformed venue data: order answer is about ${vo.clientOrderId} ${vo.symbol}, not ${expect.clientOrderId} ${expect.symbol}`, where);
  }
  return vo as VenueOrder;
}

export function checkVenueTrade(value: unknown, venue?: string): VenueTrade {
  return parseVenueData(venueTradeSchema, value, 'trade', venue === undefined ? {} : { venue }) as VenueTrade;
}

/** An ExchangeError, recognised by shape (the class lives in the exchanges package). */
export interface VenueFailure {
  readonly name: 'ExchangeError';
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;
}

export function asVenueFailure(err: unknown): VenueFailure | null {
  if (err instanceof Error && err.name === 'ExchangeError' && typeof (err as { ambiguous?: unknown }).ambiguous === 'boolean') return err as unknown as VenueFailure;
  return null;
}

/** The adapter of an exchange account (paper: the simulated venue; live: ccxt with the account's credentials). */
export interface VenueProvider {
  venueFor(account: { id: string; tenantId: string; kind: 'paper' | 'live'; venue: string; paperConfig?: unknown }): ExchangeAdapter | null;
}

/** Markets are loaded once per adapter and kept: tick and lot sizes change rarely (reconciliation refreshes them). */
export class InstrumentCache {
  readonly #cache = new WeakMap<ExchangeAdapter, Promise<Map<string, VenueMarket>>>();

  async instrument(venue: ExchangeAdapter, symbol: string): Promise<Instrument | null> {
    let markets = this.#cache.get(venue);
    if (!markets) {
      markets = venue.loadMarkets().then((list) => new Map(list.map((m) => [m.symbol, parseVenueData(venueMarketSchema, m, `market ${String(m?.symbol)}`, { venue: venue.venue }) as VenueMarket])));
      markets.catch(() => this.#cache.delete(venue));
      this.#cache.set(venue, markets);
    }
    const m = (await markets).get(symbol);
    return m ? instrumentOfMarket(m) : null;
  }
}
