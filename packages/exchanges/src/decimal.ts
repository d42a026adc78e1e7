import { Dec, ZERO } from '@kestrel/trading-core';

/**
 * Exact decimals inside the adapters: trading-core's `Dec` (50 significant digits, banker's
 * rounding, never exponent notation), so a price means the same on both sides of the port.
 */
export { Dec, ZERO };

/** A plain decimal string ("0", never "-0", never exponent notation). */
export function decStr(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}

/**
 * A float (market data, ccxt's unified numbers) as the shortest decimal that round-trips, e.g.
 * 0.1 → "0.1", 1e-8 → "0.00000001". The caller checks finiteness first.
 */
export function numStr(value: number): string {
  return decStr(new Dec(value));
}

/** Rounds to a multiple of `step`: `up` for a buyer's price, `down` for a seller's or a quantity. */
export function roundToStep(value: Dec, step: Dec, mode: 'up' | 'down' | 'nearest'): Dec {
  const rounding = mode === 'up' ? Dec.ROUND_CEIL : mode === 'down' ? Dec.ROUND_FLOOR : Dec.ROUND_HALF_EVEN;
  return value.dividedBy(step).toDecimalPlaces(0, rounding).times(step);
}

export function isMultipleOf(value: Dec, step: Dec): boolean {
  return value.modulo(step).isZero();
}

export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThanOrEqualTo(b) ? a : b;
}
