import { Dec, numStr } from '../decimal.ts';
import type { TimeInForce, VenueBalances, VenueCandle, VenueMarket, VenueOrder, VenueOrderBook, VenueOrderStatus, VenueOrderType, VenueTicker, VenueTrade } from '../port.ts';
import {
  parseVenueData,
  malformed,
  venueBalancesSchema,
  venueCandleSchema,
  venueMarketSchema,
  venueOrderBookSchema,
  venueOrderSchema,
  venueTickerSchema,
  venueTradeSchema,
} from '../validation/venue-schemas.ts';
import { z } from 'zod';
import { PRECISION_DECIMAL_PLACES, PRECISION_TICK_SIZE } from './ccxt-client.ts';
import {
  ccxtBalanceSchema,
  ccxtMarketSchema,
  ccxtOhlcvSchema,
  ccxtOrderBookSchema,
  ccxtOrderSchema,
  ccxtTickerSchema,
  ccxtTradeSchema,
  type CcxtOrder,
} from './ccxt-schemas.ts';

/** Context of one mapping: which venue, whether the call was a write (then malformed is ambiguous), now. */
export interface MapContext {
  readonly venue: string;
  readonly write: boolean;
  readonly now: number;
}

const opts = (ctx: MapContext) => ({ venue: ctx.venue, ambiguous: ctx.write });

export function toVenueMarkets(raw: unknown, precisionMode: number | undefined, ctx: MapContext): VenueMarket[] {
  const dict = parseVenueData(z.record(z.string(), z.unknown()), raw, 'markets', opts(ctx));
  const out: VenueMarket[] = [];
  for (const value of Object.values(dict)) {
    const m = parseVenueData(ccxtMarketSchema, value, 'market', opts(ctx));
    if (m.spot === false) continue; // Kestrel trades spot; derivatives share the markets list in ccxt
    const tick = step(m.precision.price, precisionMode, m.symbol, ctx);
    const lot = step(m.precision.amount, precisionMode, m.symbol, ctx);
    out.push(
      parseVenueData(
        venueMarketSchema,
        {
          symbol: m.symbol,
          base: m.base,
          quote: m.quote,
          tickSize: tick,
          lotSize: lot,
          minQty: m.limits.amount?.min == null ? lot : numStr(m.limits.amount.min),
          minNotional: m.limits.cost?.min == null ? '0' : numStr(m.limits.cost.min),
          active: m.active !== false,
        },
        `market ${m.symbol}`,
        opts(ctx),
      ),
    );
  }
  return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

function step(precision: number, mode: number | undefined, symbol: string, ctx: MapContext): string {
  if (mode === PRECISION_TICK_SIZE) return numStr(precision);
  if (mode === PRECISION_DECIMAL_PLACES && Number.isInteger(precision) && precision <= 24) return new Dec(10).pow(-precision).toFixed();
  return malformed(`${symbol}: precision mode ${mode} (${precision}) is not supported`, opts(ctx));
}

export function toVenueTicker(raw: unknown, ctx: MapContext): VenueTicker {
  const t = parseVenueData(ccxtTickerSchema, raw, 'ticker', opts(ctx));
  return parseVenueData(
    venueTickerSchema,
    { symbol: t.symbol, last: numStr(t.last), bid: t.bid == null ? null : numStr(t.bid), ask: t.ask == null ? null : numStr(t.ask), time: t.timestamp ?? ctx.now },
    'ticker',
    opts(ctx),
  );
}

export function toVenueCandles(raw: unknown, ctx: MapContext): VenueCandle[] {
  const rows = parseVenueData(ccxtOhlcvSchema, raw, 'candles', opts(ctx));
  return rows.map(([time, open, high, low, close, volume]) => parseVenueData(venueCandleSchema, { time, open, high, low, close, volume }, `candle ${time}`, opts(ctx)));
}

export function toVenueOrderBook(raw: unknown, symbol: string, ctx: MapContext): VenueOrderBook {
  const b = parseVenueData(ccxtOrderBookSchema, raw, 'order book', opts(ctx));
  const side = (levels: readonly (readonly [number, number, ...unknown[]])[]) => levels.map(([p, q]) => [numStr(p), numStr(q)] as const);
  return parseVenueData(venueOrderBookSchema, { symbol, bids: side(b.bids), asks: side(b.asks), time: b.timestamp ?? ctx.now }, 'order book', opts(ctx));
}

/** Currencies with a non-zero total (venues list hundreds of empty ones). */
export function toVenueBalances(raw: unknown, ctx: MapContext): VenueBalances {
  const b = parseVenueData(ccxtBalanceSchema, raw, 'balances', opts(ctx));
  const out: Record<string, { free: string; locked: string; total: string }> = {};
  for (const currency of Object.keys(b.total).sort()) {
    const total = b.total[currency] ?? 0;
    if (total === 0) continue;
    out[currency] = { free: numStr(b.free[currency] ?? 0), locked: numStr(b.used[currency] ?? 0), total: numStr(total) };
  }
  return parseVenueData(venueBalancesSchema, out, 'balances', opts(ctx));
}

const ORDER_TYPES: Readonly<Record<string, VenueOrderType>> = {
  market: 'market',
  limit: 'limit',
  limit_maker: 'limit',
  stop: 'stop',
  stop_market: 'stop',
  stop_loss: 'stop',
  take_profit: 'stop',
  stop_limit: 'stop_limit',
  stop_loss_limit: 'stop_limit',
  take_profit_limit: 'stop_limit',
};

/**
 * A ccxt order as a VenueOrder. `clientOrderId` overrides the order's own (cancel responses of
 * some venues carry another id there); an order placed outside Kestrel without any client id gets
 * `~<venueOrderId>`, so reconciliation sees it as foreign.
 */
export function toVenueOrder(raw: unknown, ctx: MapContext, clientOrderId?: string): VenueOrder {
  const o: CcxtOrder = parseVenueData(ccxtOrderSchema, raw, 'order', opts(ctx));
  // ccxt reports most trigger orders as 'market'/'limit' with a triggerPrice (Binance STOP_LOSS → market).
  const named = ORDER_TYPES[o.type.toLowerCase()];
  const triggered = o.triggerPrice != null && o.triggerPrice > 0;
  const type = named === 'market' && triggered ? 'stop' : named === 'limit' && triggered ? 'stop_limit' : named;
  if (!type) return malformed(`order ${o.id}: unknown order type ${JSON.stringify(o.type)}`, opts(ctx));
  if (o.filled > o.amount) return malformed(`order ${o.id}: filled ${o.filled} > amount ${o.amount}`, opts(ctx));
  const order: { -readonly [K in keyof VenueOrder]: VenueOrder[K] } = {
    venueOrderId: o.id,
    clientOrderId: clientOrderId ?? (o.clientOrderId || `~${o.id}`),
    symbol: o.symbol,
    side: o.side,
    type,
    status: status(o),
    quantity: numStr(o.amount),
    filledQuantity: numStr(o.filled),
    averagePrice: o.filled > 0 && o.average != null && o.average > 0 ? numStr(o.average) : null,
    createdAt: o.timestamp,
    updatedAt: Math.max(o.timestamp, o.lastUpdateTimestamp ?? 0, o.lastTradeTimestamp ?? 0),
  };
  if ((type === 'limit' || type === 'stop_limit') && o.price) order.price = numStr(o.price);
  if ((type === 'stop' || type === 'stop_limit') && o.triggerPrice) order.stopPrice = numStr(o.triggerPrice);
  const tif = o.timeInForce?.toUpperCase();
  if (tif === 'GTC' || tif === 'IOC' || tif === 'FOK') order.timeInForce = tif as TimeInForce;
  if (o.status === 'closed' && o.filled < o.amount) order.reason = 'closed before it was completely filled';
  return parseVenueData(venueOrderSchema, order, `order ${o.id}`, opts(ctx));
}

function status(o: CcxtOrder): VenueOrderStatus {
  switch (o.status) {
    case 'open':
    case 'canceling':
      return o.filled > 0 ? 'partially_filled' : 'open';
    case 'closed':
      return o.filled < o.amount ? 'cancelled' : 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
  }
}

export function toVenueTrade(raw: unknown, ctx: MapContext): VenueTrade {
  const t = parseVenueData(ccxtTradeSchema, raw, 'trade', opts(ctx));
  return parseVenueData(
    venueTradeSchema,
    {
      tradeId: t.id,
      venueOrderId: t.order,
      clientOrderId: null,
      symbol: t.symbol,
      side: t.side,
      quantity: numStr(t.amount),
      price: numStr(t.price),
      fee: numStr(t.fee.cost),
      feeCurrency: t.fee.currency,
      liquidity: t.takerOrMaker,
      timestamp: t.timestamp,
    },
    `trade ${t.id}`,
    opts(ctx),
  );
}
