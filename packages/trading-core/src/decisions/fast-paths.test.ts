/**
 * The decision path takes shortcuts for speed (issue 3): comparisons without copies, rounding to
 * a 10^−k step without dividing, a ledger that stores its own frozen transactions as they are,
 * cached offsets and ids. Each shortcut must give exactly what the plain decimal.js way gives;
 * these tests hold them to it on many random values, including the awkward ones (more than 50
 * digits, −0, NaN, ±Infinity, steps that are not powers of ten).
 */
import type Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderId, parseClientOrderId } from '../ids/client-order-id.ts';
import { cmpDec, Dec, dec, decimalStepPlaces, isNegationOf, isPositiveDec } from '../decimal/dec.ts';
import { createInstrument, isMultipleOf, roundPrice, roundQty, type Instrument } from '../instruments/instrument.ts';
import { CASH, EXTERNAL } from '../ledger/accounts.ts';
import { Ledger } from '../ledger/ledger.ts';
import { depositTx, reserveTx } from '../ledger/operations.ts';
import type { LedgerTransaction } from '../ledger/transaction.ts';
import { MaxTradesPerDayRule } from '../rules/max-trades-per-day-rule.ts';
import { localDayNumber, localTime } from '../rules/zoned-time.ts';
import { PROFILE_ID } from '../testing/fixtures.ts';

/** Decimal strings of every size: up to 60 significant digits, either sign, zero and −0. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 60n }), fc.integer({ min: 0, max: 40 }))
  .map(([neg, units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return neg ? `-${text}` : text;
  });
const special = fc.constantFrom('NaN', 'Infinity', '-Infinity', '0', '-0');
const anyDec = fc.oneof({ weight: 9, arbitrary: decimalText }, { weight: 1, arbitrary: special }).map((t) => new Dec(t));
const STEPS = ['1', '0.1', '0.01', '0.00001', '0.00000001', '0.5', '0.25', '0.05', '10', '0.0025'];

function instrumentWith(step: string): Instrument {
  const r = createInstrument({ symbol: 'X/Y', base: 'X', quote: 'Y', tickSize: step, lotSize: step });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
/** The definitions, spelled out with decimal.js alone. */
const plainRound = (v: Dec, step: Dec, rounding: Decimal.Rounding) => v.dividedBy(step).toDecimalPlaces(0, rounding).times(step);
const same = (a: Dec, b: Dec) => (a.isNaN() && b.isNaN()) || (a.toString() === b.toString() && a.s === b.s);

describe('allocation-free decimal helpers', () => {
  it('cmpDec answers exactly as comparedTo, NaN included', () => {
    fc.assert(
      fc.property(anyDec, anyDec, (x, y) => {
        expect(Object.is(cmpDec(x, y), x.comparedTo(y))).toBe(true);
        expect(cmpDec(x, x)).toBe(x.isNaN() ? NaN : 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('isPositiveDec is greaterThan(0); isNegationOf only when the two add up to exactly zero', () => {
    fc.assert(
      fc.property(anyDec, anyDec, (x, y) => {
        expect(isPositiveDec(x)).toBe(x.greaterThan(0));
        if (isNegationOf(x, y)) expect(x.plus(y).isZero()).toBe(true);
        if (x.isFinite() && !x.isZero()) expect(isNegationOf(x, x.negated())).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(isNegationOf(dec('0'), dec('-0'))).toBe(false); // zero entries are refused before, never "balanced" here
  });

  it('recognises steps of 10^−k and nothing else', () => {
    expect(['1', '0.1', '0.01', '0.00001'].map((s) => decimalStepPlaces(dec(s)))).toEqual([0, 1, 2, 5]);
    expect(['0.5', '0.25', '10', '0.011', '0', '-0.01', 'Infinity'].map((s) => decimalStepPlaces(new Dec(s)))).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });
});

describe('rounding to tick and lot without dividing', () => {
  it('roundPrice, roundQty and isMultipleOf equal the division formulas for every step', () => {
    fc.assert(
      fc.property(anyDec, fc.constantFrom(...STEPS), fc.constantFrom('nearest', 'down', 'up') as fc.Arbitrary<'nearest' | 'down' | 'up'>, (v, stepText, mode) => {
        const inst = instrumentWith(stepText);
        const step = new Dec(stepText);
        const rounding = mode === 'down' ? Dec.ROUND_FLOOR : mode === 'up' ? Dec.ROUND_CEIL : Dec.ROUND_HALF_EVEN;
        expect(same(roundPrice(inst, v, mode), plainRound(v, step, rounding))).toBe(true);
        expect(same(roundQty(inst, v), plainRound(v, step, Dec.ROUND_DOWN))).toBe(true);
        expect(isMultipleOf(v, step)).toBe(v.modulo(step).isZero());
      }),
      { numRuns: 4000 },
    );
  });

  it('keeps the usual cases exact: buys round down, sells up, quantities down', () => {
    const btc = instrumentWith('0.01');
    expect(roundPrice(btc, new Dec(43123.456), 'down').toString()).toBe('43123.45');
    expect(roundPrice(btc, new Dec(43123.451), 'up').toString()).toBe('43123.46');
    expect(roundPrice(btc, dec('0.005')).toString()).toBe('0'); // half to even
    expect(roundPrice(btc, dec('0.015')).toString()).toBe('0.02');
    expect(roundQty(instrumentWith('0.00001'), dec('0.0123456789')).toString()).toBe('0.01234');
  });
});

describe('ledger posting', () => {
  it('keeps a transaction built by the operations as it is, frozen, and still refuses a changed duplicate', () => {
    const l = new Ledger(PROFILE_ID);
    const dep = depositTx(l, { id: 'deposit:1', at: 1, currency: 'USDT', amount: dec('100') });
    if (!dep.ok) throw new Error(dep.error.message);
    expect(Object.isFrozen(dep.value) && Object.isFrozen(dep.value.entries)).toBe(true);
    const posted = l.post(dep.value);
    expect(posted.ok && posted.transaction).toBe(dep.value);
    const changed: LedgerTransaction = { ...dep.value, entries: [{ account: CASH, currency: 'USDT', amount: dec('90') }, { account: EXTERNAL, currency: 'USDT', amount: dec('-90') }] };
    const again = l.post(changed);
    expect(again.ok ? null : again.error.code).toBe('LEDGER_DUPLICATE_TRANSACTION');
    expect(l.freeCapital('USDT').toString()).toBe('100');
  });

  it('copies a transaction it did not build, so changing the original afterwards changes nothing', () => {
    const l = new Ledger(PROFILE_ID);
    const entries = [
      { account: CASH, currency: 'USDT', amount: dec('50') },
      { account: EXTERNAL, currency: 'USDT', amount: dec('-50') },
    ];
    const mine = { id: 'deposit:mine', profileId: PROFILE_ID, kind: 'deposit' as const, at: 1, entries };
    const posted = l.post(mine);
    entries.push({ account: CASH, currency: 'USDT', amount: dec('1000') });
    entries[0] = { account: CASH, currency: 'USDT', amount: dec('999') };
    expect(posted.ok && posted.transaction).not.toBe(mine);
    expect(l.transactions()[0]!.entries.map((e) => e.amount.toString())).toEqual(['50', '-50']);
    expect(l.freeCapital('USDT').toString()).toBe('50');
  });

  it('refuses unbalanced transactions of many entries and currencies with the first unbalanced currency', () => {
    const l = new Ledger(PROFILE_ID);
    const entries = Array.from({ length: 10 }, (_, i) => ({ account: i % 2 ? CASH : EXTERNAL, currency: i < 6 ? 'USDT' : 'BTC', amount: dec(i % 2 ? '1' : '-1') }));
    entries.push({ account: CASH, currency: 'EUR', amount: dec('0.5') });
    const r = l.post({ id: 'adjustment:x', profileId: PROFILE_ID, kind: 'adjustment', at: 1, entries });
    expect(r.ok ? null : r.error).toEqual({ code: 'LEDGER_UNBALANCED', message: 'transaction adjustment:x: EUR entries sum to 0.5, not 0' });
    const reserve = reserveTx(l, { id: 'reserve:k1', at: 2, clientOrderId: 'k1', currency: 'USDT', amount: dec('1') });
    const refused = reserve.ok ? l.post(reserve.value) : null;
    expect(refused && !refused.ok ? refused.error.code : null).toBe('LEDGER_INSUFFICIENT_FUNDS');
    expect(l.transactions()).toHaveLength(0);
  });
});

describe('cached ids and local days', () => {
  it('gives the same client order ids whatever profile came before, up to the largest sequence', () => {
    const a = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const b = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    for (const seq of [1, 61, 62, 3844, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      const first = clientOrderId(a, seq);
      clientOrderId(b, seq);
      expect(clientOrderId(a, seq)).toEqual(first);
      const back = first.ok ? parseClientOrderId(first.value) : null;
      expect(back?.ok ? back.value : null).toEqual({ profileId: a, decisionSeq: seq });
    }
    expect(clientOrderId('not-a-uuid', 1).ok).toBe(false);
    expect(clientOrderId(a, 0).ok ? null : clientOrderId(a, 0)).toMatchObject({ error: { code: 'ID_INVALID_SEQUENCE' } });
  });

  it('counts trades by local date in any zone, however the entry times are interleaved', () => {
    const utc = (iso: string) => Date.parse(iso);
    for (const tz of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'Australia/Lord_Howe']) {
      const now = utc('2021-04-04T12:00:00Z'); // Lord Howe leaves DST (30 min) that day
      const entryTimes = Array.from({ length: 40 }, (_, i) => now - i * 47 * 60_000);
      const today = localTime(now, tz).dateKey;
      const expected = entryTimes.filter((t) => localTime(t, tz).dateKey === today).length;
      expect(entryTimes.filter((t) => localDayNumber(t, tz) === localDayNumber(now, tz)).length).toBe(expected);
      const rule = new MaxTradesPerDayRule({ max: expected, timeZone: tz });
      const ctx = { now, symbol: 'X/Y', positionQty: dec('0'), openPositions: 0, lastLossAt: null, entryTimes };
      expect(rule.evaluate(ctx, { kind: 'enter', side: 'buy', orderType: 'market', reason: 't' })?.reason).toBe(`${expected} of ${expected} trades already made today (${today} ${tz})`);
    }
  });
});
