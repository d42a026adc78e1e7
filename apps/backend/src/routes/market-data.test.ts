import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { dbTargets } from '@kestrel/db/testing';
import { parseCandlesCsv } from '@kestrel/exchanges';
import { startTestStack, type TestStack } from '@kestrel/test-stack';
import { BUNDLED_CANDLES_DIR } from '../market-data/bundled-candles.ts';
import { importCandles } from '../market-data/candle-store.ts';

type Envelope<T = Record<string, unknown>> = { room: string; seq: number; ts: string; data: T };
type ImportEvent = { id: string; status: string; bytes: number; totalBytes: number | null; bars: number; percent: number | null; result: Record<string, unknown> | null; error: { code: string; message: string } | null };

const csv = (name: string) => readFileSync(join(BUNDLED_CANDLES_DIR, name));
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface UploadOptions {
  token?: string;
  importId?: string;
  contentType?: string;
  /** Send Content-Length (default) or stream chunked without it. */
  withLength?: boolean;
  /** Pieces sent one after the other with this pause between them. */
  pieces?: number;
  pauseMs?: number;
}

/** A raw HTTP upload that really streams: the body goes out in pieces with pauses between them. */
// The body is whatever the route answered: tests check its shape themselves (as TestStack.api does).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function upload(base: string, query: string, body: Uint8Array, o: UploadOptions = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string | number> = { 'content-type': o.contentType ?? 'text/csv' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.importId) headers['import-id'] = o.importId;
  if (o.withLength !== false) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/market-data/imports?${query}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    void (async () => {
      const n = o.pieces ?? 1;
      const size = Math.ceil(body.length / n);
      for (let i = 0; i < n; i++) {
        if (i > 0 && o.pauseMs) await settle(o.pauseMs);
        req.write(body.subarray(i * size, (i + 1) * size));
      }
      req.end();
    })();
  });
}

describe.each(dbTargets())('historical candles API [%s]', (kind) => {
  let stack: TestStack;
  const t: Record<string, string> = {};
  const sockets: Socket[] = [];
  let tenantA = '';

  const openSocket = (token: string) =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect(`${stack.backend.url}/trading`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      s.once('ready', () => resolve(s));
      s.once('connect_error', reject);
    });
  const collect = (s: Socket) => {
    const got: Array<ImportEvent & { room: string }> = [];
    s.on('marketdata.import', (e: Envelope<ImportEvent>) => got.push({ ...e.data, room: e.room }));
    return got;
  };

  beforeAll(async () => {
    stack = await startTestStack({ kind });
    const login = async (user: string, password: string) => (await stack.platform.login(user, password)).accessToken;
    const a = await stack.platform.login('trader', 'kestrel-trader-demo', 'demo');
    t.traderA = a.accessToken;
    tenantA = a.user.tenantId;
    t.viewerA = await login('viewer', 'kestrel-viewer-demo');
    const b = await stack.platform.createTenant('bravo');
    t.traderB = await login(b.users.trader.username, b.users.trader.password);
    // Public data, as the server seeds it at start-up.
    for (const [file, symbol, timeframe] of [
      ['UNITTEST_BTC-1m.csv', 'UNITTEST/BTC', '1m'],
      ['ETH_BTC-5m.csv', 'ETH/BTC', '5m'],
    ] as const) {
      await importCandles(stack.backend.database, { tenantId: null, symbol, timeframe, source: file }, csv(file));
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.close();
  });

  it('streams an upload into the store: progress on the uploader’s tenant socket, the summary as the answer, pollable by Import-Id; another tenant hears nothing', async () => {
    const eventsA = collect(await openSocket(t.traderA!));
    const eventsB = collect(await openSocket(t.traderB!));
    const body = csv('fesx-2006-01-02-volume-min-001.csv');
    const importId = randomUUID();
    const res = await upload(stack.backend.url, 'symbol=FESX/EUR&timeframe=1m', body, { token: t.traderA!, importId, pieces: 4, pauseMs: 350 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ importId, symbol: 'FESX/EUR', timeframe: '1m', bars: 30889, inserted: 30889, replaced: 0, first: 1136192460000 });
    expect(res.body.gapCount).toBeGreaterThan(0);
    await settle(200);

    const mine = eventsA.filter((e) => e.id === importId);
    const running = mine.filter((e) => e.status === 'running');
    // While the body was still arriving the tenant saw it grow, with a percent (Content-Length was sent).
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running.some((e) => e.bytes > 0 && e.bytes < body.length && e.bars > 0)).toBe(true);
    const bytes = running.map((e) => e.bytes);
    expect(bytes).toEqual([...bytes].sort((x, y) => x - y));
    expect(running.every((e) => e.totalBytes === body.length && e.percent !== null && e.percent <= 100)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ status: 'succeeded', bytes: body.length, bars: 30889, percent: 100, result: { importId, bars: 30889 } });
    expect(mine.every((e) => e.room === `tenant:${tenantA}`)).toBe(true);
    expect(eventsB).toEqual([]);

    const polled = await stack.api(`/api/market-data/imports/${importId}`, { token: t.viewerA! });
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({ id: importId, status: 'succeeded', result: { datasetId: res.body.datasetId } });
    expect((await stack.api(`/api/market-data/imports/${importId}`, { token: t.traderB! })).status).toBe(404);
    // The same Import-Id twice is refused.
    expect((await upload(stack.backend.url, 'symbol=FESX/EUR&timeframe=1m', body.subarray(0, 200), { token: t.traderA!, importId })).status).toBe(409);
  });

  it('an upload without Content-Length streams too (no percent); re-uploading overlapping bars merges them', async () => {
    const lines = csv('XRP_ETH-5m.csv').toString('utf8').trim().split('\n');
    const first = await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', Buffer.from(lines.slice(0, 500).join('\n')), { token: t.traderA!, withLength: false, pieces: 3 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ bars: 499, inserted: 499, replaced: 0 });
    const second = await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', Buffer.from(lines.slice(400).join('\r\n')), { token: t.traderA!, withLength: false });
    expect(second.body).toMatchObject({ bars: 712, inserted: 213, replaced: 100 });
    const polled = await stack.api(`/api/market-data/imports/${second.body.importId}`, { token: t.traderA! });
    expect(polled.body).toMatchObject({ totalBytes: null, status: 'succeeded' });
  });

  it('a bad line: 400 CANDLES_CSV_INVALID with its line number, a failed event, and nothing stored', async () => {
    const events = collect(await openSocket(t.traderA!));
    const coverageBefore = (await stack.api('/api/market-data/coverage', { token: t.traderA! })).body;
    const lines = csv('UNITTEST_BTC-30m.csv').toString('utf8').split('\n');
    lines[1200] = [...lines[1200]!.split(',').slice(0, 5), '-5'].join(',');
    const importId = randomUUID();
    const res = await upload(stack.backend.url, 'symbol=UNITTEST/BTC&timeframe=30m', Buffer.from(lines.join('\n')), { token: t.traderA!, importId, pieces: 3 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CANDLES_CSV_INVALID');
    expect(res.body.error.message).toMatch(/^upload:1201: volume is negative: -5\. Nothing was stored: fix that line/);
    expect(res.body.error.details).toEqual({ line: 1201 });
    await settle(200);
    expect(events.filter((e) => e.id === importId).at(-1)).toMatchObject({ status: 'failed', error: { code: 'CANDLES_CSV_INVALID' } });
    // A bad line early in a large upload is answered while the rest is still on its way.
    const big = Buffer.from(`timestamp_ms,open,high,low,close,volume\n1000,1,2,3,1.5,1\n${csv('fesx-2006-01-02-volume-min-001.csv').toString('utf8')}`);
    const early = await upload(stack.backend.url, 'symbol=FESX/EUR&timeframe=1m', big, { token: t.traderA!, pieces: 6, pauseMs: 100 });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/^upload:2: inconsistent bar/);
    expect((await stack.api('/api/market-data/coverage', { token: t.traderA! })).body).toEqual(coverageBefore);
    expect((await stack.api('/api/market-data/candles?symbol=UNITTEST/BTC&timeframe=30m', { token: t.traderA! })).status).toBe(404);
  });

  it('coverage: public datasets for everyone, own ones for their tenant only, with gaps', async () => {
    const a = (await stack.api('/api/market-data/coverage', { token: t.viewerA! })).body.items as Array<Record<string, unknown>>;
    const b = (await stack.api('/api/market-data/coverage', { token: t.traderB! })).body.items as Array<Record<string, unknown>>;
    expect(b.map((d) => `${d.symbol} ${d.timeframe} ${d.public}`)).toEqual(['ETH/BTC 5m true', 'UNITTEST/BTC 1m true']);
    expect(a.map((d) => `${d.symbol} ${d.timeframe} ${d.public}`)).toEqual(['ETH/BTC 5m true', 'FESX/EUR 1m false', 'UNITTEST/BTC 1m true', 'XRP/ETH 5m false']);
    expect(a.find((d) => d.symbol === 'UNITTEST/BTC')).toMatchObject({ bars: 13681, gapCount: 538, source: 'UNITTEST_BTC-1m.csv' });
    expect((a.find((d) => d.symbol === 'UNITTEST/BTC')!.gaps as unknown[]).length).toBe(100);
  });

  it('candles: a range from the store, paged with next; the last bars without from; 404 says what is stored', async () => {
    const fesx = parseCandlesCsv(csv('fesx-2006-01-02-volume-min-001.csv').toString('utf8'));
    const from = fesx.time[100]!;
    const to = fesx.time[400]!;
    const page = await stack.api(`/api/market-data/candles?symbol=FESX/EUR&timeframe=1m&from=${from}&to=${to}&limit=250`, { token: t.viewerA! });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ symbol: 'FESX/EUR', timeframe: '1m', public: false, next: fesx.time[350] });
    expect(page.body.items).toHaveLength(250);
    expect(page.body.items[0]).toEqual({ time: from, open: fesx.open[100], high: fesx.high[100], low: fesx.low[100], close: fesx.close[100], volume: fesx.volume[100] });
    const rest = await stack.api(`/api/market-data/candles?symbol=FESX/EUR&timeframe=1m&from=${page.body.next}&to=${to}&limit=250`, { token: t.viewerA! });
    expect(rest.body.items).toHaveLength(50);
    expect(rest.body.next).toBeNull();
    const latest = await stack.api('/api/market-data/candles?symbol=FESX/EUR&timeframe=1m&limit=3', { token: t.viewerA! });
    expect(latest.body.items.map((c: { time: number }) => c.time)).toEqual(Array.from(fesx.time.subarray(fesx.length - 3)));

    // Tenant B reads public data, never A's own.
    expect((await stack.api('/api/market-data/candles?symbol=ETH/BTC&timeframe=5m&limit=1', { token: t.traderB! })).body).toMatchObject({ public: true });
    const hidden = await stack.api('/api/market-data/candles?symbol=FESX/EUR&timeframe=1m', { token: t.traderB! });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toContain('stored: ETH/BTC 5m, UNITTEST/BTC 1m');
    expect(hidden.body.error.message.split('stored:')[1]).not.toContain('FESX');
    const bad = await stack.api('/api/market-data/candles?symbol=btc&timeframe=1m', { token: t.viewerA! });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('who and how: viewers cannot import, the body must be text/csv, an announced body over the limit is 413', async () => {
    const body = csv('XRP_ETH-5m.csv');
    expect((await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', body, { token: t.viewerA! })).status).toBe(403);
    expect((await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', body)).status).toBe(401);
    const json = await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', Buffer.from('{"a":1}'), { token: t.traderA!, contentType: 'application/json' });
    expect(json.status).toBe(415);
    expect(json.body.error.message).toContain('Content-Type: text/csv');
    const other = await upload(stack.backend.url, 'symbol=XRP/ETH&timeframe=5m', body, { token: t.traderA!, contentType: 'application/octet-stream' });
    expect(other.status).toBe(415);
    const missing = await upload(stack.backend.url, 'timeframe=5m', body, { token: t.traderA! });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    const huge = await new Promise<number>((resolve, reject) => {
      const req = request(`${stack.backend.url}/api/market-data/imports?symbol=XRP/ETH&timeframe=5m`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.traderA}`, 'content-type': 'text/csv', 'content-length': 300 * 1024 * 1024 },
      }, (res) => {
        resolve(res.statusCode ?? 0);
        // The 300 MB never come: drop the connection.
        req.destroy();
      });
      req.on('error', reject);
      req.write('1000,1,2,0.5,1.5,1\n');
    });
    expect(huge).toBe(413);
  });

  it('deletes only the tenant’s own datasets', async () => {
    const items = (await stack.api('/api/market-data/coverage', { token: t.traderA! })).body.items as Array<{ id: string; symbol: string; public: boolean }>;
    const own = items.find((d) => d.symbol === 'XRP/ETH')!;
    const pub = items.find((d) => d.public)!;
    expect((await stack.api(`/api/market-data/datasets/${own.id}`, { method: 'DELETE', token: t.traderB! })).status).toBe(404);
    expect((await stack.api(`/api/market-data/datasets/${own.id}`, { method: 'DELETE', token: t.viewerA! })).status).toBe(403);
    expect((await stack.api(`/api/market-data/datasets/${pub.id}`, { method: 'DELETE', token: t.traderA! })).status).toBe(404);
    expect((await stack.api(`/api/market-data/datasets/${own.id}`, { method: 'DELETE', token: t.traderA! })).status).toBe(204);
    const after = (await stack.api('/api/market-data/coverage', { token: t.traderA! })).body.items as Array<{ id: string }>;
    expect(after.some((d) => d.id === own.id)).toBe(false);
    expect(after.some((d) => d.id === pub.id)).toBe(true);
  });

  it('appears in the OpenAPI document with its CSV body', async () => {
    const doc = (await stack.api('/docs/json')).body;
    expect(Object.keys(doc.paths['/api/market-data/imports'].post.requestBody.content)).toEqual(['text/csv']);
    for (const path of ['/api/market-data/coverage', '/api/market-data/candles', '/api/market-data/imports/{id}']) expect(doc.paths[path].get).toBeDefined();
    expect(doc.paths['/api/market-data/datasets/{id}'].delete).toBeDefined();
  });
});
