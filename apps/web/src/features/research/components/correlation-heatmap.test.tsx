import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { KestrelClient } from '@kestrel/api-client';
import type { CoverageEntry } from '../../../lib/coverage.ts';
import { renderWithApp, signedIn } from '../../../testing/harness.tsx';
import { candlesCsv, randomWalk } from '../../market-data/testing/candles-csv.ts';
import { CorrelationPanel } from './correlation-panel.tsx';

/** A timeframe no other test stores, so the panel offers exactly the symbols uploaded here. */
const TF = '2h';
const STEP = 2 * 3_600_000;
const START = Date.UTC(2021, 0, 4);

/**
 * The correlation heatmap over real uploads and the real research API: B moves exactly like A
 * (+1), C against it (−1), D trades at other times (no common bar: not defined).
 */
describe('correlation heatmap', () => {
  let trader: KestrelClient;
  let coverage: CoverageEntry[];

  beforeAll(async () => {
    trader = await signedIn('trader');
    const a = randomWalk(60, START, STEP, 11);
    const upload = (symbol: string, bars: typeof a) => trader.api.marketData.upload({ symbol, timeframe: TF }, candlesCsv(bars));
    await upload('HMA/USDT', a);
    await upload('HMB/USDT', a.map((b) => ({ time: b.time, close: b.close * 2 })));
    await upload('HMC/USDT', a.map((b) => ({ time: b.time, close: Number((10_000 / b.close).toFixed(6)) })));
    await upload('HMD/USDT', randomWalk(60, START + 1_000 * STEP, STEP, 5));
    coverage = (await trader.api.marketData.coverage()).items;
  });
  afterAll(() => trader?.session.dispose());

  const cell = (table: HTMLElement, row: string, col: string) => {
    const cols = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    const tr = within(table).getByRole('rowheader', { name: row }).closest('tr')!;
    return within(tr).getAllByRole('cell')[cols.indexOf(col)]!;
  };

  it('draws the matrix as a table: symbols as headers, values in the cells, their basis on hover, a dash where undefined', async () => {
    renderWithApp(<CorrelationPanel coverage={coverage} view={{ symbol: 'HMA/USDT', timeframe: TF, from: undefined, to: undefined }} />, trader);
    const table = await screen.findByTestId('correlation-heatmap');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['HMA/USDT', 'HMB/USDT', 'HMC/USDT', 'HMD/USDT']);
    expect(within(table).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['HMA/USDT', 'HMB/USDT', 'HMC/USDT', 'HMD/USDT']);
    expect(within(table.querySelector('tbody')!).getAllByRole('cell')).toHaveLength(16);

    const ab = cell(table, 'HMA/USDT', 'HMB/USDT');
    expect(ab.textContent).toBe('1.00');
    expect(ab.dataset.sign).toBe('positive');
    expect(ab.title).toBe('HMA/USDT × HMB/USDT: 1.000 over 59 common returns');
    // Coloured by sign and strength: full blue at +1, full red at −1, none where undefined.
    expect(ab.style.getPropertyValue('--strength')).toBe('0.850');
    expect(cell(table, 'HMB/USDT', 'HMB/USDT').textContent).toBe('1.00');

    const ac = cell(table, 'HMA/USDT', 'HMC/USDT');
    expect(ac.textContent).toBe('-1.00');
    expect(ac.dataset.sign).toBe('negative');
    expect(Number(ac.dataset.value)).toBeLessThan(-0.999);
    expect(Number(ac.style.getPropertyValue('--strength'))).toBeCloseTo(0.85, 2);
    expect(cell(table, 'HMC/USDT', 'HMA/USDT').textContent).toBe('-1.00');

    const ad = cell(table, 'HMA/USDT', 'HMD/USDT');
    expect(ad.textContent).toBe('—');
    expect(ad.dataset.sign).toBe('none');
    expect(ad.style.getPropertyValue('--strength')).toBe('');
    expect(ad.title).toBe('HMA/USDT × HMD/USDT: not defined (0 common returns)');
    // The caption says how to read it (the table is its own accessible fallback).
    expect(table.querySelector('caption')!.textContent).toMatch(/1 moves together, −1 opposite/);
  });

  it('follows the symbols ticked: fewer symbols, a smaller matrix; fewer than two, nothing to compare', async () => {
    const user = userEvent.setup();
    renderWithApp(<CorrelationPanel coverage={coverage} view={{ symbol: 'HMB/USDT', timeframe: TF, from: START, to: START + 30 * STEP }} />, trader);
    const table = await screen.findByTestId('correlation-heatmap');
    expect(within(table).getAllByRole('columnheader')[0]!.textContent).toBe('HMB/USDT');
    await user.click(screen.getByRole('checkbox', { name: 'HMD/USDT' }));
    await user.click(screen.getByRole('checkbox', { name: 'HMC/USDT' }));
    await waitFor(() => expect(within(screen.getByTestId('correlation-heatmap').querySelector('tbody')!).getAllByRole('cell')).toHaveLength(4));
    // The range counts: 30 bars, 29 returns in common.
    expect(cell(screen.getByTestId('correlation-heatmap'), 'HMB/USDT', 'HMA/USDT').title).toBe('HMB/USDT × HMA/USDT: 1.000 over 29 common returns');
    await user.click(screen.getByRole('checkbox', { name: 'HMA/USDT' }));
    expect(await screen.findByText('Pick at least two symbols.')).toBeTruthy();
  });
});
