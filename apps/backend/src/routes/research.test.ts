import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '@kestrel/db/testing';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { seedBundledCandles } from '../market-data/bundled-candles.ts';
import { importCandles } from '../market-data/candle-store.ts';

const DATA = new URL('../../../../packages/market-data/data/candles/', import.meta.url);

/** The bundled CSV, parsed the plain way (no shared code with the store). */
function csv(file: string): { time: number[]; close: number[] } {
  const rows = readFileSync(new URL(file, DATA), 'utf8').trim().split('\n').slice(1);
  const cells = rows.map((r) => r.split(',').map(Number));
  return { time: cells.map((c) => c[0]!), close: cells.map((c) => c[4]!) };
}

describe.each(dbTargets())('research API over the stored public candles [%s]', (kind) => {
  let stack: TestStack;
  const t: Record<string, string> = {};
  const btc = csv('BTC_USDT-5m.csv');

  beforeAll(async () => {
    stack = await startTestStack({ kind });
    // What the backend does at start-up (idempotent: a no-op when the stack has seeded already).
    await seedBundledCandles(stack.backend.database, () => {});
    t.viewer = (await stack.platform.login('viewer', 'kestrel-viewer-demo', 'demo')).accessToken;
    const b = await stack.platform.createTenant('bravo');
    t.traderB = (await stack.platform.login(b.users.trader.username, b.users.trader.password)).accessToken;
    // Tenant B's own dataset: another tenant must not see it.
    await importCandles(stack.backend.database, { tenantId: b.tenantId, symbol: 'SECRET/USDT', timeframe: '5m', source: 'upload' }, new TextEncoder().encode('1000000,1,1,1,1,1\n1300000,2,2,2,2,1\n'));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, token = t.viewer) => stack.api(path, { token });
  const enc = encodeURIComponent;

  it('indicators: an SMA equal to a plain-loop mean, aligned with the bar times, null while it warms up', async () => {
    const from = btc.time[100]!;
    const to = btc.time[400]!;
    const res = await get(`/api/research/indicators?symbol=BTC/USDT&timeframe=5m&from=${from}&to=${to}&indicator=sma&period=20`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ symbol: 'BTC/USDT', timeframe: '5m', indicator: 'sma', period: 20, bars: 300, first: from, last: btc.time[399] });
    expect(res.body.time).toEqual(btc.time.slice(100, 400));
    const sma: (number | null)[] = res.body.lines.value;
    expect(sma).toHaveLength(300);
    expect(sma.slice(0, 19).every((v) => v === null)).toBe(true);
    for (const i of [19, 20, 150, 299]) {
      let sum = 0;
      for (let k = i - 19; k <= i; k++) sum += btc.close[100 + k]!;
      expect(sma[i], `bar ${i}`).toBeCloseTo(sum / 20, 9);
    }

    const donchian = await get(`/api/research/indicators?symbol=${enc('BTC/USDT')}&timeframe=5m&from=${from}&to=${to}&indicator=donchian&period=10&lowPeriod=5`);
    expect(donchian.status).toBe(200);
    expect(Object.keys(donchian.body.lines).sort()).toEqual(['lower', 'middle', 'upper']);
    expect(donchian.body.lines.upper[9]).toBeGreaterThanOrEqual(donchian.body.lines.lower[9]);
  });

  it('stats: counts and mean return as a plain loop gives them; nothing is NaN', async () => {
    const res = await get('/api/research/stats?symbol=BTC/USDT&timeframe=5m&bins=10');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const n = btc.close.length;
    let sum = 0;
    for (let i = 1; i < n; i++) sum += btc.close[i]! / btc.close[i - 1]! - 1;
    expect(res.body).toMatchObject({ bars: n, barMs: 300_000, gaps: 0, periodsPerYear: 105_120, first: btc.time[0], last: btc.time[n - 1] });
    expect(res.body.simple.count).toBe(n - 1);
    expect(res.body.simple.mean).toBeCloseTo(sum / (n - 1), 12);
    expect(res.body.histogram.counts).toHaveLength(10);
    expect(res.body.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(n - 1);
    expect(res.body.annualizedVolatility).toBeCloseTo(res.body.simple.stdev * Math.sqrt(105_120), 9);
    expect(typeof res.body.sharpe).toBe('number');
    expect(res.body.drawdown.max).toBeGreaterThan(0);
    expect(res.body.drawdown.max).toBeLessThan(1);

    const daily = await get('/api/research/stats?symbol=BTC/USDT&timeframe=5m&periodsPerYear=252');
    expect(daily.body.periodsPerYear).toBe(252);
  });

  it('correlation: symmetric, 1 on the diagonal; pairs without common bars are null with overlap 0', async () => {
    const res = await get('/api/research/correlation?symbols=ETH/BTC,LTC/BTC,BTC/USDT&timeframe=5m');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { symbols, matrix, overlap } = res.body as { symbols: string[]; matrix: (number | null)[][]; overlap: number[][] };
    expect(symbols).toEqual(['ETH/BTC', 'LTC/BTC', 'BTC/USDT']);
    for (let i = 0; i < 3; i++) {
      expect(matrix[i]![i]).toBe(1);
      for (let j = 0; j < 3; j++) {
        expect(matrix[i]![j]).toBe(matrix[j]![i]);
        expect(overlap[i]![j]).toBe(overlap[j]![i]);
      }
    }
    // ETH/BTC and LTC/BTC cover January 2018; BTC/USDT January 2023.
    expect(matrix[0]![1]).toBeGreaterThan(-1);
    expect(matrix[0]![1]).toBeLessThan(1);
    expect(overlap[0]![1]).toBe(5759);
    expect(overlap[0]![2]).toBe(0);
    expect(matrix[0]![2]).toBeNull();
    expect(overlap[2]![2]).toBe(btc.close.length - 1);
  });

  it('seasonality: 24 hours and 7 weekdays, their counts adding up to the returns', async () => {
    const res = await get('/api/research/seasonality?symbol=ETH/BTC&timeframe=5m');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.hourOfDay.map((b: { hour: number }) => b.hour)).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(res.body.dayOfWeek.map((b: { day: number }) => b.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const total = (buckets: { count: number }[]) => buckets.reduce((a, b) => a + b.count, 0);
    expect(total(res.body.hourOfDay)).toBe(5759);
    expect(total(res.body.dayOfWeek)).toBe(5759);
    for (const b of [...res.body.hourOfDay, ...res.body.dayOfWeek]) {
      expect(b.winShare).toBeGreaterThanOrEqual(0);
      expect(b.winShare).toBeLessThanOrEqual(1);
    }
  });

  it('bad input is 400 VALIDATION_FAILED naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/research/indicators?timeframe=5m&indicator=sma&period=20', '/symbol'],
      ['/api/research/indicators?symbol=btc-usdt&timeframe=5m&indicator=sma&period=20', '/symbol'],
      ['/api/research/indicators?symbol=BTC/USDT&timeframe=5x&indicator=sma&period=20', '/timeframe'],
      ['/api/research/indicators?symbol=BTC/USDT&timeframe=5m&indicator=macd&period=20', '/indicator'],
      ['/api/research/indicators?symbol=BTC/USDT&timeframe=5m&indicator=sma&period=0', '/period'],
      ['/api/research/indicators?symbol=BTC/USDT&timeframe=5m&indicator=sma&period=20&lowPeriod=5', '/lowPeriod'],
      ['/api/research/indicators?symbol=BTC/USDT&timeframe=5m&indicator=atr&period=14&source=close', '/source'],
      ['/api/research/stats?symbol=BTC/USDT&timeframe=5m&from=2000&to=1000', '/to'],
      ['/api/research/stats?symbol=BTC/USDT&timeframe=5m&from=yesterday', '/from'],
      ['/api/research/stats?symbol=BTC/USDT&timeframe=5m&periodsPerYear=-1', '/periodsPerYear'],
      ['/api/research/stats?symbol=BTC/USDT&timeframe=5m&bins=0', '/bins'],
      ['/api/research/stats?symbol=BTC/USDT&timeframe=5m&window=3', '/'],
      ['/api/research/correlation?symbols=BTC/USDT&timeframe=5m', '/symbols'],
      ['/api/research/correlation?symbols=BTC/USDT,BTC/USDT&timeframe=5m', '/symbols'],
      ['/api/research/correlation?symbols=BTC/USDT;ETH/BTC&timeframe=5m', '/symbols'],
      ['/api/research/seasonality?symbol=BTC/USDT', '/timeframe'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path), path).toContain(field);
    }
  });

  it('an unknown symbol or timeframe is 404 naming what is stored; another tenant’s own data is unknown too', async () => {
    const unknown = await get('/api/research/stats?symbol=DOGE/USDT&timeframe=5m');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect(unknown.body.error.message).toContain('BTC/USDT 5m');
    expect(unknown.body.error.message).not.toContain('SECRET/USDT');

    const timeframe = await get('/api/research/seasonality?symbol=BTC/USDT&timeframe=1h');
    expect(timeframe.status).toBe(404);
    expect(timeframe.body.error.message).toContain('BTC/USDT is stored as: BTC/USDT 5m');

    expect((await get('/api/research/stats?symbol=SECRET/USDT&timeframe=5m')).status).toBe(404);
    expect((await get('/api/research/correlation?symbols=BTC/USDT,SECRET/USDT&timeframe=5m')).status).toBe(404);
    const own = await get('/api/research/stats?symbol=SECRET/USDT&timeframe=5m', t.traderB);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ bars: 2, simple: { count: 1, mean: 1 } });
  });

  it('needs a token; the four routes are in the OpenAPI document', async () => {
    expect((await stack.api('/api/research/stats?symbol=BTC/USDT&timeframe=5m')).status).toBe(401);
    const doc = (await stack.api('/docs/json')).body;
    for (const path of ['/api/research/indicators', '/api/research/stats', '/api/research/correlation', '/api/research/seasonality']) expect(doc.paths[path]?.get, path).toBeDefined();
  });
});
