import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange-error.ts';
import { CcxtAdapter } from './ccxt-adapter.ts';
import { fixture, RecordedHttp } from './recorded-http.ts';

function binance() {
  const client = new ccxt.binance({ apiKey: 'k', secret: 's', enableRateLimit: false, options: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false } });
  const http = new RecordedHttp().install(client).on('GET', '/api/v3/exchangeInfo', { body: fixture('binance-exchange-info') });
  return { adapter: new CcxtAdapter(client, { clock: { now: () => 1_700_000_005_000 } }), http, client };
}

async function failure(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const obj = (name: string) => fixture(name) as Record<string, unknown>;
const list = (name: string) => fixture(name) as Record<string, unknown>[];

describe('malformed venue data is rejected with MALFORMED_RESPONSE', () => {
  it.each([
    ['a NaN last price', 'GET', '/api/v3/ticker/24hr', { ...obj('binance-ticker-24hr'), lastPrice: 'NaN' }],
    ['a negative bid', 'GET', '/api/v3/ticker/24hr', { ...obj('binance-ticker-24hr'), bidPrice: '-1.00' }],
    ['a huge last price', 'GET', '/api/v3/ticker/24hr', { ...obj('binance-ticker-24hr'), lastPrice: '100000000000000000000000000' }],
    ['a bar whose high is below its low', 'GET', '/api/v3/klines', [[1699999200000, '100', '90', '95', '92', '1', 1699999499999, '0', 1, '0', '0', '0']]],
    ['a negative balance', 'GET', '/api/v3/account', { ...obj('binance-account'), balances: [{ asset: 'BTC', free: '-0.5', locked: '0' }] }],
    ['an order without its id', 'GET', '/api/v3/openOrders', [{ ...list('binance-open-orders')[0], orderId: undefined }]],
    ['an order filled beyond its quantity', 'GET', '/api/v3/openOrders', [{ ...list('binance-open-orders')[0], executedQty: '0.03' }]],
    ['a trade without a fee', 'GET', '/api/v3/myTrades', [{ ...list('binance-my-trades')[0], commission: undefined, commissionAsset: undefined }]],
    ['a trade with a negative quantity', 'GET', '/api/v3/myTrades', [{ ...list('binance-my-trades')[0], qty: '-0.01' }]],
    ['a trade with a huge price', 'GET', '/api/v3/myTrades', [{ ...list('binance-my-trades')[0], price: '1e30' }]],
    ['a market with a zero tick size', 'GET', '/api/v3/exchangeInfo', (() => {
      const info = structuredClone(obj('binance-exchange-info')) as { symbols: { filters: { filterType: string; tickSize?: string }[] }[] };
      info.symbols[0]!.filters[0]!.tickSize = '0.00000000';
      return info;
    })()],
  ])('%s', async (_name, method, path, body) => {
    const { adapter, http } = binance();
    http.on(method, path, { body });
    const call =
      path === '/api/v3/ticker/24hr' ? adapter.fetchTicker('BTC/USDT')
      : path === '/api/v3/klines' ? adapter.fetchCandles('BTC/USDT', '5m')
      : path === '/api/v3/account' ? adapter.fetchBalances()
      : path === '/api/v3/openOrders' ? adapter.fetchOpenOrders('BTC/USDT')
      : path === '/api/v3/myTrades' ? adapter.fetchMyTrades('BTC/USDT', { sinceTradeId: '1' })
      : adapter.loadMarkets();
    const e = await failure(call);
    expect(e.code).toBe('MALFORMED_RESPONSE');
    expect(e.retryable).toBe(true);
    expect(e.ambiguous).toBe(false);
  });

  it('a malformed answer to a write is ambiguous: the order may exist', async () => {
    const { adapter, http } = binance();
    http.on('POST', '/api/v3/order', { body: { ...obj('binance-order-new-market-filled'), executedQty: '-0.01' } });
    const e = await failure(adapter.createOrder({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01' }));
    expect(e).toMatchObject({ code: 'MALFORMED_RESPONSE', ambiguous: true });
  });

  it('an answer about another client order id is refused', async () => {
    const { adapter, http } = binance();
    http.on('POST', '/api/v3/order', { body: obj('binance-order-new-market-filled') });
    const e = await failure(adapter.createOrder({ clientOrderId: 'kSomethingElse', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01' }));
    expect(e).toMatchObject({ code: 'MALFORMED_RESPONSE', ambiguous: true });
  });

  it('changes no state: a poll that meets a malformed trade keeps its mark and re-reads from it', async () => {
    const { adapter, http } = binance();
    http.on('GET', '/api/v3/openOrders', { body: [] });
    http.on('GET', '/api/v3/myTrades', { body: list('binance-my-trades').slice(0, 1) }, 1);
    const seen: string[] = [];
    adapter.subscribe((e) => e.type === 'trade' && seen.push(e.trade.tradeId));
    await adapter.poll(['BTC/USDT']);
    http.on('GET', '/api/v3/myTrades', { body: [list('binance-my-trades')[0], { ...list('binance-my-trades')[1], price: 'NaN' }] }, 1);
    expect((await failure(adapter.poll(['BTC/USDT']))).code).toBe('MALFORMED_RESPONSE');
    expect(seen).toEqual([]);
    http.on('GET', '/api/v3/myTrades', { body: list('binance-my-trades') });
    await adapter.poll(['BTC/USDT']);
    expect(seen).toEqual(['3202141790']);
    const fromIds = http.requests.filter((r) => r.url.pathname === '/api/v3/myTrades').map((r) => r.url.searchParams.get('fromId'));
    expect(fromIds).toEqual([null, '3202141777', '3202141777']);
  });
});
