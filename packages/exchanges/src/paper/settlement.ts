import { Dec, minDec, ZERO } from '../decimal.ts';
import type { VenueOrderType } from '../port.ts';
import type { PaperBalances } from './balances.ts';
import type { ResolvedEngineConfig } from './engine-config.ts';
import type { EngineOrder } from './engine-order.ts';

const BPS = new Dec(10_000);

export interface Settled {
  readonly fee: Dec;
  readonly feeCurrency: string;
}

/**
 * Moves the money of one fill between the paper balances: a buy pays cost (+ fee in quote) from
 * its reserve first, then from free quote; a sell delivers its reserved base and receives the
 * proceeds less the fee. Returns null, changing nothing, when a buyer cannot pay (the price moved
 * beyond what was reserved and free funds do not cover the rest).
 */
export function settleFill(
  balances: PaperBalances,
  cfg: ResolvedEngineConfig,
  o: EngineOrder,
  qty: Dec,
  price: Dec,
  feeRate: Dec,
  base: string,
  quote: string,
): Settled | null {
  const cost = qty.times(price);
  const feeInBase = o.side === 'buy' && !cfg.feeInQuote;
  const fee = feeInBase ? qty.times(feeRate) : cost.times(feeRate);
  if (o.side === 'buy') {
    const need = feeInBase ? cost : cost.plus(fee);
    const fromReserve = minDec(o.reserved, need);
    const extra = need.minus(fromReserve);
    if (extra.greaterThan(0) && balances.free(quote).lessThan(extra)) return null;
    balances.spendLocked(quote, fromReserve);
    o.reserved = o.reserved.minus(fromReserve);
    if (extra.greaterThan(0)) balances.spendFree(quote, extra);
    balances.credit(base, feeInBase ? qty.minus(fee) : qty);
  } else {
    balances.spendLocked(base, qty);
    o.reserved = o.reserved.minus(qty);
    balances.credit(quote, cost.minus(fee));
  }
  return { fee, feeCurrency: feeInBase ? base : quote };
}

/**
 * What a buy reserves in quote on submit: quantity × (limit, stop, or last price slipped) plus
 * the worst fee it can pay (the taker rate for market and stop orders).
 */
export function buyReserve(cfg: ResolvedEngineConfig, type: VenueOrderType, qty: Dec, price: Dec | null, lastPrice: number, lastVolume: number): Dec {
  let ref = price ?? new Dec(lastPrice);
  const takes = type === 'market' || type === 'stop';
  if (takes) {
    const bps = cfg.slippage({ side: 'buy', quantity: qty.toNumber(), price: ref.toNumber(), volume: lastVolume });
    ref = ref.times(BPS.plus(bps)).dividedBy(BPS);
  }
  const cost = qty.times(ref);
  if (!cfg.feeInQuote) return cost;
  const rate = takes ? Dec.max(cfg.takerFeeRate, ZERO) : Dec.max(cfg.makerFeeRate, cfg.takerFeeRate, ZERO);
  return cost.plus(cost.times(rate));
}

/** `price` moved against the taker by `bps` basis points. */
export function slipped(price: Dec, bps: number, side: 'buy' | 'sell'): Dec {
  return price.times(side === 'buy' ? BPS.plus(bps) : BPS.minus(bps)).dividedBy(BPS);
}
