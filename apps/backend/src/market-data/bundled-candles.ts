import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candleDatasets, isNull, type Database } from '@kestrel/db';
import { importCandles } from './candle-store.ts';

/** The candle files shipped with Kestrel (packages/market-data/PROVENANCE.md). */
export const BUNDLED_CANDLES_DIR = fileURLToPath(new URL('../../../../packages/market-data/data/candles/', import.meta.url));

/**
 * The quote currency of the bundled equity and index files (backtrader's sample data), so that
 * they are BASE/QUOTE symbols like every other market in Kestrel.
 */
const TICKER_QUOTES: Readonly<Record<string, string>> = { FESX: 'EUR', ESTX50: 'EUR', ORCL: 'USD', NVDA: 'USD', YHOO: 'USD' };

/**
 * Symbol and timeframe of a bundled file, from its name:
 * - exchange files `BASE_QUOTE-<timeframe>.csv`: `BTC_USDT-5m.csv` → BTC/USDT 5m,
 *   `UNITTEST_BTC-1m.csv` → UNITTEST/BTC 1m;
 * - backtrader files `<ticker>-….csv`, quoted in their currency: `-min-NNN` is NNN-minute bars,
 *   `-day-NNN` NNN-day bars, anything else daily (the Yahoo files): `fesx-2006-01-02-volume-min-001.csv`
 *   → FESX/EUR 1m, `estx50-2006-min-005.csv` → ESTX50/EUR 5m, `estx50-2005-2006-day-001.csv` →
 *   ESTX50/EUR 1d, `orcl-1995-2014.csv` → ORCL/USD 1d (likewise NVDA/USD, YHOO/USD).
 * Null for a name that fits neither.
 */
export function bundledDataset(file: string): { symbol: string; timeframe: string } | null {
  const pair = /^([A-Z0-9]+)_([A-Z0-9]+)-(\d+[smhdw])\.csv$/.exec(file);
  if (pair) return { symbol: `${pair[1]}/${pair[2]}`, timeframe: pair[3]! };
  const ticker = /^([a-z0-9]+)-[a-z0-9-]*\.csv$/.exec(file)?.[1]?.toUpperCase();
  const quote = ticker === undefined ? undefined : TICKER_QUOTES[ticker];
  if (!ticker || !quote) return null;
  const bars = /-(min|day)-0*(\d+)\.csv$/.exec(file);
  return { symbol: `${ticker}/${quote}`, timeframe: bars ? `${bars[2]}${bars[1] === 'min' ? 'm' : 'd'}` : '1d' };
}

/**
 * Imports every bundled file as public data once: datasets already present are skipped, so a
 * restart costs one query. Runs on the owner connection (public data is not writable by tenants).
 */
export async function seedBundledCandles(db: Database, log: (message: string) => void, dir = BUNDLED_CANDLES_DIR): Promise<void> {
  const present = new Set((await db.db.select({ symbol: candleDatasets.symbol, timeframe: candleDatasets.timeframe }).from(candleDatasets).where(isNull(candleDatasets.tenantId))).map((d) => `${d.symbol} ${d.timeframe}`));
  const started = performance.now();
  let imported = 0;
  let bars = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const dataset = bundledDataset(file);
    if (!dataset) {
      log(`candle store: skipped ${file} (its name says neither symbol nor timeframe)`);
      continue;
    }
    if (present.has(`${dataset.symbol} ${dataset.timeframe}`)) continue;
    const summary = await importCandles(db, { tenantId: null, ...dataset, source: file }, createReadStream(join(dir, file), { highWaterMark: 1 << 20 }));
    imported++;
    bars += summary.bars;
  }
  log(
    imported > 0
      ? `candle store: imported ${imported} bundled dataset(s) as public data (${bars} bars) in ${Math.round(performance.now() - started)} ms`
      : `candle store: bundled candles already imported (${present.size} public datasets)`,
  );
}
