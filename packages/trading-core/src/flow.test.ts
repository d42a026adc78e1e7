/**
 * The whole flow on synthetic candles, as a backtester would drive it: candle → strategy →
 * decide (rules, risk, reservation) → order → fills → position + ledger → release. It also checks
 * the allocation contract: no signal returns the shared NO_INTENTS.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock/clock.ts';
import { dec, decFromNumber, decToString, ZERO } from './decimal/dec.ts';
import { decide } from './decisions/decide.ts';
import { Ledger } from './ledger/ledger.ts';
import { depositTx, fillTx, releaseTx } from './ledger/operations.ts';
import { ledgerTxId } from './ledger/transaction.ts';
import type { Candle } from './market-data/candle.ts';
import { CandleHistory } from './market-data/candle-history.ts';
import type { OrderEvent } from './messages/order-events.ts';
import type { PositionEvent } from './messages/position-events.ts';
import { applyOrderEvent } from './orders/apply-order-event.ts';
import { createOrder } from './orders/create-order.ts';
import { validateLifecycleHistory } from './orders/lifecycle-history.ts';
import { isTerminal, type Order } from './orders/order-types.ts';
import { applyFillToPosition } from './positions/apply-fill.ts';
import { flatPosition, unrealizedPnl } from './positions/position.ts';
import { RiskEngine } from './risk/risk-engine.ts';
import { ALL_ACTIVE } from './risk/trading-state.ts';
import { NO_INTENTS, type Intent } from './strategy/intent.ts';
import type { MutableStrategyContext, Strategy, StrategyContext } from './strategy/strategy.ts';
import { instrument, PROFILE_ID, TENANT_ID } from './testing/fixtures.ts';

/** Enter when the close is above the 3-candle mean, exit when below. */
const meanCross: Strategy<{ n: number }> = {
  id: 'mean-cross',
  params: { n: 3 },
  warmup: 3,
  onCandle(ctx: StrategyContext, candle: Candle): readonly Intent[] {
    if (ctx.candles.length < 3) return NO_INTENTS;
    const mean = (ctx.candles.close(0) + ctx.candles.close(1) + ctx.candles.close(2)) / 3;
    if (ctx.positionQty === 0 && candle.close > mean * 1.001) return [{ kind: 'enter', side: 'buy', orderType: 'market', reason: 'close above mean' }];
    if (ctx.positionQty > 0 && candle.close < mean * 0.999) return [{ kind: 'exit', orderType: 'market', reason: 'close below mean' }];
    return NO_INTENTS;
  },
};

describe('flow: candle → strategy → decide → order → fill → position + ledger', () => {
  it('trades a synthetic series and keeps position, ledger and orders consistent', () => {
    const btc = instrument();
    const clock = new ManualClock(Date.parse('2024-01-01T00:00:00Z'));
    const risk = new RiskEngine(clock);
    const ledger = new Ledger(PROFILE_ID);
    const dep = depositTx(ledger, { id: 'd', at: clock.now(), currency: 'USDT', amount: dec('10000') });
    if (dep.ok) ledger.post(dep.value);
    const history = new CandleHistory(50);
    let position = flatPosition(PROFILE_ID, btc, clock.now());
    const ctx: MutableStrategyContext = {
      now: clock.now(),
      profileId: PROFILE_ID,
      instrument: btc,
      position,
      positionQty: 0,
      freeCapital: 10_000,
      lastPrice: NaN,
      openOrders: [],
      candles: history,
    };
    const orders: Order[] = [];
    const positionEvents: PositionEvent[] = [];
    let seq = 0;
    let trade = 0;
    let noSignal = 0;

    for (let i = 0; i < 200; i++) {
      clock.advance(60_000);
      const close = Math.round((100 + 10 * Math.sin(i / 7)) * 100) / 100;
      const candle: Candle = { time: clock.now() - 60_000, open: close, high: close + 0.5, low: close - 0.5, close, volume: 1 };
      history.push(candle);
      ctx.now = clock.now();
      ctx.lastPrice = close;
      ctx.position = position;
      ctx.positionQty = position.quantity.toNumber();
      ctx.freeCapital = ledger.freeCapital('USDT').toNumber();
      const intents = meanCross.onCandle(ctx, candle);
      if (intents === NO_INTENTS) noSignal++;
      for (const intent of intents) {
        const last = decFromNumber(close)!;
        const { decision, commands } = decide({
          intent,
          decisionSeq: ++seq,
          profileId: PROFILE_ID,
          tenantId: TENANT_ID,
          instrument: btc,
          rules: [],
          ruleContext: { now: clock.now(), symbol: btc.symbol, positionQty: position.quantity, openPositions: 0, lastLossAt: null, entryTimes: [] },
          risk,
          riskState: {
            tradingStates: ALL_ACTIVE,
            limits: { priceBand: dec('0.01'), feeRate: dec('0.001') },
            instrument: btc,
            lastPrice: last,
            positionQty: position.quantity,
            openBuyQty: ZERO,
            openSellQty: ZERO,
            freeCapital: ledger.freeCapital('USDT'),
            dailyPnl: ZERO,
            equity: ledger.equityAtCost('USDT'),
            peakEquity: ledger.equityAtCost('USDT'),
          },
          capital: ledger,
          stake: dec('1000'),
        });
        expect(decision.outcome).toBe('approved');
        for (const cmd of commands) {
          if (cmd.type !== 'SubmitOrder') continue;
          const created = createOrder({ ...cmd, id: `o${seq}`, createdAt: cmd.at });
          if (!created.ok) throw new Error(created.error.message);
          // The venue: ack, then one fill at the close with a 0.1 % taker fee.
          const qty = cmd.quantity;
          const fee = qty.times(last).times('0.001');
          const events: OrderEvent[] = [
            { type: 'OrderSubmitted', at: clock.now(), clientOrderId: cmd.clientOrderId, source: 'local' },
            { type: 'OrderAccepted', at: clock.now(), clientOrderId: cmd.clientOrderId, source: 'exchange', venueOrderId: `v${seq}` },
            {
              type: 'OrderFilled',
              at: clock.now(),
              clientOrderId: cmd.clientOrderId,
              source: 'exchange',
              fill: { tradeId: `t${++trade}`, venue: 'paper', qty, price: last, fee, feeCurrency: 'USDT', liquidity: 'taker', at: clock.now() },
            },
          ];
          let order = created.value;
          for (const e of events) {
            const r = applyOrderEvent(order, e);
            if (!r.ok) throw new Error(r.error.message);
            order = r.order;
            if (r.fill !== null) {
              const p = applyFillToPosition(position, { side: order.side, qty: r.fill.qty, price: r.fill.price, fee: r.fill.fee, feeCurrency: r.fill.feeCurrency, at: r.fill.at, tradeId: r.fill.tradeId });
              const tx = fillTx(ledger, {
                id: ledgerTxId.fill(r.fill.venue, r.fill.tradeId),
                at: r.fill.at,
                clientOrderId: order.clientOrderId,
                tradeId: r.fill.tradeId,
                symbol: btc.symbol,
                quote: btc.quote,
                side: order.side,
                qty: r.fill.qty,
                price: r.fill.price,
                fee: r.fill.fee,
                feeCurrency: r.fill.feeCurrency,
                costDelta: p.costDelta,
                realizedPnl: p.realizedPnl,
              });
              if (!tx.ok) throw new Error(tx.error.message);
              const posted = ledger.post(tx.value);
              if (!posted.ok) throw new Error(posted.error.message);
              position = p.position;
              positionEvents.push(...p.events);
            }
          }
          if (isTerminal(order.status)) {
            const rel = releaseTx(ledger, { id: ledgerTxId.release(order.clientOrderId), at: clock.now(), clientOrderId: order.clientOrderId, currency: 'USDT' });
            if (rel.ok && rel.value !== null) expect(ledger.post(rel.value).ok).toBe(true);
          }
          orders.push(order);
        }
      }
    }

    expect(orders.length).toBeGreaterThan(4);
    expect(noSignal).toBeGreaterThan(100);
    expect(orders.every((o) => o.status === 'filled' && validateLifecycleHistory(o.history, o.status).ok)).toBe(true);
    expect(positionEvents.filter((e) => e.type === 'PositionOpened').length).toBeGreaterThan(1);
    expect(ledger.reservedTotal('USDT').isZero()).toBe(true);
    expect(ledger.positionCost('USDT').equals(position.costBasis)).toBe(true);
    expect(ledger.realizedPnl('USDT').equals(position.realizedPnl)).toBe(true);
    expect(ledger.equityAtCost('USDT').equals(dec('10000').plus(position.realizedPnl).minus(ledger.feesPaid('USDT')))).toBe(true);
    const mark = decFromNumber(history.close(0))!;
    expect(decToString(unrealizedPnl(position, mark))).toMatch(/^-?\d+(\.\d+)?$/);
  });
});
