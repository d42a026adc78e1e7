import { z } from 'zod';
import { candleSchema, marketSymbolParamSchema, timeframeSchema } from './market.ts';

/**
 * Historical candles stored per symbol and timeframe (`/api/market-data/*`): imports (a CSV upload
 * streamed into the store, with progress on /trading as `marketdata.import`), coverage with gaps,
 * bars for charts, deleting a tenant's own dataset. Public datasets (the bundled files) are read by
 * every tenant; a tenant's own dataset for the same symbol and timeframe takes precedence for it.
 * Symbols are BASE/QUOTE as everywhere in Kestrel (equities and indices in their currency:
 * ORCL/USD, FESX/EUR), so a dataset can be backtested with cash in its quote currency.
 * Times are epoch milliseconds, UTC (bar open times).
 */

/** Bars a stored-candles page holds at most. */
export const MAX_STORED_CANDLES = 10_000;

export const candleImportQuerySchema = z.object({ symbol: marketSymbolParamSchema, timeframe: timeframeSchema }).strict();

export const candleImportHeadersSchema = z.object({
  'import-id': z.uuid('Import-Id must be a UUID').optional().describe('your id for this import (a UUID), to poll GET /api/market-data/imports/{id} and match socket events before the answer arrives'),
});

export const importIdParamsSchema = z.object({ id: z.uuid('the import id is a UUID') }).strict();
export const datasetIdParamsSchema = z.object({ id: z.uuid('the dataset id is a UUID: GET /api/market-data/coverage lists them') }).strict();

export const candleImportSummarySchema = z
  .object({
    importId: z.uuid(),
    datasetId: z.uuid(),
    symbol: z.string(),
    timeframe: z.string(),
    bars: z.number().int().describe('bars in the dataset after the import'),
    inserted: z.number().int().describe('imported bars at timestamps the dataset did not have'),
    replaced: z.number().int().describe('imported bars that replaced a stored bar with the same timestamp (the new bar wins)'),
    first: z.number().int().describe('the dataset’s first bar, epoch ms'),
    last: z.number().int().describe('the dataset’s last bar, epoch ms'),
    gapCount: z.number().int().describe('gaps in the whole dataset: consecutive bars more than one bar apart'),
    missingBars: z.number().int().describe('bar slots those gaps leave empty (never filled with invented bars)'),
  })
  .meta({ id: 'CandleImportSummary' });
export type CandleImportSummary = z.infer<typeof candleImportSummarySchema>;

export const candleImportSchema = z
  .object({
    id: z.uuid(),
    symbol: z.string(),
    timeframe: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    bytes: z.number().int().describe('bytes received so far'),
    totalBytes: z.number().int().nullable().describe('the upload’s Content-Length, when it was sent'),
    bars: z.number().int().describe('bars parsed so far'),
    percent: z.number().nullable().describe('bytes / totalBytes × 100, when the size is known'),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    result: candleImportSummarySchema.nullable().describe('when succeeded'),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe('when failed: nothing was stored'),
  })
  .meta({ id: 'CandleImport' });
export type CandleImportView = z.infer<typeof candleImportSchema>;

const gapSchema = z.object({
  from: z.number().int().describe('the last bar before the gap, epoch ms'),
  to: z.number().int().describe('the first bar after it'),
  missingBars: z.number().int(),
});

export const coverageEntrySchema = z
  .object({
    id: z.uuid().describe('dataset id (DELETE /api/market-data/datasets/{id} removes one of your own)'),
    symbol: z.string(),
    timeframe: z.string(),
    source: z.string().describe('where the bars came from: a file name or "upload"'),
    bars: z.number().int(),
    first: z.number().int(),
    last: z.number().int(),
    public: z.boolean().describe('true: data every tenant reads (bundled); false: your tenant’s own'),
    gapCount: z.number().int(),
    missingBars: z.number().int(),
    gaps: z.array(gapSchema).describe('the first 100 gaps, oldest first'),
    updatedAt: z.string(),
  })
  .meta({ id: 'CandleCoverage' });
export const coverageListSchema = z.object({ items: z.array(coverageEntrySchema) }).meta({ id: 'CandleCoverageList' });

export const storedCandleQuerySchema = z
  .object({
    symbol: marketSymbolParamSchema,
    timeframe: timeframeSchema,
    from: z.coerce.number().int().min(0, 'from is a bar open time in epoch ms (0 or more)').optional().describe('inclusive; with it the first `limit` bars from here, without it the last `limit` bars before `to`'),
    to: z.coerce.number().int().min(0, 'to is a bar open time in epoch ms (0 or more)').optional().describe('exclusive'),
    limit: z.coerce
      .number()
      .int()
      .min(1, 'limit is at least 1')
      .max(MAX_STORED_CANDLES, `limit is at most ${MAX_STORED_CANDLES}: page with from=<next>`)
      .default(1000),
  })
  .strict();
export const storedCandleListSchema = z
  .object({
    symbol: z.string(),
    timeframe: z.string(),
    public: z.boolean().describe('whether the bars come from the public dataset (false: your tenant’s own)'),
    items: z.array(candleSchema).describe('bars, oldest first'),
    next: z.number().int().nullable().describe('when paging with `from`: the `from` of the next page, null at the end'),
  })
  .meta({ id: 'StoredCandleList' });

/** `marketdata.import` on /trading, to the uploading tenant's room: progress, then the outcome. */
export const marketDataImportEventSchema = candleImportSchema;
