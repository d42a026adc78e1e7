import { describe, expect, it } from 'vitest';
import { dec, ZERO } from '../decimal/dec.ts';
import type { Intent } from '../strategy/intent.ts';
import type { RuleContext } from './rule.ts';
import { SessionRule } from './session-rule.ts';

const utc = (iso: string) => Date.parse(iso);
const enter: Intent = { kind: 'enter', side: 'buy', orderType: 'market', reason: 'signal' };
const exit: Intent = { kind: 'exit', orderType: 'market', reason: 'stop' };
const ctx = (now: number, positionQty = ZERO): RuleContext => ({ now, symbol: 'FESX', positionQty, openPositions: 0, lastLossAt: null, entryTimes: [] });

describe('SessionRule (Europe/Berlin, Mon–Fri 09:00–17:30, holiday 2006-01-06)', () => {
  const rule = new SessionRule({ timeZone: 'Europe/Berlin', hours: [{ open: '09:00', close: '17:30' }], holidays: ['2006-01-06'] });
  const reason = (iso: string, intent: Intent = enter) => rule.evaluate(ctx(utc(iso)), intent)?.reason ?? null;

  it('is open on 2006-01-02 at 09:01 local (08:01 UTC, CET = UTC+1)', () => {
    expect(rule.evaluate(ctx(utc('2006-01-02T08:01:00Z')), enter)).toBeNull();
    expect(rule.isOpen(utc('2006-01-02T08:00:00Z'))).toBe(true); // 09:00 opens
    expect(rule.isOpen(utc('2006-01-02T16:29:59Z'))).toBe(true); // 17:29:59
  });

  it('is closed at 22:00 local and says why', () => {
    expect(rule.evaluate(ctx(utc('2006-01-02T21:00:00Z')), enter)).toEqual({
      stage: 'rule',
      code: 'RULE_SESSION_CLOSED',
      reason: 'outside trading hours 09:00–17:30 Europe/Berlin (local Mon 2006-01-02 22:00)',
    });
    expect(rule.isOpen(utc('2006-01-02T07:59:00Z'))).toBe(false); // 08:59
    expect(rule.isOpen(utc('2006-01-02T16:30:00Z'))).toBe(false); // 17:30 closes
  });

  it('is closed on the weekend', () => {
    expect(reason('2006-01-07T11:00:00Z')).toBe('closed on Sat: trading days Mon–Fri Europe/Berlin (local Sat 2006-01-07 12:00)');
    expect(reason('2006-01-08T11:00:00Z')).toMatch(/^closed on Sun/);
  });

  it('is closed on a holiday', () => {
    expect(reason('2006-01-06T09:00:00Z')).toBe('holiday 2006-01-06 (Europe/Berlin)');
    expect(rule.isOpen(utc('2006-01-05T09:00:00Z'))).toBe(true);
  });

  it('follows the spring DST switch (2006-03-26: CET → CEST, UTC+1 → UTC+2)', () => {
    // Friday before: 08:30 UTC = 09:30 CET, open; 07:30 UTC = 08:30 CET, closed.
    expect(rule.isOpen(utc('2006-03-24T08:30:00Z'))).toBe(true);
    expect(rule.isOpen(utc('2006-03-24T07:30:00Z'))).toBe(false);
    // Monday after: 07:30 UTC = 09:30 CEST, open (a fixed +1 offset would say 08:30, closed) …
    expect(rule.isOpen(utc('2006-03-27T07:30:00Z'))).toBe(true);
    // … and 15:45 UTC = 17:45 CEST, closed (a fixed +1 offset would say 16:45, open).
    expect(reason('2006-03-27T15:45:00Z')).toBe('outside trading hours 09:00–17:30 Europe/Berlin (local Mon 2006-03-27 17:45)');
  });

  it('follows the autumn DST switch (2006-10-29: CEST → CET)', () => {
    expect(rule.isOpen(utc('2006-10-27T07:30:00Z'))).toBe(true); // 09:30 CEST
    expect(rule.isOpen(utc('2006-10-30T07:30:00Z'))).toBe(false); // 08:30 CET
    expect(rule.isOpen(utc('2006-10-30T08:30:00Z'))).toBe(true); // 09:30 CET
  });

  it('on the switch day itself, local hours jump from 01:59 CET to 03:00 CEST', () => {
    const allWeek = new SessionRule({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5, 6, 7], hours: [{ open: '03:00', close: '04:00' }] });
    expect(allWeek.isOpen(utc('2006-03-26T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(allWeek.isOpen(utc('2006-03-26T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(allWeek.isOpen(utc('2006-03-26T02:00:00Z'))).toBe(false); // 04:00 CEST
  });

  it('stops exits too unless allowExitsOutside is set; never stops cancels', () => {
    const closed = utc('2006-01-02T21:00:00Z');
    expect(rule.evaluate(ctx(closed, dec('1')), exit)?.code).toBe('RULE_SESSION_CLOSED');
    const lenient = new SessionRule({ timeZone: 'Europe/Berlin', hours: [{ open: '09:00', close: '17:30' }], allowExitsOutside: true });
    expect(lenient.evaluate(ctx(closed, dec('1')), exit)).toBeNull();
    expect(lenient.evaluate(ctx(closed, dec('1')), enter)?.code).toBe('RULE_SESSION_CLOSED');
  });

  it('handles windows past midnight, which belong to the day they open', () => {
    // Sun–Thu 18:00–02:00 New York: Friday 01:00 belongs to Thursday's session, Saturday 01:00 to Friday's (none).
    const night = new SessionRule({ timeZone: 'America/New_York', days: [7, 1, 2, 3, 4], hours: [{ open: '18:00', close: '02:00' }] });
    expect(night.isOpen(utc('2006-01-06T06:00:00Z'))).toBe(true); // Fri 01:00 EST
    expect(night.isOpen(utc('2006-01-07T06:00:00Z'))).toBe(false); // Sat 01:00 EST
    expect(night.isOpen(utc('2006-01-08T23:00:00Z'))).toBe(true); // Sun 18:00 EST
    expect(night.isOpen(utc('2006-01-06T07:00:00Z'))).toBe(false); // Fri 02:00 EST
  });

  it('refuses a bad configuration', () => {
    expect(() => new SessionRule({ timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => new SessionRule({ timeZone: 'UTC', hours: [{ open: '9:00', close: '17:00' }] })).toThrow(RangeError);
    expect(() => new SessionRule({ timeZone: 'UTC', days: [0] })).toThrow(RangeError);
    expect(() => new SessionRule({ timeZone: 'UTC', holidays: ['06.01.2006'] })).toThrow(RangeError);
  });
});
