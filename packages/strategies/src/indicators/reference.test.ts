/**
 * The streaming indicators against technicalindicators 3.1.0 on real candles, on every bar after
 * warm-up, to 1e-9 relative. The library returns only defined values, so its output is aligned to
 * the end of the input: its first value belongs to bar n − length.
 */
import { describe, expect, it } from 'vitest';
import { ATR, AverageGain, AverageLoss, EMA, Highest, Lowest, RSI, SMA } from 'technicalindicators';
import { loadCandles, type CandleColumns } from '../testing.ts';
import { Atr } from './atr.ts';
import { DonchianChannel } from './donchian.ts';
import { Ema } from './ema.ts';
import { RollingMax, RollingMin } from './rolling-extreme.ts';
import { Rsi } from './rsi.ts';
import { Sma } from './sma.ts';

const REL = 1e-9;

function close(a: number, b: number, rel = REL): boolean {
  return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Checks that ours is NaN exactly during the warm-up the library skips, and within `rel` of the
 * library afterwards. Returns the number of bars compared.
 */
function expectAligned(name: string, ours: Float64Array, lib: readonly number[], warmup: number, rel = REL): number {
  const n = ours.length;
  expect(lib.length, `${name}: library length`).toBe(n - warmup);
  for (let i = 0; i < warmup; i++) if (!Number.isNaN(ours[i])) throw new Error(`${name}: bar ${i} should be NaN during warm-up, got ${ours[i]}`);
  let worst = 0;
  for (let i = warmup; i < n; i++) {
    const a = ours[i]!;
    const b = lib[i - warmup]!;
    if (!close(a, b, rel)) throw new Error(`${name}: bar ${i}: ours ${a}, technicalindicators ${b}`);
    if (a !== b) worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
  }
  expect(worst).toBeLessThanOrEqual(rel);
  return n - warmup;
}

const FILES = ['BTC_USDT-5m.csv', 'orcl-1995-2014.csv'] as const;

describe.each(FILES)('indicators on %s match technicalindicators', (file) => {
  const bars: CandleColumns = loadCandles(file);
  const closes = Array.from(bars.close);
  const highs = Array.from(bars.high);
  const lows = Array.from(bars.low);
  const n = bars.length;

  it('has real data', () => {
    expect(n).toBeGreaterThan(5000);
  });

  it.each([10, 30])('SMA(%i)', (period) => {
    const compared = expectAligned(`SMA(${period})`, new Sma(period).series(bars.close), SMA.calculate({ period, values: closes }), period - 1);
    expect(compared).toBe(n - period + 1);
  });

  it('EMA(20), seeded with the SMA of the first 20 closes', () => {
    expectAligned('EMA(20)', new Ema(20).series(bars.close), EMA.calculate({ period: 20, values: closes }), 19);
  });

  it('RSI(14): Wilder averages to 1e-9; the library rounds its RSI to 2 decimals', () => {
    const rsi = new Rsi(14);
    const ours = new Float64Array(n);
    const gains = new Float64Array(n);
    const losses = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ours[i] = rsi.update(bars.close[i]!);
      gains[i] = rsi.avgGain;
      losses[i] = rsi.avgLoss;
    }
    // The first RSI needs 14 changes, i.e. 15 closes: defined from bar 14, as in the library.
    const libGain = AverageGain.calculate({ period: 14, values: closes }) as number[];
    const libLoss = AverageLoss.calculate({ period: 14, values: closes }) as number[];
    expectAligned('avg gain', gains, libGain, 14);
    expectAligned('avg loss', losses, libLoss, 14);
    // The standard formula on the library's own averages (no flat window occurs in this data: 50 is not at stake).
    const fromLibAverages = libGain.map((g, k) => {
      const l = libLoss[k]!;
      expect(g === 0 && l === 0).toBe(false);
      return l === 0 ? 100 : 100 - 100 / (1 + g / l);
    });
    expectAligned('RSI', ours, fromLibAverages, 14);
    // technicalindicators' RSI itself is parseFloat(rsi.toFixed(2)): within half a hundredth.
    const libRsi = RSI.calculate({ period: 14, values: closes });
    expect(libRsi.length).toBe(n - 14);
    for (let i = 14; i < n; i++) expect(Math.abs(ours[i]! - libRsi[i - 14]!)).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('Donchian(20) upper/lower = Highest(high, 20) / Lowest(low, 20)', () => {
    const { upper, lower, middle } = new DonchianChannel(20).series({ high: bars.high, low: bars.low });
    const libHigh = Highest.calculate({ period: 20, values: highs });
    const libLow = Lowest.calculate({ period: 20, values: lows });
    expectAligned('Donchian upper', upper, libHigh, 19, 0);
    expectAligned('Donchian lower', lower, libLow, 19, 0);
    expectAligned(
      'Donchian middle',
      middle,
      libHigh.map((h, k) => (h + libLow[k]!) / 2),
      19,
      0,
    );
    // A shorter window for the lows (a breakout strategy's exit channel).
    const split = new DonchianChannel(20, 10).series({ high: bars.high, low: bars.low });
    expectAligned('Donchian(20, 10) upper', split.upper, libHigh, 19, 0);
    expectAligned('Donchian(20, 10) lower', split.lower, Lowest.calculate({ period: 10, values: lows }), 9, 0);
    // The rolling extremes on closes too, over several window lengths (deque wrap-around).
    for (const period of [1, 2, 7, 55]) {
      expectAligned(`RollingMax(${period})`, new RollingMax(period).series(bars.close), Highest.calculate({ period, values: closes }), period - 1, 0);
      expectAligned(`RollingMin(${period})`, new RollingMin(period).series(bars.close), Lowest.calculate({ period, values: closes }), period - 1, 0);
    }
  });

  it('ATR(14), Wilder smoothing of the true range', () => {
    const ours = new Atr(14).series({ high: bars.high, low: bars.low, close: bars.close });
    expectAligned('ATR(14)', ours, ATR.calculate({ period: 14, high: highs, low: lows, close: closes }), 14);
  });
});
