import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange-error.ts';
import { CcxtAdapter } from './ccxt-adapter.ts';
import { BINANCE_DIALECT, DEFAULT_DIALECT } from './dialects.ts';
import { translateCcxtError } from './error-translation.ts';
import { fixture, RecordedHttp, type RecordedResponse } from './recorded-http.ts';

const NOW = 1_700_000_000_000;
const errors = fixture('binance-errors') as Record<string, RecordedResponse>;

function binance(route: [string, string, RecordedResponse]) {
  const client = new ccxt.binance({ apiKey: 'k', secret: 's', enableRateLimit: false, options: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false } });
  const http = new RecordedHttp().install(client).on('GET', '/api/v3/exchangeInfo', { body: fixture('binance-exchange-info') });
  http.on(...route);
  return { adapter: new CcxtAdapter(client, { clock: { now: () => NOW } }), http };
}

const placeOrder = (adapter: CcxtAdapter) => adapter.createOrder({ clientOrderId: 'kT1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '99000' });
const readTicker = (adapter: CcxtAdapter) => adapter.fetchTicker('BTC/USDT');

async function failure(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The translation table, end to end: recorded Binance answer → ccxt → ExchangeError. */
const TABLE: [string, RecordedResponse, { code: string; retryable: boolean; ambiguousWrite: boolean; ambiguousRead: boolean; retryAfterMs?: number }][] = [
  ['-2010 insufficient balance', errors['insufficientBalance']!, { code: 'INSUFFICIENT_FUNDS', retryable: false, ambiguousWrite: false, ambiguousRead: false }],
  ['-1013 LOT_SIZE filter', errors['lotSizeFilter']!, { code: 'INVALID_ORDER', retryable: false, ambiguousWrite: false, ambiguousRead: false }],
  ['-2010 duplicate order', errors['duplicateOrderSent']!, { code: 'DUPLICATE_CLIENT_ORDER_ID', retryable: false, ambiguousWrite: false, ambiguousRead: false }],
  ['-1021 outside recvWindow', errors['timestampOutsideRecvWindow']!, { code: 'NETWORK', retryable: true, ambiguousWrite: false, ambiguousRead: false }],
  ['-2015 invalid API key', errors['invalidApiKey']!, { code: 'AUTHENTICATION', retryable: false, ambiguousWrite: false, ambiguousRead: false }],
  ['-1022 bad signature', errors['badSignature']!, { code: 'AUTHENTICATION', retryable: false, ambiguousWrite: false, ambiguousRead: false }],
  ['-1007 backend time-out', errors['backendTimeout']!, { code: 'TIMEOUT', retryable: true, ambiguousWrite: true, ambiguousRead: false }],
  ['429 with Retry-After', errors['tooManyRequests']!, { code: 'RATE_LIMITED', retryable: true, ambiguousWrite: false, ambiguousRead: false, retryAfterMs: 17_000 }],
  ['418 IP ban', errors['ipBanned']!, { code: 'BANNED', retryable: true, ambiguousWrite: false, ambiguousRead: false, retryAfterMs: 120_000 }],
  ['503 page', errors['serviceUnavailable']!, { code: 'EXCHANGE_UNAVAILABLE', retryable: true, ambiguousWrite: true, ambiguousRead: false }],
  ['maintenance', errors['maintenance']!, { code: 'EXCHANGE_UNAVAILABLE', retryable: true, ambiguousWrite: false, ambiguousRead: false }],
  ['connection reset', { fail: 'network' }, { code: 'NETWORK', retryable: true, ambiguousWrite: true, ambiguousRead: false }],
  ['client time-out', { fail: 'timeout' }, { code: 'TIMEOUT', retryable: true, ambiguousWrite: true, ambiguousRead: false }],
  ['unreadable 200 body', { status: 200, text: '{"symbol":"BTCUSDT","orderId":' }, { code: 'MALFORMED_RESPONSE', retryable: true, ambiguousWrite: true, ambiguousRead: false }],
];

describe('ccxt error translation (recorded Binance responses)', () => {
  it.each(TABLE)('%s', async (_name, response, expected) => {
    const write = binance(['POST', '/api/v3/order', response]);
    const w = await failure(placeOrder(write.adapter));
    expect({ code: w.code, retryable: w.retryable, ambiguous: w.ambiguous }).toEqual({ code: expected.code, retryable: expected.retryable, ambiguous: expected.ambiguousWrite });
    expect(w.retryAfterMs).toBe(expected.retryAfterMs);
    expect(w.venue).toBe('binance');
    const read = binance(['GET', '/api/v3/ticker/24hr', response]);
    const r = await failure(readTicker(read.adapter));
    expect({ code: r.code, ambiguous: r.ambiguous }).toEqual({ code: expected.code, ambiguous: expected.ambiguousRead });
  });

  it('takes the ban end from the message when a 418 has no Retry-After', async () => {
    const { adapter } = binance(['GET', '/api/v3/ticker/24hr', { ...errors['ipBanned']!, headers: {} }]);
    const e = await failure(readTicker(adapter));
    expect(e).toMatchObject({ code: 'BANNED', retryAfterMs: 120_000 });
  });

  it('ORDER_NOT_FOUND on cancel (-2011 and -2013); fetchOrder turns it into null', async () => {
    for (const key of ['unknownOrderSent', 'orderDoesNotExist']) {
      const { adapter } = binance(['DELETE', '/api/v3/order', errors[key]!]);
      expect(await failure(adapter.cancelOrder({ clientOrderId: 'kX', symbol: 'BTC/USDT' }))).toMatchObject({ code: 'ORDER_NOT_FOUND', retryable: false, ambiguous: false });
    }
  });
});

describe('ccxt error classes → taxonomy', () => {
  const ctx = (write: boolean) => ({ venue: 'x', write, dialect: DEFAULT_DIALECT, now: NOW });
  it.each([
    ['NetworkError', 'NETWORK', true, true],
    ['RequestTimeout', 'TIMEOUT', true, true],
    ['RateLimitExceeded', 'RATE_LIMITED', true, false],
    ['DDoSProtection', 'RATE_LIMITED', true, false],
    ['ExchangeNotAvailable', 'EXCHANGE_UNAVAILABLE', true, true],
    ['OnMaintenance', 'EXCHANGE_UNAVAILABLE', true, false],
    ['InvalidOrder', 'INVALID_ORDER', false, false],
    ['OrderImmediatelyFillable', 'INVALID_ORDER', false, false],
    ['InsufficientFunds', 'INSUFFICIENT_FUNDS', false, false],
    ['AuthenticationError', 'AUTHENTICATION', false, false],
    ['PermissionDenied', 'AUTHENTICATION', false, false],
    ['AccountSuspended', 'AUTHENTICATION', false, false],
    ['OrderNotFound', 'ORDER_NOT_FOUND', false, false],
    ['DuplicateOrderId', 'DUPLICATE_CLIENT_ORDER_ID', false, false],
    ['BadSymbol', 'INVALID_ORDER', false, false],
    ['BadResponse', 'MALFORMED_RESPONSE', true, true],
    ['NullResponse', 'MALFORMED_RESPONSE', true, true],
    ['ExchangeError', 'UNKNOWN', false, false],
    ['OperationFailed', 'UNKNOWN', true, true],
  ] as const)('%s → %s (retryable %s, ambiguous for a write %s)', (className, code, retryable, ambiguousWrite) => {
    const ErrorClass = (ccxt as unknown as Record<string, new (message: string) => Error>)[className]!;
    const write = translateCcxtError(new ErrorClass('boom'), ctx(true));
    expect({ code: write.code, retryable: write.retryable, ambiguous: write.ambiguous }).toEqual({ code, retryable, ambiguous: ambiguousWrite });
    expect(translateCcxtError(new ErrorClass('boom'), ctx(false)).ambiguous).toBe(false);
  });

  it('treats a TypeError while parsing as malformed data, anything else foreign as unknown; both ambiguous for a write', () => {
    const parse = translateCcxtError(new TypeError("Cannot read properties of undefined (reading 'orderId')"), ctx(true));
    expect(parse).toMatchObject({ code: 'MALFORMED_RESPONSE', retryable: true, ambiguous: true });
    const other = translateCcxtError(new Error('something else'), ctx(true));
    expect(other).toMatchObject({ code: 'UNKNOWN', retryable: false, ambiguous: true });
  });

  it('lets venue codes refine a class (Binance -2011 is ORDER_NOT_FOUND)', () => {
    const e = translateCcxtError(new ccxt.OperationRejected('binance {"code":-2011,"msg":"Unknown order sent."}'), { ...ctx(true), dialect: BINANCE_DIALECT });
    expect(e.code).toBe('ORDER_NOT_FOUND');
  });
});
