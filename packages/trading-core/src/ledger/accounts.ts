/**
 * Ledger accounts of one profile. Each holds a balance per currency. Amounts are signed with the
 * debit-positive convention of double entry: asset accounts (cash, reserved, position) carry
 * positive balances; their counterparts (external, realized_pnl, adjustments) negative ones when
 * money came in or profit was made; fees carry a positive balance (an expense).
 *
 * - `cash`: free cash, available for new orders. Free capital IS this balance.
 * - `reserved:<clientOrderId>`: cash held for one open buy order, moved back to cash on release.
 *   Total cash held = cash + Σ reserved.
 * - `position:<symbol>`: the cost basis of the open position (negative for a short).
 * - `fees`: fees paid (negative for rebates received).
 * - `realized_pnl`: realized profit is a credit: a balance of −10 means +10 realized.
 * - `external`: the other side of deposits and withdrawals (−net deposits).
 * - `adjustments`: the other side of corrections of balance drift against the venue.
 */
export type AccountKind = 'cash' | 'reserved' | 'position' | 'fees' | 'realized_pnl' | 'external' | 'adjustments';

export type AccountId = string;

export const CASH = 'cash';
export const FEES = 'fees';
export const REALIZED_PNL = 'realized_pnl';
export const EXTERNAL = 'external';
export const ADJUSTMENTS = 'adjustments';

export function reservedAccount(clientOrderId: string): AccountId {
  return `reserved:${clientOrderId}`;
}

export function positionAccount(symbol: string): AccountId {
  return `position:${symbol}`;
}

/** The kind of an account id, or null when it is not one of ours. */
export function accountKind(account: AccountId): AccountKind | null {
  switch (account) {
    case CASH:
    case FEES:
    case REALIZED_PNL:
    case EXTERNAL:
    case ADJUSTMENTS:
      return account;
  }
  if (account.startsWith('reserved:') && account.length > 'reserved:'.length) return 'reserved';
  if (account.startsWith('position:') && account.length > 'position:'.length) return 'position';
  return null;
}

/** Accounts whose balance may never go below zero: refused with LEDGER_INSUFFICIENT_FUNDS. */
export function mustStayNonNegative(kind: AccountKind): boolean {
  return kind === 'cash' || kind === 'reserved';
}
