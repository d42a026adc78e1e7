import { describe, expect, it } from 'vitest';
import { dec, decToString } from '../decimal/dec.ts';
import { instrument } from '../testing/fixtures.ts';
import { createInstrument, roundPrice, roundQty } from './instrument.ts';
import { validateOrderForInstrument } from './validate-order.ts';

describe('instruments', () => {
  const btc = instrument();

  it('derives precisions from tick and lot size', () => {
    expect(btc.pricePrecision).toBe(2);
    expect(btc.qtyPrecision).toBe(4);
    expect(btc.allowShort).toBe(false);
  });

  it('refuses a bad definition with a stable code', () => {
    const r = createInstrument({ symbol: 'X/Y', base: 'X', quote: 'Y', tickSize: '0', lotSize: '1' });
    expect(r.ok ? null : r.error.code).toBe('DECIMAL_NOT_POSITIVE');
    const r2 = createInstrument({ symbol: 'X/Y', base: 'X', quote: 'Y', tickSize: '1e-2', lotSize: '1' });
    expect(r2.ok ? null : r2.error.code).toBe('DECIMAL_INVALID');
    const r3 = createInstrument({ symbol: '', base: 'X', quote: 'Y', tickSize: '1', lotSize: '1' });
    expect(r3.ok ? null : r3.error.code).toBe('INSTRUMENT_INVALID');
  });

  it('rounds prices to the tick and quantities down to the lot', () => {
    const fesx = instrument({ symbol: 'FESX', base: 'FESX', quote: 'EUR', tickSize: '0.5', lotSize: '1' });
    expect(decToString(roundPrice(fesx, dec('3600.74')))).toBe('3600.5');
    expect(decToString(roundPrice(fesx, dec('3600.75')))).toBe('3601');
    expect(decToString(roundPrice(fesx, dec('3600.25')))).toBe('3600'); // half to even
    expect(decToString(roundPrice(fesx, dec('3600.9'), 'down'))).toBe('3600.5');
    expect(decToString(roundPrice(fesx, dec('3600.1'), 'up'))).toBe('3600.5');
    expect(decToString(roundQty(btc, dec('0.123456')))).toBe('0.1234');
    expect(decToString(roundQty(btc, dec('0.00009')))).toBe('0');
  });

  it.each([
    [{ price: dec('100.005') }, 'INSTRUMENT_TICK_SIZE', 'price 100.005 is not a multiple of the tick size 0.01'],
    [{ quantity: dec('0.12345') }, 'INSTRUMENT_LOT_SIZE', 'quantity 0.12345 is not a multiple of the lot size 0.0001'],
    [{ quantity: dec('0.05'), price: dec('100') }, 'INSTRUMENT_MIN_NOTIONAL', 'notional 5 USDT is below the minimum 10 USDT'],
    [{ symbol: 'ETH/USDT' }, 'INSTRUMENT_SYMBOL_MISMATCH', 'order is for ETH/USDT, instrument is BTC/USDT'],
  ])('validates orders: %o → %s', (change, code, message) => {
    const e = validateOrderForInstrument(btc, { symbol: 'BTC/USDT', side: 'buy', orderType: 'limit', quantity: dec('1'), price: dec('100'), ...change });
    expect(e).toEqual({ code, message });
  });

  it('checks min and max quantity, and a market order’s notional at the reference price', () => {
    const i = instrument({ minQty: '0.01', maxQty: '5', minNotional: '10' });
    const base = { symbol: 'BTC/USDT', side: 'buy', orderType: 'market', quantity: dec('0.05') } as const;
    expect(validateOrderForInstrument(i, { ...base, quantity: dec('0.001') })?.code).toBe('INSTRUMENT_MIN_QTY');
    expect(validateOrderForInstrument(i, { ...base, quantity: dec('6') })?.code).toBe('INSTRUMENT_MAX_QTY');
    expect(validateOrderForInstrument(i, base, dec('100'))?.code).toBe('INSTRUMENT_MIN_NOTIONAL');
    expect(validateOrderForInstrument(i, base, dec('300'))).toBeNull();
    expect(validateOrderForInstrument(i, base)).toBeNull(); // no reference: left to the venue
  });
});
