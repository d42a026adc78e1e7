import { describe, expect, it } from 'vitest';
import { dec, decToString } from '../decimal/dec.ts';
import type { OrderEvent } from '../messages/order-events.ts';
import { fill, order as makeOrder } from '../testing/fixtures.ts';
import { applyOrderEvent } from './apply-order-event.ts';
import { createOrder } from './create-order.ts';
import { validateLifecycleHistory } from './lifecycle-history.ts';
import type { Order } from './order-types.ts';

const c = 'coid-1';
const submitted: OrderEvent = { type: 'OrderSubmitted', at: 1_100, clientOrderId: c, source: 'local' };
const accepted: OrderEvent = { type: 'OrderAccepted', at: 1_200, clientOrderId: c, source: 'exchange', venueOrderId: 'v-1' };
const filledBy = (tradeId: string, qty: string, price: string, at = 1_300): OrderEvent => ({
  type: 'OrderFilled',
  at,
  clientOrderId: c,
  source: 'exchange',
  fill: fill(tradeId, qty, price, { at, fee: dec('0.01') }),
});

function run(events: readonly OrderEvent[], start: Order = makeOrder()): Order {
  let o = start;
  for (const e of events) {
    const r = applyOrderEvent(o, e);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    o = r.order;
  }
  return o;
}

describe('applyOrderEvent', () => {
  it('walks the happy path and records every step with time and source', () => {
    const o = run([submitted, accepted, filledBy('t1', '0.4', '100'), filledBy('t2', '0.6', '101', 1_400)]);
    expect(o.status).toBe('filled');
    expect(o.venueOrderId).toBe('v-1');
    expect(decToString(o.filledQty)).toBe('1');
    expect(decToString(o.avgFillPrice!)).toBe('100.6');
    expect(o.fees).toEqual([{ currency: 'USDT', amount: dec('0.02') }]);
    expect(o.history.map((s) => [s.from, s.to, s.source, s.event])).toEqual([
      ['new', 'submitted', 'local', 'OrderSubmitted'],
      ['submitted', 'accepted', 'exchange', 'OrderAccepted'],
      ['accepted', 'partially_filled', 'exchange', 'OrderFilled'],
      ['partially_filled', 'filled', 'exchange', 'OrderFilled'],
    ]);
    expect(o.history[2]?.reason).toBe('0.4 @ 100 (trade t1)');
    expect(o.updatedAt).toBe(1_400);
    expect(validateLifecycleHistory(o.history, o.status)).toEqual({ ok: true });
  });

  it('never mutates its input', () => {
    const before = makeOrder();
    const snapshot = JSON.stringify(before);
    const r = applyOrderEvent(before, submitted);
    expect(r.ok && r.order).not.toBe(before);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('applies a fill that arrives before the acknowledgement, then takes the late ack quietly', () => {
    const o = run([submitted, filledBy('t1', '1', '100')]);
    expect(o.status).toBe('filled');
    const late = applyOrderEvent(o, accepted);
    expect(late).toMatchObject({ ok: true, transition: null, effect: 'late_ack', fill: null });
    expect(late.ok && late.order.venueOrderId).toBe('v-1');
    expect(late.ok && late.order.history).toHaveLength(2);
  });

  it('ignores a duplicate fill (same venue and trade id) and says so', () => {
    const o = run([submitted, accepted, filledBy('t1', '0.5', '100')]);
    const dup = applyOrderEvent(o, filledBy('t1', '0.5', '100', 9_999));
    expect(dup).toEqual({ ok: true, order: o, transition: null, effect: 'duplicate_fill', fill: null });
    const otherVenue = applyOrderEvent(o, { type: 'OrderFilled', at: 1_300, clientOrderId: c, source: 'exchange', fill: fill('t1', '0.5', '100', { venue: 'other' }) });
    expect(otherVenue.ok && otherVenue.effect).toBe('transition');
  });

  it('refuses an overfill and changes nothing', () => {
    const o = run([submitted, accepted, filledBy('t1', '0.7', '100')]);
    const r = applyOrderEvent(o, filledBy('t2', '0.4', '100'));
    expect(r).toEqual({ ok: false, error: { code: 'ORDER_OVERFILL', message: 'fill t2 of 0.4 would fill 1.1 of 1' } });
  });

  it('refuses malformed fills and events for another order', () => {
    const o = run([submitted]);
    expect(applyOrderEvent(o, filledBy('t1', '0', '100'))).toMatchObject({ ok: false, error: { code: 'ORDER_INVALID_FILL' } });
    expect(applyOrderEvent(o, filledBy('t1', '1', '-1'))).toMatchObject({ ok: false, error: { code: 'ORDER_INVALID_FILL' } });
    expect(applyOrderEvent(o, { ...accepted, clientOrderId: 'other' })).toMatchObject({ ok: false, error: { code: 'ORDER_ID_MISMATCH' } });
  });

  it('refuses illegal transitions with the statuses in the message', () => {
    const r = applyOrderEvent(makeOrder(), accepted);
    expect(r).toEqual({ ok: false, error: { code: 'ORDER_ILLEGAL_TRANSITION', message: 'OrderAccepted is not allowed in status new (new → accepted)' } });
    const filled = run([submitted, filledBy('t1', '1', '100')]);
    for (const e of [submitted, { ...accepted, type: 'OrderCancelled' } as OrderEvent, { type: 'OrderExpired', at: 1, clientOrderId: c, source: 'exchange' } as OrderEvent]) {
      expect(applyOrderEvent(filled, e).ok).toBe(false);
    }
  });

  it('cancel-vs-fill race: a fill after the cancel request wins and fills the order', () => {
    const cancelReq: OrderEvent = { type: 'OrderCancelRequested', at: 1_250, clientOrderId: c, source: 'local', reason: 'strategy exit' };
    const o = run([submitted, accepted, cancelReq, filledBy('t1', '1', '100')]);
    expect(o.status).toBe('filled');
    expect(o.history.map((s) => s.to)).toEqual(['submitted', 'accepted', 'cancel_requested', 'filled']);
    const tooLate = applyOrderEvent(o, { type: 'OrderCancelled', at: 1_500, clientOrderId: c, source: 'exchange' });
    expect(tooLate.ok).toBe(false);
  });

  it('a fill reported after the venue said cancelled is still booked; the status stays cancelled', () => {
    const o = run([submitted, accepted, filledBy('t1', '0.3', '100'), { type: 'OrderCancelled', at: 1_400, clientOrderId: c, source: 'exchange' }]);
    const late = applyOrderEvent(o, filledBy('t2', '0.2', '100', 1_350));
    expect(late).toMatchObject({ ok: true, transition: null, effect: 'late_fill' });
    expect(late.ok && late.fill?.tradeId).toBe('t2');
    expect(late.ok && late.order.status).toBe('cancelled');
    expect(late.ok && decToString(late.order.filledQty)).toBe('0.5');
  });

  it('OrderDenied only before sending; OrderRejected only after', () => {
    const denied = applyOrderEvent(makeOrder(), { type: 'OrderDenied', at: 1_050, clientOrderId: c, source: 'local', code: 'RISK_MAX_ORDER_NOTIONAL', reason: 'too big' });
    expect(denied.ok && denied.order.status).toBe('rejected');
    expect(denied.ok && denied.transition?.reason).toBe('RISK_MAX_ORDER_NOTIONAL: too big');
    expect(applyOrderEvent(run([submitted]), { type: 'OrderDenied', at: 1, clientOrderId: c, source: 'local', code: 'X', reason: 'y' }).ok).toBe(false);
    expect(applyOrderEvent(makeOrder(), { type: 'OrderRejected', at: 1, clientOrderId: c, source: 'exchange', reason: 'no' }).ok).toBe(false);
    const rejected = applyOrderEvent(run([submitted]), { type: 'OrderRejected', at: 1, clientOrderId: c, source: 'exchange', reason: 'insufficient balance' });
    expect(rejected.ok && rejected.order.status).toBe('rejected');
  });

  it('keeps the average fill price exact as notional / quantity', () => {
    const o = run([submitted, filledBy('t1', '1', '1'), filledBy('t2', '1', '1'), filledBy('t3', '1', '2')], makeOrder({ quantity: dec('3') }));
    expect(decToString(o.filledNotional)).toBe('4');
    expect(o.avgFillPrice!.times(3).toDecimalPlaces(40).equals(4)).toBe(true);
  });
});

describe('createOrder', () => {
  it.each([
    [{ orderType: 'limit', price: null }, 'a limit order needs a price'],
    [{ orderType: 'market', price: dec('1') }, 'a market order takes no price'],
    [{ orderType: 'stop_market', price: null }, 'a stop_market order needs a stop price'],
    [{ orderType: 'stop_limit', stopPrice: dec('1') }, null],
    [{ quantity: dec('0') }, 'quantity must be greater than zero'],
    [{ price: dec('-1') }, 'price must be greater than zero'],
  ] as const)('checks %o', (change, problem) => {
    const r = createOrder({
      id: 'o',
      clientOrderId: 'c',
      profileId: 'p',
      tenantId: 't',
      symbol: 'BTC/USDT',
      side: 'buy',
      orderType: 'limit',
      quantity: dec('1'),
      price: dec('100'),
      createdAt: 0,
      ...change,
    });
    expect(r.ok ? null : r.error.message).toBe(problem);
    if (!r.ok) expect(r.error.code).toBe('ORDER_INVALID_SPEC');
  });
});
