import { ExchangeError, type ExchangeErrorCode } from '../exchange-error.ts';
import type { CcxtDialect } from './dialects.ts';
import { capturedResponse, retryAfterMs } from './response-capture.ts';

interface Rule {
  readonly code: ExchangeErrorCode;
  readonly retryable: boolean;
  /** For a write: the request may have taken effect. */
  readonly mayHaveActed: boolean;
}

/**
 * ccxt's error classes → Kestrel's taxonomy, most specific class first. Looked up by class name
 * along the error's prototype chain, so this module does not import ccxt (and works with any copy
 * of it). Classes not listed fall through to their nearest listed ancestor.
 */
const RULES: readonly (readonly [string, Rule])[] = [
  ['OrderNotFound', { code: 'ORDER_NOT_FOUND', retryable: false, mayHaveActed: false }],
  ['DuplicateOrderId', { code: 'DUPLICATE_CLIENT_ORDER_ID', retryable: false, mayHaveActed: false }],
  ['InsufficientFunds', { code: 'INSUFFICIENT_FUNDS', retryable: false, mayHaveActed: false }],
  ['InvalidOrder', { code: 'INVALID_ORDER', retryable: false, mayHaveActed: false }],
  ['AuthenticationError', { code: 'AUTHENTICATION', retryable: false, mayHaveActed: false }],
  ['AccountSuspended', { code: 'AUTHENTICATION', retryable: false, mayHaveActed: false }],
  ['BadRequest', { code: 'INVALID_ORDER', retryable: false, mayHaveActed: false }],
  ['ArgumentsRequired', { code: 'INVALID_ORDER', retryable: false, mayHaveActed: false }],
  ['NotSupported', { code: 'INVALID_ORDER', retryable: false, mayHaveActed: false }],
  ['OperationRejected', { code: 'INVALID_ORDER', retryable: false, mayHaveActed: false }],
  ['RateLimitExceeded', { code: 'RATE_LIMITED', retryable: true, mayHaveActed: false }],
  ['DDoSProtection', { code: 'RATE_LIMITED', retryable: true, mayHaveActed: false }],
  ['OnMaintenance', { code: 'EXCHANGE_UNAVAILABLE', retryable: true, mayHaveActed: false }],
  ['ExchangeNotAvailable', { code: 'EXCHANGE_UNAVAILABLE', retryable: true, mayHaveActed: true }],
  ['RequestTimeout', { code: 'TIMEOUT', retryable: true, mayHaveActed: true }],
  // A rejected signature timestamp: refused, and fine again once the clock is resynced.
  ['InvalidNonce', { code: 'NETWORK', retryable: true, mayHaveActed: false }],
  ['NetworkError', { code: 'NETWORK', retryable: true, mayHaveActed: true }],
  ['NullResponse', { code: 'MALFORMED_RESPONSE', retryable: true, mayHaveActed: true }],
  ['BadResponse', { code: 'MALFORMED_RESPONSE', retryable: true, mayHaveActed: true }],
  ['CancelPending', { code: 'UNKNOWN', retryable: true, mayHaveActed: true }],
  ['OperationFailed', { code: 'UNKNOWN', retryable: true, mayHaveActed: true }],
  ['ExchangeError', { code: 'UNKNOWN', retryable: false, mayHaveActed: false }],
  ['BaseError', { code: 'UNKNOWN', retryable: false, mayHaveActed: false }],
];
const RULE_BY_CLASS = new Map(RULES);

/**
 * Not a ccxt error. A TypeError or SyntaxError from inside a call is ccxt failing to parse what the
 * venue sent (a truncated body, a field of the wrong type): malformed data. Anything else: unknown.
 * Either way a write may have been executed.
 */
const UNPARSEABLE: Rule = { code: 'MALFORMED_RESPONSE', retryable: true, mayHaveActed: true };
const FOREIGN: Rule = { code: 'UNKNOWN', retryable: false, mayHaveActed: true };

export interface TranslateContext {
  readonly venue: string;
  /** The call was a write (createOrder, cancelOrder). */
  readonly write: boolean;
  readonly dialect: CcxtDialect;
  readonly now: number;
}

/** The class names of an error, most derived first (e.g. OrderNotFound, InvalidOrder, ExchangeError, …). */
export function errorClassNames(error: unknown): string[] {
  const names: string[] = [];
  if (typeof error !== 'object' || error === null) return names;
  for (let p = Object.getPrototypeOf(error) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') names.push(name);
  }
  return names;
}

/** Translates whatever a ccxt call threw. ExchangeErrors (our own validation) pass through. */
export function translateCcxtError(error: unknown, ctx: TranslateContext): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const names = errorClassNames(error);
  const className = names.find((n) => RULE_BY_CLASS.has(n));
  let rule = className !== undefined ? RULE_BY_CLASS.get(className)! : error instanceof TypeError || error instanceof SyntaxError ? UNPARSEABLE : FOREIGN;

  const venueCode = /"code"\s*:\s*"?(-?\d+)/.exec(message)?.[1];
  const byMessage = Object.entries(ctx.dialect.venueErrorMessages).find(([text]) => message.includes(text))?.[1];
  const override = (venueCode === undefined ? undefined : ctx.dialect.venueErrorCodes[venueCode]) ?? byMessage;
  if (override) rule = { code: override.code, retryable: override.retryable, mayHaveActed: false };

  const response = capturedResponse(error);
  let retryAfter = response ? retryAfterMs(response.headers, ctx.now) : undefined;
  if (response?.status === 418) {
    rule = { code: 'BANNED', retryable: true, mayHaveActed: false };
    const until = /banned until (\d{13})/i.exec(message)?.[1];
    if (retryAfter === undefined && until !== undefined) retryAfter = Math.max(0, Number(until) - ctx.now);
  } else if (response?.status === 429) {
    rule = { code: 'RATE_LIMITED', retryable: true, mayHaveActed: false };
  }
  // A 4xx is the venue's answer that it refused — unless the answer itself says "execution status
  // unknown" (Binance -1007, a time-out behind the gateway). 5xx, 2xx with an unreadable body and
  // no answer at all leave the outcome open.
  const answered = response !== undefined && response.status >= 400 && response.status < 500 && rule.code !== 'TIMEOUT';
  const ambiguous = ctx.write && rule.mayHaveActed && !answered;
  return new ExchangeError(rule.code, `${ctx.venue}: ${message}`, {
    retryable: rule.retryable,
    ambiguous,
    venue: ctx.venue,
    cause: error,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}
