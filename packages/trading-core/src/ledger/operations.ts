import { decToString, minDec, ZERO, type Dec } from '../decimal/dec.ts';
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
  return positive(p.amount, 'deposit') ?? ok(tx(ledger, 'deposit', p, [[CASH, p.currency, p.amount], [EXTERNAL, p.currency, p.amount.negated()]]));
}

/** Money out: cash → external (refused by `post` beyond free cash). */
export function withdrawTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  return positive(p.amount, 'withdrawal') ?? ok(tx(ledger, 'withdrawal', p, [[CASH, p.currency, p.amount.negated()], [EXTERNAL, p.currency, p.amount]]));
}

/** Holds cash for an open buy order: cash → reserved:<clientOrderId>. */
export function reserveTx(ledger: LedgerView, p: Base & { clientOrderId: string; currency: string; amount: Dec }): Op<LedgerTransaction> {
  return (
    positive(p.amount, 'reservation') ??
    ok(tx(ledger, 'reserve', p, [[CASH, p.currency, p.amount.negated()], [reservedAccount(p.clientOrderId), p.currency, p.amount]], p.clientOrderId))
  );
}

/**
 * Gives back what is left of an order's reservation (all of it by default): reserved → cash.
 * Returns null when nothing is reserved for the order.
 */
export function releaseTx(ledger: LedgerView, p: Base & { clientOrderId: string; currency: string; amount?: Dec }): Op<LedgerTransaction | null> {
  const held = ledger.balance(reservedAccount(p.clientOrderId), p.currency);
  const amount = p.amount === undefined ? held : p.amount;
  if (p.amount !== undefined && !p.amount.greaterThan(0)) return err('LEDGER_INVALID_ENTRY', 'a release amount must be positive');
  if (amount.isZero()) return ok(null);
  return ok(tx(ledger, 'release', p, [[reservedAccount(p.clientOrderId), p.currency, amount.negated()], [CASH, p.currency, amount]], p.clientOrderId));
}

/** A fee charged outside a fill (or a correction of one): cash → fees. */
export function feeTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  return positive(p.amount, 'fee') ?? ok(tx(ledger, 'fee', p, [[FEES, p.currency, p.amount], [CASH, p.currency, p.amount.negated()]]));
}

/** Corrects drift against the venue's balance: adjustments ↔ cash (signed). */
export function adjustmentTx(ledger: LedgerView, p: Base & { currency: string; amount: Dec }): Op<LedgerTransaction> {
  if (p.amount.isZero() || !p.amount.isFinite()) return err('LEDGER_INVALID_ENTRY', 'an adjustment must be non-zero');
  return ok(tx(ledger, 'adjustment', p, [[CASH, p.currency, p.amount], [ADJUSTMENTS, p.currency, p.amount.negated()]]));
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
  return amount.isFinite() && amount.greaterThan(0) ? null : err('LEDGER_INVALID_ENTRY', `a ${what} amount must be positive, got ${decToString(amount)}`);
}

/** Merges entries of the same account and currency and drops zeros. */
function tx(
  ledger: LedgerView,
  kind: LedgerTransactionKind,
  p: Base,
  raw: readonly (readonly [AccountId, string, Dec])[],
  clientOrderId?: string,
  tradeId?: string,
): LedgerTransaction {
  const merged = new Map<string, LedgerEntry>();
  for (const [account, currency, amount] of raw) {
    const k = `${currency}\u0000${account}`;
    const prev = merged.get(k);
    merged.set(k, { account, currency, amount: prev === undefined ? amount : prev.amount.plus(amount) });
  }
  const entries = [...merged.values()].filter((e) => !e.amount.isZero());
  return {
    id: p.id,
    profileId: ledger.profileId,
    kind,
    at: p.at,
    entries,
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    ...(tradeId !== undefined ? { tradeId } : {}),
    ...(p.memo !== undefined ? { memo: p.memo } : {}),
  };
}
