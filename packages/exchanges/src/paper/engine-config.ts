import { Dec } from '../decimal.ts';
import { noSlippage, type SlippageModel } from './slippage.ts';

export interface PaperEngineConfig {
  /** Fee rate of fills that rested in the book, e.g. "0.001" (0.1 %); negative for a rebate. Default "0.001". */
  readonly makerFeeRate?: string;
  /** Fee rate of fills that took liquidity (market, stop, marketable limit). Default "0.001". */
  readonly takerFeeRate?: string;
  /**
   * `quote` (default): every fee is charged in the quote currency. `received`: in what the fill
   * delivers (base for a buy, quote for a sell), like Binance spot without BNB.
   */
  readonly feeCurrency?: 'quote' | 'received';
  /** Applied to taker fills (market, stop, marketable limit). Default none. */
  readonly slippage?: SlippageModel;
  /**
   * Partial fills. `maxFillFraction`: at most this share of an order's quantity fills per price
   * event (tick or bar), at least one lot. `volumeShare`: all fills of one event together take at
   * most this share of the event's volume (bar volume, or the volume handed to `onTick`).
   */
  readonly partialFills?: { readonly maxFillFraction?: number; readonly volumeShare?: number };
  /** A resting limit fills when the price touches it (default) or only when it trades through. */
  readonly limitFill?: 'touch' | 'cross';
  /**
   * `immediate` (default): a market order fills on submit at the last price (the backtester's
   * "same bar's close"). `next-price`: it waits for the next tick or bar and fills at that price
   * or bar's open (the backtester's "next bar's open").
   */
  readonly marketOrders?: 'immediate' | 'next-price';
  /**
   * Real venues refuse a client order id only while an order with it is open (`open`, the
   * default): once the first order is filled or cancelled, a resend with the same id is accepted
   * as a new order — which is how instantly filled market orders get doubled by blind resends.
   * `all` refuses any id ever used, which some tests want.
   */
  readonly clientIdUniqueness?: 'open' | 'all';
}

export interface ResolvedEngineConfig {
  readonly makerFeeRate: Dec;
  readonly takerFeeRate: Dec;
  readonly feeInQuote: boolean;
  readonly slippage: SlippageModel;
  readonly maxFillFraction: number;
  readonly volumeShare: number;
  readonly limitTouch: boolean;
  readonly immediateMarket: boolean;
  readonly uniqueAmongAll: boolean;
}

export function resolveEngineConfig(config: PaperEngineConfig = {}): ResolvedEngineConfig {
  const maxFillFraction = config.partialFills?.maxFillFraction ?? 1;
  const volumeShare = config.partialFills?.volumeShare ?? 0;
  if (!(maxFillFraction > 0 && maxFillFraction <= 1)) throw new RangeError(`maxFillFraction must be in (0, 1], got ${maxFillFraction}`);
  if (!(volumeShare >= 0 && volumeShare <= 1)) throw new RangeError(`volumeShare must be in [0, 1] (0 = no cap), got ${volumeShare}`);
  return {
    makerFeeRate: feeRate(config.makerFeeRate ?? '0.001', 'makerFeeRate'),
    takerFeeRate: feeRate(config.takerFeeRate ?? '0.001', 'takerFeeRate'),
    feeInQuote: (config.feeCurrency ?? 'quote') === 'quote',
    slippage: config.slippage ?? noSlippage,
    maxFillFraction,
    volumeShare,
    limitTouch: (config.limitFill ?? 'touch') === 'touch',
    immediateMarket: (config.marketOrders ?? 'immediate') === 'immediate',
    uniqueAmongAll: config.clientIdUniqueness === 'all',
  };
}

function feeRate(value: string, name: string): Dec {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new RangeError(`${name} must be a decimal string, got ${JSON.stringify(value)}`);
  const rate = new Dec(value);
  if (rate.abs().greaterThanOrEqualTo(1)) throw new RangeError(`${name} must be below 100 %: ${value}`);
  return rate;
}
