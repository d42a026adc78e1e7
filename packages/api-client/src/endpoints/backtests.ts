import type { z } from 'zod';
import {
  backtestComparisonSchema,
  backtestDetailSchema,
  backtestPageSchema,
  backtestSummarySchema,
  sweepDetailSchema,
  type backtestListQuerySchema,
  type createBacktestRequestSchema,
  type createSweepRequestSchema,
} from '@kestrel/contracts';
import type { HttpClient, QueryInput } from '../http.ts';

export type BacktestListQuery = QueryInput<typeof backtestListQuerySchema>;
/** A backtest as a caller writes it: fields with a server default (fill, slippage, warm-up) may be left out. */
export type BacktestRequest = z.input<typeof createBacktestRequestSchema>;
export type SweepRequest = z.input<typeof createSweepRequestSchema>;

/** What backtests and sweeps share under their own base path: the list, cancel and delete. */
function runRoutes(http: HttpClient, base: '/api/backtests' | '/api/sweeps') {
  const path = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return {
    path,
    /** Newest first, without results (metrics included); cursor pages. */
    list: (query: BacktestListQuery = {}) => http.request(backtestPageSchema, { path: base, query }),
    /** A queued run leaves the queue, a running one's worker threads are stopped; 409 CONFLICT once it has finished. */
    cancel: (id: string) => http.request(backtestSummarySchema, { method: 'POST', path: `${path(id)}/cancel`, body: {} }),
    /** Deletes the run and its stored result (cancelling it first when it still runs). */
    remove: (id: string) => http.requestVoid({ method: 'DELETE', path: path(id) }),
  };
}

export const backtestsApi = (http: HttpClient) => {
  const { path, ...shared } = runRoutes(http, '/api/backtests');
  return {
    ...shared,
    /** Answered at once (status `queued`); progress arrives as `backtest.progress` on /trading. */
    submit: (body: BacktestRequest) => http.request(backtestSummarySchema, { method: 'POST', path: '/api/backtests', body }),
    /** Status and progress, the settings, and once completed the result (metrics, equity, trades…). */
    get: (id: string) => http.request(backtestDetailSchema, { path: path(id) }),
    /** 2–10 completed backtests side by side, in the order given (409 CONFLICT when one has not completed). */
    compare: (ids: readonly string[]) => http.request(backtestComparisonSchema, { path: '/api/backtests/compare', query: { ids: ids.join(',') } }),
  };
};

export const sweepsApi = (http: HttpClient) => {
  const { path, ...shared } = runRoutes(http, '/api/sweeps');
  return {
    ...shared,
    submit: (body: SweepRequest) => http.request(backtestSummarySchema, { method: 'POST', path: '/api/sweeps', body }),
    /** Status and progress, the space, and once completed the ranking and the out-of-sample table. */
    get: (id: string) => http.request(sweepDetailSchema, { path: path(id) }),
  };
};
