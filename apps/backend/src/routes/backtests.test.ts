import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketEvents } from '@kestrel/contracts';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { io as connect, type Socket } from 'socket.io-client';
import { importCandles } from '../market-data/candle-store.ts';
import { BTC_USDT_5M_CSV } from '../trading/testing/replay-market.ts';
import { until } from '../trading/testing/wait.ts';
import { randomUUID } from 'node:crypto';
import { backtestRuns } from '@kestrel/db';
import { createLogger } from '@kestrel/server-kit';
import type { WorkerExit } from '../backtests/worker-pool.ts';
import { BacktestService } from '../backtests/backtest-service.ts';
import { RunStore } from '../backtests/run-store.ts';
import { RealtimeHub } from '../realtime/hub.ts';

type Envelope<T = Record<string, unknown>> = { room: string; seq: number; ts: string; data: T };
type ProgressEvent = { id: string; kind: string; status: string; percent: number; barsPerSecond: number; combinationsDone?: number; combinationsTotal?: number };
type FinishedEvent = { id: string; kind: string; status: string; metrics: Record<string, number | null> | null; error: { code: string; message: string } | null };

/** The BTC/USDT 5m file's first and last bars (see packages/market-data). */
const BTC_FIRST = 1672677900000;
const BTC_LAST = 1675977300000;
const SYNTHETIC = 'SYN/USDT';
const SYNTHETIC_BARS = 400_000;

/**
 * A tenant's own long 1-minute series (a seeded random walk), imported like a user's upload: long
 * enough, with a strategy that trades every few bars, that a backtest of it is still running
 * seconds after its first progress report, so cancelling it is not a race.
 */
function syntheticCsv(bars: number): Uint8Array {
  const lines = ['timestamp_ms,open,high,low,close,volume'];
  let price = 100;
  let seed = 7;
  for (let i = 0; i < bars; i++) {
    seed = (seed * 16807) % 2147483647;
    const open = price;
    price = Math.max(1, price * (1 + (seed / 2147483647 - 0.5) * 0.004));
    lines.push(`${1_600_000_020_000 + i * 60_000},${open.toFixed(4)},${(Math.max(open, price) * 1.0005).toFixed(4)},${(Math.min(open, price) * 0.9995).toFixed(4)},${price.toFixed(4)},10`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

describe.each(dbTargets())('backtests and sweeps through the running stack [%s]', (kind) => {
  let stack: TestStack;
  const t: Record<string, string> = {};
  const sockets: Socket[] = [];
  const progressA: ProgressEvent[] = [];
  const finishedA: FinishedEvent[] = [];
  const seenByB: Array<Envelope> = [];
  const envelopes: Array<{ event: 'backtest.progress' | 'backtest.finished'; e: Envelope }> = [];

  beforeAll(async () => {
    stack = await startTestStack({ kind, backend: { BACKTEST_WORKERS: 2 } });
    const db = stack.backend.database;
    await importCandles(db, { tenantId: null, symbol: 'BTC/USDT', timeframe: '5m', source: 'BTC_USDT-5m.csv' }, createReadStream(BTC_USDT_5M_CSV));
    for (const role of ['trader', 'viewer']) t[role] = (await stack.platform.login(role, `kestrel-${role}-demo`, 'demo')).accessToken;
    const tenantA = (await stack.api('/api/user/me', { token: t.trader })).body.tenantId as string;
    await importCandles(db, { tenantId: tenantA, symbol: SYNTHETIC, timeframe: '1m', source: 'synthetic.csv' }, syntheticCsv(SYNTHETIC_BARS));
    const b = await stack.platform.createTenant('backtest-b');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;

    const open = (token: string) => {
      const s = connect(`${stack.backend.url}/trading`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return new Promise<Socket>((resolve, reject) => {
        s.once('ready', () => resolve(s));
        s.once('connect_error', reject);
      });
    };
    const sA = await open(t.viewer!);
    sA.on('backtest.progress', (e: Envelope<ProgressEvent>) => {
      progressA.push(e.data);
      envelopes.push({ event: 'backtest.progress', e });
    });
    sA.on('backtest.finished', (e: Envelope<FinishedEvent>) => {
      finishedA.push(e.data);
      envelopes.push({ event: 'backtest.finished', e });
    });
    const sB = await open(t.traderB!);
    for (const event of ['backtest.progress', 'backtest.finished']) sB.on(event, (e: Envelope) => seenByB.push(e));
  }, 180_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  const submit = (path: '/api/backtests' | '/api/sweeps', body: unknown, token = t.trader) => stack.api(path, { method: 'POST', token, body });
  const finished = (id: string, timeoutMs = 60_000) => until(`run ${id} to finish`, () => finishedA.find((e) => e.id === id), timeoutMs, 25);
  const btc = { strategy: 'sma-cross', symbols: ['BTC/USDT'], timeframe: '5m', cash: '100000', feeRate: '0.001' };

  it('a backtest: 202 queued at once; progress pushed with rising percent; polled to completed with trades, equity and metrics', async () => {
    const res = await submit('/api/backtests', { ...btc, name: 'SMA 10/30', params: { fast: 10, slow: 30, size: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ kind: 'backtest', status: 'queued', name: 'SMA 10/30', strategy: 'sma-cross', symbols: ['BTC/USDT'], timeframe: '5m', createdBy: 'trader', metrics: null });
    expect(res.body).not.toHaveProperty('result');
    const id = res.body.id as string;

    const detail = await until('the backtest to complete (polling)', async () => {
      const d = await stack.api(`/api/backtests/${id}`, { token: t.viewer });
      expect(d.status).toBe(200);
      return d.body.status === 'completed' ? d.body : null;
    }, 60_000, 50);
    expect(detail.progress.percent).toBe(100);
    expect(detail.settings).toMatchObject({ cash: '100000', feeRate: '0.001', fill: 'next-open', slippageBps: 0, warmupBars: 0 });
    expect(detail.params).toEqual({ fast: 10, slow: 30, size: 1 });
    const r = detail.result;
    expect(r.bars).toBe(10999);
    expect(r.trades.length).toBeGreaterThan(10);
    expect(r.counts.trades).toBe(r.trades.length);
    expect(r.fills.length).toBe(r.orders.filter((o: { status: string }) => o.status === 'filled').length);
    expect(r.trades[0]).toMatchObject({ symbol: 'BTC/USDT', side: 'long', size: 1 });
    expect(r.equity.time.length).toBe(r.equity.value.length);
    expect(r.equity.time[0]).toBe(BTC_FIRST);
    expect(r.metrics.trades).toBe(r.counts.trades);
    expect(r.metrics.finalValue).toBeCloseTo(r.finalValue, 6);
    expect(detail.metrics).toEqual(r.metrics);

    // Pushed to the tenant room: queued, running, progress on the way (never going back), finished with the same metrics.
    const end = await finished(id);
    expect(end).toMatchObject({ kind: 'backtest', status: 'completed', error: null, metrics: r.metrics });
    const mine = progressA.filter((e) => e.id === id);
    expect(mine.map((e) => e.status).slice(0, 2)).toEqual(['queued', 'running']);
    const percents = mine.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(mine.some((e) => e.percent > 0 && e.status === 'running')).toBe(true);
    // Every push matches the socket contract the clients validate against, with one seq after another.
    for (const { event, e } of envelopes) expect(socketEvents['/trading'][event].safeParse(e).error).toBeUndefined();
    const seqs = envelopes.map(({ e }) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));

    // The list has it, without the result.
    const list = await stack.api('/api/backtests', { token: t.viewer });
    expect(list.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ status: 'completed', metrics: r.metrics });
    expect(list.body.items[0]).not.toHaveProperty('result');
  });

  it('a sweep run twice ranks the same way: grid over the pool, invalid combinations skipped, the best re-run out of sample', async () => {
    // The last two weeks of the data keep the 2 × 11 runs short.
    const from = Date.parse('2023-01-27T00:00:00Z');
    const body = { ...btc, from, params: { size: 1 }, grid: { fast: [5, 10, 20], slow: { from: 20, to: 40, step: 10 } }, rankBy: 'sharpe', outOfSample: { fraction: 0.25 }, topN: 3 };
    const [a, b] = await Promise.all([submit('/api/sweeps', body), submit('/api/sweeps', body)]);
    expect(a.status, JSON.stringify(a.body)).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body).toMatchObject({ kind: 'sweep', status: 'queued' });
    await Promise.all([finished(a.body.id, 120_000), finished(b.body.id, 120_000)]);
    const [da, db] = await Promise.all([a, b].map(async (r) => (await stack.api(`/api/sweeps/${r.body.id}`, { token: t.viewer })).body));
    expect(da.status, JSON.stringify(da.error)).toBe('completed');
    const ra = da.result;
    // fast 20 / slow 20 is refused by sma-cross's schema (fast < slow): 8 of the 9 combinations ran.
    expect(ra.combinations).toBe(8);
    expect(ra.skipped).toHaveLength(1);
    expect(ra.skipped[0].params).toEqual({ fast: 20, slow: 20 });
    expect(ra.ranking).toHaveLength(8);
    expect(ra.ranking.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const sharpe = ra.ranking.map((r: { metrics: { sharpe: number | null } }) => r.metrics.sharpe ?? -Infinity);
    expect(sharpe).toEqual([...sharpe].sort((x: number, y: number) => y - x));
    // In-sample is the first 75 % of the bars, out of sample the rest.
    expect(ra.inSample.from).toBe(from);
    expect(ra.outOfSample.range).toEqual({ from: ra.inSample.to, to: BTC_LAST + 1 });
    expect(ra.outOfSample.rows.map((r: { inSampleRank: number }) => r.inSampleRank)).toEqual([1, 2, 3]);
    expect(ra.outOfSample.rows[0].params).toEqual(ra.ranking[0].params);
    expect(ra.outOfSample.rows[0].outOfSample.finalValue).not.toBe(ra.ranking[0].metrics.finalValue);
    expect(da.metrics).toEqual(ra.ranking[0].metrics);
    expect(da.progress).toMatchObject({ percent: 100, combinationsDone: 8 + 3, combinationsTotal: 8 + 3 });
    expect(da.progress.barsPerSecond).toBeGreaterThan(0);

    // The second run: the same table, row for row.
    expect(db.result.ranking).toEqual(ra.ranking);
    expect(db.result.outOfSample).toEqual(ra.outOfSample);
    // Its progress counts runs in and out of sample.
    const sweepProgress = progressA.filter((e) => e.id === a.body.id && e.combinationsTotal !== undefined);
    expect(sweepProgress.length).toBeGreaterThan(0);
    expect(sweepProgress.every((e) => e.combinationsTotal === 8 + 3)).toBe(true);
  });

  it('random search is reproducible from its seed', async () => {
    const body = { ...btc, from: '2023-02-01T00:00:00Z', params: { size: 1 }, random: { ranges: { fast: { min: 2, max: 15 }, slow: { min: 20, max: 60, step: 5 } }, samples: 4, seed: 99 }, rankBy: 'totalReturn' };
    const runs = await Promise.all([submit('/api/sweeps', body), submit('/api/sweeps', body)]);
    await Promise.all(runs.map((r) => finished(r.body.id, 120_000)));
    const [x, y] = await Promise.all(runs.map(async (r) => (await stack.api(`/api/sweeps/${r.body.id}`, { token: t.viewer })).body));
    expect(x.status).toBe('completed');
    expect(x.result.ranking).toHaveLength(4);
    for (const row of x.result.ranking) expect(Number.isInteger(row.params.fast)).toBe(true);
    expect(y.result.ranking).toEqual(x.result.ranking);
    expect(x.result.outOfSample).toBeNull();
  });

  it('cancelling a running backtest terminates its worker thread and marks it cancelled', async () => {
    const queue = stack.backend.app.kestrel.services.backtests.queue;
    const exits: WorkerExit[] = [];
    const stopListening = queue.pool.onExit((e) => exits.push(e));
    const res = await submit('/api/backtests', { strategy: 'sma-cross', symbols: [SYNTHETIC], timeframe: '1m', cash: '1000000', params: { fast: 1, slow: 2, size: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.id as string;

    // Running, and reported under way both on the socket and by polling.
    await until('a progress report of the run', () => progressA.some((e) => e.id === id && e.status === 'running' && e.percent > 0), 60_000, 10);
    const polled = await stack.api(`/api/backtests/${id}`, { token: t.viewer });
    expect(polled.body.status).toBe('running');
    expect(polled.body.progress.percent).toBeGreaterThan(0);
    expect(polled.body.progress.percent).toBeLessThan(100);
    expect(queue.pool.workersOf(id)).toHaveLength(1);

    const cancelled = await stack.api(`/api/backtests/${id}/cancel`, { method: 'POST', token: t.trader });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled' });
    // The answer came after the thread exited: terminated, not finished by itself.
    expect(exits.filter((e) => e.jobId === id)).toEqual([expect.objectContaining({ jobId: id, terminated: true })]);
    expect(queue.pool.workersOf(id)).toHaveLength(0);
    expect(queue.pool.activeWorkers).toBe(0);
    expect(queue.holds(id)).toBe(false);
    stopListening();

    const after = await stack.api(`/api/backtests/${id}`, { token: t.viewer });
    expect(after.body).toMatchObject({ status: 'cancelled', result: null, metrics: null });
    expect(after.body.finishedAt).not.toBeNull();
    expect(await finished(id)).toMatchObject({ status: 'cancelled' });
    const again = await stack.api(`/api/backtests/${id}/cancel`, { method: 'POST', token: t.trader });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('a profile’s backtest uses its configuration; completed backtests compare side by side; delete removes one', async () => {
    const account = (await stack.api('/api/exchange-accounts', { method: 'POST', token: t.trader, body: { name: 'Paper', kind: 'paper' } })).body.id;
    const profile = await stack.api('/api/profiles', {
      method: 'POST',
      token: t.trader,
      body: { name: 'Backtested', exchangeAccountId: account, symbol: 'BTC/USDT', timeframe: '1s', strategy: 'sma-cross', strategyParams: { fast: 8, slow: 21, size: 0.5 }, capitalAllocation: '50000', riskLimits: { feeRate: '0.002' } },
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(201);
    // The profile trades replayed 1s bars; its backtest plays the stored 5m candles of its symbol.
    const byProfile = await submit('/api/backtests', { profileId: profile.body.id, timeframe: '5m', from: '2023-01-10T00:00:00Z', to: BTC_LAST });
    expect(byProfile.status, JSON.stringify(byProfile.body)).toBe(202);
    expect(byProfile.body).toMatchObject({ profileId: profile.body.id, strategy: 'sma-cross', params: { fast: 8, slow: 21, size: 0.5 }, symbols: ['BTC/USDT'], timeframe: '5m', from: Date.parse('2023-01-10T00:00:00Z'), to: BTC_LAST });
    const other = await submit('/api/backtests', { ...btc, params: { fast: 20, slow: 50, size: 0.5 } });
    await Promise.all([finished(byProfile.body.id), finished(other.body.id)]);
    const d = (await stack.api(`/api/backtests/${byProfile.body.id}`, { token: t.viewer })).body;
    expect(d.status).toBe('completed');
    expect(d.settings).toMatchObject({ cash: '50000', feeRate: '0.002', riskLimits: { feeRate: '0.002' } });
    expect(d.result.startTime).toBe(Date.parse('2023-01-10T00:00:00Z'));
    expect(d.result.metrics.startValue).toBe(50000);

    const cmp = await stack.api(`/api/backtests/compare?ids=${byProfile.body.id},${other.body.id}`, { token: t.viewer });
    expect(cmp.status, JSON.stringify(cmp.body)).toBe(200);
    expect(cmp.body.items.map((i: { id: string }) => i.id)).toEqual([byProfile.body.id, other.body.id]);
    expect(cmp.body.items[0]).toMatchObject({ params: { fast: 8, slow: 21, size: 0.5 }, metrics: d.result.metrics, equity: d.result.equity });
    expect(cmp.body.items[1].metrics.startValue).toBe(100000);
    const tooFew = await stack.api(`/api/backtests/compare?ids=${other.body.id}`, { token: t.viewer });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.error.code).toBe('VALIDATION_FAILED');

    const del = await stack.api(`/api/backtests/${other.body.id}`, { method: 'DELETE', token: t.trader });
    expect(del.status).toBe(204);
    expect((await stack.api(`/api/backtests/${other.body.id}`, { token: t.viewer })).status).toBe(404);
    const gone = await stack.api(`/api/backtests/compare?ids=${byProfile.body.id},${other.body.id}`, { token: t.viewer });
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toContain(other.body.id);
  });

  it('roles: a viewer reads but cannot submit, cancel or delete', async () => {
    for (const [method, path] of [
      ['POST', '/api/backtests'],
      ['POST', '/api/sweeps'],
      ['POST', '/api/backtests/00000000-0000-4000-8000-000000000000/cancel'],
      ['DELETE', '/api/sweeps/00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await stack.api(path, { method, token: t.viewer, ...(method === 'POST' ? { body: { ...btc, params: { size: 1 } } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await stack.api('/api/sweeps', { token: t.viewer })).status).toBe(200);
  });

  it('tenant B sees none of tenant A’s runs, by list, id, compare, cancel, delete or socket', async () => {
    const mine = (await stack.api('/api/backtests?limit=200', { token: t.viewer })).body.items as Array<{ id: string; status: string }>;
    const sweeps = (await stack.api('/api/sweeps', { token: t.viewer })).body.items as Array<{ id: string }>;
    expect(mine.length).toBeGreaterThan(1);
    const [a1, a2] = mine.filter((r) => r.status === 'completed');
    expect((await stack.api('/api/backtests', { token: t.traderB })).body.items).toEqual([]);
    expect((await stack.api('/api/sweeps', { token: t.traderB })).body.items).toEqual([]);
    for (const [method, path] of [
      ['GET', `/api/backtests/${a1!.id}`],
      ['GET', `/api/sweeps/${sweeps[0]!.id}`],
      ['GET', `/api/backtests/compare?ids=${a1!.id},${a2!.id}`],
      ['POST', `/api/backtests/${a1!.id}/cancel`],
      ['DELETE', `/api/backtests/${a1!.id}`],
      ['DELETE', `/api/sweeps/${sweeps[0]!.id}`],
    ] as const) {
      const res = await stack.api(path, { method, token: t.traderB });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('sma-cross');
    }
    // A's sweep is not B's backtest either, and A's run is still there.
    expect((await stack.api(`/api/backtests/${sweeps[0]!.id}`, { token: t.viewer })).status).toBe(404);
    expect((await stack.api(`/api/backtests/${a1!.id}`, { token: t.viewer })).body.status).toBe('completed');
    expect(seenByB).toEqual([]);
    expect(progressA.length).toBeGreaterThan(0);
  });

  it('bad input: 400/404 with stable codes, and nothing is stored', async () => {
    const before = (await stack.api('/api/backtests?limit=200', { token: t.viewer })).body.items.length;
    const beforeSweeps = (await stack.api('/api/sweeps?limit=200', { token: t.viewer })).body.items.length;
    const cases: Array<[string, '/api/backtests' | '/api/sweeps', unknown, number, string]> = [
      ['unknown strategy', '/api/backtests', { ...btc, strategy: 'moon-shot' }, 400, 'STRATEGY_UNKNOWN'],
      ['bad params', '/api/backtests', { ...btc, params: { fast: 30, slow: 10 } }, 400, 'STRATEGY_PARAMS_INVALID'],
      ['a param of the wrong type', '/api/backtests', { ...btc, params: { fast: 'ten' } }, 400, 'STRATEGY_PARAMS_INVALID'],
      ['unknown symbol', '/api/backtests', { ...btc, symbols: ['DOGE/USDT'] }, 404, 'NOT_FOUND'],
      ['a timeframe without data', '/api/backtests', { ...btc, timeframe: '1h' }, 404, 'NOT_FOUND'],
      ['from ≥ to', '/api/backtests', { ...btc, from: BTC_LAST, to: BTC_FIRST }, 400, 'VALIDATION_FAILED'],
      ['a range without bars', '/api/backtests', { ...btc, from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' }, 400, 'BACKTEST_NO_DATA'],
      ['neither a profile nor a strategy', '/api/backtests', { cash: '100' }, 400, 'VALIDATION_FAILED'],
      ['a profile and a strategy', '/api/backtests', { ...btc, profileId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED'],
      ['an unknown profile', '/api/backtests', { profileId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOT_FOUND'],
      ['symbols of two quote currencies', '/api/backtests', { ...btc, symbols: ['BTC/USDT', 'ETH/BTC'] }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', '/api/backtests', { ...btc, leverage: 100 }, 400, 'VALIDATION_FAILED'],
      ['a sweep without a space', '/api/sweeps', { ...btc }, 400, 'VALIDATION_FAILED'],
      ['a sweep of an unknown parameter', '/api/sweeps', { ...btc, grid: { speed: [1, 2] } }, 400, 'VALIDATION_FAILED'],
      ['a sweep too large', '/api/sweeps', { ...btc, grid: { fast: { from: 1, to: 100, step: 1 }, slow: { from: 101, to: 200, step: 1 } } }, 400, 'VALIDATION_FAILED'],
      ['a sweep with no valid combination', '/api/sweeps', { ...btc, grid: { fast: [50, 60], slow: [10, 20] } }, 400, 'STRATEGY_PARAMS_INVALID'],
      ['a sweep step of zero', '/api/sweeps', { ...btc, grid: { fast: { from: 1, to: 5, step: 0 } } }, 400, 'VALIDATION_FAILED'],
      ['an out-of-sample range inside the in-sample one', '/api/sweeps', { ...btc, grid: { fast: [5] }, outOfSample: { from: BTC_FIRST, to: BTC_LAST } }, 400, 'VALIDATION_FAILED'],
      ['an out-of-sample range without bars', '/api/sweeps', { ...btc, to: BTC_LAST, grid: { fast: [5] }, outOfSample: { from: BTC_LAST + 86_400_000, to: BTC_LAST + 2 * 86_400_000 } }, 400, 'BACKTEST_NO_DATA'],
    ];
    for (const [what, path, body, status, code] of cases) {
      const res = await submit(path, body);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.code, what).toBe(code);
      expect(res.body.error.message.length, what).toBeGreaterThan(20);
    }
    const params = await submit('/api/backtests', { ...btc, params: { fast: 30, slow: 10 } });
    expect(params.body.error.details).toEqual([expect.objectContaining({ path: '/params/fast', where: 'body' })]);
    expect((await stack.api('/api/backtests?limit=200', { token: t.viewer })).body.items).toHaveLength(before);
    expect((await stack.api('/api/sweeps?limit=200', { token: t.viewer })).body.items).toHaveLength(beforeSweeps);
    expect((await stack.api('/api/backtests?cursor=nonsense', { token: t.viewer })).status).toBe(400);
  });

  it('at start-up, the runs this instance left queued or running are failed, not re-run; other instances’ runs are left alone', async () => {
    const { database } = stack.backend;
    const { profiles } = stack.backend.app.kestrel.services;
    const me = (await stack.api('/api/user/me', { token: t.trader })).body as { id: string; tenantId: string };
    const [{ runner }] = (await database.withTenant({ allTenants: true }, (tx) => tx.select({ runner: backtestRuns.runner }).from(backtestRuns).limit(1))) as [{ runner: string }];
    // What a crash leaves behind: rows queued and running, held by no queue.
    const store = new RunStore(database);
    const spec = { strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['BTC/USDT'], timeframe: '5m', from: null, to: null, settings: { cash: '1000', feeRate: '0', slippageBps: 0, fill: 'next-open', warmupBars: 0, stake: null, rules: {}, riskLimits: {} } };
    const row = (name: string, by = runner) => store.insert({ id: randomUUID(), tenantId: me.tenantId, kind: 'backtest', name, profileId: null, config: spec, runner: by, createdBy: me.id, createdByUsername: 'trader' });
    const queued = await row('left queued');
    const running = await row('left running');
    await store.markRunning(me.tenantId, running.id);
    const elsewhere = await row('queued on another instance', 'another-host:4018');

    const restarted = new BacktestService({ database, hub: new RealtimeHub(), profiles, logger: createLogger({ name: 'backend', level: 'silent' }), workers: 1, runner });
    expect(await restarted.recover()).toBe(2);
    for (const id of [queued.id, running.id]) {
      const d = (await stack.api(`/api/backtests/${id}`, { token: t.viewer })).body;
      expect(d).toMatchObject({ status: 'failed', error: { code: 'BACKTEST_INTERRUPTED' } });
      expect(d.error.message).toMatch(/submit it again/);
    }
    expect((await stack.api(`/api/backtests/${elsewhere.id}`, { token: t.viewer })).body.status).toBe('queued');
    expect(await restarted.recover()).toBe(0);
    await restarted.close();
    expect((await stack.api(`/api/backtests/${elsewhere.id}`, { method: 'DELETE', token: t.trader })).status).toBe(204);
  });
});
