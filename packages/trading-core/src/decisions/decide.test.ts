import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { dec, decToString, ZERO } from '../decimal/dec.ts';
import { clientOrderId } from '../ids/client-order-id.ts';
import { Ledger } from '../ledger/ledger.ts';
import { depositTx } from '../ledger/operations.ts';
import { RiskEngine } from '../risk/risk-engine.ts';
import type { RiskState } from '../risk/risk-limits.ts';
import { ALL_ACTIVE } from '../risk/trading-state.ts';
import type { RuleContext } from '../rules/rule.ts';
import { SessionRule } from '../rules/session-rule.ts';
import type { Intent } from '../strategy/intent.ts';
import { instrument, PROFILE_ID, TENANT_ID } from '../testing/fixtures.ts';
import { decide, type DecideInput } from './decide.ts';

const btc = instrument();
const OPEN = Date.parse('2006-01-02T08:01:00Z'); // Mon 09:01 Berlin
const CLOSED = Date.parse('2006-01-02T21:00:00Z'); // Mon 22:00 Berlin

function setup(now = OPEN, over: Partial<RiskState> = {}) {
  const clock = new ManualClock(now);
  const ledger = new Ledger(PROFILE_ID);
  const d = depositTx(ledger, { id: 'd', at: 0, currency: 'USDT', amount: dec('1000') });
  if (d.ok) ledger.post(d.value);
  const riskState: RiskState = {
    tradingStates: ALL_ACTIVE,
    limits: { priceBand: dec('0.05'), feeRate: dec('0.001') },
    instrument: btc,
    lastPrice: dec('100'),
    positionQty: ZERO,
    openBuyQty: ZERO,
    openSellQty: ZERO,
    freeCapital: ledger.freeCapital('USDT'),
    dailyPnl: ZERO,
    equity: dec('1000'),
    peakEquity: dec('1000'),
    ...over,
  };
  const ruleContext: RuleContext = { now, symbol: 'BTC/USDT', positionQty: riskState.positionQty, openPositions: 0, lastLossAt: null, entryTimes: [] };
  const input = (intent: Intent, extra: Partial<DecideInput> = {}): DecideInput => ({
    intent,
    decisionSeq: 7,
    profileId: PROFILE_ID,
    tenantId: TENANT_ID,
    instrument: btc,
    rules: [new SessionRule({ timeZone: 'Europe/Berlin', hours: [{ open: '09:00', close: '17:30' }] })],
    ruleContext,
    risk: new RiskEngine(clock),
    riskState,
    capital: ledger,
    stake: dec('250'),
    ...extra,
  });
  return { ledger, input };
}

const enter: Intent = { kind: 'enter', side: 'buy', orderType: 'limit', price: 99.987, reason: 'SMA 10 crossed above SMA 30' };

describe('decide', () => {
  it('SessionRule blocks outside hours and the decision says so', () => {
    const { input, ledger } = setup(CLOSED);
    const r = decide(input(enter));
    expect(r.commands).toEqual([]);
    expect(r.decision).toMatchObject({
      id: `${PROFILE_ID}:7`,
      outcome: 'denied',
      stage: 'rule',
      code: 'RULE_SESSION_CLOSED',
      reason: 'outside trading hours 09:00–17:30 Europe/Berlin (local Mon 2006-01-02 22:00)',
      at: CLOSED,
      order: null,
    });
    expect(r.decision.intent).toEqual({ kind: 'enter', side: 'buy', orderType: 'limit', quantity: null, price: '99.987', stopPrice: null, clientOrderId: null, reason: 'SMA 10 crossed above SMA 30' });
    expect(decToString(ledger.freeCapital('USDT'))).toBe('1000');
  });

  it('approves an entry: sized from the stake, rounded to tick and lot, reserved, with the deterministic client order id', () => {
    const { input, ledger } = setup();
    const r = decide(input(enter));
    const expectedId = clientOrderId(PROFILE_ID, 7);
    expect(expectedId.ok).toBe(true);
    const cmd = r.commands[0];
    expect(r.commands).toHaveLength(1);
    expect(cmd?.type).toBe('SubmitOrder');
    if (cmd?.type !== 'SubmitOrder' || !expectedId.ok) return;
    expect(cmd.clientOrderId).toBe(expectedId.value);
    expect(cmd.decisionId).toBe(r.decision.id);
    expect(decToString(cmd.price!)).toBe('99.98'); // a buy's limit rounds down
    expect(decToString(cmd.quantity)).toBe('2.5005'); // 250 / 99.98 = 2.50050…, down to the lot
    expect(r.decision.outcome).toBe('approved');
    expect(r.decision.reason).toMatch(/^approved: buy 2\.5005 BTC\/USDT limit @ 99\.98.*; SMA 10 crossed above SMA 30$/);
    expect(decToString(r.decision.reservation!)).toBe(decToString(ledger.reservedFor(cmd.clientOrderId, 'USDT')));
    expect(r.reservation?.id).toBe(`reserve:${cmd.clientOrderId}`);
  });

  it('records a risk denial with the order that was evaluated, and reserves nothing', () => {
    const { input, ledger } = setup(OPEN, { tradingStates: { ...ALL_ACTIVE, global: { state: 'HALTED', reason: 'global kill switch' } } });
    const r = decide(input(enter));
    expect(r.decision).toMatchObject({ outcome: 'denied', stage: 'risk', code: 'RISK_TRADING_HALTED', reason: 'trading is halted at global level: global kill switch' });
    expect(r.decision.order?.side).toBe('buy');
    expect(decToString(ledger.freeCapital('USDT'))).toBe('1000');
  });

  it('exits the whole position reduce-only, and skips an exit while flat', () => {
    const long = setup(OPEN, { positionQty: dec('0.5') });
    const r = decide(long.input({ kind: 'exit', orderType: 'market', reason: 'take profit' }));
    const cmd = r.commands[0];
    expect(cmd?.type === 'SubmitOrder' && [cmd.side, decToString(cmd.quantity), cmd.reduceOnly, cmd.timeInForce]).toEqual(['sell', '0.5', true, 'IOC']);
    const flat = setup();
    expect(decide(flat.input({ kind: 'exit', orderType: 'market', reason: 'stop' })).decision).toMatchObject({ outcome: 'skipped', reason: 'no position to exit' });
  });

  it('denies a quantity that rounds to zero and a non-finite number', () => {
    const { input } = setup();
    expect(decide(input({ kind: 'order', side: 'buy', orderType: 'market', quantity: 0.00001, reason: 'tiny' })).decision).toMatchObject({
      outcome: 'denied',
      code: 'INSTRUMENT_MIN_QTY',
      reason: 'quantity 0.00001 rounds down to 0 at lot size 0.0001',
    });
    expect(decide(input({ kind: 'order', side: 'buy', orderType: 'market', quantity: NaN, reason: 'bug' })).decision.code).toBe('ORDER_INVALID_SPEC');
  });

  it('turns cancel intents into CancelOrder commands, ungated', () => {
    const { input } = setup(CLOSED);
    const r = decide(input({ kind: 'cancel', clientOrderId: null, reason: 'session over' }, { openClientOrderIds: ['a', 'b'] }));
    expect(r.commands).toEqual([
      { type: 'CancelOrder', at: CLOSED, profileId: PROFILE_ID, tenantId: TENANT_ID, clientOrderId: 'a', reason: 'session over' },
      { type: 'CancelOrder', at: CLOSED, profileId: PROFILE_ID, tenantId: TENANT_ID, clientOrderId: 'b', reason: 'session over' },
    ]);
    expect(decide(input({ kind: 'cancel', clientOrderId: 'x', reason: 'r' }, { openClientOrderIds: ['a'] })).decision.outcome).toBe('skipped');
  });

  it('without a capital pool it is a dry run', () => {
    const { input, ledger } = setup();
    const r = decide(input(enter, { capital: null }));
    expect(r.decision.outcome).toBe('approved');
    expect(r.reservation).toBeNull();
    expect(decToString(ledger.freeCapital('USDT'))).toBe('1000');
  });
});
