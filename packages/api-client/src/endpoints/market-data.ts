import { candleImportSchema, candleImportSummarySchema, coverageListSchema, storedCandleListSchema } from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export interface StoredCandleQuery {
  symbol: string;
  timeframe: string;
  /** Inclusive bar open time (epoch ms): the first `limit` bars from it; without it, the last `limit` bars before `to`. */
  from?: number;
  /** Exclusive. */
  to?: number;
  limit?: number;
}

const enc = encodeURIComponent;

/** Historical candles stored for backtests, research and charts (`/api/market-data/*`). */
export const marketDataApi = (http: HttpClient) => ({
  /** Every symbol and timeframe with stored bars the tenant can read (public and its own), with the range and gaps. */
  coverage: () => http.request(coverageListSchema, { path: '/api/market-data/coverage' }),
  candles: (query: StoredCandleQuery) => http.request(storedCandleListSchema, { path: '/api/market-data/candles', query: { ...query } }),
  /**
   * Imports a CSV (`timestamp_ms,open,high,low,close,volume`) into the tenant's own dataset; the
   * answer comes when it is stored. Pass your own `importId` (a UUID) to follow its progress on
   * /trading (`marketdata.import`) before that.
   */
  upload: (target: { symbol: string; timeframe: string }, csv: string | Blob | Uint8Array<ArrayBuffer>, importId?: string) =>
    http.request(candleImportSummarySchema, { method: 'POST', path: '/api/market-data/imports', query: { ...target }, rawBody: { data: csv, contentType: 'text/csv' }, ...(importId ? { headers: { 'import-id': importId } } : {}) }),
  importStatus: (id: string) => http.request(candleImportSchema, { path: `/api/market-data/imports/${enc(id)}` }),
  removeDataset: (id: string) => http.requestVoid({ method: 'DELETE', path: `/api/market-data/datasets/${enc(id)}` }),
});
