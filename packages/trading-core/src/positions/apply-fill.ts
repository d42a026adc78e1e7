import { Dec, minDec, ZERO } from '../decimal/dec.ts';
import type { PositionEvent } from '../messages/position-events.ts';
import { addFeeAmount } from '../orders/fee-amounts.ts';
import type { OrderSide } from '../orders/order-types.ts';
import type { Position } from './position.ts';

/** Decimal places of a cost share taken out of a position (quote currency; NUMERIC scale in the database). */
export const COST_SCALE = 18;

export interface PositionFill {
  readonly side: OrderSide;
  readonly qty: Dec;
  readonly price: Dec;
  readonly fee: Dec;
  readonly feeCurrency: string;
  readonly at: number;
  readonly tradeId?: string;
}

export interface PositionFillResult {
  readonly position: Position;
  /** P&L realized by this fill (gross of fees), quote currency. */
  readonly realizedPnl: Dec;
  /** Signed change of costBasis: what the ledger moves in or out of the position account. */
  readonly costDelta: Dec;
  /** Opened / Changed / Closed; a flip gives Closed then Opened. */
  readonly events: readonly PositionEvent[];
}

/**
 * Books one fill into a netting position. The part of the fill against the position's sign
 * reduces it: it releases the matching share of the cost basis (all of it on a full close, so no
 * dust is left) and realizes the difference; any remainder opens or increases at the fill price.
 *
 * Ledger identity, which the ledger's fill transaction relies on (s = +1 buy, −1 sell):
 * −s·qty·price + costDelta − realizedPnl = 0.
 */
export function applyFillToPosition(position: Position, fill: PositionFill): PositionFillResult {
  if (!fill.qty.greaterThan(0) || !fill.price.greaterThan(0)) throw new RangeError('applyFillToPosition(): fill quantity and price must be positive');
  const signedQty = fill.side === 'buy' ? fill.qty : fill.qty.negated();
  const held = position.quantity;
  const reducing = !held.isZero() && held.isNegative() !== signedQty.isNegative();
  const closeQty = reducing ? minDec(fill.qty, held.abs()) : ZERO;
  const openQty = fill.qty.minus(closeQty);
  const quoteFee = fill.feeCurrency === position.quote ? fill.fee : ZERO;
  // A flip splits the fee between the closing and the opening part by quantity.
  const closeFee = openQty.isZero() ? quoteFee : quoteFee.times(closeQty).dividedBy(fill.qty);
  const openFee = quoteFee.minus(closeFee);
  const fees = addFeeAmount(position.fees, fill.feeCurrency, fill.fee);
  const tradeId = fill.tradeId ?? null;
  const events: PositionEvent[] = [];

  let p: Position = { ...position, fees, updatedAt: Math.max(position.updatedAt, fill.at) };
  let realized = ZERO;
  let costDelta = ZERO;

  if (closeQty.greaterThan(0)) {
    const fullClose = closeQty.equals(held.abs());
    // A partial close takes a pro-rata share of the cost, which may not terminate (20.6271 / 11):
    // it is rounded to COST_SCALE decimals so every later sum stays exact far below Dec's 50
    // significant digits, and the remaining cost absorbs the rounding (nothing is lost).
    const costRemoved = fullClose
      ? position.costBasis
      : position.costBasis.times(closeQty).dividedBy(held.abs()).toDecimalPlaces(COST_SCALE, Dec.ROUND_HALF_EVEN);
    const exitValue = closeQty.times(fill.price);
    realized = (held.isNegative() ? exitValue.negated() : exitValue).minus(costRemoved);
    costDelta = costRemoved.negated();
    const quantity = held.plus(held.isNegative() ? closeQty : closeQty.negated());
    const costBasis = fullClose ? ZERO : position.costBasis.minus(costRemoved);
    p = {
      ...p,
      quantity: fullClose ? ZERO : quantity,
      costBasis,
      avgEntryPrice: fullClose ? null : costBasis.dividedBy(quantity),
      realizedPnl: position.realizedPnl.plus(realized),
      roundTripRealizedPnl: position.roundTripRealizedPnl.plus(realized),
      roundTripFees: position.roundTripFees.plus(closeFee),
    };
    if (fullClose) {
      events.push({
        type: 'PositionClosed',
        at: fill.at,
        profileId: p.profileId,
        symbol: p.symbol,
        position: p,
        tradeId,
        realizedPnl: realized,
        roundTripPnl: p.roundTripRealizedPnl.minus(p.roundTripFees),
      });
    } else {
      events.push({ type: 'PositionChanged', at: fill.at, profileId: p.profileId, symbol: p.symbol, position: p, tradeId, realizedPnl: realized });
    }
  }

  if (openQty.greaterThan(0)) {
    const wasFlat = p.quantity.isZero();
    const openCost = (fill.side === 'buy' ? openQty : openQty.negated()).times(fill.price);
    const quantity = p.quantity.plus(fill.side === 'buy' ? openQty : openQty.negated());
    const costBasis = p.costBasis.plus(openCost);
    costDelta = costDelta.plus(openCost);
    p = {
      ...p,
      quantity,
      costBasis,
      avgEntryPrice: costBasis.dividedBy(quantity),
      roundTripRealizedPnl: wasFlat ? ZERO : p.roundTripRealizedPnl,
      roundTripFees: wasFlat ? openFee : p.roundTripFees.plus(openFee),
      openedAt: wasFlat ? fill.at : p.openedAt,
    };
    events.push(
      wasFlat
        ? { type: 'PositionOpened', at: fill.at, profileId: p.profileId, symbol: p.symbol, position: p, tradeId }
        : { type: 'PositionChanged', at: fill.at, profileId: p.profileId, symbol: p.symbol, position: p, tradeId, realizedPnl: ZERO },
    );
  }

  return { position: p, realizedPnl: realized, costDelta, events };
}
