import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@kestrel/contracts';
import { migrate } from '@kestrel/db';
import { createTestDatabase, dbTargets, type TestDatabase } from '@kestrel/db/testing';
import { importCandles } from '../market-data/candle-store.ts';
import { ResearchService } from './research.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** `bars` one-minute bars from T0, with one missing bar in the middle (prices rise by 1 each). */
function minuteCsv(bars: number, missing: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i <= bars; i++) if (i !== missing) lines.push(`${T0 + i * MIN},${100 + i},${100 + i},${100 + i},${100 + i},1`);
  return new TextEncoder().encode(lines.join('\n'));
}

/** The bar budget is checked against the stored coverage before a single bar is read. */
describe.each(dbTargets())('ResearchService bar budget [%s]', (kind) => {
  let database: TestDatabase;
  const tenantId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await migrate(database, 'backend');
    await importCandles(database, { tenantId: null, symbol: 'AAA/USDT', timeframe: '1m', source: 'test' }, minuteCsv(200, 50));
    await importCandles(database, { tenantId: null, symbol: 'BBB/USDT', timeframe: '1m', source: 'test' }, minuteCsv(200, 150));
  }, 60_000);
  afterAll(async () => database?.close());

  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  it('a range over the budget is VALIDATION_FAILED with the field and a narrower `to`; within it, the bars are read', async () => {
    const research = new ResearchService(database, { maxBars: 100 });
    const over = await refusal(research.stats(tenantId, { symbol: 'AAA/USDT', timeframe: '1m', from: T0, to: T0 + 150 * MIN, bins: 20 }));
    expect(over.code).toBe('VALIDATION_FAILED');
    expect(over.message).toContain('at most 100 bars');
    expect(over.message).toContain(`to=${T0 + 100 * MIN}`);
    expect(over.details).toEqual([{ path: '/to', where: 'querystring', message: 'at most 100 bars per request' }]);

    // The whole dataset (200 bars): the hint is to set `from`.
    expect((await refusal(research.seasonality(tenantId, { symbol: 'AAA/USDT', timeframe: '1m' }))).details).toMatchObject([{ path: '/from' }]);

    // 100 minutes with one bar missing: 99 bars, 97 returns (none into or out of the hole).
    const ok = await research.stats(tenantId, { symbol: 'AAA/USDT', timeframe: '1m', from: T0, to: T0 + 100 * MIN, bins: 20 });
    expect(ok).toMatchObject({ bars: 99, gaps: 1, first: T0, last: T0 + 99 * MIN, simple: { count: 97 } });
  });

  it('the budget counts every symbol of a correlation together', async () => {
    const research = new ResearchService(database, { maxBars: 150 });
    const range = { timeframe: '1m', from: T0, to: T0 + 100 * MIN };
    expect((await refusal(research.correlation(tenantId, { symbols: 'AAA/USDT,BBB/USDT', ...range }))).code).toBe('VALIDATION_FAILED');
    const ok = await research.correlation(tenantId, { symbols: 'AAA/USDT,BBB/USDT', timeframe: '1m', from: T0, to: T0 + 70 * MIN });
    expect(ok.symbols).toEqual(['AAA/USDT', 'BBB/USDT']);
    expect(ok.overlap[0]![1]).toBe(67);
  });
});
