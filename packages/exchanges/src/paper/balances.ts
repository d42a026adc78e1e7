import { decStr, ZERO, type Dec } from '../decimal.ts';
import type { VenueBalances } from '../port.ts';

interface Account {
  free: Dec;
  locked: Dec;
}

/**
 * The paper account's balances per currency: `free` can be spent, `locked` is reserved by open
 * orders. Callers check before they spend; a negative balance is a bug and throws.
 */
export class PaperBalances {
  readonly #accounts = new Map<string, Account>();

  deposit(currency: string, amount: Dec): void {
    if (amount.isNegative()) throw new RangeError(`deposit of a negative amount: ${decStr(amount)} ${currency}`);
    this.#account(currency).free = this.#account(currency).free.plus(amount);
  }

  free(currency: string): Dec {
    return this.#accounts.get(currency)?.free ?? ZERO;
  }

  locked(currency: string): Dec {
    return this.#accounts.get(currency)?.locked ?? ZERO;
  }

  /** Moves `amount` from free to locked; false (and no change) when free is short. */
  lock(currency: string, amount: Dec): boolean {
    const a = this.#account(currency);
    if (a.free.lessThan(amount)) return false;
    a.free = a.free.minus(amount);
    a.locked = a.locked.plus(amount);
    return true;
  }

  unlock(currency: string, amount: Dec): void {
    const a = this.#account(currency);
    a.locked = nonNegative(a.locked.minus(amount), currency, 'locked');
    a.free = a.free.plus(amount);
  }

  spendLocked(currency: string, amount: Dec): void {
    const a = this.#account(currency);
    a.locked = nonNegative(a.locked.minus(amount), currency, 'locked');
  }

  spendFree(currency: string, amount: Dec): void {
    const a = this.#account(currency);
    a.free = nonNegative(a.free.minus(amount), currency, 'free');
  }

  /** Adds to free; a negative amount (a fee larger than proceeds) is taken from free. */
  credit(currency: string, amount: Dec): void {
    const a = this.#account(currency);
    a.free = nonNegative(a.free.plus(amount), currency, 'free');
  }

  snapshot(): VenueBalances {
    const out: Record<string, { free: string; locked: string; total: string }> = {};
    for (const currency of [...this.#accounts.keys()].sort()) {
      const a = this.#accounts.get(currency)!;
      out[currency] = { free: decStr(a.free), locked: decStr(a.locked), total: decStr(a.free.plus(a.locked)) };
    }
    return out;
  }

  #account(currency: string): Account {
    let a = this.#accounts.get(currency);
    if (!a) {
      a = { free: ZERO, locked: ZERO };
      this.#accounts.set(currency, a);
    }
    return a;
  }
}

function nonNegative(value: Dec, currency: string, side: string): Dec {
  if (value.isNegative() && !value.isZero()) throw new Error(`paper balances: ${side} ${currency} would go negative (${decStr(value)})`);
  return value;
}
