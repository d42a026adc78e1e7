import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../decimal.ts';
import { PaperMatchingEngine } from './matching-engine.ts';
import { sizeDependentSlippage } from './slippage.ts';
import { BTC_USDT, order, record } from './testing-fixtures.ts';

function engine(config: ConstructorParameters<typeof PaperMatchingEngine>[0] = {}) {
  const e = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000', BTC: '1' }, ...config });
  e.onTick('BTC/USDT', 20000, 1_000);
  return e;
}

describe('PaperMatchingEngine: partial fills', () => {
  it('fills at most maxFillFraction of an order per price event', () => {
    const e = engine({ config: { partialFills: { maxFillFraction: 0.25 } } });
    const r = e.submit(order({ clientOrderId: 'm', quantity: '1' }), 1);
    expect(r.ok && r.order).toMatchObject({ status: 'partially_filled', filledQuantity: '0.25' });
    e.onTick('BTC/USDT', 20010, 2);
    e.onTick('BTC/USDT', 20020, 3);
    expect(e.getOrder('m')).toMatchObject({ status: 'partially_filled', filledQuantity: '0.75' });
    e.onBar('BTC/USDT', 300_000, 20030, 20050, 20000, 20040, 100);
    expect(e.getOrder('m')).toMatchObject({ status: 'filled', filledQuantity: '1', averagePrice: '20015' });
    expect(e.trades('BTC/USDT').map((t) => [t.price, t.quantity])).toEqual([
      ['20000', '0.25'],
      ['20010', '0.25'],
      ['20020', '0.25'],
      ['20030', '0.25'],
    ]);
  });

  it('caps all fills of a bar at a share of its volume (a liquidity cap), shared in time priority', () => {
    const e = engine({ config: { partialFills: { volumeShare: 0.1 } } });
    e.submit(order({ clientOrderId: 'a', type: 'limit', price: '19900', quantity: '0.8' }), 1);
    e.submit(order({ clientOrderId: 'b', type: 'limit', price: '19900', quantity: '0.8' }), 2);
    e.onBar('BTC/USDT', 300_000, 20000, 20000, 19800, 19850, 10); // 1 BTC of liquidity
    expect(e.getOrder('a')!.filledQuantity).toBe('0.8');
    expect(e.getOrder('b')!.filledQuantity).toBe('0.2');
    e.onBar('BTC/USDT', 600_000, 19850, 19950, 19800, 19900, 3); // 0.3 BTC
    expect(e.getOrder('b')!.filledQuantity).toBe('0.5');
    e.onBar('BTC/USDT', 900_000, 19900, 20000, 19850, 19950, 0.0005); // less than a lot: nothing
    expect(e.getOrder('b')!.filledQuantity).toBe('0.5');
  });
});

describe('PaperMatchingEngine: fees and slippage', () => {
  it('charges the maker rate on resting fills and the taker rate on taking fills', () => {
    const e = engine({ config: { makerFeeRate: '0.0002', takerFeeRate: '0.0007' } });
    e.submit(order({ clientOrderId: 't', quantity: '1' }), 1);
    e.submit(order({ clientOrderId: 'm', type: 'limit', side: 'sell', price: '20500', quantity: '1' }), 2);
    e.onTick('BTC/USDT', 20500, 3);
    const [taker, maker] = e.trades('BTC/USDT');
    expect(taker).toMatchObject({ liquidity: 'taker', fee: '14', feeCurrency: 'USDT' });
    expect(maker).toMatchObject({ liquidity: 'maker', fee: '4.1', feeCurrency: 'USDT' });
  });

  it("with feeCurrency 'received' charges a buy's fee in the base asset", () => {
    const e = engine({ config: { takerFeeRate: '0.001', feeCurrency: 'received' } });
    e.submit(order({ clientOrderId: 'b', quantity: '1' }), 1);
    expect(e.trades('BTC/USDT')[0]).toMatchObject({ fee: '0.001', feeCurrency: 'BTC' });
    expect(e.balances()).toMatchObject({ BTC: { total: '1.999' }, USDT: { total: '80000' } });
    e.submit(order({ clientOrderId: 's', side: 'sell', quantity: '1' }), 2);
    expect(e.trades('BTC/USDT')[1]).toMatchObject({ fee: '20', feeCurrency: 'USDT' });
  });

  it('pays a maker rebate when the maker rate is negative', () => {
    const e = engine({ config: { makerFeeRate: '-0.0001' } });
    e.submit(order({ clientOrderId: 'm', type: 'limit', price: '19000', quantity: '1' }), 1);
    e.onTick('BTC/USDT', 19000, 2);
    expect(e.trades('BTC/USDT')[0]!.fee).toBe('-1.9');
    expect(e.balances().USDT!.total).toBe('81001.9');
  });

  it('makes slippage grow with size when asked to', () => {
    const e = engine({ config: { takerFeeRate: '0', slippage: sizeDependentSlippage({ bps: 1, bpsPerUnit: 10 }) } });
    e.submit(order({ clientOrderId: 'small', quantity: '0.01' }), 1);
    e.submit(order({ clientOrderId: 'large', quantity: '2' }), 2);
    expect(e.trades('BTC/USDT').map((t) => t.price)).toEqual(['20002.2', '20042']);
  });
});

describe('PaperMatchingEngine: funds', () => {
  it('refuses a buy it cannot pay for and a sell of more than is held, changing nothing', () => {
    const e = engine({ balances: { USDT: '1000', BTC: '0.01' } });
    const buy = e.submit(order({ clientOrderId: 'b', quantity: '0.05' }), 1); // 1000 + fee
    expect(!buy.ok && buy.error.code).toBe('INSUFFICIENT_FUNDS');
    const sell = e.submit(order({ clientOrderId: 's', side: 'sell', quantity: '0.02' }), 1);
    expect(!sell.ok && sell.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(e.balances()).toEqual({ BTC: { free: '0.01', locked: '0', total: '0.01' }, USDT: { free: '1000', locked: '0', total: '1000' } });
    expect(e.getOrder('b')).toBeNull();
  });

  it('checks the cash again at the fill: a next-open buy that became too expensive expires unfilled', () => {
    const e = engine({ balances: { USDT: '20020' }, config: { marketOrders: 'next-price' } });
    expect(e.submit(order({ clientOrderId: 'b', quantity: '1' }), 1).ok).toBe(true); // 20000 + 20 fee: exactly affordable
    e.onBar('BTC/USDT', 300_000, 20100, 20200, 20000, 20150, 5);
    expect(e.getOrder('b')).toMatchObject({ status: 'expired', filledQuantity: '0', reason: expect.stringMatching(/INSUFFICIENT_FUNDS/) });
    expect(e.balances().USDT).toEqual({ free: '20020', locked: '0', total: '20020' });
  });
});

describe('PaperMatchingEngine: determinism and invariants', () => {
  function run(seedPrices: number[]) {
    const e = engine({ config: { partialFills: { maxFillFraction: 0.5 }, makerFeeRate: '0.0002', slippage: () => 3 } });
    const events = record(e);
    let t = 0;
    for (const [i, p] of seedPrices.entries()) {
      if (i % 3 === 0) e.submit(order({ clientOrderId: `l${i}`, type: 'limit', side: i % 2 ? 'sell' : 'buy', price: (Math.round(p / 10) * 10).toFixed(1), quantity: '0.01' }), t);
      if (i % 5 === 0) e.submit(order({ clientOrderId: `s${i}`, type: 'stop', side: 'sell', stopPrice: (p - 150).toFixed(1), quantity: '0.01' }), t);
      e.onBar('BTC/USDT', (t += 300_000), p, p + 120, p - 130, p + 10, 50);
    }
    return { trades: e.trades('BTC/USDT', '0', 100_000), events };
  }

  it('produces identical trades and events from identical input', () => {
    const prices = Array.from({ length: 200 }, (_, i) => 20000 + Math.round(Math.sin(i / 7) * 400));
    const a = run(prices);
    const b = run(prices);
    expect(a.trades.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
  });

  it('keeps balances non-negative and exactly accounted for any sequence (property)', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), price: fc.integer({ min: 18000, max: 22000 }) }),
      fc.record({
        kind: fc.constant('order' as const),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const),
        offset: fc.integer({ min: -500, max: 500 }),
        lots: fc.integer({ min: 1, max: 500 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), which: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), fc.constantFrom(1, 0.3), (actions, fraction) => {
        const e = engine({ config: { partialFills: { maxFillFraction: fraction }, makerFeeRate: '0.0002', takerFeeRate: '0.001' } });
        let t = 2_000;
        let n = 0;
        for (const a of actions) {
          t += 1_000;
          if (a.kind === 'tick') e.onTick('BTC/USDT', a.price, t, 10);
          else if (a.kind === 'cancel') e.cancel({ clientOrderId: `o${a.which}`, symbol: 'BTC/USDT' }, t);
          else {
            const last = e.lastPrice('BTC/USDT')!.price;
            const px = (last + a.offset).toFixed(1);
            e.submit(order({ clientOrderId: `o${n++}`, side: a.side, type: a.type, quantity: (a.lots / 1000).toFixed(3), ...(a.type === 'limit' ? { price: px } : a.type === 'stop' ? { stopPrice: px } : {}) }), t);
          }
        }
        const bal = e.balances();
        let usdt = new Dec('100000');
        let btc = new Dec('1');
        for (const tr of e.trades('BTC/USDT', '0', 100_000)) {
          const cost = new Dec(tr.quantity).times(tr.price);
          if (tr.side === 'buy') {
            usdt = usdt.minus(cost).minus(tr.fee);
            btc = btc.plus(tr.quantity);
          } else {
            usdt = usdt.plus(cost).minus(tr.fee);
            btc = btc.minus(tr.quantity);
          }
        }
        expect(bal.USDT!.total).toBe(usdt.toFixed());
        expect(bal.BTC!.total).toBe(btc.toFixed());
        for (const b of Object.values(bal)) {
          expect(new Dec(b.free).isNegative()).toBe(false);
          expect(new Dec(b.locked).isNegative()).toBe(false);
        }
        const open = e.openOrders();
        if (open.length === 0) {
          expect(bal.USDT!.locked).toBe('0');
          expect(bal.BTC!.locked).toBe('0');
        }
        for (const o of open) expect(new Dec(o.filledQuantity).lessThan(o.quantity)).toBe(true);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('is fast when nothing rests: a million bars without allocation-heavy work', () => {
    const e = engine();
    const start = performance.now();
    for (let i = 0; i < 1_000_000; i++) e.onBar('BTC/USDT', i * 60_000, 20000, 20010, 19990, 20005, 1);
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(5_000); // ~20–100 ms here; the bound only catches a pathological slowdown
  });
});
