import { decToString, isPositiveDec, minDec, ZERO, type Dec } from '../decimal/dec.ts';
import { err, ok, type Result } from '../errors/codes.ts';
import type { OrderSide } from '../orders/order-types.ts';
import { ADJUSTMENTS, CASH, EXTERNAL, FEES, positionAccount, REALIZED_PNL, reservedAccount, type AccountId } from './accounts.ts';
import type { LedgerView } from './ledger.ts';
import type { LedgerEntry, LedgerTransaction, LedgerTransactionKind } from './transaction.ts';

/**
 * Builders of balanced transactions for each ledger operation. They read the ledger (never write
 * it) and return a transaction to `post`; a refusal for lack of funds comes from `post`.
 */
type Op<T> = Result<T, 'LEDGER_INVALID_ENTRY'>;

interface Base {
  readonly id: string;
  readonly at: number;
  readonly memo?: string;
}

/** Money in from outside: external → cash. */
export function depositTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  return positive(p.amount, 'deposit') ?? ok(pair(ledger, 'deposit', p, p.currency, CASH, p.amount, EXTERNAL, p.amount.negated()));
}

/** Money out: cash → external (refused by `post` beyond free cash). */
export function withdrawTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  return positive(p.amount, 'withdrawal') ?? ok(pair(ledger, 'withdrawal', p, p.currency, CASH, p.amount.negated(), EXTERNAL, p.amount));
}

/** Holds cash for an open buy order: cash → reserved:<clientOrderId>. */
export function reserveTx(ledger: LedgerView, p: Base & { clientOrderId: string; currency: string; amount: Dec }): Op<LedgerTransaction> {
  return (
    positive(p.amount, 'reservation') ??
    ok(pair(ledger, 'reserve', p, p.currency, CASH, p.amount.negated(), reservedAccount(p.clientOrderId), p.amount, p.clientOrderId))
  );
}

/**
 * Gives back what is left of an order's reservation (all of it by default): reserved → cash.
 * Returns null when nothing is reserved for the order.
 */
export function releaseTx(ledger: LedgerView, p: Base & { clientOrderId: string; currency: string; amount?: Dec }): Op<LedgerTransaction | null> {
  const reserved = reservedAccount(p.clientOrderId);
  const held = ledger.balance(reserved, p.currency);
  const amount = p.amount === undefined ? held : p.amount;
  if (p.amount !== undefined && !isPositiveDec(p.amount)) return err('LEDGER_INVALID_ENTRY', 'a release amount must be positive');
  if (amount.isZero()) return ok(null);
  return ok(pair(ledger, 'release', p, p.currency, reserved, amount.negated(), CASH, amount, p.clientOrderId));
}

/** A fee charged outside a fill (or a correction of one): cash → fees. */
export function feeTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  return positive(p.amount, 'fee') ?? ok(pair(ledger, 'fee', p, p.currency, FEES, p.amount, CASH, p.amount.negated()));
}

/** Corrects drift against the venue's balance: adjustments ↔ cash (signed). */
export function adjustmentTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  if (p.amount.isZero() || !p.amount.isFinite()) return err('LEDGER_INVALID_ENTRY', 'an adjustment must be non-zero');
  return ok(pair(ledger, 'adjustment', p, p.currency, CASH, p.amount, ADJUSTMENTS, p.amount.negated()));
}

/**
 * Restores stored balances as one `opening` transaction (they sum to zero per currency when the
 * stored ledger was sound; `post` refuses them otherwise).
 */
export function openingTx(
  ledger: LedgerView,
  p: Base & { balances: readonly { readonly account: AccountId; readonly currency: string; readonly balance: Dec }[] },
): Op<LedgerTransaction> {
  if (p.balances.length === 0) return err('LEDGER_INVALID_ENTRY', 'an opening needs balances');
  return ok(tx(ledger, 'opening', p, p.balances.map((b) => [b.account, b.currency, b.balance] as const)));
}

export interface FillPosting extends Base {
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly symbol: string;
  readonly quote: string;
  readonly side: OrderSide;
  readonly qty: Dec;
  readonly price: Dec;
  readonly fee: Dec;
  readonly feeCurrency: string;
  /** From `applyFillToPosition`: the signed change of the position's cost basis. */
  readonly costDelta: Dec;
  /** From `applyFillToPosition`: the P&L this fill realized. */
  readonly realizedPnl: Dec;
}

/**
 * One fill. A buy pays qty × price (+ a quote-currency fee) first from the order's reservation,
 * the rest from free cash; a sell receives qty × price (− the fee) into cash. The position account
 * moves by `costDelta` and realized P&L by `realizedPnl`, as computed by `applyFillToPosition`
 * (−s·qty·price + costDelta − realizedPnl = 0 makes it balance). A fee in another currency is paid
 * from that currency's cash.
 */
export function fillTx(ledger: LedgerView, p: FillPosting): Op<LedgerTransaction> {
  if (!p.qty.greaterThan(0) || !p.price.greaterThan(0)) return err('LEDGER_INVALID_ENTRY', 'a fill needs a positive quantity and price');
  const notional = p.qty.times(p.price);
  const quoteFee = p.feeCurrency === p.quote ? p.fee : ZERO;
  const raw: [AccountId, string, Dec][] = [];
  if (p.side === 'buy') {
    const payment = notional.plus(quoteFee);
    const held = ledger.balance(reservedAccount(p.clientOrderId), p.quote);
    const fromReserved = held.greaterThan(0) && payment.greaterThan(0) ? minDec(payment, held) : ZERO;
    raw.push([reservedAccount(p.clientOrderId), p.quote, fromReserved.negated()], [CASH, p.quote, payment.minus(fromReserved).negated()]);
  } else {
    raw.push([CASH, p.quote, notional.minus(quoteFee)]);
  }
  raw.push([positionAccount(p.symbol), p.quote, p.costDelta], [REALIZED_PNL, p.quote, p.realizedPnl.negated()], [FEES, p.quote, quoteFee]);
  if (p.feeCurrency !== p.quote) raw.push([FEES, p.feeCurrency, p.fee], [CASH, p.feeCurrency, p.fee.negated()]);
  return ok(tx(ledger, 'fill', p, raw, p.clientOrderId, p.tradeId));
}

function positive(amount: Dec, what: string): { ok: false; error: { code: 'LEDGER_INVALID_ENTRY'; message: string } } | null {
  return amount.isFinite() && isPositiveDec(amount) ? null : err('LEDGER_INVALID_ENTRY', `a ${what} amount must be positive, got ${decToString(amount)}`);
}

/**
 * Merges entries of the same account and currency and drops zeros. The transaction is frozen,
 * so `Ledger.post` can keep it as it is instead of copying it.
 */
function tx(
  ledger: LedgerView,
  kind: LedgerTransactionKind,
  p: Base,
  raw: readonly (readonly [AccountId, string, Dec])[],
  clientOrderId?: string,
  tradeId?: string,
): LedgerTransaction {
  // In order of first appearance, as a map would keep them; a handful of entries, so a linear search.
  let merged: LedgerEntry[] = [];
  if (raw.length <= 16) {
    for (const [account, currency, amount] of raw) {
      let j = 0;
      while (j < merged.length && (merged[j]!.account !== account || merged[j]!.currency !== currency)) j++;
      const prev = merged[j];
      merged[j] = { account, currency, amount: prev === undefined ? amount : prev.amount.plus(amount) };
    }
  } else {
    const byKey = new Map<string, LedgerEntry>();
    for (const [account, currency, amount] of raw) {
      const k = `${currency}\u0000${account}`;
      const prev = byKey.get(k);
      byKey.set(k, { account, currency, amount: prev === undefined ? amount : prev.amount.plus(amount) });
    }
    merged = [...byKey.values()];
  }
  const entries: LedgerEntry[] = [];
  for (const e of merged) if (!e.amount.isZero()) entries.push(e);
  return frozenTx(ledger, kind, p, entries, clientOrderId, tradeId);
}

/**
 * `tx` for two entries on two different accounts of one currency, both amounts non-zero (every
 * caller checked that): nothing to merge or drop, so the entries are written down directly.
 */
function pair(
  ledger: LedgerView,
  kind: LedgerTransactionKind,
  p: Base,
  currency: string,
  first: AccountId,
  firstAmount: Dec,
  second: AccountId,
  secondAmount: Dec,
  clientOrderId?: string,
): LedgerTransaction {
  return frozenTx(ledger, kind, p, [{ account: first, currency, amount: firstAmount }, { account: second, currency, amount: secondAmount }], clientOrderId);
}

function frozenTx(ledger: LedgerView, kind: LedgerTransactionKind, p: Base, entries: LedgerEntry[], clientOrderId?: string, tradeId?: string): LedgerTransaction {
  // Optional fields added one by one (same keys, same order as spreading them in): spreading
  // small objects costs more than the rest of building the transaction.
  const built: { -readonly [K in keyof LedgerTransaction]: LedgerTransaction[K] } = { id: p.id, profileId: ledger.profileId, kind, at: p.at, entries: Object.freeze(entries) };
  if (clientOrderId !== undefined) built.clientOrderId = clientOrderId;
  if (tradeId !== undefined) built.tradeId = tradeId;
  if (p.memo !== undefined) built.memo = p.memo;
  return Object.freeze(built);
}
