import { describe, expect, it } from 'vitest';
import { dec, decToString, type Dec } from '../decimal/dec.ts';
import type { Result } from '../errors/codes.ts';
import { applyFillToPosition } from '../positions/apply-fill.ts';
import { flatPosition } from '../positions/position.ts';
import { instrument, PROFILE_ID } from '../testing/fixtures.ts';
import { CASH, EXTERNAL, positionAccount, reservedAccount } from './accounts.ts';
import { Ledger } from './ledger.ts';
import { adjustmentTx, depositTx, feeTx, fillTx, openingTx, releaseTx, reserveTx, withdrawTx } from './operations.ts';
import { ledgerTxId, type LedgerTransaction } from './transaction.ts';

const s = (d: Dec) => decToString(d);
function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
function post(ledger: Ledger, tx: LedgerTransaction) {
  const r = ledger.post(tx);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

describe('Ledger', () => {
  it('books a whole order: deposit → reserve → fill (from the reservation) → release → sell with profit', () => {
    const btc = instrument();
    const l = new Ledger(PROFILE_ID);
    post(l, must(depositTx(l, { id: ledgerTxId.deposit('d1'), at: 1, currency: 'USDT', amount: dec('1000') })));
    post(l, must(reserveTx(l, { id: ledgerTxId.reserve('c1'), at: 2, clientOrderId: 'c1', currency: 'USDT', amount: dec('101') })));
    expect([s(l.freeCapital('USDT')), s(l.reservedTotal('USDT'))]).toEqual(['899', '101']);

    let pos = flatPosition(PROFILE_ID, btc, 0);
    const buy = applyFillToPosition(pos, { side: 'buy', qty: dec('1'), price: dec('100'), fee: dec('0.1'), feeCurrency: 'USDT', at: 3 });
    pos = buy.position;
    post(
      l,
      must(
        fillTx(l, {
          id: ledgerTxId.fill('paper', 't1'),
          at: 3,
          clientOrderId: 'c1',
          tradeId: 't1',
          symbol: 'BTC/USDT',
          quote: 'USDT',
          side: 'buy',
          qty: dec('1'),
          price: dec('100'),
          fee: dec('0.1'),
          feeCurrency: 'USDT',
          costDelta: buy.costDelta,
          realizedPnl: buy.realizedPnl,
        }),
      ),
    );
    expect([s(l.freeCapital('USDT')), s(l.reservedFor('c1', 'USDT')), s(l.balance(positionAccount('BTC/USDT'), 'USDT')), s(l.feesPaid('USDT'))]).toEqual([
      '899',
      '0.9',
      '100',
      '0.1',
    ]);
    post(l, must(releaseTx(l, { id: ledgerTxId.release('c1'), at: 4, clientOrderId: 'c1', currency: 'USDT' }))!);
    expect([s(l.freeCapital('USDT')), s(l.reservedTotal('USDT'))]).toEqual(['899.9', '0']);
    expect(must(releaseTx(l, { id: 'again', at: 5, clientOrderId: 'c1', currency: 'USDT' }))).toBeNull();

    const sell = applyFillToPosition(pos, { side: 'sell', qty: dec('1'), price: dec('110'), fee: dec('0.11'), feeCurrency: 'USDT', at: 6 });
    post(
      l,
      must(
        fillTx(l, {
          id: ledgerTxId.fill('paper', 't2'),
          at: 6,
          clientOrderId: 'c2',
          tradeId: 't2',
          symbol: 'BTC/USDT',
          quote: 'USDT',
          side: 'sell',
          qty: dec('1'),
          price: dec('110'),
          fee: dec('0.11'),
          feeCurrency: 'USDT',
          costDelta: sell.costDelta,
          realizedPnl: sell.realizedPnl,
        }),
      ),
    );
    expect(s(l.freeCapital('USDT'))).toBe('1009.79');
    expect(s(l.balance(positionAccount('BTC/USDT'), 'USDT'))).toBe('0');
    expect([s(l.realizedPnl('USDT')), s(l.feesPaid('USDT')), s(l.netDeposits('USDT'))]).toEqual(['10', '0.21', '1000']);
    expect(s(l.equityAtCost('USDT'))).toBe('1009.79');
    expect(l.balances().some((b) => b.account.startsWith('reserved:'))).toBe(false);
  });

  it('refuses an unbalanced transaction and changes nothing', () => {
    const l = new Ledger(PROFILE_ID);
    const r = l.post({ id: 'x', profileId: PROFILE_ID, kind: 'deposit', at: 1, entries: [{ account: CASH, currency: 'USDT', amount: dec('10') }, { account: EXTERNAL, currency: 'USDT', amount: dec('-9') }] });
    expect(r).toEqual({ ok: false, error: { code: 'LEDGER_UNBALANCED', message: 'transaction x: USDT entries sum to 1, not 0' } });
    const crossCurrency = l.post({ id: 'y', profileId: PROFILE_ID, kind: 'deposit', at: 1, entries: [{ account: CASH, currency: 'USDT', amount: dec('10') }, { account: EXTERNAL, currency: 'EUR', amount: dec('-10') }] });
    expect(crossCurrency.ok ? null : crossCurrency.error.code).toBe('LEDGER_UNBALANCED');
    expect(l.transactions()).toHaveLength(0);
    expect(l.balances()).toHaveLength(0);
  });

  it('refuses what would make free cash or a reservation negative', () => {
    const l = new Ledger(PROFILE_ID);
    post(l, must(depositTx(l, { id: 'd', at: 1, currency: 'USDT', amount: dec('50') })));
    const w = l.post(must(withdrawTx(l, { id: 'w', at: 2, currency: 'USDT', amount: dec('50.01') })));
    expect(w.ok ? null : w.error.code).toBe('LEDGER_INSUFFICIENT_FUNDS');
    const r = l.post(must(reserveTx(l, { id: 'r', at: 2, clientOrderId: 'c', currency: 'USDT', amount: dec('60') })));
    expect(r.ok ? null : r.error.message).toBe('transaction r would leave cash at -10 USDT (available 50)');
    const overRelease = l.post(must(releaseTx(l, { id: 'rel', at: 2, clientOrderId: 'c', currency: 'USDT', amount: dec('1') }))!);
    expect(overRelease.ok ? null : overRelease.error.code).toBe('LEDGER_INSUFFICIENT_FUNDS');
    expect(s(l.freeCapital('USDT'))).toBe('50');
  });

  it('recognises a re-posted transaction and refuses a reused id with other entries', () => {
    const l = new Ledger(PROFILE_ID);
    const tx = must(depositTx(l, { id: 'd', at: 1, currency: 'USDT', amount: dec('5') }));
    post(l, tx);
    expect(l.post(tx)).toMatchObject({ ok: true, duplicate: true });
    const other = l.post(must(depositTx(l, { id: 'd', at: 1, currency: 'USDT', amount: dec('6') })));
    expect(other.ok ? null : other.error.code).toBe('LEDGER_DUPLICATE_TRANSACTION');
    expect(s(l.freeCapital('USDT'))).toBe('5');
  });

  it('refuses invalid entries, empty transactions and other profiles’ transactions', () => {
    const l = new Ledger(PROFILE_ID);
    const entries = [{ account: 'savings', currency: 'USDT', amount: dec('1') }, { account: EXTERNAL, currency: 'USDT', amount: dec('-1') }];
    expect(l.post({ id: 'a', profileId: PROFILE_ID, kind: 'deposit', at: 1, entries })).toMatchObject({ ok: false, error: { code: 'LEDGER_INVALID_ENTRY' } });
    expect(l.post({ id: 'b', profileId: PROFILE_ID, kind: 'deposit', at: 1, entries: [] })).toMatchObject({ ok: false, error: { code: 'LEDGER_EMPTY' } });
    expect(l.post({ id: 'c', profileId: 'other', kind: 'deposit', at: 1, entries })).toMatchObject({ ok: false, error: { code: 'LEDGER_PROFILE_MISMATCH' } });
    expect(depositTx(l, { id: 'z', at: 1, currency: 'USDT', amount: dec('0') })).toMatchObject({ ok: false, error: { code: 'LEDGER_INVALID_ENTRY' } });
    expect(withdrawTx(l, { id: 'z', at: 1, currency: 'USDT', amount: dec('-1') })).toMatchObject({ ok: false, error: { code: 'LEDGER_INVALID_ENTRY' } });
  });

  it('pays a buy beyond its reservation from free cash; a fee in another currency from that cash', () => {
    const l = new Ledger(PROFILE_ID);
    post(l, must(depositTx(l, { id: 'd', at: 1, currency: 'USDT', amount: dec('200') })));
    post(l, must(depositTx(l, { id: 'd2', at: 1, currency: 'BNB', amount: dec('1') })));
    post(l, must(reserveTx(l, { id: 'r', at: 2, clientOrderId: 'c', currency: 'USDT', amount: dec('100') })));
    const tx = must(
      fillTx(l, { id: 'f', at: 3, clientOrderId: 'c', tradeId: 't', symbol: 'BTC/USDT', quote: 'USDT', side: 'buy', qty: dec('1'), price: dec('100.5'), fee: dec('0.01'), feeCurrency: 'BNB', costDelta: dec('100.5'), realizedPnl: dec('0') }),
    );
    post(l, tx);
    expect([s(l.freeCapital('USDT')), s(l.reservedFor('c', 'USDT')), s(l.freeCapital('BNB')), s(l.feesPaid('BNB'))]).toEqual(['99.5', '0', '0.99', '0.01']);
  });

  it('restores stored balances as an opening transaction and corrects drift with an adjustment', () => {
    const l = new Ledger(PROFILE_ID);
    const opening = must(
      openingTx(l, {
        id: 'opening',
        at: 0,
        balances: [
          { account: CASH, currency: 'USDT', balance: dec('90') },
          { account: reservedAccount('c9'), currency: 'USDT', balance: dec('10') },
          { account: EXTERNAL, currency: 'USDT', balance: dec('-100') },
        ],
      }),
    );
    post(l, opening);
    expect(s(l.reservedFor('c9', 'USDT'))).toBe('10');
    post(l, must(adjustmentTx(l, { id: 'adj', at: 1, currency: 'USDT', amount: dec('-0.5'), memo: 'venue balance drift' })));
    expect(s(l.freeCapital('USDT'))).toBe('89.5');
    post(l, must(feeTx(l, { id: 'fee', at: 2, currency: 'USDT', amount: dec('0.5') })));
    const replay = Ledger.fromTransactions(PROFILE_ID, l.transactions());
    expect(replay.ok && replay.ledger.balances()).toEqual(l.balances());
  });
});
