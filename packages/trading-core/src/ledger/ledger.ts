import { decToString, isNegationOf, ZERO, type Dec } from '../decimal/dec.ts';
import { coreError, type CoreError } from '../errors/codes.ts';
import { accountKind, CASH, EXTERNAL, FEES, mustStayNonNegative, REALIZED_PNL, reservedAccount, type AccountId, type AccountKind } from './accounts.ts';
import { sameEntries, sumsByCurrency, type LedgerEntry, type LedgerTransaction } from './transaction.ts';

export type LedgerCode =
  | 'LEDGER_EMPTY'
  | 'LEDGER_INVALID_ENTRY'
  | 'LEDGER_UNBALANCED'
  | 'LEDGER_INSUFFICIENT_FUNDS'
  | 'LEDGER_DUPLICATE_TRANSACTION'
  | 'LEDGER_PROFILE_MISMATCH';

export type PostResult =
  | { readonly ok: true; readonly transaction: LedgerTransaction; readonly duplicate: boolean }
  | { readonly ok: false; readonly error: CoreError<LedgerCode> };

/** What operations and the risk engine read. */
export interface LedgerView {
  readonly profileId: string;
  balance(account: AccountId, currency: string): Dec;
  /** Free capital: the `cash` balance (cash not reserved for open orders). */
  freeCapital(currency: string): Dec;
}

/** A pool of free capital that can be reserved from atomically: check and post in one step. */
export interface CapitalPool extends LedgerView {
  post(tx: LedgerTransaction): PostResult;
}

export interface AccountBalance {
  readonly account: AccountId;
  readonly currency: string;
  readonly balance: Dec;
}

/**
 * The double-entry ledger of one profile, in memory: an append-only list of balanced
 * transactions and the balances they add up to. `post` either applies a transaction completely
 * or refuses it with a code and changes nothing. The backend keeps the same entries in its
 * database and uses this aggregate to validate and plan postings (`Ledger.fromTransactions` with
 * an `opening` transaction of the stored balances).
 */
export class Ledger implements CapitalPool {
  readonly profileId: string;
  /** Balances by currency, then account (no string keys to build on every look-up). */
  readonly #balances = new Map<string, Map<AccountId, AccountBalance>>();
  readonly #transactions: LedgerTransaction[] = [];
  readonly #byId = new Map<string, LedgerTransaction>();
  /** Running Σ per currency of the reserved:* and of the position:* accounts. */
  readonly #reservedTotals = new Map<string, Dec>();
  readonly #positionTotals = new Map<string, Dec>();

  readonly #keepHistory: boolean;

  /**
   * `keepHistory: false` keeps balances only — no transaction list, no duplicate detection by id:
   * for a simulation that posts hundreds of thousands of transactions whose ids are unique by
   * construction (the backtester), where the history would only cost memory.
   */
  constructor(profileId: string, options: { readonly keepHistory?: boolean } = {}) {
    this.profileId = profileId;
    this.#keepHistory = options.keepHistory ?? true;
  }

  /** Replays stored transactions; fails on the first one that would be refused. */
  static fromTransactions(profileId: string, transactions: Iterable<LedgerTransaction>): { ok: true; ledger: Ledger } | { ok: false; error: CoreError<LedgerCode>; id: string } {
    const ledger = new Ledger(profileId);
    for (const tx of transactions) {
      const r = ledger.post(tx);
      if (!r.ok) return { ok: false, error: r.error, id: tx.id };
    }
    return { ok: true, ledger };
  }

  post(tx: LedgerTransaction): PostResult {
    if (tx.profileId !== this.profileId) return refuse('LEDGER_PROFILE_MISMATCH', `transaction ${tx.id} is for profile ${tx.profileId}`);
    const entries = tx.entries;
    const n = entries.length;
    if (n === 0) return refuse('LEDGER_EMPTY', `transaction ${tx.id} has no entries`);
    const kinds: AccountKind[] = [];
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      const kind = accountKind(e.account);
      if (kind === null || e.currency.length === 0 || !e.amount.isFinite() || e.amount.isZero()) {
        return refuse('LEDGER_INVALID_ENTRY', `transaction ${tx.id}: invalid entry ${e.account} ${e.currency} ${e.amount.toString()}`);
      }
      kinds.push(kind);
    }
    const existing = this.#byId.get(tx.id);
    if (existing !== undefined) {
      return sameEntries(existing.entries, tx.entries)
        ? { ok: true, transaction: existing, duplicate: true }
        : refuse('LEDGER_DUPLICATE_TRANSACTION', `transaction ${tx.id} was already posted with other entries`);
    }
    const unbalanced = n <= SMALL ? firstUnbalanced(entries) : firstUnbalancedOf(sumsByCurrency(entries));
    if (unbalanced !== null) return refuse('LEDGER_UNBALANCED', `transaction ${tx.id}: ${unbalanced.currency} entries sum to ${decToString(unbalanced.sum)}, not 0`);

    // The new balances of the accounts this transaction touches, in order of first appearance
    // (a handful: a linear search beats building keys for a map).
    const next: AccountBalance[] = [];
    const nextKinds: AccountKind[] = [];
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      let j = 0;
      while (j < next.length && (next[j]!.account !== e.account || next[j]!.currency !== e.currency)) j++;
      const prev = j < next.length ? next[j] : this.#balances.get(e.currency)?.get(e.account);
      next[j] = { account: e.account, currency: e.currency, balance: (prev?.balance ?? ZERO).plus(e.amount) };
      nextKinds[j] = kinds[i]!;
    }
    for (let j = 0; j < next.length; j++) {
      const b = next[j]!;
      if (mustStayNonNegative(nextKinds[j]!) && b.balance.isNegative()) {
        return refuse(
          'LEDGER_INSUFFICIENT_FUNDS',
          `transaction ${tx.id} would leave ${b.account} at ${decToString(b.balance)} ${b.currency} (available ${decToString(this.balance(b.account, b.currency))})`,
        );
      }
    }
    // Our own builders hand out frozen transactions: those are stored as they are, anything else
    // is copied so that the caller cannot change what was posted.
    const frozen: LedgerTransaction =
      Object.isFrozen(tx) && Object.isFrozen(entries) ? tx : Object.freeze({ ...tx, entries: Object.freeze([...entries]) });
    for (let i = 0; i < n; i++) {
      const kind = kinds[i];
      if (kind === 'reserved' || kind === 'position') {
        const e = entries[i]!;
        const totals = kind === 'reserved' ? this.#reservedTotals : this.#positionTotals;
        totals.set(e.currency, (totals.get(e.currency) ?? ZERO).plus(e.amount));
      }
    }
    for (let j = 0; j < next.length; j++) {
      const b = next[j]!;
      let accounts = this.#balances.get(b.currency);
      if (accounts === undefined) {
        accounts = new Map();
        this.#balances.set(b.currency, accounts);
      }
      // A spent reservation is dropped so the balance list does not grow with every order ever placed.
      if (b.balance.isZero() && nextKinds[j] === 'reserved') accounts.delete(b.account);
      else accounts.set(b.account, b);
    }
    if (this.#keepHistory) {
      this.#transactions.push(frozen);
      this.#byId.set(tx.id, frozen);
    }
    return { ok: true, transaction: frozen, duplicate: false };
  }

  balance(account: AccountId, currency: string): Dec {
    return this.#balances.get(currency)?.get(account)?.balance ?? ZERO;
  }

  /** Every account balance (spent reservations left out), sorted by currency then account. */
  balances(): readonly AccountBalance[] {
    const all: AccountBalance[] = [];
    for (const accounts of this.#balances.values()) for (const b of accounts.values()) all.push(b);
    return all.sort((a, b) => (a.currency === b.currency ? cmp(a.account, b.account) : cmp(a.currency, b.currency)));
  }

  freeCapital(currency: string): Dec {
    return this.balance(CASH, currency);
  }

  reservedFor(clientOrderId: string, currency: string): Dec {
    return this.balance(reservedAccount(clientOrderId), currency);
  }

  /** Σ of all order reservations in a currency. */
  reservedTotal(currency: string): Dec {
    return this.#sumKind('reserved', currency);
  }

  /** Σ of the position accounts (cost basis of open positions) in a currency. */
  positionCost(currency: string): Dec {
    return this.#sumKind('position', currency);
  }

  /** cash + reserved + position cost = net deposits + realized P&L − fees (+ adjustments). */
  equityAtCost(currency: string): Dec {
    return this.freeCapital(currency).plus(this.reservedTotal(currency)).plus(this.positionCost(currency));
  }

  /** Realized P&L with its natural sign (profit positive). */
  realizedPnl(currency: string): Dec {
    return this.balance(REALIZED_PNL, currency).negated();
  }

  feesPaid(currency: string): Dec {
    return this.balance(FEES, currency);
  }

  netDeposits(currency: string): Dec {
    return this.balance(EXTERNAL, currency).negated();
  }

  transactions(): readonly LedgerTransaction[] {
    return this.#transactions;
  }

  has(transactionId: string): boolean {
    return this.#byId.has(transactionId);
  }

  #sumKind(kind: 'reserved' | 'position', currency: string): Dec {
    return (kind === 'reserved' ? this.#reservedTotals : this.#positionTotals).get(currency) ?? ZERO;
  }
}

/** Up to this many entries, the balance check runs without a map. */
const SMALL = 8;

/**
 * The first currency (in order of appearance) whose entries do not sum to zero, with its sum,
 * added in entry order as `sumsByCurrency` does. A currency with exactly two entries that are
 * each other's negation is balanced without adding them up.
 */
function firstUnbalanced(entries: readonly LedgerEntry[]): { currency: string; sum: Dec } | null {
  const n = entries.length;
  for (let i = 0; i < n; i++) {
    const currency = entries[i]!.currency;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = entries[j]!.currency === currency;
    if (seen) continue;
    let second = -1;
    let count = 1;
    for (let j = i + 1; j < n; j++) {
      if (entries[j]!.currency !== currency) continue;
      if (second < 0) second = j;
      count++;
    }
    if (count === 2 && isNegationOf(entries[i]!.amount, entries[second]!.amount)) continue;
    let sum = entries[i]!.amount;
    for (let j = i + 1; j < n; j++) if (entries[j]!.currency === currency) sum = sum.plus(entries[j]!.amount);
    if (!sum.isZero()) return { currency, sum };
  }
  return null;
}

function firstUnbalancedOf(sums: Map<string, Dec>): { currency: string; sum: Dec } | null {
  for (const [currency, sum] of sums) if (!sum.isZero()) return { currency, sum };
  return null;
}

function refuse(code: LedgerCode, message: string): PostResult {
  return { ok: false, error: coreError(code, message) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
