import {
  AppError,
  candleImportHeadersSchema,
  candleImportQuerySchema,
  candleImportSchema,
  candleImportSummarySchema,
  coverageListSchema,
  datasetIdParamsSchema,
  importIdParamsSchema,
  storedCandleListSchema,
  storedCandleQuerySchema,
} from '@kestrel/contracts';
import type { Database } from '@kestrel/db';
import type { KestrelServer } from '@kestrel/server-kit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { CandleImportService } from '../market-data/candle-imports.ts';
import { coverage, deleteDataset, readCandlePage } from '../market-data/candle-store.ts';
import { errorResponses } from './error-responses.ts';

const tags = ['market-data'];
const security = [{ bearer: [] }];
const IMPORTERS = ['trader', 'admin'] as const;
/** Default upload limit: a few million bars of CSV. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024;
const CSV = 'text/csv';

export interface MarketDataRouteDeps {
  database: Database;
  imports: CandleImportService;
  uploadLimitBytes?: number;
}

/**
 * Historical candles of the tenant (its own and public data). The upload route takes the CSV as a
 * raw `text/csv` body and streams it into the parser as it arrives (never buffered whole), so it
 * lives in its own plugin scope with a pass-through body parser for that content type only.
 */
export function registerMarketDataRoutes(app: KestrelServer, deps: MarketDataRouteDeps) {
  const limit = deps.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(CSV, (_req, payload, done) => done(null, payload));
    scope.addContentTypeParser('*', (_req, _payload, done) => done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the CSV as the request body with Content-Type: ${CSV}.`)));

    scope.post(
      '/api/market-data/imports',
      {
        config: { access: IMPORTERS },
        schema: {
          tags,
          security,
          summary:
            'Import candles from a CSV upload (`timestamp_ms,open,high,low,close,volume`, header optional) into your dataset for symbol and timeframe; overlapping bars are replaced by the uploaded ones. Progress goes to /trading as `marketdata.import`. A bad line is 400 CANDLES_CSV_INVALID with its line number, and nothing is stored.',
          consumes: [CSV],
          querystring: candleImportQuerySchema,
          headers: candleImportHeadersSchema,
          body: z.unknown().describe(`the CSV file itself as the raw body (Content-Type: ${CSV}), at most ${limit / 1024 / 1024} MB`),
          response: { 200: candleImportSummarySchema, 409: errorResponses[400], 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
        },
      },
      async (req) => {
        if (!(req.headers['content-type'] ?? '').startsWith(CSV)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the CSV as the request body with Content-Type: ${CSV}.`);
        const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
        if (declared !== null && declared > limit) throw tooLarge(limit);
        return deps.imports.upload({
          tenantId: caller(req).tenantId,
          importId: req.headers['import-id'],
          symbol: req.query.symbol,
          timeframe: req.query.timeframe,
          totalBytes: declared,
          body: uploadBytes(req.body as IncomingMessage, limit, declared),
        });
      },
    );
  });

  app.get(
    '/api/market-data/imports/:id',
    {
      config: { access: ANY_ROLE },
      schema: { tags, security, summary: 'Progress or outcome of an import of your tenant (running, or finished in the last 15 minutes)', params: importIdParamsSchema, response: { 200: candleImportSchema, ...errorResponses } },
    },
    async (req) => deps.imports.get(caller(req).tenantId, req.params.id),
  );

  app.get(
    '/api/market-data/coverage',
    {
      config: { access: ANY_ROLE },
      schema: { tags, security, summary: 'Stored candles you can read (public and your own) per symbol and timeframe: bars, first and last bar, gaps', response: { 200: coverageListSchema, ...errorResponses } },
    },
    async (req) => ({ items: await coverage(deps.database, caller(req).tenantId) }),
  );

  app.get(
    '/api/market-data/candles',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: 'Stored bars (your own dataset, else the public one), oldest first: from `from` (page with `next`), or the last `limit` before `to`. 404 lists what is stored.',
        querystring: storedCandleQuerySchema,
        response: { 200: storedCandleListSchema, ...errorResponses },
      },
    },
    async (req) => readCandlePage(deps.database, caller(req).tenantId, req.query),
  );

  app.delete(
    '/api/market-data/datasets/:id',
    {
      config: { access: IMPORTERS },
      schema: { tags, security, summary: "Delete one of your tenant's datasets (public data cannot be deleted)", params: datasetIdParamsSchema, response: { 204: z.null().describe('deleted'), ...errorResponses } },
    },
    async (req, reply) => {
      await deleteDataset(deps.database, caller(req).tenantId, req.params.id);
      return reply.status(204).send(null);
    },
  );
}

/**
 * The request body as it arrives, checked against the limit and the announced length. A dropped
 * connection becomes a clear 400, never a short file imported as if complete. When the parser
 * stops early (a bad line) the rest of the body is read and discarded, not left unread: destroying
 * the request would drop the connection before the answer, and a paused one never finishes.
 */
async function* uploadBytes(body: IncomingMessage, limit: number, declared: number | null): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) throw tooLarge(limit);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw interrupted();
  } finally {
    if (!body.readableEnded && !body.destroyed) body.resume();
  }
  if (declared !== null && total < declared) throw interrupted();
}

function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${Math.round(limit / 1024 / 1024)} MB: split the file by date range and import the parts one after the other (imports merge by timestamp).`);
}

function interrupted(): AppError {
  return new AppError('BAD_REQUEST', 'The upload ended before the whole file arrived (connection dropped?); nothing was stored. Send the file again.');
}
