import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { AppError } from '@kestrel/contracts';
import { candleChunks, candleDatasets, migrate, rowsOf, sql } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { parseCandlesCsv } from '@kestrel/exchanges';
import { BUNDLED_CANDLES_DIR, bundledDataset, seedBundledCandles } from './bundled-candles.ts';
import { coverage, deleteDataset, importCandles, loadCandles } from './candle-store.ts';

const file = (name: string) => readFileSync(join(BUNDLED_CANDLES_DIR, name));
const HEADER = 'timestamp_ms,open,high,low,close,volume';

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe.each(dbTargets())('candle store [%s]', (kind) => {
  let db: TestDatabase;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db, 'backend');
    await seedBundledCandles(db, () => {});
  }, 120_000);
  afterAll(async () => db?.close());

  it('the drizzle schema matches the tables of migration 0007', async () => {
    for (const table of [candleDatasets, candleChunks]) {
      const res = await db.db.execute(sql`select column_name from information_schema.columns where table_name = ${getTableName(table)} and table_schema = 'public'`);
      const inDb = rowsOf<{ column_name: string }>(res).map((r) => r.column_name).sort();
      expect(Object.values(getTableColumns(table)).map((c) => c.name).sort()).toEqual(inDb);
    }
  });

  it('seeds every bundled file as public data once, with sensible symbols; a second run imports nothing', async () => {
    const items = await coverage(db, tenantA);
    expect(items.every((d) => d.public)).toBe(true);
    expect(items.map((d) => `${d.symbol} ${d.timeframe}`)).toEqual(
      expect.arrayContaining(['BTC/USDT 5m', 'ETH/BTC 5m', 'UNITTEST/BTC 1m', 'FESX/EUR 1m', 'ESTX50/EUR 5m', 'ESTX50/EUR 1d', 'ORCL/USD 1d', 'NVDA/USD 1d', 'YHOO/USD 1d']),
    );
    expect(items).toHaveLength(21);
    const messages: string[] = [];
    await seedBundledCandles(db, (m) => messages.push(m));
    expect(messages).toEqual(['candle store: bundled candles already imported (21 public datasets)']);
    expect(await coverage(db, tenantA)).toHaveLength(21);
  });

  it('maps bundled file names to symbols and timeframes', () => {
    expect(bundledDataset('BTC_USDT-5m.csv')).toEqual({ symbol: 'BTC/USDT', timeframe: '5m' });
    expect(bundledDataset('fesx-2006-01-02-volume-min-001.csv')).toEqual({ symbol: 'FESX/EUR', timeframe: '1m' });
    expect(bundledDataset('estx50-2006-min-005.csv')).toEqual({ symbol: 'ESTX50/EUR', timeframe: '5m' });
    expect(bundledDataset('estx50-2005-2006-day-001.csv')).toEqual({ symbol: 'ESTX50/EUR', timeframe: '1d' });
    expect(bundledDataset('orcl-1995-2014.csv')).toEqual({ symbol: 'ORCL/USD', timeframe: '1d' });
    expect(bundledDataset('notes.csv')).toBeNull();
  });

  it('coverage of UNITTEST/BTC 1m: 13681 bars, first and last as published, its 538 real gaps; the loaded bars are the file’s', async () => {
    const entry = (await coverage(db, tenantA)).find((d) => d.symbol === 'UNITTEST/BTC' && d.timeframe === '1m')!;
    expect(entry).toMatchObject({ bars: 13681, public: true, gapCount: 538, source: 'UNITTEST_BTC-1m.csv' });
    expect(new Date(entry.first).toISOString()).toBe('2017-11-04T23:02:00.000Z');
    expect(new Date(entry.last).toISOString()).toBe('2017-11-14T22:59:00.000Z');
    expect(entry.gaps).toHaveLength(100);
    // Every gap is real: its ends are consecutive bars of the file, more than a minute apart.
    const fromFile = parseCandlesCsv(file('UNITTEST_BTC-1m.csv').toString('utf8'));
    const times = Array.from(fromFile.time);
    for (const g of entry.gaps) {
      const i = times.indexOf(g.from);
      expect(times[i + 1]).toBe(g.to);
      expect(g.missingBars).toBe((g.to - g.from) / 60_000 - 1);
    }
    // bars + missing bars fill the span exactly (the data is minute-aligned).
    expect(entry.bars + entry.missingBars).toBe((entry.last - entry.first) / 60_000 + 1);

    const loaded = await loadCandles(db, tenantA, { symbol: 'UNITTEST/BTC', timeframe: '1m' });
    expect(loaded.tenantId).toBeNull();
    expect(loaded.series.length).toBe(13681);
    for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(Array.from(loaded.series[col])).toEqual(Array.from(fromFile[col]));
  });

  it('loads a range: from ≤ time < to, across chunk boundaries', async () => {
    const all = (await loadCandles(db, tenantA, { symbol: 'FESX/EUR', timeframe: '1m' })).series;
    expect(all.length).toBe(30889);
    const from = all.time[9_995]!;
    const to = all.time[20_007]!;
    const part = (await loadCandles(db, tenantA, { symbol: 'FESX/EUR', timeframe: '1m', from, to })).series;
    expect(part.length).toBe(20_007 - 9_995);
    expect(part.time[0]).toBe(from);
    expect(part.time[part.length - 1]).toBe(all.time[20_006]);
    expect(part.close[5]).toBe(all.close[10_000]);
    expect((await loadCandles(db, tenantA, { symbol: 'FESX/EUR', timeframe: '1m', from: to, to: from })).series.length).toBe(0);
  });

  it('an unknown symbol or timeframe is NOT_FOUND and says what is stored', async () => {
    const err = await rejection(loadCandles(db, tenantA, { symbol: 'BTC/USDT', timeframe: '1h' }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('BTC/USDT is stored as: BTC/USDT 5m');
    const other = await rejection(loadCandles(db, tenantA, { symbol: 'DOGE/USDT', timeframe: '1m' }));
    expect(other.message).toMatch(/stored: .*ADA\/BTC 5m/);
  });

  it('re-importing overlapping bars merges by timestamp in one go: new bars win, the rest stays', async () => {
    const lines = file('XRP_ETH-1m.csv').toString('utf8').trim().split('\n').slice(1);
    const target = { tenantId: tenantA, symbol: 'XRP/ETH', timeframe: '1m', source: 'first.csv' };
    const first = await importCandles(db, target, Buffer.from([HEADER, ...lines.slice(0, 2000)].join('\n')));
    expect(first).toMatchObject({ bars: 2000, inserted: 2000, replaced: 0 });
    // Overlap of 500 bars whose close (and high) are changed, then 1060 new ones.
    const changed = lines.slice(1500).map((l, i) => {
      if (i >= 500) return l;
      const [t, o, h, lo] = l.split(',');
      return `${t},${o},${Number(h) * 2},${lo},${Number(h) * 2},42`;
    });
    const progress: number[] = [];
    const second = await importCandles(db, { ...target, source: 'second.csv' }, toChunks(Buffer.from(changed.join('\r\n')), 1000), (p) => progress.push(p.bars));
    expect(second).toMatchObject({ bars: 3560, inserted: 1560, replaced: 500 });
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(2060);

    const loaded = await loadCandles(db, tenantA, { symbol: 'XRP/ETH', timeframe: '1m' });
    expect(loaded.tenantId).toBe(tenantA);
    const pub = parseCandlesCsv(file('XRP_ETH-1m.csv').toString('utf8'));
    expect(Array.from(loaded.series.time)).toEqual(Array.from(pub.time));
    expect(loaded.series.close[1499]).toBe(pub.close[1499]);
    expect(loaded.series.close[1500]).toBe(pub.high[1500]! * 2);
    expect(loaded.series.volume[1999]).toBe(42);
    expect(loaded.series.close[2000]).toBe(pub.close[2000]);
    const mine = (await coverage(db, tenantA)).find((d) => d.symbol === 'XRP/ETH' && d.timeframe === '1m' && !d.public)!;
    expect(mine).toMatchObject({ bars: 3560, source: 'second.csv', first: pub.time[0], last: pub.time[3559] });
  });

  it('appending a bar at a time fills the last chunk instead of adding small ones', async () => {
    const target = { tenantId: tenantA, symbol: 'APPEND/USD', timeframe: '1m', source: 'feed' };
    for (let i = 0; i < 5; i++) await importCandles(db, target, Buffer.from(`${60_000 * (i + 1)},1,2,0.5,1.5,10\n`));
    const chunks = await db.db.select({ bars: candleChunks.bars }).from(candleChunks).innerJoin(candleDatasets, sql`${candleDatasets.id} = ${candleChunks.datasetId}`).where(sql`${candleDatasets.symbol} = 'APPEND/USD'`);
    expect(chunks).toEqual([{ bars: 5 }]);
  });

  it('a bad line is CANDLES_CSV_INVALID with its line number, and nothing is stored or changed', async () => {
    const before = await coverage(db, tenantA);
    const bad = `${HEADER}\n1570752000000,1,2,0.5,1.5,1\n\n1570752060000,1,2,0.5,1.5,1\n1570752120000,1,2,0.5,oops,1\n`;
    for (const target of [
      { tenantId: tenantA, symbol: 'XRP/ETH', timeframe: '1m', source: 'bad.csv' },
      { tenantId: tenantA, symbol: 'NEW/USD', timeframe: '1m', source: 'bad.csv' },
    ]) {
      const err = await rejection(importCandles(db, target, toChunks(Buffer.from(bad), 7)));
      expect(err.code).toBe('CANDLES_CSV_INVALID');
      expect(err.message).toMatch(/^bad\.csv:5: close is not a number: "oops"\. Nothing was stored: fix that line/);
      expect(err.details).toEqual({ line: 5 });
    }
    expect(await coverage(db, tenantA)).toEqual(before);
  });

  it('refuses bars finer than the timeframe, an empty file and a symbol that is not BASE/QUOTE', async () => {
    const fine = await rejection(importCandles(db, { tenantId: tenantA, symbol: 'BTC/USDT', timeframe: '1h', source: 'f.csv' }, file('BTC_USDT-5m.csv')));
    expect(fine.code).toBe('CANDLES_CSV_INVALID');
    expect(fine.message).toMatch(/^f\.csv:3: timestamp \d+ is less than one bar \(3600000 ms\) after/);
    // Against stored bars too: a 30-second offset bar between two stored minute bars.
    const between = await rejection(importCandles(db, { tenantId: tenantA, symbol: 'XRP/ETH', timeframe: '1m', source: 'x.csv' }, Buffer.from('1570752030000,1,2,0.5,1.5,1\n')));
    expect(between.message).toMatch(/less than one 1m bar after the stored bar/);
    expect((await rejection(importCandles(db, { tenantId: tenantA, symbol: 'E/USD', timeframe: '1m', source: 'e.csv' }, Buffer.from(`${HEADER}\n`)))).message).toMatch(/has no bars/);
    expect((await rejection(importCandles(db, { tenantId: tenantA, symbol: 'orcl', timeframe: '1d', source: 'o.csv' }, file('orcl-1995-2014.csv')))).code).toBe('VALIDATION_FAILED');
    expect((await rejection(importCandles(db, { tenantId: tenantA, symbol: 'ORCL/USD', timeframe: 'daily', source: 'o.csv' }, file('orcl-1995-2014.csv')))).code).toBe('VALIDATION_FAILED');
  });

  it('tenant isolation: B never reads A’s dataset (not even without a tenant filter), both read public data', async () => {
    const a = await loadCandles(db, tenantA, { symbol: 'XRP/ETH', timeframe: '1m' });
    const b = await loadCandles(db, tenantB, { symbol: 'XRP/ETH', timeframe: '1m' });
    expect(a.tenantId).toBe(tenantA);
    expect(b.tenantId).toBeNull();
    expect(b.series.close[1500]).not.toBe(a.series.close[1500]);
    expect((await coverage(db, tenantB)).some((d) => !d.public)).toBe(false);
    expect((await rejection(loadCandles(db, tenantB, { symbol: 'APPEND/USD', timeframe: '1m' }))).code).toBe('NOT_FOUND');
    // Row-level security: B's transaction sees A's rows in neither table, public ones in both.
    const seen = await db.withTenant({ tenantId: tenantB }, async (tx) => ({
      datasets: await tx.select({ tenantId: candleDatasets.tenantId }).from(candleDatasets),
      chunks: await tx.select({ tenantId: candleChunks.tenantId }).from(candleChunks),
    }));
    expect(seen.datasets.length).toBe(21);
    expect([...seen.datasets, ...seen.chunks].every((r) => r.tenantId === null)).toBe(true);
    // …and a tenant's transaction cannot write public data.
    await expect(db.withTenant({ tenantId: tenantB }, (tx) => tx.update(candleDatasets).set({ source: 'hacked' }).where(sql`true`).returning())).resolves.toEqual([]);
    await expect(importCandles(db, { tenantId: tenantB, symbol: 'B/USD', timeframe: '1m', source: 'b' }, Buffer.from('60000,1,2,0.5,1.5,1\n'))).resolves.toMatchObject({ bars: 1 });
    expect((await coverage(db, tenantA)).some((d) => d.symbol === 'B/USD')).toBe(false);
  });

  it('deletes only the tenant’s own datasets', async () => {
    const mine = (await coverage(db, tenantA)).find((d) => d.symbol === 'APPEND/USD')!;
    const pub = (await coverage(db, tenantA)).find((d) => d.public)!;
    expect((await rejection(deleteDataset(db, tenantB, mine.id))).code).toBe('NOT_FOUND');
    expect((await rejection(deleteDataset(db, tenantA, pub.id))).code).toBe('NOT_FOUND');
    await deleteDataset(db, tenantA, mine.id);
    expect((await coverage(db, tenantA)).some((d) => d.id === mine.id)).toBe(false);
    const orphans = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from candle_chunks where dataset_id = ${mine.id}`));
    expect(orphans[0]!.n).toBe(0);
  });
});

/** `bytes` in pieces of `size` (boundaries fall inside numbers and between CR and LF). */
async function* toChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
