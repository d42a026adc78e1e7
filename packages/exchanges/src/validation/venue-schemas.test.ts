import { describe, expect, it } from 'vitest';
import { ExchangeError } from '../exchange-error.ts';
import { parseVenueData, venueOrderSchema, venueTradeSchema } from './venue-schemas.ts';

const trade = {
  tradeId: '1',
  venueOrderId: '9',
  clientOrderId: 'k1',
  symbol: 'BTC/USDT',
  side: 'buy',
  quantity: '0.5',
  price: '20000',
  fee: '-0.1',
  feeCurrency: 'USDT',
  liquidity: 'maker',
  timestamp: 1_700_000_000_000,
};

describe('port schemas', () => {
  it('accept a well-formed trade (a negative fee is a rebate)', () => {
    expect(parseVenueData(venueTradeSchema, trade, 'trade')).toEqual(trade);
  });

  it.each([
    ['NaN', { price: 'NaN' }],
    ['exponent notation', { price: '2e4' }],
    ['a negative quantity', { quantity: '-0.5' }],
    ['a zero quantity', { quantity: '0' }],
    ['a huge price', { price: '1000000000000000000000' }],
    ['too many decimals', { price: '1.0000000000000000000000001' }],
    ['a number instead of a string', { price: 20000 }],
    ['a missing field', { tradeId: undefined }],
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['an unknown liquidity', { liquidity: 'both' }],
  ])('refuse %s with MALFORMED_RESPONSE', (_name, patch) => {
    let error: unknown;
    try {
      parseVenueData(venueTradeSchema, { ...trade, ...patch }, 'trade', { venue: 'v' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE', venue: 'v', ambiguous: false });
  });

  it('refuse an order filled beyond its quantity', () => {
    const order = { venueOrderId: '1', clientOrderId: 'k', symbol: 'S', side: 'buy', type: 'limit', status: 'open', quantity: '1', filledQuantity: '1.5', averagePrice: null, createdAt: 1, updatedAt: 1 };
    expect(() => parseVenueData(venueOrderSchema, order, 'order')).toThrow(/filledQuantity ≤ quantity/);
  });
});
