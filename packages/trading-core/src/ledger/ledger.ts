import { decToString, ZERO, type Dec } from '../decimal/dec.ts';
import { coreError, type CoreError } from '../errors/codes.ts';
import { accountKind, CASH, EXTERNAL, FEES, mustStayNonNegative, REALIZED_PNL, reservedAccount, type AccountId } from './accounts.ts';
import { sameEntries, sumsByCurrency, type LedgerTransaction } from './transaction.ts';

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

const key = (account: AccountId, currency: string) => `${currency}\u0000${account}`;

/**
 * The double-entry ledger of one profile, in memory: an append-only list of balanced
 * transactions and the balances they add up to. `post` either applies a transaction completely
 * or refuses it with a code and changes nothing. The backend keeps the same entries in its
 * database and uses this aggregate to validate and plan postings (`Ledger.fromTransactions` with
 * an `opening` transaction of the stored balances).
 */
export class Ledger implements CapitalPool {
  readonly profileId: string;
  readonly #balances = new Map<string, AccountBalance>();
  readonly #transactions: LedgerTransaction[] = [];
  readonly #byId = new Map<string, LedgerTransaction>();
  /** Running Σ per currency of reserved:* and position:* accounts. */
  readonly #kindTotals = new Map<string, Dec>();

  constructor(profileId: string) {
    this.profileId = profileId;
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
    if (tx.entries.length === 0) return refuse('LEDGER_EMPTY', `transaction ${tx.id} has no entries`);
    for (const e of tx.entries) {
      if (accountKind(e.account) === null || e.currency.length === 0 || !e.amount.isFinite() || e.amount.isZero()) {
        return refuse('LEDGER_INVALID_ENTRY', `transaction ${tx.id}: invalid entry ${e.account} ${e.currency} ${e.amount.toString()}`);
      }
    }
    const existing = this.#byId.get(tx.id);
    if (existing !== undefined) {
      return sameEntries(existing.entries, tx.entries)
        ? { ok: true, transaction: existing, duplicate: true }
        : refuse('LEDGER_DUPLICATE_TRANSACTION', `transaction ${tx.id} was already posted with other entries`);
    }
    for (const [currency, sum] of sumsByCurrency(tx.entries)) {
      if (!sum.isZero()) return refuse('LEDGER_UNBALANCED', `transaction ${tx.id}: ${currency} entries sum to ${decToString(sum)}, not 0`);
    }
    const next = new Map<string, AccountBalance>();
    for (const e of tx.entries) {
      const k = key(e.account, e.currency);
      const prev = next.get(k) ?? this.#balances.get(k);
      next.set(k, { account: e.account, currency: e.currency, balance: (prev?.balance ?? ZERO).plus(e.amount) });
    }
    for (const b of next.values()) {
      const kind = accountKind(b.account);
      if (kind !== null && mustStayNonNegative(kind) && b.balance.isNegative()) {
        return refuse(
          'LEDGER_INSUFFICIENT_FUNDS',
          `transaction ${tx.id} would leave ${b.account} at ${decToString(b.balance)} ${b.currency} (available ${decToString(this.balance(b.account, b.currency))})`,
        );
      }
    }
    const frozen: LedgerTransaction = Object.freeze({ ...tx, entries: Object.freeze([...tx.entries]) });
    for (const e of tx.entries) {
      const kind = accountKind(e.account);
      if (kind === 'reserved' || kind === 'position') {
        const tk = key(kind, e.currency);
        this.#kindTotals.set(tk, (this.#kindTotals.get(tk) ?? ZERO).plus(e.amount));
      }
    }
    for (const [k, b] of next) {
      // A spent reservation is dropped so the balance list does not grow with every order ever placed.
      if (b.balance.isZero() && accountKind(b.account) === 'reserved') this.#balances.delete(k);
      else this.#balances.set(k, b);
    }
    this.#transactions.push(frozen);
    this.#byId.set(tx.id, frozen);
    return { ok: true, transaction: frozen, duplicate: false };
  }

  balance(account: AccountId, currency: string): Dec {
    return this.#balances.get(key(account, currency))?.balance ?? ZERO;
  }

  /** Every account balance (spent reservations left out), sorted by currency then account. */
  balances(): readonly AccountBalance[] {
    return [...this.#balances.values()].sort((a, b) => (a.currency === b.currency ? cmp(a.account, b.account) : cmp(a.currency, b.currency)));
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
    return this.#kindTotals.get(key(kind, currency)) ?? ZERO;
  }
}

function refuse(code: LedgerCode, message: string): PostResult {
  return { ok: false, error: coreError(code, message) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
