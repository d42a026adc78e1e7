import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dec, decFromNumber, Dec, decToString, parseDec } from './dec.ts';

describe('parseDec', () => {
  it.each(['0', '1', '-1', '0.1', '123.4500', '000.5', '-0.00000001', '99999999999999999999.123456789012345678901234'])('accepts %s', (s) => {
    const r = parseDec(s);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.equals(new Dec(s))).toBe(true);
  });

  it.each([
    ['NaN'],
    ['Infinity'],
    ['-Infinity'],
    ['1e5'],
    ['1E-7'],
    ['0x10'],
    ['0b1'],
    [' 1'],
    ['1 '],
    ['+1'],
    ['.5'],
    ['5.'],
    ['1.2.3'],
    ['1,5'],
    [''],
    ['-'],
    ['--1'],
    ['١٢'],
    ['1_000'],
  ])('rejects %j as DECIMAL_INVALID', (s) => {
    const r = parseDec(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('DECIMAL_INVALID');
  });

  it('rejects non-strings: a float has already lost the exact value', () => {
    for (const v of [1.5, NaN, Infinity, null, undefined, {}, 10n]) {
      const r = parseDec(v);
      expect(r.ok ? null : r.error.code).toBe('DECIMAL_INVALID');
    }
  });

  it('rejects huge numbers with DECIMAL_OUT_OF_RANGE', () => {
    const r = parseDec('1'.repeat(25));
    expect(r.ok ? null : r.error.code).toBe('DECIMAL_OUT_OF_RANGE');
    const r2 = parseDec('0.' + '1'.repeat(25));
    expect(r2.ok ? null : r2.error.code).toBe('DECIMAL_OUT_OF_RANGE');
  });

  it('enforces the sign with stable codes', () => {
    const neg = parseDec('-0.5', { sign: 'nonNegative', field: 'quantity' });
    expect(neg.ok ? null : neg.error).toEqual({ code: 'DECIMAL_NEGATIVE', message: 'quantity must not be negative: -0.5' });
    const zero = parseDec('0', { sign: 'positive' });
    expect(zero.ok ? null : zero.error.code).toBe('DECIMAL_NOT_POSITIVE');
    expect(parseDec('-0', { sign: 'nonNegative' }).ok).toBe(true);
    expect(parseDec('0.0000001', { sign: 'positive' }).ok).toBe(true);
  });

  it('round-trips every plain decimal string through decToString', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n) + 1n, max: 10n ** 24n - 1n }), fc.integer({ min: 0, max: 20 }), (units, scale) => {
        const s = new Dec(units.toString()).dividedBy(new Dec(10).pow(scale));
        const text = decToString(s);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        const back = parseDec(text);
        expect(back.ok && back.value.equals(s)).toBe(true);
      }),
    );
  });
});

describe('Dec', () => {
  it('never prints exponent notation and never "-0"', () => {
    expect(decToString(dec('0.000000000000000000000001'))).toBe('0.000000000000000000000001');
    expect(decToString(dec('1000000000000000000000000'))).toBe('1000000000000000000000000');
    expect(new Dec('1e-30').toString()).toBe('0.000000000000000000000000000001');
    expect(decToString(dec('-0'))).toBe('0');
    expect(decToString(dec('1').minus(dec('1')).negated())).toBe('0');
  });

  it('is exact where floats are not, and rounds half to even', () => {
    expect(dec('0.1').plus(dec('0.2')).equals(dec('0.3'))).toBe(true);
    expect(dec('2.5').toDecimalPlaces(0).toString()).toBe('2');
    expect(dec('3.5').toDecimalPlaces(0).toString()).toBe('4');
    expect(dec('1').dividedBy(3).toString()).toBe('0.' + '3'.repeat(50));
  });

  it('dec() throws on garbage from trusted code; decFromNumber maps non-finite to null', () => {
    expect(() => dec('1e3')).toThrow(RangeError);
    expect(() => dec(NaN)).toThrow(RangeError);
    expect(decFromNumber(Infinity)).toBeNull();
    expect(decToString(decFromNumber(0.1)!)).toBe('0.1');
  });
});
