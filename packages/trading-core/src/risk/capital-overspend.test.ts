/**
 * Capital over-spend race (RELIABILITY.md: capital-overspend-race). Many intents race for one
 * pool of free capital; each was prepared from a state read before the others ran (stale
 * freeCapital), and fast-check's scheduler interleaves them at random. Through
 * `reserveOnApproval` the accepted total never exceeds the free capital, the ledger's cash never
 * goes negative, and what is reserved is exactly what was approved.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../clock/clock.ts';
import { Dec, dec, ZERO } from '../decimal/dec.ts';
import { Ledger } from '../ledger/ledger.ts';
import { depositTx } from '../ledger/operations.ts';
import type { OrderRequest } from '../orders/order-types.ts';
import { instrument, PROFILE_ID, TENANT_ID } from '../testing/fixtures.ts';
import { RiskEngine } from './risk-engine.ts';
import type { RiskState } from './risk-limits.ts';
import { ALL_ACTIVE } from './trading-state.ts';

const btc = instrument({ minNotional: '0' });

function stateFrom(ledger: Ledger): RiskState {
  return {
    tradingStates: ALL_ACTIVE,
    limits: { feeRate: dec('0.001'), priceBand: dec('0.05') },
    instrument: btc,
    lastPrice: dec('100'),
    positionQty: ZERO,
    openBuyQty: ZERO,
    openSellQty: ZERO,
    freeCapital: ledger.freeCapital('USDT'),
    dailyPnl: ZERO,
    equity: ledger.equityAtCost('USDT'),
    peakEquity: ledger.equityAtCost('USDT'),
  };
}

function buy(i: number, qty: Dec, market: boolean): OrderRequest {
  return {
    clientOrderId: `c${i}`,
    profileId: PROFILE_ID,
    tenantId: TENANT_ID,
    symbol: 'BTC/USDT',
    side: 'buy',
    orderType: market ? 'market' : 'limit',
    timeInForce: market ? 'IOC' : 'GTC',
    quantity: qty,
    price: market ? null : dec('100'),
    stopPrice: null,
    reduceOnly: false,
  };
}

function funded(amount: string): Ledger {
  const l = new Ledger(PROFILE_ID);
  const d = depositTx(l, { id: 'd', at: 0, currency: 'USDT', amount: dec(amount) });
  if (!d.ok || !l.post(d.value).ok) throw new Error('deposit failed');
  return l;
}

describe('capital over-spend race', () => {
  it('concurrent intents never reserve more than the free capital (random interleavings)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 100, max: 50_000 }),
        fc.array(fc.record({ lots: fc.integer({ min: 1, max: 200_000 }), market: fc.boolean() }), { minLength: 2, maxLength: 40 }),
        async (s, capital, intents) => {
          const ledger = funded(String(capital));
          const free = ledger.freeCapital('USDT');
          const engine = new RiskEngine(new ManualClock(0));
          const racing = intents.map(async ({ lots, market }, i) => {
            const stale = stateFrom(ledger); // read before the others ran
            await s.schedule(Promise.resolve(i)); // the scheduler releases them in a random order
            return engine.reserveOnApproval(buy(i, new Dec(lots).dividedBy(10_000), market), stale, ledger);
          });
          await s.waitAll();
          const results = await Promise.all(racing);
          const approved = results.filter((r) => r.decision.outcome === 'approved');
          const reserved = approved.reduce((sum, r) => sum.plus(r.decision.outcome === 'approved' ? r.decision.reservation : ZERO), ZERO);
          expect(reserved.lessThanOrEqualTo(free)).toBe(true);
          expect(ledger.freeCapital('USDT').isNegative()).toBe(false);
          expect(ledger.reservedTotal('USDT').equals(reserved)).toBe(true);
          expect(ledger.freeCapital('USDT').plus(reserved).equals(free)).toBe(true);
          for (const r of results) {
            if (r.decision.outcome === 'denied') expect(r.decision.denial.code).toBe('RISK_INSUFFICIENT_CAPITAL');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a plain check() on stale state would approve them all: reserving is part of approval', async () => {
    const ledger = funded('1000');
    const engine = new RiskEngine(new ManualClock(0));
    const stale = stateFrom(ledger);
    const orders = Array.from({ length: 20 }, (_, i) => buy(i, dec('1'), false)); // 20 × 100.1 USDT against 1000
    expect(orders.every((o) => engine.check(o, stale).outcome === 'approved')).toBe(true);
    const decisions = await Promise.all(orders.map(async (o) => (await Promise.resolve(), engine.reserveOnApproval(o, stale, ledger).decision)));
    const approved = decisions.filter((d) => d.outcome === 'approved');
    expect(approved).toHaveLength(9); // 9 × 100.1 = 900.9 ≤ 1000 < 10 × 100.1
    expect(ledger.freeCapital('USDT').toString()).toBe('99.1');
    const denied = decisions.find((d) => d.outcome === 'denied');
    expect(denied?.outcome === 'denied' && denied.denial.reason).toBe('order needs 100.1 USDT, free capital is 99.1 USDT');
  });
});
