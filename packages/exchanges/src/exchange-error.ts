/**
 * The project's own taxonomy of venue failures. Every adapter translates what its venue (or ccxt)
 * throws into one of these codes, so the order pipeline decides on `retryable` and `ambiguous`
 * and never on venue-specific messages.
 */
export type ExchangeErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'BANNED'
  | 'EXCHANGE_UNAVAILABLE'
  | 'INVALID_ORDER'
  | 'INSUFFICIENT_FUNDS'
  | 'AUTHENTICATION'
  | 'ORDER_NOT_FOUND'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'MALFORMED_RESPONSE'
  | 'UNKNOWN';

/** Whether the same request may succeed if sent again later (after `retryAfterMs` if given). */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<ExchangeErrorCode, boolean>> = {
  NETWORK: true,
  TIMEOUT: true,
  RATE_LIMITED: true,
  BANNED: true,
  EXCHANGE_UNAVAILABLE: true,
  MALFORMED_RESPONSE: true,
  INVALID_ORDER: false,
  INSUFFICIENT_FUNDS: false,
  AUTHENTICATION: false,
  ORDER_NOT_FOUND: false,
  DUPLICATE_CLIENT_ORDER_ID: false,
  UNKNOWN: false,
};

export interface ExchangeErrorOptions {
  retryable?: boolean;
  ambiguous?: boolean;
  retryAfterMs?: number;
  venue?: string;
  cause?: unknown;
}

export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  readonly code: ExchangeErrorCode;
  /** The same request may succeed later; wait `retryAfterMs` first when it is set. */
  readonly retryable: boolean;
  /**
   * The request may have taken effect at the venue (time-out, 5xx, dropped or unreadable
   * response to a write). The caller must look the order up by its client order id before any
   * resend, and must not conclude "not placed" from a single "not found" (see the unknown-order
   * window). Always false for reads and for refusals the venue answered explicitly.
   */
  readonly ambiguous: boolean;
  /** Earliest time to try again (429 Retry-After, the rest of a 418 ban). */
  readonly retryAfterMs?: number;
  readonly venue?: string;

  constructor(code: ExchangeErrorCode, message: string, options: ExchangeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    this.ambiguous = options.ambiguous ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.venue !== undefined) this.venue = options.venue;
  }
}

export function isExchangeError(value: unknown): value is ExchangeError {
  return value instanceof ExchangeError;
}
