import {
  AppError,
  RESEARCH_MAX_BARS,
  splitSymbols,
  type ResearchCorrelation,
  type ResearchCorrelationQuery,
  type ResearchIndicatorQuery,
  type ResearchIndicatorSeries,
  type ResearchSeasonality,
  type ResearchSeasonalityQuery,
  type ResearchStats,
  type ResearchStatsQuery,
} from '@kestrel/contracts';
import { correlationMatrix, indicatorSeries, returnStats, seasonality, type IndicatorSpec } from '@kestrel/backtester';
import type { Database } from '@kestrel/db';
import { timeframeToMs, type CandleSeries } from '@kestrel/exchanges';
import { coverage, loadCandles, type CandleQuery, type LoadedCandles } from '../market-data/candle-store.ts';

/**
 * The research API over the candle store: loads a tenant's candles (its own dataset for a
 * symbol/timeframe, else the public one; an unknown one is the store's 404 listing what exists)
 * and runs @kestrel/backtester's research functions on them. Before reading any bars, the
 * request's bar count is bounded from the datasets' coverage, so an oversized range is a 400
 * instead of hundreds of megabytes of candles.
 */
export class ResearchService {
  readonly #maxBars: number;

  /** `maxBars`: the bar budget of one request (tests lower it; the API documents RESEARCH_MAX_BARS). */
  constructor(
    private readonly database: Database,
    opts: { maxBars?: number } = {},
  ) {
    this.#maxBars = opts.maxBars ?? RESEARCH_MAX_BARS;
  }

  async indicators(tenantId: string, q: ResearchIndicatorQuery): Promise<ResearchIndicatorSeries> {
    const [loaded] = await this.#load(tenantId, [q]);
    const { time, lines } = indicatorSeries(loaded!.series, indicatorSpec(q));
    return {
      ...span(loaded!),
      indicator: q.indicator,
      period: q.period,
      ...(q.lowPeriod === undefined ? {} : { lowPeriod: q.lowPeriod }),
      ...(q.source === undefined ? {} : { source: q.source }),
      time: Array.from(time),
      lines: Object.fromEntries(Object.entries(lines).map(([name, values]) => [name, Array.from(values, (x) => (Number.isFinite(x) ? x : null))])),
    };
  }

  async stats(tenantId: string, q: ResearchStatsQuery): Promise<ResearchStats> {
    const [loaded] = await this.#load(tenantId, [q]);
    return { ...span(loaded!), ...returnStats(loaded!.series, { bins: q.bins, ...(q.periodsPerYear === undefined ? {} : { periodsPerYear: q.periodsPerYear }) }) };
  }

  async correlation(tenantId: string, q: ResearchCorrelationQuery): Promise<ResearchCorrelation> {
    const loaded = await this.#load(
      tenantId,
      splitSymbols(q.symbols).map((symbol) => ({ symbol, timeframe: q.timeframe, from: q.from, to: q.to })),
    );
    return { timeframe: q.timeframe, ...correlationMatrix(loaded) };
  }

  async seasonality(tenantId: string, q: ResearchSeasonalityQuery): Promise<ResearchSeasonality> {
    const [loaded] = await this.#load(tenantId, [q]);
    return { ...span(loaded!), ...seasonality(loaded!.series) };
  }

  /** Checks the bar budget against the coverage (no bars read), then loads each query in turn. */
  async #load(tenantId: string, queries: readonly CandleQuery[]): Promise<LoadedCandles[]> {
    const datasets = await coverage(this.database, tenantId);
    let total = 0;
    for (const q of queries) {
      // The tenant's own dataset wins over the public one, as in loadCandles; none: loadCandles answers the 404.
      const matching = datasets.filter((d) => d.symbol === q.symbol && d.timeframe === q.timeframe);
      const dataset = matching.find((d) => !d.public) ?? matching[0];
      if (dataset) total += maxBarsIn(dataset, timeframeToMs(q.timeframe), q);
    }
    if (total > this.#maxBars) throw tooManyBars(total, this.#maxBars, queries);
    const loaded: LoadedCandles[] = [];
    for (const q of queries) loaded.push(await loadCandles(this.database, tenantId, q));
    return loaded;
  }
}

function indicatorSpec(q: ResearchIndicatorQuery): IndicatorSpec {
  switch (q.indicator) {
    case 'atr':
      return { indicator: 'atr', period: q.period };
    case 'donchian':
      return { indicator: 'donchian', period: q.period, ...(q.lowPeriod === undefined ? {} : { lowPeriod: q.lowPeriod }) };
    default:
      return { indicator: q.indicator, period: q.period, ...(q.source === undefined ? {} : { source: q.source }) };
  }
}

function span(loaded: LoadedCandles): { symbol: string; timeframe: string; bars: number; first: number | null; last: number | null } {
  const s: CandleSeries = loaded.series;
  return { symbol: loaded.symbol, timeframe: loaded.timeframe, bars: s.length, first: s.length > 0 ? s.time[0]! : null, last: s.length > 0 ? s.time[s.length - 1]! : null };
}

/**
 * An upper bound of the dataset's bars with from ≤ time < to: the store keeps bars at least one
 * timeframe apart, so a span of d ms holds at most ⌊d / barMs⌋ + 1 of them.
 */
function maxBarsIn(d: { bars: number; first: number; last: number }, barMs: number, q: CandleQuery): number {
  const lo = Math.max(d.first, q.from ?? -Infinity);
  const hi = Math.min(d.last, q.to === undefined ? Infinity : q.to - 1);
  return hi < lo ? 0 : Math.min(d.bars, Math.floor((hi - lo) / barMs) + 1);
}

function tooManyBars(total: number, maxBars: number, queries: readonly CandleQuery[]): AppError {
  const q = queries[0]!;
  const perSymbol = Math.floor(maxBars / queries.length);
  const suggestion = q.from === undefined ? '' : ` (e.g. to=${q.from + perSymbol * timeframeToMs(q.timeframe)})`;
  return new AppError('VALIDATION_FAILED', `This range holds up to ${total} bars; research reads at most ${maxBars} bars per request, all symbols together. Narrow it with from and to${suggestion}, or use a longer timeframe.`, {
    details: [{ path: q.from === undefined ? '/from' : '/to', where: 'querystring', message: `at most ${maxBars} bars per request` }],
  });
}
