import { ZERO, type Dec } from '../decimal/dec.ts';
import type { Instrument } from '../instruments/instrument.ts';
import type { FeeAmount } from '../orders/order-types.ts';

/**
 * A netting position: one per profile and instrument, quantity signed (long > 0, short < 0).
 *
 * `costBasis` is the signed quote amount paid (long) or received (short) for the open quantity;
 * it is what the ledger's position account holds, so a full close returns that account to exactly
 * zero. `avgEntryPrice` = costBasis / quantity. Realized P&L is gross, in the quote currency;
 * fees are tracked apart (net = realized − fees in quote). The round-trip fields restart at every
 * open and tell whether a close was a loss, fees included.
 */
export interface Position {
  readonly profileId: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly quantity: Dec;
  readonly costBasis: Dec;
  readonly avgEntryPrice: Dec | null;
  /** Cumulative realized P&L (gross of fees) over the position's whole life, quote currency. */
  readonly realizedPnl: Dec;
  /** Cumulative fees by currency. */
  readonly fees: readonly FeeAmount[];
  /** Realized P&L and quote-currency fees since the current (or last) open. */
  readonly roundTripRealizedPnl: Dec;
  readonly roundTripFees: Dec;
  readonly openedAt: number | null;
  readonly updatedAt: number;
}

export type PositionSide = 'long' | 'short' | 'flat';

export function flatPosition(profileId: string, instrument: Instrument, at: number): Position {
  return {
    profileId,
    symbol: instrument.symbol,
    base: instrument.base,
    quote: instrument.quote,
    quantity: ZERO,
    costBasis: ZERO,
    avgEntryPrice: null,
    realizedPnl: ZERO,
    fees: [],
    roundTripRealizedPnl: ZERO,
    roundTripFees: ZERO,
    openedAt: null,
    updatedAt: at,
  };
}

export function positionSide(position: Pick<Position, 'quantity'>): PositionSide {
  return position.quantity.isZero() ? 'flat' : position.quantity.isNegative() ? 'short' : 'long';
}

/** Unrealized P&L at a mark price: quantity × mark − costBasis (right for long and short). */
export function unrealizedPnl(position: Pick<Position, 'quantity' | 'costBasis'>, markPrice: Dec): Dec {
  return position.quantity.isZero() ? ZERO : position.quantity.times(markPrice).minus(position.costBasis);
}

/** |quantity| × mark. */
export function positionNotional(position: Pick<Position, 'quantity'>, markPrice: Dec): Dec {
  return position.quantity.abs().times(markPrice);
}

/** Realized P&L minus the fees paid in the quote currency. */
export function netRealizedPnl(position: Position): Dec {
  const quoteFees = position.fees.find((f) => f.currency === position.quote)?.amount ?? ZERO;
  return position.realizedPnl.minus(quoteFees);
}
