/**
 * Every code the trading core can return, with what it means. Codes are stable: the backend stores
 * them in decisions and order histories, the API returns them and clients switch on them, so a code
 * is never renamed or reused for another meaning; new ones are appended.
 */
export const CORE_CODES = {
  // decimals (external input)
  DECIMAL_INVALID: 'not a plain decimal string (digits, one optional dot, optional leading minus; no exponent, NaN or Infinity)',
  DECIMAL_OUT_OF_RANGE: 'too many digits (more than 24 before or after the dot)',
  DECIMAL_NEGATIVE: 'a negative value where only zero or positive values are allowed',
  DECIMAL_NOT_POSITIVE: 'zero or negative where a positive value is required',
  // instruments
  INSTRUMENT_INVALID: 'the instrument definition is not valid',
  INSTRUMENT_SYMBOL_MISMATCH: 'the order is for another instrument',
  INSTRUMENT_TICK_SIZE: 'a price is not a multiple of the tick size',
  INSTRUMENT_LOT_SIZE: 'the quantity is not a multiple of the lot size',
  INSTRUMENT_MIN_QTY: 'the quantity is below the minimum quantity',
  INSTRUMENT_MAX_QTY: 'the quantity is above the maximum quantity',
  INSTRUMENT_MIN_NOTIONAL: 'quantity × price is below the minimum notional',
  // ids
  ID_INVALID_PROFILE_ID: 'a client order id needs a profile id that is a UUID',
  ID_INVALID_SEQUENCE: 'a decision sequence must be a positive safe integer',
  ID_INVALID_CLIENT_ORDER_ID: 'not a client order id made by this core',
  // orders
  ORDER_INVALID_SPEC: 'the order parameters are inconsistent (price, stop price, quantity, time in force)',
  ORDER_ID_MISMATCH: 'the event belongs to another order',
  ORDER_ILLEGAL_TRANSITION: 'the event is not allowed in the order’s current status',
  ORDER_OVERFILL: 'the fill would make the filled quantity exceed the ordered quantity',
  ORDER_INVALID_FILL: 'the fill has a non-positive quantity or price, or another instrument’s data',
  LIFECYCLE_BAD_START: 'a lifecycle history does not start from status new',
  LIFECYCLE_BROKEN_CHAIN: 'a lifecycle step does not start where the previous one ended',
  LIFECYCLE_ILLEGAL_TRANSITION: 'a lifecycle step is not in the transition table',
  LIFECYCLE_STATUS_MISMATCH: 'the history ends in another status than the order’s',
  // positions
  POSITION_MISMATCH: 'the fill belongs to another profile or instrument',
  // ledger
  LEDGER_EMPTY: 'a transaction without entries',
  LEDGER_INVALID_ENTRY: 'an entry with an unknown account, an empty currency or a zero amount',
  LEDGER_UNBALANCED: 'the entries of a currency do not sum to zero',
  LEDGER_INSUFFICIENT_FUNDS: 'the transaction would make available cash, or an order’s reservation, negative',
  LEDGER_DUPLICATE_TRANSACTION: 'a transaction with this id but other entries was already posted',
  LEDGER_PROFILE_MISMATCH: 'the transaction belongs to another profile',
  // rules (protections)
  RULE_SESSION_CLOSED: 'outside the trading session (days, hours, holidays)',
  RULE_COOLDOWN: 'in the cooldown after a losing close',
  RULE_MAX_TRADES_PER_DAY: 'the maximum number of trades for the day is reached',
  RULE_MAX_OPEN_POSITIONS: 'the maximum number of open positions is reached',
  // risk engine
  RISK_TRADING_HALTED: 'trading is halted (global, tenant or profile)',
  RISK_REDUCE_ONLY: 'trading is reducing: only orders that reduce the position are allowed',
  RISK_MAX_ORDER_NOTIONAL: 'the order notional is above the limit',
  RISK_MAX_POSITION_NOTIONAL: 'the position notional after the order would be above the limit',
  RISK_MAX_DAILY_LOSS: 'the loss since the start of the day reached the limit',
  RISK_MAX_DRAWDOWN: 'the drawdown from the equity peak reached the limit',
  RISK_INSUFFICIENT_CAPITAL: 'not enough free capital (or position to sell) for the order',
  RISK_PRICE_BAND: 'the price is outside the band around the last price, or there is no last price',
  RISK_ORDER_RATE: 'too many orders in the rate window',
} as const satisfies Record<string, string>;

export type CoreCode = keyof typeof CORE_CODES;

/** A refusal with a stable code and a human reason that names the numbers involved. */
export interface CoreError<C extends CoreCode = CoreCode> {
  readonly code: C;
  readonly message: string;
}

export type Result<T, C extends CoreCode = CoreCode> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CoreError<C> };

export function coreError<C extends CoreCode>(code: C, message?: string): CoreError<C> {
  return { code, message: message ?? CORE_CODES[code] };
}

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<C extends CoreCode>(code: C, message?: string): { readonly ok: false; readonly error: CoreError<C> } {
  return { ok: false, error: coreError(code, message) };
}
