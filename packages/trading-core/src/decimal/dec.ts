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
  // Trusted code passes the same few constants again and again ('0.05', '1000'): a Dec is
  // immutable, so the parsed value is shared instead of parsing the string on every call.
  const cached = DEC_CACHE.get(value);
  if (cached !== undefined) return cached;
  if (!PLAIN_DECIMAL.test(value)) throw new RangeError(`dec(): not a plain decimal string: ${JSON.stringify(value)}`);
  const parsed = new Dec(value);
  if (DEC_CACHE.size >= DEC_CACHE_MAX) DEC_CACHE.clear();
  DEC_CACHE.set(value, parsed);
  return parsed;
}

const DEC_CACHE = new Map<string, Dec>();
const DEC_CACHE_MAX = 4096;

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

/*
 * Allocation-free helpers for the decision path. decimal.js copies the argument of every
 * comparison (`x.lessThan(y)` builds a new Decimal from y, `x.greaterThan(0)` parses 0), which
 * adds up on a path that compares a dozen times per decision. These read the documented
 * read-only fields of a Decimal (`d` digits in base 1e7, `e` exponent, `s` sign) and give the
 * same answers as decimal.js.
 */

/** `x.comparedTo(y)` without copying y: 1, -1, 0, or NaN when either is NaN. */
export function cmpDec(x: Dec, y: Dec): number {
  const xd = x.d;
  const yd = y.d;
  const xs = x.s;
  const ys = y.s;
  if (!xd || !yd) return !xs || !ys ? NaN : xs !== ys ? xs : xd === yd ? 0 : !xd !== xs < 0 ? 1 : -1;
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? -ys : 0;
  if (xs !== ys) return xs;
  if (x.e !== y.e) return x.e > y.e !== xs < 0 ? 1 : -1;
  const xdL = xd.length;
  const ydL = yd.length;
  for (let i = 0, j = xdL < ydL ? xdL : ydL; i < j; ++i) {
    if (xd[i] !== yd[i]) return xd[i]! > yd[i]! !== xs < 0 ? 1 : -1;
  }
  return xdL === ydL ? 0 : xdL > ydL !== xs < 0 ? 1 : -1;
}

/** `x.greaterThan(0)` without allocating (false for NaN, zero and -0). */
export function isPositiveDec(x: Dec): boolean {
  return x.s === 1 && !x.isZero();
}

/** True when `x` is exactly −`y` (both finite, non-zero): no allocation, no rounding. */
export function isNegationOf(x: Dec, y: Dec): boolean {
  const xd = x.d;
  const yd = y.d;
  if (!xd || !yd || x.s !== -y.s || x.e !== y.e || xd.length !== yd.length || !xd[0]) return false;
  for (let i = 0; i < xd.length; i++) if (xd[i] !== yd[i]) return false;
  return true;
}

const POW10_EXP = new WeakMap<Dec, number>();

/**
 * k when `step` is exactly 10^−k (k ≥ 0: 1, 0.1, 0.01 …), else −1; cached per Dec instance.
 * Rounding to and checking multiples of such a step needs no division.
 */
export function decimalStepPlaces(step: Dec): number {
  let k = POW10_EXP.get(step);
  if (k === undefined) {
    const dp = step.isFinite() && step.isPositive() ? step.decimalPlaces() : -1;
    k = dp >= 0 && step.toFixed() === (dp === 0 ? '1' : `0.${'0'.repeat(dp - 1)}1`) ? dp : -1;
    POW10_EXP.set(step, k);
  }
  return k;
}
