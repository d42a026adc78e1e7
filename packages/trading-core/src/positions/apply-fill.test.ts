import { describe, expect, it } from 'vitest';
import { dec, decToString, ZERO, type Dec } from '../decimal/dec.ts';
import { instrument, PROFILE_ID } from '../testing/fixtures.ts';
import { applyFillToPosition, type PositionFill, type PositionFillResult } from './apply-fill.ts';
import { flatPosition, netRealizedPnl, positionNotional, positionSide, unrealizedPnl, type Position } from './position.ts';

const btc = instrument();
const f = (side: 'buy' | 'sell', qty: string, price: string, fee = '0', at = 1): PositionFill => ({
  side,
  qty: dec(qty),
  price: dec(price),
  fee: dec(fee),
  feeCurrency: 'USDT',
  at,
  tradeId: `t${at}`,
});
const str = (d: Dec | null) => (d === null ? null : decToString(d));

/** The identity the ledger relies on: −s·qty·price + costDelta − realizedPnl = 0. */
function expectLedgerIdentity(fill: PositionFill, r: PositionFillResult) {
  const paid = fill.qty.times(fill.price).times(fill.side === 'buy' ? -1 : 1);
  expect(paid.plus(r.costDelta).minus(r.realizedPnl).isZero()).toBe(true);
}

function apply(p: Position, fill: PositionFill): PositionFillResult {
  const r = applyFillToPosition(p, fill);
  expectLedgerIdentity(fill, r);
  return r;
}

describe('positions (netting), hand-computed', () => {
  it('opens, increases, reduces, flips and closes with exact realized P&L and fees apart', () => {
    let p = flatPosition(PROFILE_ID, btc, 0);
    expect(positionSide(p)).toBe('flat');

    // Buy 1 @ 100, fee 0.1 → long 1, cost 100.
    let r = apply(p, f('buy', '1', '100', '0.1', 1));
    p = r.position;
    expect(r.events.map((e) => e.type)).toEqual(['PositionOpened']);
    expect([str(p.quantity), str(p.costBasis), str(p.avgEntryPrice), str(r.realizedPnl)]).toEqual(['1', '100', '100', '0']);
    expect(p.openedAt).toBe(1);

    // Buy 1 @ 110, fee 0.11 → long 2, cost 210, avg 105.
    r = apply(p, f('buy', '1', '110', '0.11', 2));
    p = r.position;
    expect(r.events.map((e) => e.type)).toEqual(['PositionChanged']);
    expect([str(p.quantity), str(p.costBasis), str(p.avgEntryPrice)]).toEqual(['2', '210', '105']);
    expect(str(unrealizedPnl(p, dec('100')))).toBe('-10');
    expect(str(positionNotional(p, dec('100')))).toBe('200');

    // Sell 0.5 @ 120, fee 0.06 → realized 0.5 × (120 − 105) = 7.5; long 1.5, cost 157.5.
    r = apply(p, f('sell', '0.5', '120', '0.06', 3));
    p = r.position;
    expect(r.events.map((e) => e.type)).toEqual(['PositionChanged']);
    expect([str(r.realizedPnl), str(p.quantity), str(p.costBasis), str(p.avgEntryPrice)]).toEqual(['7.5', '1.5', '157.5', '105']);

    // Sell 3.5 @ 90, fee 0.35 → flip: close 1.5 (realized 135 − 157.5 = −22.5), open short 2 @ 90.
    r = apply(p, f('sell', '3.5', '90', '0.35', 4));
    p = r.position;
    expect(r.events.map((e) => e.type)).toEqual(['PositionClosed', 'PositionOpened']);
    expect([str(r.realizedPnl), str(r.costDelta), str(p.quantity), str(p.costBasis), str(p.avgEntryPrice)]).toEqual(['-22.5', '-337.5', '-2', '-180', '90']);
    const closed = r.events[0];
    // Round trip: 7.5 − 22.5 realized; fees 0.1 + 0.11 + 0.06 + 0.35 × 1.5/3.5 (0.15).
    expect(closed?.type === 'PositionClosed' && str(closed.roundTripPnl)).toBe('-15.42');
    expect(positionSide(p)).toBe('short');
    expect(p.openedAt).toBe(4);
    expect(str(p.roundTripFees)).toBe('0.2'); // the opening share of the flip's fee
    expect(str(unrealizedPnl(p, dec('85')))).toBe('10');

    // Buy 2 @ 80, fee 0.16 → short closed, realized 180 − 160 = 20.
    r = apply(p, f('buy', '2', '80', '0.16', 5));
    p = r.position;
    expect(r.events.map((e) => e.type)).toEqual(['PositionClosed']);
    const closed2 = r.events[0];
    expect(closed2?.type === 'PositionClosed' && str(closed2.roundTripPnl)).toBe('19.64');
    expect([str(r.realizedPnl), str(p.quantity), str(p.costBasis), str(p.avgEntryPrice)]).toEqual(['20', '0', '0', null]);

    expect(str(p.realizedPnl)).toBe('5');
    expect(p.fees).toEqual([{ currency: 'USDT', amount: dec('0.78') }]);
    expect(str(netRealizedPnl(p))).toBe('4.22');
    expect(str(unrealizedPnl(p, dec('1000')))).toBe('0');
  });

  it('releases cost exactly: no dust when the average price does not terminate', () => {
    let p = flatPosition(PROFILE_ID, btc, 0);
    p = apply(p, f('buy', '1', '1')).position;
    p = apply(p, f('buy', '2', '2')).position; // cost 5 for 3: avg 1.666…
    expect(p.avgEntryPrice!.toString()).toMatch(/^1\.6+7$/);
    const r1 = apply(p, f('sell', '1', '2'));
    const r2 = apply(r1.position, f('sell', '2', '2'));
    expect(r1.realizedPnl.plus(r2.realizedPnl).equals(1)).toBe(true); // 6 received − 5 paid
    expect(r2.position.costBasis.isZero()).toBe(true);
    expect(r1.costDelta.plus(r2.costDelta).equals(-5)).toBe(true);
  });

  it('shorts: opens at the sell price, realizes on the buy back', () => {
    const short = instrument({ allowShort: true });
    let p = flatPosition(PROFILE_ID, short, 0);
    p = apply(p, f('sell', '2', '50')).position;
    expect([str(p.quantity), str(p.costBasis), str(p.avgEntryPrice)]).toEqual(['-2', '-100', '50']);
    const r = apply(p, f('buy', '1', '40'));
    expect([str(r.realizedPnl), str(r.position.quantity), str(r.position.costBasis)]).toEqual(['10', '-1', '-50']);
  });

  it('tracks fees in other currencies apart from quote P&L', () => {
    const p = flatPosition(PROFILE_ID, btc, 0);
    const r = apply(p, { ...f('buy', '1', '100'), fee: dec('0.001'), feeCurrency: 'BNB' });
    expect(r.position.fees).toEqual([{ currency: 'BNB', amount: dec('0.001') }]);
    expect(r.position.roundTripFees.equals(ZERO)).toBe(true);
  });

  it('never mutates the input position', () => {
    const p = flatPosition(PROFILE_ID, btc, 0);
    const before = JSON.stringify(p);
    apply(p, f('buy', '1', '100'));
    expect(JSON.stringify(p)).toBe(before);
    expect(() => applyFillToPosition(p, f('buy', '0', '100'))).toThrow(RangeError);
  });
});
