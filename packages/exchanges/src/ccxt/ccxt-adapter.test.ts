import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange-error.ts';
import { CcxtAdapter } from './ccxt-adapter.ts';
import { fixture, RecordedHttp, type RecordedResponse } from './recorded-http.ts';

const NOW = 1_700_000_005_000;

function binance() {
  const client = new ccxt.binance({
    apiKey: 'test-key',
    secret: 'test-secret',
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false },
  });
  const http = new RecordedHttp().install(client).on('GET', '/api/v3/exchangeInfo', { body: fixture('binance-exchange-info') });
  const adapter = new CcxtAdapter(client, { clock: { now: () => NOW } });
  return { client, http, adapter };
}

const errors = fixture('binance-errors') as Record<string, RecordedResponse>;

async function failure(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExchangeError);
    return error as ExchangeError;
  }
  throw new Error('expected the call to fail');
}

describe('CcxtAdapter (binance, recorded responses): reads', () => {
  it('maps markets to tick size, lot size, minimum quantity and notional', async () => {
    const { adapter } = binance();
    expect(await adapter.loadMarkets()).toEqual([
      { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minQty: '0.00001', minNotional: '5', active: true },
      { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', lotSize: '0.0001', minQty: '0.0001', minNotional: '5', active: true },
    ]);
    expect(adapter.venue).toBe('binance');
  });

  it('maps the ticker, candles, order book and balances', async () => {
    const { adapter, http } = binance();
    http
      .on('GET', '/api/v3/ticker/24hr', { body: fixture('binance-ticker-24hr') })
      .on('GET', '/api/v3/klines', { body: fixture('binance-klines') })
      .on('GET', '/api/v3/depth', { body: fixture('binance-depth') })
      .on('GET', '/api/v3/account', { body: fixture('binance-account') });
    expect(await adapter.fetchTicker('BTC/USDT')).toEqual({ symbol: 'BTC/USDT', last: '100400', bid: '100399.99', ask: '100400', time: 1_700_000_000_000 });
    const candles = await adapter.fetchCandles('BTC/USDT', '5m', 1_699_999_200_000, 3);
    expect(candles[0]).toEqual({ time: 1_699_999_200_000, open: 100510.01, high: 100600, low: 100380, close: 100455.55, volume: 112.40315 });
    expect(candles).toHaveLength(3);
    const klines = http.requests.find((r) => r.url.pathname === '/api/v3/klines')!;
    expect(Object.fromEntries(klines.url.searchParams)).toMatchObject({ symbol: 'BTCUSDT', interval: '5m', startTime: '1699999200000', limit: '3' });
    const book = await adapter.fetchOrderBook('BTC/USDT', 5);
    expect(book).toMatchObject({ symbol: 'BTC/USDT', time: NOW, bids: [['100399.99', '3.41877'], ['100399.98', '0.0001'], ['100399.5', '0.25']] });
    expect(book.asks[0]).toEqual(['100400', '1.20251']);
    expect(await adapter.fetchBalances()).toEqual({
      BTC: { free: '0.5', locked: '0.02', total: '0.52' },
      USDT: { free: '12500.12', locked: '1980', total: '14480.12' },
    });
  });
});

describe('CcxtAdapter (binance, recorded responses): orders', () => {
  it('places an order with our client order id (newClientOrderId) and maps the fill', async () => {
    const { adapter, http } = binance();
    http.on('POST', '/api/v3/order', { body: fixture('binance-order-new-market-filled') });
    const order = await adapter.createOrder({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: '0.01' });
    expect(order).toEqual({
      venueOrderId: '28457103921',
      clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a1',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      status: 'filled',
      quantity: '0.01',
      filledQuantity: '0.01',
      averagePrice: '100400',
      timeInForce: 'GTC',
      createdAt: 1_700_000_000_123,
      updatedAt: 1_700_000_000_123,
    });
    const sent = http.requests.find((r) => r.method === 'POST')!;
    const params = new URLSearchParams(sent.body ?? sent.url.search);
    expect(Object.fromEntries(params)).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a1' });
  });

  it('sends a limit order with price and time in force, a stop as STOP_LOSS with its trigger', async () => {
    const { adapter, http } = binance();
    http.on('POST', '/api/v3/order', { body: fixture('binance-order-new-limit') });
    const order = await adapter.createOrder({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a2', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.02', price: '99000', timeInForce: 'GTC' });
    expect(order).toMatchObject({ status: 'open', price: '99000', filledQuantity: '0', averagePrice: null });
    const limit = new URLSearchParams(http.requests.at(-1)!.body ?? http.requests.at(-1)!.url.search);
    expect(Object.fromEntries(limit)).toMatchObject({ type: 'LIMIT', price: '99000', timeInForce: 'GTC' });

    http.on('POST', '/api/v3/order', (req) => ({ body: { ...(fixture('binance-open-orders') as object[])[1], clientOrderId: new URLSearchParams(req.body ?? req.url.search).get('newClientOrderId'), transactTime: 1_700_000_004_000 } }));
    const stop = await adapter.createOrder({ clientOrderId: 'kStop1', symbol: 'BTC/USDT', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: '95000' });
    expect(stop).toMatchObject({ type: 'stop', stopPrice: '95000', status: 'open', clientOrderId: 'kStop1' });
    const sent = new URLSearchParams(http.requests.at(-1)!.body ?? http.requests.at(-1)!.url.search);
    expect(Object.fromEntries(sent)).toMatchObject({ type: 'STOP_LOSS', stopPrice: '95000' });
  });

  it('looks an order up by client order id (origClientOrderId); null when the venue says it does not exist', async () => {
    const { adapter, http } = binance();
    http.on('GET', '/api/v3/order', { body: fixture('binance-order-query') }, 1);
    const order = await adapter.fetchOrder({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a2', symbol: 'BTC/USDT' });
    expect(order).toMatchObject({ status: 'partially_filled', filledQuantity: '0.005', averagePrice: '99000', price: '99000', updatedAt: 1_700_000_002_500 });
    expect(http.requests.at(-1)!.url.searchParams.get('origClientOrderId')).toBe('k0Q4yRZb1cNq7xLpY3mW2a2');
    http.on('GET', '/api/v3/order', errors['orderDoesNotExist']!);
    expect(await adapter.fetchOrder({ clientOrderId: 'kNope', symbol: 'BTC/USDT' })).toBeNull();
  });

  it("cancels by client order id and keeps the cancelled order's id (not the cancel request's)", async () => {
    const { adapter, http } = binance();
    http.on('DELETE', '/api/v3/order', { body: fixture('binance-order-cancel') });
    const order = await adapter.cancelOrder({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a2', symbol: 'BTC/USDT' });
    expect(order).toMatchObject({ clientOrderId: 'k0Q4yRZb1cNq7xLpY3mW2a2', status: 'cancelled', filledQuantity: '0.005' });
    expect(http.requests.at(-1)!.url.searchParams.get('origClientOrderId') ?? new URLSearchParams(http.requests.at(-1)!.body).get('origClientOrderId')).toBe('k0Q4yRZb1cNq7xLpY3mW2a2');
    http.on('DELETE', '/api/v3/order', errors['unknownOrderSent']!);
    const late = await failure(adapter.cancelOrder({ clientOrderId: 'kFilledAlready', symbol: 'BTC/USDT' }));
    expect(late).toMatchObject({ code: 'ORDER_NOT_FOUND', retryable: false, ambiguous: false });
  });

  it('lists open orders (foreign ones included) and trades since a trade id, exclusive, ascending', async () => {
    const { adapter, http } = binance();
    http.on('GET', '/api/v3/openOrders', { body: fixture('binance-open-orders') });
    http.on('GET', '/api/v3/myTrades', { body: fixture('binance-my-trades') });
    const open = await adapter.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => [o.clientOrderId, o.type, o.status, o.stopPrice ?? o.price])).toEqual([
      ['k0Q4yRZb1cNq7xLpY3mW2a2', 'limit', 'partially_filled', '99000'],
      ['web_8d1f0c2a6b5e4a3f9c7e', 'stop', 'open', '95000'],
    ]);
    const trades = await adapter.fetchMyTrades('BTC/USDT', { sinceTradeId: '3202141777' });
    expect(http.requests.at(-1)!.url.searchParams.get('fromId')).toBe('3202141777');
    expect(trades).toEqual([
      {
        tradeId: '3202141790',
        venueOrderId: '28457103922',
        clientOrderId: null,
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '0.005',
        price: '99000',
        fee: '0.000005',
        feeCurrency: 'BTC',
        liquidity: 'maker',
        timestamp: 1_700_000_002_500,
      },
    ]);
  });

  it('polls trades and open orders into stream events', async () => {
    const { adapter, http } = binance();
    http.on('GET', '/api/v3/openOrders', { body: [] });
    http.on('GET', '/api/v3/myTrades', { body: (fixture('binance-my-trades') as unknown[]).slice(0, 1) }, 1);
    const events: string[] = [];
    adapter.subscribe((e) => events.push(e.type === 'trade' ? `trade:${e.trade.tradeId}` : e.type));
    await adapter.poll(['BTC/USDT']);
    expect(events).toEqual([]); // the first round only sets the mark
    http.on('GET', '/api/v3/myTrades', { body: fixture('binance-my-trades') });
    await adapter.poll(['BTC/USDT']);
    expect(events).toEqual(['trade:3202141790']);
  });
});
