import {
  RESEARCH_MAX_BARS,
  researchCorrelationQuerySchema,
  researchCorrelationSchema,
  researchIndicatorQuerySchema,
  researchIndicatorSchema,
  researchSeasonalityQuerySchema,
  researchSeasonalitySchema,
  researchStatsQuerySchema,
  researchStatsSchema,
} from '@kestrel/contracts';
import type { KestrelServer } from '@kestrel/server-kit';
import { ANY_ROLE, caller } from '../plugins/auth.ts';
import type { ResearchService } from '../services/research.ts';
import { errorResponses } from './error-responses.ts';

const tags = ['research'];
const security = [{ bearer: [] }];
const range = `Bars with from ≤ open time < to (epoch ms) of the tenant's own dataset for symbol/timeframe, else the public one; at most ${RESEARCH_MAX_BARS} bars a request. An unknown symbol or timeframe is 404 naming what is stored.`;

/** Read-only statistics over stored candles, for every role of the tenant. */
export function registerResearchRoutes(app: KestrelServer, deps: { research: ResearchService }) {
  app.get(
    '/api/research/indicators',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: `An indicator over every bar (the strategies' own code), null while it warms up. ${range}`,
        querystring: researchIndicatorQuerySchema,
        response: { 200: researchIndicatorSchema, ...errorResponses },
      },
    },
    async (req) => deps.research.indicators(caller(req).tenantId, req.query),
  );

  app.get(
    '/api/research/stats',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: `Return distribution (simple and log), annualized volatility, Sharpe, Sortino and the maximum drawdown of the closes. ${range}`,
        querystring: researchStatsQuerySchema,
        response: { 200: researchStatsSchema, ...errorResponses },
      },
    },
    async (req) => deps.research.stats(caller(req).tenantId, req.query),
  );

  app.get(
    '/api/research/correlation',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: `Pearson correlation of returns between symbols, each pair on the bar times both have. ${range}`,
        querystring: researchCorrelationQuerySchema,
        response: { 200: researchCorrelationSchema, ...errorResponses },
      },
    },
    async (req) => deps.research.correlation(caller(req).tenantId, req.query),
  );

  app.get(
    '/api/research/seasonality',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        security,
        summary: `Mean return, count and share of rising bars by UTC hour of day and ISO day of week. ${range}`,
        querystring: researchSeasonalityQuerySchema,
        response: { 200: researchSeasonalitySchema, ...errorResponses },
      },
    },
    async (req) => deps.research.seasonality(caller(req).tenantId, req.query),
  );
}
