/**
 * Model-based test of the order state machine (RELIABILITY.md: order-state-machine-model).
 * fast-check generates random interleavings of submit / deny / ack / reject / fill / partial fill /
 * cancel request / cancel ack / expiry / time-out / duplicate fill / restart, with sources local,
 * exchange and reconciliation. A small model, written independently of the transition table,
 * predicts each outcome; the implementation must agree, refuse what the model refuses without
 * changing anything, keep terminal statuses absorbing and never fill more than ordered.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec, dec } from '../decimal/dec.ts';
import type { OrderEvent } from '../messages/order-events.ts';
import { fill, order as makeOrder } from '../testing/fixtures.ts';
import { applyOrderEvent } from './apply-order-event.ts';
import { validateLifecycleHistory } from './lifecycle-history.ts';
import type { Order, OrderStatus, TransitionSource } from './order-types.ts';

const LOT = dec('0.001');
const COID = 'coid-1';

type Action =
  | { kind: 'submit' | 'deny' | 'cancelRequest' | 'timeout' | 'restart' }
  | { kind: 'ack' | 'reject' | 'cancelAck' | 'expire'; source: TransitionSource }
  | { kind: 'fill'; tradeId: string; units: number; priceTicks: number; source: TransitionSource }
  | { kind: 'duplicate'; pick: number };

interface Model {
  status: OrderStatus;
  qtyUnits: number;
  filledUnits: number;
  notionalTicks: bigint;
  fills: { tradeId: string; units: number; priceTicks: number }[];
  transitions: number;
  venueOrderId: string | null;
}

interface Real {
  readonly start: Order;
  order: Order;
  /** Events that changed the order, in order: replaying them must rebuild it (restart). */
  log: OrderEvent[];
  at: number;
}

type Expectation = 'applied' | 'ignored' | 'refused';
const TERMINAL: readonly OrderStatus[] = ['filled', 'cancelled', 'rejected', 'expired'];

/** The model: each action's outcome, by plain case analysis. */
function predict(m: Model, a: Action): { expect: Expectation; status: OrderStatus; filledUnits: number; transition: boolean } {
  const same = { status: m.status, filledUnits: m.filledUnits, transition: false };
  const to = (status: OrderStatus) => ({ expect: 'applied' as const, status, filledUnits: m.filledUnits, transition: true });
  const refused = { expect: 'refused' as const, ...same };
  const s = m.status;
  switch (a.kind) {
    case 'submit':
      return s === 'new' ? to('submitted') : refused;
    case 'deny':
      return s === 'new' ? to('rejected') : refused;
    case 'ack':
      if (s === 'submitted') return to('accepted');
      return s === 'new' || s === 'rejected' ? refused : { expect: 'ignored', ...same };
    case 'reject':
      return s === 'submitted' || s === 'cancel_requested' ? to('rejected') : refused;
    case 'cancelRequest':
      return s === 'submitted' || s === 'accepted' || s === 'partially_filled' ? to('cancel_requested') : refused;
    case 'cancelAck':
      return ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'].includes(s) ? to('cancelled') : refused;
    case 'expire':
      return ['submitted', 'accepted', 'partially_filled', 'cancel_requested'].includes(s) ? to('expired') : refused;
    case 'fill': {
      if (m.fills.some((f) => f.tradeId === a.tradeId)) return { expect: 'ignored', ...same };
      if (s === 'new' || s === 'rejected') return refused;
      const filledUnits = m.filledUnits + a.units;
      if (filledUnits > m.qtyUnits) return refused;
      if (s === 'cancelled' || s === 'expired') return { expect: 'applied', status: s, filledUnits, transition: false };
      return { expect: 'applied', status: filledUnits === m.qtyUnits ? 'filled' : 'partially_filled', filledUnits, transition: true };
    }
    case 'timeout':
    case 'restart':
    case 'duplicate':
      return { expect: 'ignored', ...same };
  }
}

function eventFor(a: Action, m: Model, at: number): OrderEvent | null {
  const base = { at, clientOrderId: COID };
  switch (a.kind) {
    case 'submit':
      return { ...base, type: 'OrderSubmitted', source: 'local' };
    case 'deny':
      return { ...base, type: 'OrderDenied', source: 'local', code: 'RISK_ORDER_RATE', reason: 'test' };
    case 'cancelRequest':
      return { ...base, type: 'OrderCancelRequested', source: 'local' };
    case 'ack':
      return { ...base, type: 'OrderAccepted', source: a.source, venueOrderId: 'v-1' };
    case 'reject':
      return { ...base, type: 'OrderRejected', source: a.source, reason: 'venue says no' };
    case 'cancelAck':
      return { ...base, type: 'OrderCancelled', source: a.source };
    case 'expire':
      return { ...base, type: 'OrderExpired', source: a.source };
    case 'fill':
      return fillEvent(a.tradeId, a.units, a.priceTicks, a.source, at);
    case 'duplicate': {
      const f = m.fills[a.pick % Math.max(1, m.fills.length)];
      return f === undefined ? null : fillEvent(f.tradeId, f.units, f.priceTicks, 'reconciliation', at);
    }
    case 'timeout':
    case 'restart':
      return null;
  }
}

function fillEvent(tradeId: string, units: number, priceTicks: number, source: TransitionSource, at: number): OrderEvent {
  const qty = LOT.times(units).toFixed();
  const price = new Dec(priceTicks).dividedBy(100).toFixed();
  return { type: 'OrderFilled', at, clientOrderId: COID, source, fill: fill(tradeId, qty, price, { at, fee: dec('0.001') }) };
}

class Step implements fc.Command<Model, Real> {
  constructor(readonly action: Action) {}
  check(): boolean {
    return true;
  }
  toString(): string {
    return JSON.stringify(this.action);
  }
  run(m: Model, r: Real): void {
    const before = r.order;
    const wasTerminal = TERMINAL.includes(before.status);
    r.at += 10;
    if (this.action.kind === 'restart') {
      const replayed = r.log.reduce<Order>((o, e) => {
        const res = applyOrderEvent(o, e);
        if (!res.ok) throw new Error(`replay refused ${e.type}: ${res.error.code}`);
        return res.order;
      }, r.start);
      expect(JSON.stringify(replayed)).toBe(JSON.stringify(r.order));
      return;
    }
    const event = eventFor(this.action, m, r.at);
    const p = predict(m, this.action.kind === 'duplicate' ? { kind: 'timeout' } : this.action);
    if (event === null) {
      expect(r.order).toBe(before);
      return;
    }
    const res = applyOrderEvent(r.order, event);
    if (this.action.kind === 'duplicate') {
      expect(res).toMatchObject({ ok: true, effect: 'duplicate_fill', transition: null });
      expect(res.ok && res.order).toBe(before);
      return;
    }
    expect(res.ok ? (res.effect === 'duplicate_fill' || res.effect === 'late_ack' ? 'ignored' : 'applied') : 'refused').toBe(p.expect);
    if (!res.ok) {
      expect(['ORDER_ILLEGAL_TRANSITION', 'ORDER_OVERFILL']).toContain(res.error.code);
      return; // refused: r.order is untouched
    }
    r.order = res.order;
    if (res.order !== before) r.log.push(event);
    if (p.transition) m.transitions++;
    m.status = p.status;
    if (this.action.kind === 'ack' && m.venueOrderId === null) m.venueOrderId = 'v-1';
    if (this.action.kind === 'fill' && p.expect === 'applied') {
      m.filledUnits = p.filledUnits;
      m.fills.push({ tradeId: this.action.tradeId, units: this.action.units, priceTicks: this.action.priceTicks });
      m.notionalTicks += BigInt(this.action.units) * BigInt(this.action.priceTicks);
    }

    // Model and implementation agree.
    const o = r.order;
    expect(o.status).toBe(m.status);
    expect(o.filledQty.equals(LOT.times(m.filledUnits))).toBe(true);
    expect(o.filledNotional.equals(LOT.times(m.notionalTicks.toString()).dividedBy(100))).toBe(true);
    expect(o.history).toHaveLength(m.transitions);
    expect(o.fills).toHaveLength(m.fills.length);
    // Invariants.
    expect(o.filledQty.lessThanOrEqualTo(o.quantity)).toBe(true);
    if (wasTerminal) expect(o.status).toBe(before.status);
    expect(validateLifecycleHistory(o.history, o.status)).toEqual({ ok: true });
  }
}

const source = fc.constantFrom<TransitionSource>('exchange', 'reconciliation');
const commands = (qtyUnits: number) =>
  fc.commands(
    [
      fc.constant(new Step({ kind: 'submit' })),
      fc.constant(new Step({ kind: 'deny' })),
      fc.constant(new Step({ kind: 'cancelRequest' })),
      fc.constant(new Step({ kind: 'timeout' })),
      fc.constant(new Step({ kind: 'restart' })),
      source.map((s) => new Step({ kind: 'ack', source: s })),
      source.map((s) => new Step({ kind: 'reject', source: s })),
      source.map((s) => new Step({ kind: 'cancelAck', source: s })),
      source.map((s) => new Step({ kind: 'expire', source: s })),
      fc
        .record({ tradeId: fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6'), units: fc.integer({ min: 1, max: qtyUnits }), priceTicks: fc.integer({ min: 9_000, max: 11_000 }), source })
        .map((f) => new Step({ kind: 'fill', ...f })),
      fc.nat().map((pick) => new Step({ kind: 'duplicate', pick })),
    ],
    { maxCommands: 40 },
  );

describe('order state machine (model-based)', () => {
  it('agrees with the model over random interleavings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((qtyUnits) => fc.tuple(fc.constant(qtyUnits), commands(qtyUnits))),
        ([qtyUnits, cmds]) => {
          const start = makeOrder({ quantity: LOT.times(qtyUnits), clientOrderId: COID });
          const model: Model = { status: 'new', qtyUnits, filledUnits: 0, notionalTicks: 0n, fills: [], transitions: 0, venueOrderId: null };
          fc.modelRun(() => ({ model, real: { start, order: start, log: [], at: 1_000 } }), cmds);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
