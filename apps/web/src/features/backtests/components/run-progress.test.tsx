import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BacktestRequest, KestrelClient } from '@kestrel/api-client';
import { RealtimeProvider } from '../../../lib/realtime/realtime-provider.tsx';
import { renderWithApp, signedIn } from '../../../testing/harness.tsx';
import { candlesCsv, randomWalk } from '../../market-data/testing/candles-csv.ts';
import { useBacktest } from '../api/get-run.ts';
import { RunHeader } from './run-header.tsx';

/** Long enough (an SMA 3/7 trading every few bars) that a run reports progress several times. */
const BARS = 200_000;
const RUN: BacktestRequest = { strategy: 'sma-cross', params: { fast: 3, slow: 7, size: 1 }, symbols: ['WPROG/USDT'], timeframe: '1m', cash: '100000' };

/** A run's page header as the route composes it: the live query and the header. */
function LiveRun({ id }: { id: string }) {
  const run = useBacktest(id);
  return run.data ? <RunHeader run={run.data} /> : null;
}

const until = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * The progress bar of a run against the real backend and its /trading socket: while the socket is
 * up it moves with each `backtest.progress` the server pushes (the run is not polled), and ends
 * at 100 % with the completed status; Cancel stops a running run.
 */
describe('run progress', () => {
  let trader: KestrelClient;
  beforeAll(async () => {
    trader = await signedIn('trader');
    await trader.api.marketData.upload({ symbol: 'WPROG/USDT', timeframe: '1m' }, candlesCsv(randomWalk(BARS, Date.UTC(2020, 0, 1), 60_000)));
  }, 60_000);
  afterAll(() => trader?.session.dispose());

  it('moves with the pushed progress events and ends at 100 % completed', async () => {
    // What the server pushes, seen by a socket of our own.
    const socket = trader.realtime('/trading');
    const pushed: Array<{ id: string; status: string; percent: number }> = [];
    socket.on('backtest.progress', ({ data }) => pushed.push(data));
    socket.connect();
    await until('the socket', () => socket.state.get().status === 'connected');

    const run = await trader.api.backtests.submit(RUN);
    renderWithApp(
      <RealtimeProvider>
        <LiveRun id={run.id} />
      </RealtimeProvider>,
      trader,
    );
    // What the bar shows, sampled far more often than the server pushes (every 250 ms at most).
    const shown: number[] = [];
    const sample = () => {
      const v = screen.queryByTestId('backtest-progress')?.getAttribute('aria-valuenow');
      if (v !== null && v !== undefined && Number(v) !== shown[shown.length - 1]) shown.push(Number(v));
    };
    const sampler = setInterval(sample, 10);
    try {
      const bar = await screen.findByRole('progressbar', { name: 'Backtest progress' });
      await waitFor(() => expect(screen.getByTestId('backtest-status').dataset.status).toBe('completed'), { timeout: 60_000 });
      expect(bar.getAttribute('aria-valuenow')).toBe('100');
      expect(within(screen.getByTestId('backtest-status')).getByText('completed')).toBeTruthy();
    } finally {
      clearInterval(sampler);
      sample();
      socket.close();
    }

    const mine = pushed.filter((e) => e.id === run.id && e.status === 'running').map((e) => Math.round(e.percent * 10) / 10);
    const between = shown.filter((v) => v > 0 && v < 100);
    // Several steps between 0 and 100, each one a value the server pushed (a 2 s poll would show one or two at most), never going back.
    expect(mine.length, `pushed ${JSON.stringify(mine)}`).toBeGreaterThanOrEqual(3);
    expect(between.length, `shown ${JSON.stringify(shown)}, pushed ${JSON.stringify(mine)}`).toBeGreaterThanOrEqual(2);
    for (const v of between) expect(mine).toContain(v);
    expect([...shown].sort((a, b) => a - b)).toEqual(shown);
    expect(shown.at(-1)).toBe(100);
  }, 90_000);

  it('Cancel stops a running backtest where it is, and says so', async () => {
    const user = userEvent.setup();
    const run = await trader.api.backtests.submit(RUN);
    renderWithApp(
      <RealtimeProvider>
        <LiveRun id={run.id} />
      </RealtimeProvider>,
      trader,
    );
    await waitFor(() => expect(screen.getByTestId('backtest-status').dataset.status).toBe('running'), { timeout: 30_000 });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('backtest-status').dataset.status).toBe('cancelled'));
    const percent = Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'));
    expect(percent).toBeLessThan(100);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect((await trader.api.backtests.get(run.id)).status).toBe('cancelled');
  }, 60_000);

  it('a viewer sees the run and its progress, and no Cancel or Delete', async () => {
    const viewer = await signedIn('viewer');
    const run = await trader.api.backtests.submit({ ...RUN, to: Date.UTC(2020, 0, 2) });
    renderWithApp(<LiveRun id={run.id} />, viewer);
    await screen.findByRole('progressbar', { name: 'Backtest progress' });
    expect(screen.queryByRole('button')).toBeNull();
    viewer.session.dispose();
  });
});
