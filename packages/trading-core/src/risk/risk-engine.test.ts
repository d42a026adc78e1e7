import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { dec, decToString, ZERO } from '../decimal/dec.ts';
import { Ledger } from '../ledger/ledger.ts';
import { depositTx } from '../ledger/operations.ts';
import type { OrderRequest } from '../orders/order-types.ts';
import { instrument, PROFILE_ID, TENANT_ID } from '../testing/fixtures.ts';
import { RiskEngine, type RiskDecision } from './risk-engine.ts';
import { dailyPnl, type RiskState } from './risk-limits.ts';
import { ALL_ACTIVE, effectiveTradingState } from './trading-state.ts';

const btc = instrument();

function state(over: Partial<RiskState> = {}): RiskState {
  return {
    tradingStates: ALL_ACTIVE,
    limits: {
      maxOrderNotional: dec('1000'),
      maxPositionNotional: dec('2000'),
      maxDailyLoss: dec('500'),
      maxDrawdown: dec('0.2'),
      priceBand: dec('0.05'),
      orderRate: { maxOrders: 3, windowMs: 60_000 },
      feeRate: dec('0.001'),
    },
    instrument: btc,
    lastPrice: dec('100'),
    positionQty: ZERO,
    openBuyQty: ZERO,
    openSellQty: ZERO,
    freeCapital: dec('10000'),
    dailyPnl: ZERO,
    equity: dec('10000'),
    peakEquity: dec('10000'),
    ...over,
  };
}

function req(over: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'c1',
    profileId: PROFILE_ID,
    tenantId: TENANT_ID,
    symbol: 'BTC/USDT',
    side: 'buy',
    orderType: 'limit',
    timeInForce: 'GTC',
    quantity: dec('1'),
    price: dec('100'),
    stopPrice: null,
    reduceOnly: false,
    ...over,
  };
}

const denial = (d: RiskDecision) => (d.outcome === 'denied' ? [d.denial.code, d.denial.reason] : ['approved', d.reason]);

describe('RiskEngine: each code, with its reason', () => {
  const engine = () => new RiskEngine(new ManualClock(1_000_000));

  it('approves a sound order and says what it reserves', () => {
    const d = engine().check(req(), state());
    expect(d).toMatchObject({ outcome: 'approved', at: 1_000_000, reducing: false });
    if (d.outcome !== 'approved') return;
    expect(decToString(d.notional)).toBe('100');
    expect(decToString(d.reservation)).toBe('100.1');
    expect(d.reason).toBe('approved: buy 1 BTC/USDT limit @ 100, notional 100 USDT, reserves 100.1 USDT');
  });

  it('RISK_TRADING_HALTED names the level and the kill-switch reason; HALTED blocks exits too', () => {
    const s = state({ tradingStates: { ...ALL_ACTIVE, tenant: { state: 'HALTED', reason: 'kill switch by admin' } }, positionQty: dec('1') });
    expect(denial(engine().check(req({ side: 'sell' }), s))).toEqual(['RISK_TRADING_HALTED', 'trading is halted at tenant level: kill switch by admin']);
  });

  it('RISK_REDUCE_ONLY: REDUCING lets only position-reducing orders through', () => {
    const s = state({ tradingStates: { ...ALL_ACTIVE, profile: { state: 'REDUCING', reason: 'profile stopping' } }, positionQty: dec('2') });
    expect(denial(engine().check(req(), s))).toEqual([
      'RISK_REDUCE_ONLY',
      'trading is reducing at profile level: profile stopping; buy 1 would not reduce the position 2',
    ]);
    expect(engine().check(req({ side: 'sell', quantity: dec('2') }), s).outcome).toBe('approved');
    expect(engine().check(req({ side: 'sell', quantity: dec('1.5') }), { ...s, openSellQty: dec('1') }).outcome).toBe('denied');
    expect(denial(engine().check(req({ reduceOnly: true }), state()))[0]).toBe('RISK_REDUCE_ONLY');
  });

  it('RISK_MAX_ORDER_NOTIONAL', () => {
    expect(denial(engine().check(req({ quantity: dec('10.5') }), state()))).toEqual([
      'RISK_MAX_ORDER_NOTIONAL',
      'order notional 1050 USDT is above the limit 1000 USDT',
    ]);
  });

  it('RISK_MAX_POSITION_NOTIONAL counts the position and open orders on the same side', () => {
    const s = state({ positionQty: dec('12'), openBuyQty: dec('5') });
    expect(denial(engine().check(req({ quantity: dec('4') }), s))).toEqual([
      'RISK_MAX_POSITION_NOTIONAL',
      'position would be 21 BTC ≈ 2100 USDT, above the limit 2000 USDT',
    ]);
    expect(engine().check(req({ quantity: dec('3') }), s).outcome).toBe('approved');
  });

  it('RISK_MAX_DAILY_LOSS blocks new exposure, not exits', () => {
    const pnl = dailyPnl({ realizedToday: dec('-300'), feesToday: dec('20'), unrealizedNow: dec('-250'), unrealizedAtDayStart: dec('-50') });
    expect(decToString(pnl)).toBe('-520');
    const s = state({ dailyPnl: pnl, positionQty: dec('1') });
    expect(denial(engine().check(req(), s))).toEqual(['RISK_MAX_DAILY_LOSS', "today's P&L -520 USDT reached the daily loss limit of 500 USDT"]);
    expect(engine().check(req({ side: 'sell', price: dec('99') }), s).outcome).toBe('approved');
  });

  it('RISK_MAX_DRAWDOWN', () => {
    expect(denial(engine().check(req(), state({ equity: dec('7900'), peakEquity: dec('10000') })))).toEqual([
      'RISK_MAX_DRAWDOWN',
      'drawdown 21% from the equity peak 10000 (equity 7900) reached the limit of 20%',
    ]);
  });

  it('RISK_INSUFFICIENT_CAPITAL: cash for buys (fee included), holdings for spot sells', () => {
    expect(denial(engine().check(req(), state({ freeCapital: dec('100') })))).toEqual([
      'RISK_INSUFFICIENT_CAPITAL',
      'order needs 100.1 USDT, free capital is 100 USDT',
    ]);
    expect(denial(engine().check(req({ side: 'sell', quantity: dec('1') }), state({ positionQty: dec('1.5'), openSellQty: dec('1') })))).toEqual([
      'RISK_INSUFFICIENT_CAPITAL',
      'cannot sell 1 BTC: position 1.5, 1 already in open sell orders',
    ]);
  });

  it('RISK_PRICE_BAND: limit outside ±band of the last price; market without a last price', () => {
    expect(denial(engine().check(req({ price: dec('106') }), state()))).toEqual([
      'RISK_PRICE_BAND',
      'limit price 106 is outside ±5% of the last price 100 (95–105)',
    ]);
    expect(denial(engine().check(req({ orderType: 'market', price: null }), state({ lastPrice: null })))).toEqual([
      'RISK_PRICE_BAND',
      'no last price to value a market order',
    ]);
  });

  it('RISK_ORDER_RATE counts approved orders in a sliding window on the injected clock', () => {
    const clock = new ManualClock(0);
    const e = new RiskEngine(clock);
    const l = new Ledger(PROFILE_ID);
    const dep = depositTx(l, { id: 'd', at: 0, currency: 'USDT', amount: dec('10000') });
    if (dep.ok) l.post(dep.value);
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      expect(e.reserveOnApproval(req({ clientOrderId: `c${i}` }), state(), l).decision.outcome).toBe('approved');
    }
    clock.advance(1_000);
    expect(denial(e.reserveOnApproval(req({ clientOrderId: 'c3' }), state(), l).decision)).toEqual([
      'RISK_ORDER_RATE',
      '3 orders in the last 60000 ms (limit 3); next allowed in 57000 ms',
    ]);
    clock.advance(57_000);
    expect(e.reserveOnApproval(req({ clientOrderId: 'c4' }), state(), l).decision.outcome).toBe('approved');
  });

  it('instrument filters and order parameters come first, with their own codes', () => {
    expect(denial(engine().check(req({ price: dec('100.001') }), state()))[0]).toBe('INSTRUMENT_TICK_SIZE');
    expect(denial(engine().check(req({ quantity: dec('0.00001') }), state()))[0]).toBe('INSTRUMENT_LOT_SIZE');
    expect(denial(engine().check(req({ quantity: dec('0.05') }), state()))[0]).toBe('INSTRUMENT_MIN_NOTIONAL');
    const spec = engine().check(req({ price: null }), state());
    expect(spec.outcome === 'denied' && spec.denial).toEqual({ stage: 'order', code: 'ORDER_INVALID_SPEC', reason: 'a limit order needs a price' });
  });

  it('the effective trading state is the most restrictive level', () => {
    expect(effectiveTradingState({ global: { state: 'REDUCING' }, tenant: { state: 'HALTED', reason: 'x' }, profile: { state: 'ACTIVE' } })).toEqual({
      state: 'HALTED',
      scope: 'tenant',
      reason: 'x',
    });
    expect(effectiveTradingState(ALL_ACTIVE)).toEqual({ state: 'ACTIVE', scope: null, reason: null });
  });

  it('reserves the price-band allowance for market buys', () => {
    const l = new Ledger(PROFILE_ID);
    const dep = depositTx(l, { id: 'd', at: 0, currency: 'USDT', amount: dec('1000') });
    if (dep.ok) l.post(dep.value);
    const r = engine().reserveOnApproval(req({ orderType: 'market', price: null, quantity: dec('2') }), state(), l);
    expect(r.reservation?.entries.map((e) => [e.account, decToString(e.amount)])).toEqual([
      ['cash', '-210.21'],
      ['reserved:c1', '210.21'],
    ]);
    expect(decToString(l.freeCapital('USDT'))).toBe('789.79');
  });
});
