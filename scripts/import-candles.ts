/**
 * npm run import:candles -- --file <csv> --symbol BTC/USDT --timeframe 5m [--tenant <uuid>]
 *
 * Imports a candle CSV (`timestamp_ms,open,high,low,close,volume`, header optional) into the
 * backend's candle store — public data every tenant reads, or with --tenant that tenant's own —
 * then prints the dataset's coverage. Bars at timestamps already stored are replaced; a bad line
 * stops the import with its line number and nothing is stored. Uses the backend's database
 * (DATABASE_URL, else the PGlite folder BACKEND_DATA_DIR) and applies pending migrations first.
 *
 * Exit code: 0 imported; 1 the file or the arguments were refused (the message says why);
 * 2 the import could not run (database unavailable or in use).
 */
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '@kestrel/contracts';
import { migrate, type Database } from '@kestrel/db';
import { coverage, importCandles, type CoverageEntry } from '../apps/backend/src/market-data/candle-store.ts';
import { CliFailure, databaseFailure, openBackendDatabase } from './backend-database.ts';

const USAGE = 'usage: npm run import:candles -- --file <csv> --symbol <BASE/QUOTE> --timeframe <1m|5m|1h|1d…> [--tenant <tenant uuid>]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MB = 1024 * 1024;

function args(): { file: string; symbol: string; timeframe: string; tenant: string | null; size: number } {
  let values;
  try {
    ({ values } = parseArgs({ options: { file: { type: 'string' }, symbol: { type: 'string' }, timeframe: { type: 'string' }, tenant: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${(err as Error).message}\n${USAGE}`);
  }
  const { file, symbol, timeframe, tenant } = values;
  if (!file || !symbol || !timeframe) throw new AppError('VALIDATION_FAILED', `--file, --symbol and --timeframe are required.\n${USAGE}`);
  if (tenant !== undefined && !UUID.test(tenant)) throw new AppError('VALIDATION_FAILED', `--tenant must be a tenant id (a UUID; GET /api/user/me shows yours), got ${JSON.stringify(tenant)}. Leave it out to import public data.`);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new AppError('VALIDATION_FAILED', `There is no file ${file}: give the path of a CSV of timestamp_ms,open,high,low,close,volume (e.g. packages/market-data/data/candles/BTC_USDT-5m.csv).`);
  }
  return { file, symbol, timeframe, tenant: tenant ?? null, size };
}

/** One progress line, rewritten in place on a terminal (a line per update elsewhere, at most every 2 s). */
function progressPrinter(size: number) {
  const tty = process.stdout.isTTY;
  let last = 0;
  let done = false;
  return {
    update(bytes: number, bars: number, final = false) {
      const now = performance.now();
      if (done || (!final && now - last < (tty ? 100 : 2000))) return;
      last = now;
      done = final;
      const line = `  ${bars} bars, ${(bytes / MB).toFixed(1)} of ${(size / MB).toFixed(1)} MB (${size ? Math.floor((bytes / size) * 100) : 100}%)`;
      if (tty) process.stdout.write(`\r${line}${final ? '\n' : ''}`);
      else console.log(line);
    },
  };
}

const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/:00\.000Z$/, ' UTC');

function printCoverage(d: CoverageEntry): void {
  console.log(`\nCoverage of ${d.symbol} ${d.timeframe} (${d.public ? 'public' : 'tenant’s own'}, from ${d.source}):`);
  console.log(`  bars   ${d.bars}`);
  console.log(`  first  ${utc(d.first)}`);
  console.log(`  last   ${utc(d.last)}`);
  console.log(`  gaps   ${d.gapCount} (${d.missingBars} missing bars; never filled in)`);
  for (const g of d.gaps.slice(0, 10)) console.log(`    ${utc(g.from)} → ${utc(g.to)}: ${g.missingBars} bar(s) missing`);
  if (d.gapCount > 10) console.log(`    … ${d.gapCount - 10} more (GET /api/market-data/coverage lists the first 100)`);
}

async function run(database: Database, where: string): Promise<void> {
  const a = args();
  console.log(`Importing ${a.file} as ${a.symbol} ${a.timeframe} (${a.tenant ? `tenant ${a.tenant}` : 'public data'}) into ${where}…`);
  await migrate(database, 'backend');
  const progress = progressPrinter(a.size);
  const started = performance.now();
  const summary = await importCandles(
    database,
    { tenantId: a.tenant, symbol: a.symbol, timeframe: a.timeframe, source: a.file.split('/').pop()! },
    createReadStream(a.file, { highWaterMark: MB }),
    (p) => progress.update(p.bytes, p.bars, p.bytes === a.size),
  );
  console.log(`Stored in ${((performance.now() - started) / 1000).toFixed(1)} s: ${summary.inserted} new bar(s), ${summary.replaced} replaced; the dataset has ${summary.bars}.`);
  const entry = (await coverage(database, a.tenant)).find((d) => d.id === summary.datasetId);
  if (entry) printCoverage(entry);
}

async function main(): Promise<void> {
  let opened;
  try {
    opened = openBackendDatabase({ mustExist: false });
  } catch (err) {
    console.error(`\nimport:candles could not run: ${(err as Error).message}`);
    process.exit(2);
  }
  try {
    await run(opened.database, opened.where);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`\nimport:candles refused: ${err.message}`);
      process.exitCode = 1;
    } else {
      console.error(`\nimport:candles could not run: ${(err instanceof CliFailure ? err : databaseFailure(err)).message}`);
      process.exitCode = 2;
    }
  } finally {
    await opened.database.close().catch(() => {});
  }
}

await main();
