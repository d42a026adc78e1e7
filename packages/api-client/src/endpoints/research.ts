import {
  researchCorrelationSchema,
  researchIndicatorSchema,
  researchSeasonalitySchema,
  researchStatsSchema,
  type ResearchCorrelationQuery,
  type ResearchIndicatorQuery,
  type ResearchSeasonalityQuery,
  type ResearchStatsQuery,
} from '@kestrel/contracts';
import type { HttpClient } from '../http.ts';

export type { ResearchIndicatorQuery, ResearchSeasonalityQuery };
/** `bins` has a server default (20). */
export type ResearchStatsInput = Omit<ResearchStatsQuery, 'bins'> & { bins?: number };
export type ResearchCorrelationInput = Omit<ResearchCorrelationQuery, 'symbols'> & { symbols: readonly string[] };

/** Statistics over the stored candles (`/api/research/*`); every query names a timeframe and an optional range from ≤ time < to. */
export const researchApi = (http: HttpClient) => ({
  /** One indicator per bar (the strategies' own classes), aligned with `time`, null while it warms up. */
  indicators: (query: ResearchIndicatorQuery) => http.request(researchIndicatorSchema, { path: '/api/research/indicators', query }),
  stats: (query: ResearchStatsInput) => http.request(researchStatsSchema, { path: '/api/research/stats', query }),
  correlation: ({ symbols, ...query }: ResearchCorrelationInput) => http.request(researchCorrelationSchema, { path: '/api/research/correlation', query: { ...query, symbols: symbols.join(',') } }),
  seasonality: (query: ResearchSeasonalityQuery) => http.request(researchSeasonalitySchema, { path: '/api/research/seasonality', query }),
});
