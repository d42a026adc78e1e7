import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROFILE_ID } from '../testing/fixtures.ts';
import { CLIENT_ORDER_ID_MAX_LENGTH, clientOrderId, parseClientOrderId } from './client-order-id.ts';

const id = (profile: string, seq: number) => {
  const r = clientOrderId(profile, seq);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('clientOrderId', () => {
  it('is deterministic, short and venue-safe', () => {
    expect(id(PROFILE_ID, 1)).toBe(id(PROFILE_ID, 1));
    expect(id(PROFILE_ID, 1)).toBe(id(PROFILE_ID.toUpperCase(), 1));
    const longest = id('ffffffff-ffff-ffff-ffff-ffffffffffff', Number.MAX_SAFE_INTEGER);
    expect(longest.length).toBeLessThanOrEqual(CLIENT_ORDER_ID_MAX_LENGTH);
    expect(longest).toMatch(/^[A-Za-z0-9]{1,32}$/);
  });

  it('is injective and reversible over profiles and sequences', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (p1, p2, s1, s2) => {
        const a = id(p1, s1);
        const b = id(p2, s2);
        expect(a === b).toBe(p1.toLowerCase() === p2.toLowerCase() && s1 === s2);
        expect(a).toMatch(/^k[A-Za-z0-9]{23,31}$/);
        expect(parseClientOrderId(a)).toEqual({ ok: true, value: { profileId: p1.toLowerCase(), decisionSeq: s1 } });
      }),
    );
  });

  it('refuses bad input with stable codes', () => {
    expect(clientOrderId('demo', 1)).toMatchObject({ ok: false, error: { code: 'ID_INVALID_PROFILE_ID' } });
    for (const seq of [0, -1, 1.5, NaN, 2 ** 53]) expect(clientOrderId(PROFILE_ID, seq)).toMatchObject({ ok: false, error: { code: 'ID_INVALID_SEQUENCE' } });
    for (const bad of ['x', 'k123', id(PROFILE_ID, 7).replace(/.$/, '0$&'), 'k' + 'z'.repeat(31)]) {
      expect(parseClientOrderId(bad)).toMatchObject({ ok: false, error: { code: 'ID_INVALID_CLIENT_ORDER_ID' } });
    }
  });
});
