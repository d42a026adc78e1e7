import { z } from 'zod';
import { marketSymbolParamSchema, timeframeSchema } from './market.ts';

/**
 * The research API (`/api/research/*`): statistics over the stored historical candles a tenant can
 * read (public data and its own imports). Every query names a timeframe and an optional range
 * `from` ≤ bar open time < `to` (epoch ms); without them, the whole dataset.
 *
 * Returns are close-to-close between adjacent bars only: where bars are missing, no return spans
 * the hole. Annualization multiplies by √periodsPerYear, by default 365 days / the bar duration
 * (markets that trade around the clock), or the `periodsPerYear` given. Numbers that are not
 * defined (too few bars, no spread, an indicator still warming up) are null, never NaN.
 */

/** Bars one request may read, all its symbols together. */
export const RESEARCH_MAX_BARS = 2_000_000;
export const RESEARCH_MAX_SYMBOLS = 20;

/** Must match @kestrel/backtester's INDICATORS (the service maps one onto the other, type-checked). */
export const RESEARCH_INDICATORS = ['sma', 'ema', 'rsi', 'rolling-max', 'rolling-min', 'atr', 'donchian'] as const;
const SINGLE_INPUT = new Set<string>(['sma', 'ema', 'rsi', 'rolling-max', 'rolling-min']);

const epochMs = (name: 'from' | 'to', what: string) =>
  z.coerce
    .number({ error: `${name} is a time in epoch milliseconds, e.g. 1672531200000` })
    .int(`${name} is a whole number of epoch milliseconds`)
    .min(0, `${name} is epoch milliseconds: 0 or more`)
    .optional()
    .describe(what);

const range = {
  timeframe: timeframeSchema.describe('bar duration of the stored candles, e.g. 5m; GET /api/market-data/coverage lists the stored symbols and timeframes'),
  from: epochMs('from', 'first bar open time, inclusive, epoch ms; default: the first stored bar'),
  to: epochMs('to', 'end, exclusive, epoch ms; default: after the last stored bar'),
};

function checkRange(q: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx): void {
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from (the range is from ≤ time < to)' });
}

const positiveInt = (name: string, max: number) =>
  z.coerce.number({ error: `${name} is a whole number from 1 to ${max}` }).int(`${name} is a whole number from 1 to ${max}`).min(1, `${name} is at least 1`).max(max, `${name} is at most ${max}`);

export const researchIndicatorQuerySchema = z
  .object({
    symbol: marketSymbolParamSchema,
    ...range,
    indicator: z.enum(RESEARCH_INDICATORS, { error: `indicator is one of ${RESEARCH_INDICATORS.join(', ')}` }).describe('the strategies’ own indicator classes'),
    period: positiveInt('period', 1_000_000).describe('bars in the window'),
    lowPeriod: positiveInt('lowPeriod', 1_000_000).optional().describe('donchian only: bars of the lower band (default: period)'),
    source: z
      .enum(['open', 'high', 'low', 'close'], { error: 'source is open, high, low or close' })
      .optional()
      .describe('sma, ema, rsi, rolling-max, rolling-min: the candle field read (default close); atr and donchian read high, low and close'),
  })
  .strict()
  .superRefine((q, ctx) => {
    checkRange(q, ctx);
    if (q.lowPeriod !== undefined && q.indicator !== 'donchian') ctx.addIssue({ code: 'custom', path: ['lowPeriod'], message: 'lowPeriod applies to indicator=donchian only: leave it out' });
    if (q.source !== undefined && !SINGLE_INPUT.has(q.indicator)) ctx.addIssue({ code: 'custom', path: ['source'], message: `${q.indicator} reads high, low and close: leave source out` });
  });
export type ResearchIndicatorQuery = z.infer<typeof researchIndicatorQuerySchema>;

export const researchStatsQuerySchema = z
  .object({
    symbol: marketSymbolParamSchema,
    ...range,
    periodsPerYear: z.coerce
      .number({ error: 'periodsPerYear is a positive number, e.g. 252 for daily bars of a stock' })
      .positive('periodsPerYear is a positive number, e.g. 252 for daily bars of a stock')
      .max(1e9, 'periodsPerYear is at most 1e9')
      .optional()
      .describe('bars per year for annualizing; default 365 days / the bar duration (105120 for 5m)'),
    bins: positiveInt('bins', 200).default(20).describe('equal-width histogram bins of the simple returns'),
  })
  .strict()
  .superRefine(checkRange);
export type ResearchStatsQuery = z.infer<typeof researchStatsQuerySchema>;

const SYMBOL = '[A-Z0-9]{1,20}/[A-Z0-9]{1,20}';
export const researchCorrelationQuerySchema = z
  .object({
    symbols: z
      .string()
      .regex(new RegExp(`^${SYMBOL}(,${SYMBOL})*$`), 'symbols is a comma-separated list of BASE/QUOTE symbols, e.g. BTC/USDT,ETH/BTC,LTC/BTC')
      .refine((s) => {
        const n = splitSymbols(s).length;
        return n >= 2 && n <= RESEARCH_MAX_SYMBOLS;
      }, `symbols lists 2 to ${RESEARCH_MAX_SYMBOLS} symbols`)
      .refine((s) => new Set(splitSymbols(s)).size === splitSymbols(s).length, 'symbols lists each symbol once')
      .describe(`2 to ${RESEARCH_MAX_SYMBOLS} symbols, comma-separated, e.g. BTC/USDT,ETH/BTC`),
    ...range,
  })
  .strict()
  .superRefine(checkRange);
export type ResearchCorrelationQuery = z.infer<typeof researchCorrelationQuerySchema>;

/** `symbols` of a correlation query as a list. */
export function splitSymbols(symbols: string): string[] {
  return symbols.split(',');
}

export const researchSeasonalityQuerySchema = z
  .object({ symbol: marketSymbolParamSchema, ...range })
  .strict()
  .superRefine(checkRange);
export type ResearchSeasonalityQuery = z.infer<typeof researchSeasonalityQuerySchema>;

const stat = z.number().nullable();
/** The bars a response was computed on. */
const span = {
  symbol: z.string(),
  timeframe: z.string(),
  bars: z.number().int().describe('bars read'),
  first: z.number().int().nullable().describe('open time of the first bar read (null: none in the range)'),
  last: z.number().int().nullable().describe('open time of the last bar read'),
};

export const researchIndicatorSchema = z
  .object({
    ...span,
    indicator: z.enum(RESEARCH_INDICATORS),
    period: z.number().int(),
    lowPeriod: z.number().int().optional(),
    source: z.enum(['open', 'high', 'low', 'close']).optional(),
    time: z.array(z.number().int()).describe('bar open times, epoch ms'),
    lines: z
      .record(z.string(), z.array(stat))
      .describe('one value per bar, aligned with `time`, null until the indicator is defined: `value`, or for donchian `upper`, `middle` and `lower`'),
  })
  .meta({ id: 'ResearchIndicatorSeries' });
export type ResearchIndicatorSeries = z.infer<typeof researchIndicatorSchema>;

const momentsSchema = z
  .object({
    count: z.number().int(),
    mean: stat,
    stdev: stat.describe('sample standard deviation (n − 1)'),
    skewness: stat.describe('adjusted Fisher–Pearson (as pandas skew); null below 3 returns or without spread'),
    kurtosis: stat.describe('excess, adjusted (as pandas kurt); null below 4 returns or without spread'),
    min: stat,
    max: stat,
  })
  .meta({ id: 'ReturnMoments' });

export const researchStatsSchema = z
  .object({
    ...span,
    barMs: z.number().int().nullable().describe('bar duration, the smallest spacing of the bars'),
    gaps: z.number().int().describe('places where bars are missing; no return is taken across them'),
    periodsPerYear: stat.describe('the annualization factor used'),
    simple: momentsSchema.describe('simple returns close[i] / close[i−1] − 1'),
    log: momentsSchema.describe('log returns ln(close[i] / close[i−1])'),
    histogram: z.object({ edges: z.array(z.number()).describe('bins + 1 edges'), counts: z.array(z.number().int()) }).describe('of the simple returns, equal-width bins from min to max'),
    annualizedVolatility: stat.describe('stdev of simple returns × √periodsPerYear'),
    sharpe: stat.describe('mean / stdev × √periodsPerYear, risk-free rate 0; null without spread'),
    sortino: stat.describe('mean / downside deviation × √periodsPerYear (downside deviation: √(Σ min(r, 0)² / n)); null without a losing bar'),
    drawdown: z
      .object({
        max: z.number().describe('deepest fall of the close below its running high, a fraction ≥ 0'),
        peakTime: z.number().int().nullable(),
        troughTime: z.number().int().nullable(),
        recoveryTime: z.number().int().nullable().describe('first bar back at the peak; null: not recovered (or no drawdown)'),
        durationMs: z.number().describe('peak to recovery, or to the last bar'),
        longestDurationMs: z.number().describe('the longest time under water of any drawdown'),
      })
      .describe('of the close series'),
  })
  .meta({ id: 'ResearchStats' });
export type ResearchStats = z.infer<typeof researchStatsSchema>;

export const researchCorrelationSchema = z
  .object({
    timeframe: z.string(),
    symbols: z.array(z.string()),
    matrix: z.array(z.array(stat)).describe('Pearson correlation of simple returns, in the order of `symbols`; null below 2 common returns or without spread'),
    overlap: z.array(z.array(z.number().int())).describe('returns each pair has in common (bar times at which both have a return); the diagonal: the symbol’s own'),
  })
  .meta({ id: 'ResearchCorrelation' });
export type ResearchCorrelation = z.infer<typeof researchCorrelationSchema>;

const bucket = { count: z.number().int(), meanReturn: stat, winShare: stat.describe('share of returns above 0') };
export const researchSeasonalitySchema = z
  .object({
    ...span,
    hourOfDay: z.array(z.object({ hour: z.number().int(), ...bucket })).describe('24 buckets, UTC hour 0–23 of the bar the return is realized in'),
    dayOfWeek: z.array(z.object({ day: z.number().int(), ...bucket })).describe('7 buckets, ISO weekday 1 (Monday) – 7 (Sunday), UTC'),
  })
  .meta({ id: 'ResearchSeasonality' });
export type ResearchSeasonality = z.infer<typeof researchSeasonalitySchema>;
