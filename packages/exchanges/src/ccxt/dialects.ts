import type { ExchangeErrorCode } from '../exchange-error.ts';

/**
 * What differs between venues behind ccxt's unified API and matters to Kestrel. Unknown venues get
 * DEFAULT_DIALECT (ccxt's unified names, lookups by listing orders).
 */
export interface CcxtDialect {
  /** createOrder param that carries the client order id. */
  readonly clientOrderIdParam: string;
  /** fetchOrder/cancelOrder param that selects an order by client order id; null: not supported. */
  readonly lookupByClientIdParam: string | null;
  /** In cancel responses, the field (of the raw `info`) with the cancelled order's client id. */
  readonly cancelledClientIdField: string | null;
  /** fetchMyTrades param to start from a trade id (inclusive); null: not supported. */
  readonly tradesFromIdParam: string | null;
  /** The venue's own error codes that ccxt's classes do not distinguish well enough. */
  readonly venueErrorCodes: Readonly<Record<string, { code: ExchangeErrorCode; retryable: boolean }>>;
  /** …and messages (matched as substrings), checked after the codes. */
  readonly venueErrorMessages: Readonly<Record<string, { code: ExchangeErrorCode; retryable: boolean }>>;
}

export const DEFAULT_DIALECT: CcxtDialect = {
  clientOrderIdParam: 'clientOrderId',
  lookupByClientIdParam: null,
  cancelledClientIdField: null,
  tradesFromIdParam: null,
  venueErrorCodes: {},
  venueErrorMessages: {},
};

export const BINANCE_DIALECT: CcxtDialect = {
  clientOrderIdParam: 'newClientOrderId',
  lookupByClientIdParam: 'origClientOrderId',
  // A cancel answers with `clientOrderId` = the cancel request's own new id.
  cancelledClientIdField: 'origClientOrderId',
  tradesFromIdParam: 'fromId',
  venueErrorCodes: {
    // CANCEL_REJECTED "Unknown order sent.": the order is unknown or already final.
    '-2011': { code: 'ORDER_NOT_FOUND', retryable: false },
    // Our clock is off: the venue refused the request, it may succeed once the clock is resynced.
    '-1021': { code: 'NETWORK', retryable: true },
  },
  venueErrorMessages: {
    // -2010 NEW_ORDER_REJECTED covers many reasons; this one means "an open order has this client id".
    'Duplicate order sent.': { code: 'DUPLICATE_CLIENT_ORDER_ID', retryable: false },
  },
};

export const DIALECTS: Readonly<Record<string, CcxtDialect>> = {
  binance: BINANCE_DIALECT,
  binanceus: BINANCE_DIALECT,
};

export function dialectFor(exchangeId: string): CcxtDialect {
  return DIALECTS[exchangeId] ?? DEFAULT_DIALECT;
}
