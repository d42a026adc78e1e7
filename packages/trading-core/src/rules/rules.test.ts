import { describe, expect, it } from 'vitest';
import { dec, ZERO } from '../decimal/dec.ts';
import type { Intent } from '../strategy/intent.ts';
import { CooldownAfterLossRule } from './cooldown-after-loss-rule.ts';
import { MaxOpenPositionsRule } from './max-open-positions-rule.ts';
import { MaxTradesPerDayRule } from './max-trades-per-day-rule.ts';
import { evaluateRules, type RuleContext } from './rule.ts';
import { localTime } from './zoned-time.ts';

const utc = (iso: string) => Date.parse(iso);
const enter: Intent = { kind: 'enter', side: 'buy', orderType: 'market', reason: 'signal' };
const exit: Intent = { kind: 'exit', orderType: 'market', reason: 'take profit' };
const cancel: Intent = { kind: 'cancel', clientOrderId: null, reason: 'flat' };
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  now: utc('2006-01-02T10:00:00Z'),
  symbol: 'BTC/USDT',
  positionQty: ZERO,
  openPositions: 0,
  lastLossAt: null,
  entryTimes: [],
  ...over,
});

describe('CooldownAfterLossRule', () => {
  const rule = new CooldownAfterLossRule({ minutes: 30 });
  it('blocks entries for the cooldown after a losing close, then lets them through', () => {
    const lastLossAt = utc('2006-01-02T09:45:00Z');
    expect(rule.evaluate(ctx({ lastLossAt }), enter)).toEqual({
      stage: 'rule',
      code: 'RULE_COOLDOWN',
      reason: 'cooldown of 30 min after a losing close at 2006-01-02T09:45:00.000Z: no entries until 2006-01-02T10:15:00.000Z',
    });
    expect(rule.evaluate(ctx({ lastLossAt, now: utc('2006-01-02T10:15:00Z') }), enter)).toBeNull();
    expect(rule.evaluate(ctx({ lastLossAt, positionQty: dec('1') }), exit)).toBeNull();
    expect(rule.evaluate(ctx(), enter)).toBeNull();
  });
});

describe('MaxTradesPerDayRule', () => {
  const rule = new MaxTradesPerDayRule({ max: 2, timeZone: 'Europe/Berlin' });
  it('counts entries of the local calendar day only', () => {
    const now = utc('2006-01-03T10:00:00Z');
    // 2006-01-02 23:30 Berlin (22:30Z) belongs to the 2nd; 2006-01-03 00:30 Berlin (23:30Z on the 2nd) to the 3rd.
    const entryTimes = [utc('2006-01-02T22:30:00Z'), utc('2006-01-02T23:30:00Z'), utc('2006-01-03T08:00:00Z')];
    expect(rule.evaluate(ctx({ now, entryTimes }), enter)).toEqual({
      stage: 'rule',
      code: 'RULE_MAX_TRADES_PER_DAY',
      reason: '2 of 2 trades already made today (2006-01-03 Europe/Berlin)',
    });
    expect(rule.evaluate(ctx({ now, entryTimes: entryTimes.slice(0, 2) }), enter)).toBeNull();
    expect(rule.evaluate(ctx({ now, entryTimes, positionQty: dec('1') }), exit)).toBeNull();
  });
});

describe('MaxOpenPositionsRule', () => {
  const rule = new MaxOpenPositionsRule({ max: 3 });
  it('blocks a new position at the limit, not an increase or an exit', () => {
    expect(rule.evaluate(ctx({ openPositions: 3 }), enter)).toEqual({ stage: 'rule', code: 'RULE_MAX_OPEN_POSITIONS', reason: '3 of 3 positions already open' });
    expect(rule.evaluate(ctx({ openPositions: 2 }), enter)).toBeNull();
    expect(rule.evaluate(ctx({ openPositions: 3, positionQty: dec('1') }), enter)).toBeNull();
    expect(rule.evaluate(ctx({ openPositions: 3, positionQty: dec('1') }), exit)).toBeNull();
  });
});

describe('evaluateRules', () => {
  it('returns the first denial and never gates cancels', () => {
    const rules = [new MaxOpenPositionsRule({ max: 0 }), new CooldownAfterLossRule({ minutes: 5 })];
    expect(evaluateRules(rules, ctx({ lastLossAt: utc('2006-01-02T09:59:00Z') }), enter)?.code).toBe('RULE_MAX_OPEN_POSITIONS');
    expect(evaluateRules(rules, ctx(), cancel)).toBeNull();
    expect(evaluateRules([], ctx(), enter)).toBeNull();
  });
});

describe('localTime', () => {
  it('gives local date, ISO weekday and minute of day, across DST', () => {
    expect(localTime(utc('2006-03-26T00:59:00Z'), 'Europe/Berlin')).toEqual({ dateKey: '2006-03-26', weekday: 7, minuteOfDay: 119 });
    expect(localTime(utc('2006-03-26T01:00:00Z'), 'Europe/Berlin')).toEqual({ dateKey: '2006-03-26', weekday: 7, minuteOfDay: 180 });
    expect(localTime(utc('2006-01-01T23:30:00Z'), 'Europe/Berlin')).toEqual({ dateKey: '2006-01-02', weekday: 1, minuteOfDay: 30 });
    expect(localTime(utc('2006-01-02T00:00:00Z'), 'UTC')).toEqual({ dateKey: '2006-01-02', weekday: 1, minuteOfDay: 0 });
  });
});
