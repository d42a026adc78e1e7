import { cmpDec, decToString, isPositiveDec, ONE, ZERO, type Dec } from '../decimal/dec.ts';
import type { Denial } from '../decisions/denial.ts';
import type { CoreCode } from '../errors/codes.ts';
import type { OrderRequest } from '../orders/order-types.ts';
import type { RiskState } from './risk-limits.ts';

export type RiskCode = Extract<CoreCode, `RISK_${string}`>;

export function deny(code: CoreCode, reason: string, stage: Denial['stage'] = 'risk'): Denial {
  return { stage, code, reason };
}

const s = decToString;

/** True when the order (with the other open orders on its side) can only shrink the position. */
export function isReducing(order: Pick<OrderRequest, 'side' | 'quantity'>, state: Pick<RiskState, 'positionQty' | 'openBuyQty' | 'openSellQty'>): boolean {
  const pos = state.positionQty;
  if (order.side === 'buy') return pos.isNegative() && cmpDec(order.quantity.plus(state.openBuyQty), pos.abs()) <= 0;
  return isPositiveDec(pos) && cmpDec(order.quantity.plus(state.openSellQty), pos) <= 0;
}

/**
 * The price the order's notional is valued at: the limit price, else the stop price, else the
 * last price (market). Null when a market order has no last price.
 */
export function referencePrice(order: Pick<OrderRequest, 'price' | 'stopPrice'>, lastPrice: Dec | null): Dec | null {
  return order.price ?? order.stopPrice ?? lastPrice;
}

export function checkPriceBand(order: OrderRequest, state: RiskState): Denial | null {
  const band = state.limits.priceBand ?? null;
  const last = state.lastPrice;
  if (order.orderType === 'market' && last === null) return deny('RISK_PRICE_BAND', 'no last price to value a market order');
  if (band === null || order.orderType !== 'limit' || order.price === null) return null;
  if (last === null) return deny('RISK_PRICE_BAND', `no last price to check the limit price ${s(order.price)} against`);
  const factors = bandFactors(band);
  const low = last.times(factors.low);
  const high = last.times(factors.high);
  if (cmpDec(order.price, low) < 0 || cmpDec(order.price, high) > 0) {
    return deny(
      'RISK_PRICE_BAND',
      `limit price ${s(order.price)} is outside ±${s(band.times(100))}% of the last price ${s(last)} (${s(low)}–${s(high)})`,
    );
  }
  return null;
}

export function checkOrderNotional(order: OrderRequest, state: RiskState, notional: Dec): Denial | null {
  const max = state.limits.maxOrderNotional ?? null;
  if (max === null || cmpDec(notional, max) <= 0) return null;
  return deny('RISK_MAX_ORDER_NOTIONAL', `order notional ${s(notional)} ${state.instrument.quote} is above the limit ${s(max)} ${state.instrument.quote}`);
}

export function checkPositionNotional(order: OrderRequest, state: RiskState, price: Dec): Denial | null {
  const max = state.limits.maxPositionNotional ?? null;
  if (max === null) return null;
  const projected =
    order.side === 'buy'
      ? state.positionQty.plus(state.openBuyQty).plus(order.quantity)
      : state.positionQty.minus(state.openSellQty).minus(order.quantity);
  const notional = projected.abs().times(price);
  if (cmpDec(notional, max) <= 0) return null;
  return deny(
    'RISK_MAX_POSITION_NOTIONAL',
    `position would be ${s(projected)} ${state.instrument.base} ≈ ${s(notional)} ${state.instrument.quote}, above the limit ${s(max)} ${state.instrument.quote}`,
  );
}

export function checkDailyLoss(state: RiskState): Denial | null {
  const max = state.limits.maxDailyLoss ?? null;
  if (max === null || state.dailyPnl.greaterThan(max.negated())) return null;
  return deny('RISK_MAX_DAILY_LOSS', `today's P&L ${s(state.dailyPnl)} ${state.instrument.quote} reached the daily loss limit of ${s(max)} ${state.instrument.quote}`);
}

export function checkDrawdown(state: RiskState): Denial | null {
  const max = state.limits.maxDrawdown ?? null;
  if (max === null || !isPositiveDec(state.peakEquity)) return null;
  const drawdown = state.peakEquity.minus(state.equity).dividedBy(state.peakEquity);
  if (drawdown.lessThan(max)) return null;
  return deny(
    'RISK_MAX_DRAWDOWN',
    `drawdown ${s(drawdown.times(100).toDecimalPlaces(2))}% from the equity peak ${s(state.peakEquity)} (equity ${s(state.equity)}) reached the limit of ${s(max.times(100))}%`,
  );
}

/**
 * Cash a buy must hold while open: qty × (limit price | stop price | last price) × (1 + fee
 * rate), with the price-band allowance on top for market and stop-market buys, which may fill
 * away from the reference price. Sells reserve no cash (the position is what they spend).
 */
export function reservationFor(order: OrderRequest, state: RiskState): Dec | null {
  if (order.side === 'sell') return ZERO;
  const ref = referencePrice(order, state.lastPrice);
  if (ref === null) return null;
  return reservationOf(order, state, order.quantity.times(ref));
}

/** `reservationFor` with the order's notional (quantity × reference price) already computed. */
export function reservationOf(order: OrderRequest, state: RiskState, notional: Dec): Dec {
  if (order.side === 'sell') return ZERO;
  const slippage = order.orderType === 'market' || order.orderType === 'stop_market' ? (state.limits.priceBand ?? ZERO) : ZERO;
  const fee = state.limits.feeRate ?? ZERO;
  // × (1 + 0) is skipped: the notional is already rounded to the precision, so it would not change.
  const withSlippage = slippage.isZero() ? notional : notional.times(bandFactors(slippage).high);
  return fee.isZero() ? withSlippage : withSlippage.times(feeFactor(fee));
}

export function checkCapital(order: OrderRequest, state: RiskState, freeCapital: Dec, reservation: Dec): Denial | null {
  const { instrument } = state;
  if (order.side === 'sell' && !instrument.allowShort) {
    const sellable = (isPositiveDec(state.positionQty) ? state.positionQty : ZERO).minus(state.openSellQty);
    if (cmpDec(order.quantity, sellable) > 0) {
      return deny(
        'RISK_INSUFFICIENT_CAPITAL',
        `cannot sell ${s(order.quantity)} ${instrument.base}: position ${s(state.positionQty)}, ${s(state.openSellQty)} already in open sell orders`,
      );
    }
  }
  if (cmpDec(reservation, freeCapital) > 0) {
    return deny(
      'RISK_INSUFFICIENT_CAPITAL',
      `order needs ${s(reservation)} ${instrument.quote}, free capital is ${s(freeCapital)} ${instrument.quote}`,
    );
  }
  return null;
}

/*
 * A profile's limits are the same decision after decision (often parsed anew each time), so the
 * factors derived from them are kept for the last value seen, matched by value.
 */
let lastBand: { readonly band: Dec; readonly low: Dec; readonly high: Dec } | null = null;
let lastFee: { readonly fee: Dec; readonly factor: Dec } | null = null;

/** 1 − band and 1 + band. */
function bandFactors(band: Dec): { readonly low: Dec; readonly high: Dec } {
  const c = lastBand;
  if (c !== null && (c.band === band || cmpDec(c.band, band) === 0)) return c;
  const next = { band, low: ONE.minus(band), high: ONE.plus(band) };
  lastBand = next;
  return next;
}

/** 1 + fee rate. */
function feeFactor(fee: Dec): Dec {
  const c = lastFee;
  if (c !== null && (c.fee === fee || cmpDec(c.fee, fee) === 0)) return c.factor;
  const factor = ONE.plus(fee);
  lastFee = { fee, factor };
  return factor;
}
