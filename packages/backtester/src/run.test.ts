import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCandlesCsv, type CandleSeries } from '@kestrel/exchanges';
import { NO_INTENTS } from '@kestrel/trading-core';
import { describe, expect, it } from 'vitest';
import type { BacktestError } from './errors.ts';
import { runBacktest } from './run.ts';
import type { BacktestConfig } from './types.ts';

const load = (name: string): CandleSeries => parseCandlesCsv(readFileSync(fileURLToPath(new URL(`../../market-data/data/candles/${name}`, import.meta.url)), 'utf8'));
const btc = load('BTC_USDT-5m.csv');
const eth = load('ETH_BTC-5m.csv');
const ltc = load('LTC_BTC-5m.csv');
const base: BacktestConfig = { strategy: { id: 'sma-cross', params: { fast: 10, slow: 30, size: 0.1 } }, markets: [{ symbol: 'BTC/USDT', series: btc }], cash: '100000', feeRate: '0.001' };

describe('runBacktest', () => {
  it('is deterministic: the same configuration gives the same result', () => {
    const a = runBacktest(base);
    const b = runBacktest(base);
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...a, elapsedMs: 0 });
    expect(a.trades.length).toBeGreaterThan(100);
  });

  it('fill=close fills at the signal bar’s close; next-open at the following open', () => {
    const atClose = runBacktest({ ...base, fill: 'close' });
    const atOpen = runBacktest(base);
    const closeOf = (t: number) => btc.close[btc.time.indexOf(t)];
    const openOf = (t: number) => btc.open[btc.time.indexOf(t)];
    for (const f of atClose.fills.slice(0, 20)) expect(Number(f.price)).toBe(closeOf(f.time - 300_000));
    for (const f of atOpen.fills.slice(0, 20)) expect(Number(f.price)).toBe(openOf(f.time));
  });

  it('slippage moves taker fills against the order and lowers the result', () => {
    const plain = runBacktest(base);
    const slipped = runBacktest({ ...base, slippageBps: 10 });
    const buy = slipped.fills.find((f) => f.side === 'buy')!;
    const sameBuy = plain.fills.find((f) => f.clientOrderId === buy.clientOrderId)!;
    expect(Number(buy.price)).toBeCloseTo(Number(sameBuy.price) * 1.001, 6);
    expect(slipped.finalValue).toBeLessThan(plain.finalValue);
  });

  it('limit orders rest and fill against later bars’ ranges (grid strategy)', () => {
    const r = runBacktest({ ...base, strategy: { id: 'grid', params: { lower: 16000, upper: 24000, levels: 40, sizePerLevel: 0.01 } } });
    const limits = r.orders.filter((o) => o.orderType === 'limit');
    expect(limits.length).toBeGreaterThan(0);
    const filled = r.fills.filter((f) => limits.some((o) => o.clientOrderId === f.clientOrderId));
    expect(filled.length).toBeGreaterThan(0);
    // A resting buy limit fills at its limit price, never above it.
    for (const f of filled) {
      const o = limits.find((x) => x.clientOrderId === f.clientOrderId)!;
      if (o.side === 'buy') expect(Number(f.price)).toBeLessThanOrEqual(Number(o.price));
    }
  });

  it('several symbols share one cash pool; the equity sums their positions', () => {
    const r = runBacktest({ ...base, strategy: { id: 'sma-cross', params: { fast: 10, slow: 30, size: 1 } }, markets: [{ symbol: 'ETH/BTC', series: eth }, { symbol: 'LTC/BTC', series: ltc }], cash: '10' });
    expect(new Set(r.trades.map((t) => t.symbol))).toEqual(new Set(['ETH/BTC', 'LTC/BTC']));
    // One bar per distinct time across both markets.
    const times = new Set([...eth.time, ...ltc.time]);
    expect(r.bars).toBe(times.size);
  });

  it('from/to select bars; warm-up bars before `from` prime the strategy without trading', () => {
    const from = btc.time[1000]!;
    const to = btc.time[2000]!;
    const r = runBacktest({ ...base, from, to, warmupBars: 30 });
    expect(r.bars).toBe(1000);
    expect(r.startTime).toBe(from);
    expect(r.fills.every((f) => f.time >= from)).toBe(true);
  });

  it('reports progress and stops when cancelled', () => {
    const seen: number[] = [];
    const ctrl = new AbortController();
    expect(() =>
      runBacktest(base, {
        progressEveryBars: 1000,
        signal: ctrl.signal,
        onProgress: (p) => {
          seen.push(p.percent);
          if (p.barsDone >= 3000) ctrl.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'BACKTEST_CANCELLED' }));
    expect(seen).toEqual([(1000 / btc.length) * 100, (2000 / btc.length) * 100, (3000 / btc.length) * 100]);
  });

  it('refuses bad configurations with stable codes', () => {
    const code = (c: Partial<BacktestConfig>) => {
      try {
        runBacktest({ ...base, ...c });
      } catch (err) {
        return (err as BacktestError).code;
      }
      return 'ok';
    };
    expect(code({ strategy: { id: 'nope' } })).toBe('STRATEGY_UNKNOWN');
    expect(code({ strategy: { id: 'sma-cross', params: { fast: 30, slow: 10 } } })).toBe('STRATEGY_PARAMS_INVALID');
    expect(code({ cash: '-5' })).toBe('BACKTEST_INVALID_CONFIG');
    expect(code({ feeRate: 'abc' })).toBe('BACKTEST_INVALID_CONFIG');
    expect(code({ markets: [{ symbol: 'BTCUSDT', series: btc }] })).toBe('BACKTEST_INVALID_CONFIG');
    expect(code({ from: btc.time[10], to: btc.time[5] })).toBe('BACKTEST_INVALID_CONFIG');
    expect(code({ from: 0, to: 1 })).toBe('BACKTEST_NO_DATA');
  });

  it('a no-op strategy places nothing and keeps the cash', () => {
    const r = runBacktest({ ...base, strategy: { id: 'no-op' }, strategyFactory: () => ({ id: 'no-op', params: {}, onCandle: () => NO_INTENTS }) });
    expect(r.orders).toHaveLength(0);
    expect(r.finalValue).toBe(100000);
    expect(r.metrics.exposure).toBe(0);
  });
});
