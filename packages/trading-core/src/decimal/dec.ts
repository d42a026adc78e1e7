import Decimal from 'decimal.js';
import { err, ok, type Result } from '../errors/codes.ts';

/**
 * Exact decimals for every price, quantity and amount that is stored, sent or booked.
 *
 * A dedicated decimal.js clone, so no other code's global Decimal settings can change ours:
 * 50 significant digits (products of two parsed values stay exact), banker's rounding
 * (ROUND_HALF_EVEN) where a division must round, and exponent notation switched off so
 * `toString()` always gives a plain decimal string for the wire and the database.
 */
export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Dec = Decimal;

export const ZERO: Dec = new Dec(0);
export const ONE: Dec = new Dec(1);

/** Digits allowed on each side of the dot in external input; more is treated as garbage. */
export const MAX_DIGITS = 24;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export type DecSign = 'any' | 'nonNegative' | 'positive';

/**
 * Parses a decimal from external input (API bodies, venue responses, configuration). Only plain
 * decimal strings are accepted: no exponent, no NaN/Infinity, no hex, no spaces, no leading `+`
 * or bare dot. Numbers are refused too: a float has already lost the exact value.
 */
export function parseDec(
  input: unknown,
  options: { sign?: DecSign; field?: string } = {},
): Result<Dec, 'DECIMAL_INVALID' | 'DECIMAL_OUT_OF_RANGE' | 'DECIMAL_NEGATIVE' | 'DECIMAL_NOT_POSITIVE'> {
  const field = options.field ?? 'value';
  if (typeof input !== 'string') return err('DECIMAL_INVALID', `${field} must be a decimal string, got ${typeof input}`);
  const m = PLAIN_DECIMAL.exec(input);
  if (!m) return err('DECIMAL_INVALID', `${field} is not a plain decimal string: ${JSON.stringify(input.slice(0, 40))}`);
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.replace(/^0+(?=\d)/, '').length > MAX_DIGITS || fracDigits.length > MAX_DIGITS) {
    return err('DECIMAL_OUT_OF_RANGE', `${field} has more than ${MAX_DIGITS} digits before or after the dot`);
  }
  const value = new Dec(input);
  const sign = options.sign ?? 'any';
  if (sign === 'nonNegative' && value.isNegative() && !value.isZero()) {
    return err('DECIMAL_NEGATIVE', `${field} must not be negative: ${input}`);
  }
  if (sign === 'positive' && !value.greaterThan(0)) {
    return err('DECIMAL_NOT_POSITIVE', `${field} must be greater than zero: ${input}`);
  }
  return ok(value.isZero() ? ZERO : value);
}

/**
 * A decimal from trusted code (constants, tests, configuration already validated). Throws on
 * anything that is not a finite number or a plain decimal string: that is a programming error.
 */
export function dec(value: string | number): Dec {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`dec(): not a finite number: ${value}`);
    return new Dec(value);
  }
  if (!PLAIN_DECIMAL.test(value)) throw new RangeError(`dec(): not a plain decimal string: ${JSON.stringify(value)}`);
  return new Dec(value);
}

/**
 * A float from a strategy or an indicator, as a decimal; null when it is not finite. The float's
 * shortest round-trip representation is taken (0.1 → "0.1"), then callers round to tick/lot.
 */
export function decFromNumber(value: number): Dec | null {
  return Number.isFinite(value) ? new Dec(value) : null;
}

/** Plain decimal string, never exponent notation, never "-0". */
export function decToString(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}

export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThanOrEqualTo(b) ? a : b;
}

export function maxDec(a: Dec, b: Dec): Dec {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

/** Sum of decimals (exact up to the 50-digit precision). */
export function sumDec(values: Iterable<Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
