import { randomUUID } from 'node:crypto';
import { AppError, marketSymbolParamSchema } from '@kestrel/contracts';
import { and, asc, candleChunks, candleDatasets, eq, gte, isNull, lt, lte, or, sql, type CandleGap, type Database, type Tx } from '@kestrel/db';
import { candleAt, CandleCsvError, parseCandlesCsvStream, timeframeToMs, type CandleSeries, type VenueCandle } from '@kestrel/exchanges';
import { CHUNK_BARS, decodeChunks, decodeTimes, encodeChunk, findGaps, firstStepBelow, mergeSeries, sliceByTime } from './candle-columns.ts';

/**
 * Historical candles in the database: one dataset per (owner, symbol, timeframe), public (the
 * bundled files, every tenant reads them) or a tenant's own. The backtester, the research API and
 * the charts read through loadCandles; imports (CLI, API upload, start-up seed) go through
 * importCandles, which parses the whole input before it touches the database and then merges it
 * in one transaction: a dataset is never half imported.
 */

export interface LoadedCandles {
  symbol: string;
  timeframe: string;
  series: CandleSeries;
  /** Whose dataset the bars came from: the tenant's own, or null for public data. */
  tenantId: string | null;
}

export interface CandleQuery {
  symbol: string;
  timeframe: string;
  /** Inclusive, bar open time in epoch ms. */
  from?: number | undefined;
  /** Exclusive. */
  to?: number | undefined;
}

/** Where imported bars go: a tenant's own dataset, or public data (tenantId null; owner connection only). */
export interface ImportTarget {
  tenantId: string | null;
  symbol: string;
  timeframe: string;
  /** Where the bars came from (a file name, "upload"): shown in the coverage list. */
  source: string;
}

export interface ImportProgress {
  bytes: number;
  bars: number;
}

export interface ImportSummary {
  datasetId: string;
  /** Bars in the dataset after the import. */
  bars: number;
  /** Imported bars at timestamps the dataset did not have. */
  inserted: number;
  /** Imported bars that replaced a stored bar with the same timestamp. */
  replaced: number;
  first: number;
  last: number;
  /** Gaps in the whole dataset after the import, and the bars they miss. */
  gaps: number;
  missingBars: number;
}

export interface CoverageEntry {
  id: string;
  symbol: string;
  timeframe: string;
  source: string;
  bars: number;
  first: number;
  last: number;
  /** True for data every tenant reads (the bundled files); false for the tenant's own. */
  public: boolean;
  gapCount: number;
  missingBars: number;
  /** The first 100 gaps, oldest first. */
  gaps: CandleGap[];
  updatedAt: string;
}

/** The tenant's own dataset for symbol/timeframe if any, else the public one (tenantId null: public data only); bars with from ≤ time < to. */
export async function loadCandles(db: Database, tenantId: string | null, q: CandleQuery): Promise<LoadedCandles> {
  return db.withTenant({ tenantId: tenantId ?? '' }, async (tx) => {
    const found = await tx
      .select({ id: candleDatasets.id, tenantId: candleDatasets.tenantId })
      .from(candleDatasets)
      .where(and(visibleTo(tenantId), eq(candleDatasets.symbol, q.symbol), eq(candleDatasets.timeframe, q.timeframe)));
    const dataset = found.find((d) => d.tenantId === tenantId) ?? found.find((d) => d.tenantId === null);
    if (!dataset) throw await notFound(tx, tenantId, q);
    const conditions = [eq(candleChunks.datasetId, dataset.id)];
    if (q.from !== undefined) conditions.push(gte(candleChunks.lastTime, q.from));
    if (q.to !== undefined) conditions.push(lt(candleChunks.firstTime, q.to));
    const chunks = await tx.select({ firstTime: candleChunks.firstTime, bars: candleChunks.bars, data: chunkBytes }).from(candleChunks).where(and(...conditions));
    return { symbol: q.symbol, timeframe: q.timeframe, series: sliceByTime(decodeChunks(oldestFirst(chunks).map(fromBase64)), q.from, q.to), tenantId: dataset.tenantId };
  });
}

export interface CandlePage {
  symbol: string;
  timeframe: string;
  public: boolean;
  items: VenueCandle[];
  /** With `from`: the `from` of the next page, null at the end. */
  next: number | null;
}

/**
 * A page of bars for charts: with `from`, the first `limit` bars from there and where the next
 * page starts; without it, the last `limit` bars before `to` (or the end of the data).
 */
export async function readCandlePage(db: Database, tenantId: string, q: CandleQuery & { limit: number }): Promise<CandlePage> {
  const { series, tenantId: owner } = await loadCandles(db, tenantId, q);
  const start = q.from === undefined ? Math.max(0, series.length - q.limit) : 0;
  const end = Math.min(series.length, start + q.limit);
  const items: VenueCandle[] = [];
  for (let i = start; i < end; i++) items.push(candleAt(series, i));
  return { symbol: q.symbol, timeframe: q.timeframe, public: owner === null, items, next: q.from !== undefined && end < series.length ? series.time[end]! : null };
}

/**
 * Every dataset the tenant can read (public and its own), by symbol and timeframe; with tenantId
 * null, public datasets only. Reads no bars.
 */
export async function coverage(db: Database, tenantId: string | null): Promise<CoverageEntry[]> {
  const rows = await db.withTenant({ tenantId: tenantId ?? '' }, (tx) =>
    tx.select().from(candleDatasets).where(visibleTo(tenantId)).orderBy(asc(candleDatasets.symbol), asc(candleDatasets.timeframe), asc(candleDatasets.createdAt)),
  );
  return rows.map((d) => ({
    id: d.id,
    symbol: d.symbol,
    timeframe: d.timeframe,
    source: d.source,
    bars: d.bars,
    first: d.firstTime ?? 0,
    last: d.lastTime ?? 0,
    public: d.tenantId === null,
    gapCount: d.gapCount,
    missingBars: d.missingBars,
    gaps: d.gaps,
    updatedAt: d.updatedAt.toISOString(),
  }));
}

/**
 * Parses `input` (CSV bytes, streamed) completely, then merges the bars into the target dataset in
 * one transaction: overlapping timestamps take the new bar. A bad line throws AppError
 * CANDLES_CSV_INVALID with its line number before anything is written; so does a bar closer than
 * one timeframe to its neighbour (the data is finer than the timeframe named).
 */
export async function importCandles(
  db: Database,
  target: ImportTarget,
  input: AsyncIterable<Uint8Array> | Uint8Array,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportSummary> {
  const barMs = timeframeMs(target.timeframe);
  if (!marketSymbolParamSchema.safeParse(target.symbol).success) {
    throw new AppError('VALIDATION_FAILED', `${JSON.stringify(target.symbol)} is not a symbol: use BASE/QUOTE in upper case, e.g. BTC/USDT or ORCL/USD.`);
  }
  let incoming: CandleSeries;
  try {
    incoming = await parseCandlesCsvStream(input instanceof Uint8Array ? [input] : input, { source: target.source, minStepMs: barMs, ...(onProgress ? { onProgress } : {}) });
  } catch (err) {
    if (err instanceof CandleCsvError) throw new AppError('CANDLES_CSV_INVALID', `${err.message}. Nothing was stored: fix that line and import the file again.`, { details: { line: err.line } });
    throw err;
  }
  if (incoming.length === 0) throw new AppError('CANDLES_CSV_INVALID', `${target.source} has no bars: send lines of timestamp_ms,open,high,low,close,volume (a header line is optional).`, { details: { line: 1 } });
  const run = (tx: Tx) => mergeIntoDataset(tx, target, barMs, incoming);
  return target.tenantId === null ? db.db.transaction((tx) => run(tx as unknown as Tx)) : db.withTenant({ tenantId: target.tenantId }, run);
}

/** Deletes one of the tenant's own datasets (public data cannot be deleted through a tenant). */
export async function deleteDataset(db: Database, tenantId: string, id: string): Promise<void> {
  const deleted = await db.withTenant({ tenantId }, (tx) =>
    tx.delete(candleDatasets).where(and(eq(candleDatasets.id, id), eq(candleDatasets.tenantId, tenantId))).returning({ id: candleDatasets.id }),
  );
  if (deleted.length === 0) {
    throw new AppError('NOT_FOUND', `No dataset ${id} of your tenant: GET /api/market-data/coverage lists your datasets (public ones cannot be deleted).`);
  }
}

async function mergeIntoDataset(tx: Tx, target: ImportTarget, barMs: number, incoming: CandleSeries): Promise<ImportSummary> {
  const owner = target.tenantId === null ? isNull(candleDatasets.tenantId) : eq(candleDatasets.tenantId, target.tenantId);
  // Create the dataset if it is new, then lock it: concurrent imports into one dataset take turns.
  await tx.execute(sql`insert into candle_datasets (id, tenant_id, symbol, timeframe, source)
    values (${randomUUID()}, ${target.tenantId}, ${target.symbol}, ${target.timeframe}, ${target.source})
    on conflict ((coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)), symbol, timeframe) do nothing`);
  const [dataset] = await tx
    .select({ id: candleDatasets.id })
    .from(candleDatasets)
    .where(and(owner, eq(candleDatasets.symbol, target.symbol), eq(candleDatasets.timeframe, target.timeframe)))
    .for('update');
  const datasetId = dataset!.id;

  // The stored chunks the new bars overlap, plus the last one before them when it has room, so that
  // appending a few bars at a time fills chunks instead of piling up small ones.
  const first = incoming.time[0]!;
  const last = incoming.time[incoming.length - 1]!;
  const overlapping = oldestFirst(
    await tx
      .select({ firstTime: candleChunks.firstTime, bars: candleChunks.bars, data: chunkBytes })
      .from(candleChunks)
      .where(and(eq(candleChunks.datasetId, datasetId), gte(candleChunks.lastTime, first), lte(candleChunks.firstTime, last))),
  );
  const [before] = await tx
    .select({ firstTime: candleChunks.firstTime, bars: candleChunks.bars, data: chunkBytes })
    .from(candleChunks)
    .where(and(eq(candleChunks.datasetId, datasetId), eq(candleChunks.firstTime, sql`(select max(c.first_time) from candle_chunks c where c.dataset_id = ${datasetId} and c.last_time < ${first})`)));
  const rewrite = before && before.bars < CHUNK_BARS ? [before, ...overlapping] : overlapping;
  const { series: merged, replaced } = mergeSeries(decodeChunks(rewrite.map(fromBase64)), incoming);
  const tooClose = firstStepBelow(merged.time, barMs);
  if (tooClose !== -1) {
    throw new AppError(
      'CANDLES_CSV_INVALID',
      `The bar at ${merged.time[tooClose]} is less than one ${target.timeframe} bar after the stored bar at ${merged.time[tooClose - 1]}: the data does not fit the dataset's timeframe. Import it under its own timeframe; nothing was stored.`,
    );
  }

  if (rewrite.length > 0) {
    await tx.delete(candleChunks).where(and(eq(candleChunks.datasetId, datasetId), sql`${candleChunks.firstTime} in (${sql.join(rewrite.map((c) => sql`${c.firstTime}`), sql`, `)})`));
  }
  for (let start = 0; start < merged.length; start += CHUNK_BARS) {
    const end = Math.min(start + CHUNK_BARS, merged.length);
    await tx.insert(candleChunks).values({
      datasetId,
      tenantId: target.tenantId,
      firstTime: merged.time[start]!,
      lastTime: merged.time[end - 1]!,
      bars: end - start,
      data: encodeChunk(merged, start, end),
    });
  }

  // The dataset's summary from the time columns of all its chunks (8 bytes a bar, not 48).
  const times = decodeTimes(
    oldestFirst(
      await tx
        .select({ firstTime: candleChunks.firstTime, times: sql<string>`encode(substring(${candleChunks.data} from 1 for ${candleChunks.bars} * 8), 'base64')` })
        .from(candleChunks)
        .where(eq(candleChunks.datasetId, datasetId)),
    ).map((r) => Buffer.from(r.times, 'base64')),
  );
  const gaps = findGaps(times, barMs);
  const summary = { bars: times.length, firstTime: times[0]!, lastTime: times[times.length - 1]!, gapCount: gaps.count, missingBars: gaps.missingBars, gaps: gaps.listed };
  await tx
    .update(candleDatasets)
    .set({ ...summary, source: target.source, updatedAt: new Date() })
    .where(eq(candleDatasets.id, datasetId));
  return {
    datasetId,
    bars: summary.bars,
    inserted: incoming.length - replaced,
    replaced,
    first: summary.firstTime,
    last: summary.lastTime,
    gaps: gaps.count,
    missingBars: gaps.missingBars,
  };
}

/** A chunk's bytes as base64 text: see the bytea column type in @kestrel/db for why. */
const chunkBytes = sql<string>`encode(${candleChunks.data}, 'base64')`;

/**
 * Chunks sorted here, not with ORDER BY: the database would sort the rows with their megabytes of
 * data, which spills to temporary files past work_mem (a million bars: 3× slower on PGlite).
 */
function oldestFirst<T extends { firstTime: number }>(chunks: T[]): T[] {
  return chunks.sort((a, b) => a.firstTime - b.firstTime);
}

function fromBase64<T extends { data: string }>(chunk: T): Omit<T, 'data'> & { data: Uint8Array } {
  return { ...chunk, data: Buffer.from(chunk.data, 'base64') };
}

/** First wall of tenant isolation (row-level security is the second): public rows and the tenant's own. */
function visibleTo(tenantId: string | null) {
  return tenantId === null ? isNull(candleDatasets.tenantId) : or(isNull(candleDatasets.tenantId), eq(candleDatasets.tenantId, tenantId));
}

function timeframeMs(timeframe: string): number {
  try {
    return timeframeToMs(timeframe);
  } catch {
    throw new AppError('VALIDATION_FAILED', `${JSON.stringify(timeframe)} is not a timeframe: use a count and a unit s, m, h, d or w, e.g. 1m, 5m, 1h, 1d.`);
  }
}

async function notFound(tx: Tx, tenantId: string | null, q: CandleQuery): Promise<AppError> {
  const have = await tx
    .select({ symbol: candleDatasets.symbol, timeframe: candleDatasets.timeframe })
    .from(candleDatasets)
    .where(visibleTo(tenantId))
    .orderBy(asc(candleDatasets.symbol), asc(candleDatasets.timeframe));
  const list = [...new Set(have.map((d) => `${d.symbol} ${d.timeframe}`))];
  const sameSymbol = list.filter((s) => s.startsWith(`${q.symbol} `));
  const hint = sameSymbol.length > 0 ? `${q.symbol} is stored as: ${sameSymbol.join(', ')}` : list.length > 0 ? `stored: ${list.slice(0, 30).join(', ')}${list.length > 30 ? `, … (${list.length} in all)` : ''}` : 'no candles are stored yet';
  return new AppError('NOT_FOUND', `No candles for ${q.symbol} ${q.timeframe} (${hint}). Import them (POST /api/market-data/imports or npm run import:candles) or ask for one of these.`);
}
