import type { Dec } from '../decimal/dec.ts';
import type { AccountId } from './accounts.ts';

export interface LedgerEntry {
  readonly account: AccountId;
  readonly currency: string;
  /** Debit positive, credit negative. Never zero. */
  readonly amount: Dec;
}

export type LedgerTransactionKind = 'opening' | 'deposit' | 'withdrawal' | 'reserve' | 'release' | 'fill' | 'fee' | 'adjustment';

/**
 * A balanced set of entries: for every currency the amounts sum to zero. The id is given by the
 * caller and deterministic (e.g. `fill:<venue>:<tradeId>`, see `ledgerTxId`), so posting the same
 * transaction twice is recognised.
 */
export interface LedgerTransaction {
  readonly id: string;
  readonly profileId: string;
  readonly kind: LedgerTransactionKind;
  readonly at: number;
  readonly entries: readonly LedgerEntry[];
  readonly clientOrderId?: string;
  readonly tradeId?: string;
  readonly memo?: string;
}

/** Deterministic transaction ids, one per fact, so a retried posting is a recognised duplicate. */
export const ledgerTxId = {
  deposit: (ref: string) => `deposit:${ref}`,
  withdrawal: (ref: string) => `withdrawal:${ref}`,
  reserve: (clientOrderId: string) => `reserve:${clientOrderId}`,
  /** The final release of an order's remaining reservation, when the order ends. */
  release: (clientOrderId: string) => `release:${clientOrderId}`,
  fill: (venue: string, tradeId: string) => `fill:${venue}:${tradeId}`,
  fee: (ref: string) => `fee:${ref}`,
  adjustment: (ref: string) => `adjustment:${ref}`,
} as const;

/** Net amount per currency; a balanced transaction has only zeros. */
export function sumsByCurrency(entries: readonly LedgerEntry[]): Map<string, Dec> {
  const sums = new Map<string, Dec>();
  for (const e of entries) {
    const prev = sums.get(e.currency);
    sums.set(e.currency, prev === undefined ? e.amount : prev.plus(e.amount));
  }
  return sums;
}

export function sameEntries(a: readonly LedgerEntry[], b: readonly LedgerEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => {
    const o = b[i];
    return o !== undefined && o.account === e.account && o.currency === e.currency && o.amount.equals(e.amount);
  });
}
