import type { Dec } from '../decimal/dec.ts';
import type { FeeAmount } from './order-types.ts';

/** Adds a fee to per-currency totals, returning a new list (zero changes nothing). */
export function addFeeAmount(fees: readonly FeeAmount[], currency: string, amount: Dec): readonly FeeAmount[] {
  if (amount.isZero()) return fees;
  const i = fees.findIndex((f) => f.currency === currency);
  if (i < 0) return [...fees, { currency, amount }];
  return fees.map((f, j) => (j === i ? { currency, amount: f.amount.plus(amount) } : f));
}
