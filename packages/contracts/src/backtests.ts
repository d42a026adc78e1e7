import { z } from 'zod';
import { uuidSchema } from './auth.ts';
import { positiveDecimalSchema, symbolSchema } from './decimal.ts';
import { timeframeSchema } from './market.ts';
import { fractionSchema, profileRulesSchema, riskLimitsSchema } from './profiles.ts';

/**
 * Backtests and parameter sweeps over stored candles (`/api/backtests`, `/api/sweeps`). A request
 * is answered at once (202, status `queued`); the run happens in a worker thread of the backend
 * and reports `backtest.progress` and `backtest.finished` on /trading (tenant room). Results are
 * stored and read back over REST. Times are epoch milliseconds; money in results is a number
 * (analytics), money in requests a decimal string.
 */

export const BACKTEST_KINDS = ['backtest', 'sweep'] as const;
export const BACKTEST_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number];
export const FINISHED_BACKTEST_STATUSES = ['completed', 'failed', 'cancelled'] as const satisfies readonly BacktestStatus[];

/** Metrics a sweep can rank by, and which way is better (a drawdown ranks by its size). */
export const BACKTEST_RANK_METRICS = {
  sharpe: 'higher',
  sortino: 'higher',
  totalReturn: 'higher',
  cagr: 'higher',
  winRate: 'higher',
  profitFactor: 'higher',
  finalValue: 'higher',
  maxDrawdown: 'lower',
  maxDrawdownDurationMs: 'lower',
  feesPaid: 'lower',
} as const;
export type BacktestRankMetric = keyof typeof BACKTEST_RANK_METRICS;
const rankMetricNames = Object.keys(BACKTEST_RANK_METRICS) as [BacktestRankMetric, ...BacktestRankMetric[]];

/** Most combinations one sweep may run (in-sample); larger spaces: narrow the grid or use random search. */
export const MAX_SWEEP_COMBINATIONS = 5000;
export const MAX_BACKTEST_SYMBOLS = 10;
export const MAX_COMPARE = 10;

/** A time in a request: epoch ms, or an ISO 8601 date-time with a zone (e.g. 2023-01-10T00:00:00Z). */
export const timeInputSchema = z
  .union([z.number().int().min(0).max(8_640_000_000_000_000), z.iso.datetime({ offset: true })])
  .describe('epoch milliseconds, or an ISO 8601 date-time with a zone such as 2023-01-10T00:00:00Z');
export type TimeInput = z.infer<typeof timeInputSchema>;
export const timeInputToMs = (t: TimeInput): number => (typeof t === 'number' ? t : Date.parse(t));

const paramNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a strategy parameter name such as fast');
const paramValueSchema = z.union([z.number(), z.string().max(200), z.boolean()]);
const paramValuesSchema = z.array(paramValueSchema).min(1, 'give at least one value').max(1000);

/** What a backtest runs and on which data, plus how it simulates; shared by backtests and sweeps. */
const runFields = {
  name: z.string().trim().min(1).max(100).optional(),
  profileId: uuidSchema.optional().describe("backtest a profile: its strategy, parameters, rules, risk limits, symbol and timeframe, with its capital allocation as cash; the configuration is copied at submission"),
  strategy: z.string().min(1).max(64).optional().describe('a strategy id (e.g. sma-cross), instead of profileId'),
  params: z.record(z.string(), z.unknown()).optional().describe("the strategy's parameters (checked by its schema; defaults filled in)"),
  symbols: z.array(symbolSchema).min(1).max(MAX_BACKTEST_SYMBOLS).optional().describe('with strategy: one or several symbols of one quote currency; one strategy instance per symbol, one cash pool'),
  timeframe: timeframeSchema.optional().describe("the bar duration of the stored candles to play, e.g. 5m (with profileId: default the profile's)"),
  rules: profileRulesSchema.optional().describe('with strategy: protections, as a profile has them'),
  riskLimits: riskLimitsSchema.optional().describe('with strategy: risk limits, as a profile has them'),
  from: timeInputSchema.optional().describe('first bar open time played (inclusive); default: the first stored bar'),
  to: timeInputSchema.optional().describe('bars opening at or after it are not played; default: after the last stored bar'),
  cash: positiveDecimalSchema.optional().describe("starting cash in the quote currency; default: the profile's capital allocation, else 10000"),
  feeRate: fractionSchema.optional().describe("fee rate of every fill, e.g. \"0.001\"; default: the risk limits' feeRate, else 0"),
  slippageBps: z.number().min(0).max(1000).default(0).describe('taker fills move this many basis points against the order'),
  fill: z.enum(['next-open', 'close']).default('next-open').describe("market orders fill at the next bar's open, or at the signal bar's close"),
  warmupBars: z.number().int().min(0).max(100_000).default(0).describe('the first bars only warm the strategy up (no orders)'),
  stake: positiveDecimalSchema.optional().describe('quote amount an entry without its own size buys'),
};

type RunFields = { profileId?: string | undefined; strategy?: string | undefined; params?: unknown; symbols?: string[] | undefined; timeframe?: string | undefined; rules?: unknown; riskLimits?: unknown; from?: TimeInput | undefined; to?: TimeInput | undefined };
const PROFILE_SUPPLIES = ['strategy', 'symbols', 'rules', 'riskLimits'] as const;

/** Either a profile or a strategy with its symbols and timeframe; a range that is not empty. */
function checkRunFields(v: RunFields, ctx: z.RefinementCtx, paramsFromProfile: boolean) {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (v.profileId !== undefined) {
    for (const k of PROFILE_SUPPLIES) if (v[k] !== undefined) issue(k, `comes from the profile: send either profileId or ${k}, not both`);
    if (!paramsFromProfile && v.params !== undefined) issue('params', 'comes from the profile: change the profile, or send strategy and params instead of profileId');
  } else if (v.strategy === undefined) {
    issue('strategy', 'send profileId, or strategy with symbols and timeframe');
  } else {
    if (v.symbols === undefined) issue('symbols', 'list the symbols to backtest, e.g. ["BTC/USDT"]');
    if (v.timeframe === undefined) issue('timeframe', 'give the bar duration, e.g. 5m');
    if (v.symbols && new Set(v.symbols).size !== v.symbols.length) issue('symbols', 'list each symbol once');
  }
  if (v.from !== undefined && v.to !== undefined && !(timeInputToMs(v.from) < timeInputToMs(v.to))) issue('to', 'must be after from');
}

export const createBacktestRequestSchema = z
  .object(runFields)
  .strict()
  .superRefine((v, ctx) => checkRunFields(v, ctx, false))
  .meta({ id: 'CreateBacktestRequest' });
export type CreateBacktestRequest = z.infer<typeof createBacktestRequestSchema>;

export const gridSpaceSchema = z
  .record(paramNameSchema, z.union([paramValuesSchema, z.object({ from: z.number(), to: z.number(), step: z.number().positive() }).strict()]))
  .describe('per parameter: a list of values, or { from, to, step }; every combination is run');
export type GridSpace = z.infer<typeof gridSpaceSchema>;
export const randomSpaceSchema = z
  .object({
    ranges: z
      .record(paramNameSchema, z.union([paramValuesSchema, z.object({ min: z.number(), max: z.number(), step: z.number().positive().optional() }).strict()]))
      .describe('per parameter: a list to pick from, or { min, max, step? } (whole-number parameters default to step 1)'),
    samples: z.number().int().min(1).max(MAX_SWEEP_COMBINATIONS).describe('distinct combinations to draw'),
    seed: z.number().int().min(0).max(4_294_967_295).default(1).describe('the same seed draws the same combinations'),
  })
  .strict();
export type RandomSpace = z.infer<typeof randomSpaceSchema>;
export const outOfSampleSchema = z
  .union([
    z.object({ fraction: z.number().gt(0).lt(1).describe('hold back this share of the bars at the end of the range') }).strict(),
    z.object({ from: timeInputSchema, to: timeInputSchema }).strict().describe('a separate range, outside from–to'),
  ])
  .describe('validate the best in-sample combinations on bars they were not chosen on');

export const createSweepRequestSchema = z
  .object({
    ...runFields,
    params: runFields.params.describe('parameters the space does not vary (with profileId: on top of the profile’s)'),
    grid: gridSpaceSchema.optional(),
    random: randomSpaceSchema.optional(),
    rankBy: z.enum(rankMetricNames).default('sharpe').describe('the metric combinations are ranked by; ties go to the smaller parameter values'),
    outOfSample: outOfSampleSchema.optional(),
    topN: z.number().int().min(1).max(50).default(5).describe('how many of the best in-sample combinations are re-run out of sample'),
  })
  .strict()
  .superRefine((v, ctx) => {
    checkRunFields(v, ctx, true);
    if ((v.grid === undefined) === (v.random === undefined)) ctx.addIssue({ code: 'custom', path: ['grid'], message: 'send either grid or random (one parameter space)' });
    if (v.outOfSample && 'from' in v.outOfSample && !(timeInputToMs(v.outOfSample.from) < timeInputToMs(v.outOfSample.to))) {
      ctx.addIssue({ code: 'custom', path: ['outOfSample', 'to'], message: 'must be after outOfSample.from' });
    }
  })
  .meta({ id: 'CreateSweepRequest' });
export type CreateSweepRequest = z.infer<typeof createSweepRequestSchema>;

/** A number, or null where it has no finite value (a profit factor without a losing trade, a Sharpe ratio of a flat curve). */
const metric = z.number().nullable();
export const backtestMetricsSchema = z
  .object({
    totalReturn: metric.describe('fraction: 0.12 = 12 %'),
    cagr: metric,
    sharpe: metric,
    sortino: metric,
    maxDrawdown: metric.describe('fraction of the peak'),
    maxDrawdownDurationMs: metric,
    winRate: metric,
    profitFactor: metric,
    exposure: metric.describe('share of bars with an open position'),
    trades: metric,
    feesPaid: metric,
    startValue: metric,
    finalValue: metric,
  })
  .meta({ id: 'BacktestMetrics' });
export type BacktestMetricsView = z.infer<typeof backtestMetricsSchema>;

export const backtestProgressSchema = z
  .object({
    percent: z.number().min(0).max(100),
    barsPerSecond: z.number().min(0),
    combinationsDone: z.number().int().optional().describe('sweeps: combinations finished (in and out of sample)'),
    combinationsTotal: z.number().int().optional(),
  })
  .meta({ id: 'BacktestProgress' });
export type BacktestProgressView = z.infer<typeof backtestProgressSchema>;

export const backtestRunErrorSchema = z
  .object({ code: z.string().describe('BACKTEST_INVALID_CONFIG, BACKTEST_NO_DATA, STRATEGY_PARAMS_INVALID, BACKTEST_WORKER_FAILED, BACKTEST_INTERRUPTED, …'), message: z.string() })
  .meta({ id: 'BacktestRunError' });

export const backtestSummarySchema = z
  .object({
    id: uuidSchema,
    kind: z.enum(BACKTEST_KINDS),
    name: z.string().nullable(),
    status: z.enum(BACKTEST_STATUSES),
    profileId: uuidSchema.nullable(),
    strategy: z.string(),
    params: z.record(z.string(), z.unknown()).describe('the strategy parameters (a sweep: those it does not vary)'),
    symbols: z.array(z.string()),
    timeframe: z.string(),
    from: z.number().int().nullable().describe('the requested range, epoch ms (null: from the first stored bar)'),
    to: z.number().int().nullable(),
    progress: backtestProgressSchema,
    metrics: backtestMetricsSchema.nullable().describe("a backtest's metrics; a sweep's best in-sample combination's"),
    error: backtestRunErrorSchema.nullable(),
    createdBy: z.string().describe('username'),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'BacktestSummary' });
export type BacktestSummary = z.infer<typeof backtestSummarySchema>;

export const backtestListQuerySchema = z
  .object({
    status: z.enum(BACKTEST_STATUSES).optional(),
    limit: z.coerce.number().int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export const backtestPageSchema = z.object({ items: z.array(backtestSummarySchema), nextCursor: z.string().nullable() }).meta({ id: 'BacktestPage' });

/** How the run simulates, as resolved at submission (a profile's values copied in). */
export const backtestSettingsSchema = z
  .object({
    cash: z.string(),
    feeRate: z.string(),
    slippageBps: z.number(),
    fill: z.enum(['next-open', 'close']),
    warmupBars: z.number().int(),
    stake: z.string().nullable(),
    rules: profileRulesSchema,
    riskLimits: riskLimitsSchema,
  })
  .meta({ id: 'BacktestSettings' });
export type BacktestSettings = z.infer<typeof backtestSettingsSchema>;

export const backtestEquitySchema = z
  .object({ time: z.array(z.number()), value: z.array(z.number()), drawdown: z.array(z.number()).describe('fraction from the peak, ≤ 0') })
  .describe('downsampled: bar open time, equity at that bar’s close, drawdown');
const tradeSchema = z.object({
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  entryTime: z.number(),
  entryPrice: z.number(),
  exitTime: z.number(),
  exitPrice: z.number(),
  size: z.number(),
  pnlGross: z.number(),
  commission: z.number(),
  pnlNet: z.number(),
  bars: z.number().int(),
});
const openPositionSchema = z.object({ symbol: z.string(), entryTime: z.number(), entryPrice: z.number(), size: z.number(), unrealizedPnl: z.number() });
const simOrderSchema = z.object({
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  orderType: z.string(),
  quantity: z.string(),
  price: z.string().nullable(),
  status: z.string(),
  createdAt: z.number(),
  reason: z.string().nullable(),
});
const simFillSchema = z.object({ clientOrderId: z.string(), symbol: z.string(), side: z.enum(['buy', 'sell']), quantity: z.string(), price: z.string(), fee: z.string(), time: z.number() });

/** Longest list of trades, orders or fills a stored result keeps (the counts say how many there were). */
export const MAX_STORED_RESULT_ROWS = 10_000;

export const backtestResultSchema = z
  .object({
    bars: z.number().int(),
    startTime: z.number(),
    endTime: z.number(),
    finalValue: z.number(),
    metrics: backtestMetricsSchema,
    equity: backtestEquitySchema,
    trades: z.array(tradeSchema),
    openPositions: z.array(openPositionSchema).describe('still open at the end, marked at the last close'),
    orders: z.array(simOrderSchema),
    fills: z.array(simFillSchema),
    counts: z.object({ trades: z.number().int(), orders: z.number().int(), fills: z.number().int() }).describe(`totals; the lists keep the first ${MAX_STORED_RESULT_ROWS}`),
    denials: z.record(z.string(), z.number().int()).describe('intents refused by a rule or the risk engine, by code'),
    elapsedMs: z.number(),
  })
  .meta({ id: 'BacktestResult' });
export type BacktestResultView = z.infer<typeof backtestResultSchema>;

export const backtestDetailSchema = backtestSummarySchema
  .extend({ kind: z.literal('backtest'), settings: backtestSettingsSchema, result: backtestResultSchema.nullable().describe('null until completed') })
  .meta({ id: 'BacktestDetail' });
export type BacktestDetail = z.infer<typeof backtestDetailSchema>;

const rangeSchema = z.object({ from: z.number(), to: z.number() });
export const sweepRowSchema = z
  .object({
    rank: z.number().int(),
    params: z.record(z.string(), z.unknown()).describe('the whole parameter set of the run'),
    metrics: backtestMetricsSchema.nullable().describe('null when the run failed'),
    error: backtestRunErrorSchema.nullable(),
  })
  .meta({ id: 'SweepRow' });
export const sweepResultSchema = z
  .object({
    rankBy: z.enum(rankMetricNames),
    better: z.enum(['higher', 'lower']),
    inSample: rangeSchema,
    combinations: z.number().int(),
    skipped: z.array(z.object({ params: z.record(z.string(), z.unknown()), message: z.string() })).describe("combinations the strategy's schema refused (e.g. fast ≥ slow): not run"),
    ranking: z.array(sweepRowSchema).describe('every combination run, best first'),
    outOfSample: z
      .object({
        range: rangeSchema,
        rows: z.array(z.object({ inSampleRank: z.number().int(), params: z.record(z.string(), z.unknown()), inSample: backtestMetricsSchema.nullable(), outOfSample: backtestMetricsSchema.nullable(), error: backtestRunErrorSchema.nullable() })),
      })
      .nullable()
      .describe('the best topN in-sample combinations re-run on the held-back range, in their in-sample order'),
  })
  .meta({ id: 'SweepResult' });
export type SweepResultView = z.infer<typeof sweepResultSchema>;

export const sweepDetailSchema = backtestSummarySchema
  .extend({
    kind: z.literal('sweep'),
    settings: backtestSettingsSchema,
    space: z.union([z.object({ grid: gridSpaceSchema }), z.object({ random: randomSpaceSchema })]),
    rankBy: z.enum(rankMetricNames),
    topN: z.number().int(),
    outOfSample: z.union([z.object({ fraction: z.number() }), rangeSchema]).nullable(),
    result: sweepResultSchema.nullable().describe('null until completed'),
  })
  .meta({ id: 'SweepDetail' });
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

export const compareBacktestsQuerySchema = z
  .object({
    ids: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(uuidSchema).min(2, 'compare at least 2 backtests').max(MAX_COMPARE, `compare at most ${MAX_COMPARE} backtests`))
      .describe('comma-separated backtest ids'),
  })
  .strict();
export const backtestComparisonSchema = z
  .object({
    items: z.array(
      z.object({
        id: uuidSchema,
        name: z.string().nullable(),
        strategy: z.string(),
        params: z.record(z.string(), z.unknown()),
        symbols: z.array(z.string()),
        timeframe: z.string(),
        from: z.number().nullable(),
        to: z.number().nullable(),
        metrics: backtestMetricsSchema,
        equity: backtestEquitySchema,
      }),
    ),
  })
  .meta({ id: 'BacktestComparison' });

/** `backtest.progress` on /trading (tenant room): at most every 250 ms per run, and on each status change. */
export const backtestProgressEventSchema = z
  .object({ id: uuidSchema, kind: z.enum(BACKTEST_KINDS), status: z.enum(BACKTEST_STATUSES), ...backtestProgressSchema.shape })
  .meta({ id: 'BacktestProgressEvent' });
export type BacktestProgressEvent = z.infer<typeof backtestProgressEventSchema>;

/** `backtest.finished` on /trading (tenant room): once per run, when it completed, failed or was cancelled. */
export const backtestFinishedEventSchema = z
  .object({
    id: uuidSchema,
    kind: z.enum(BACKTEST_KINDS),
    status: z.enum(FINISHED_BACKTEST_STATUSES),
    metrics: backtestMetricsSchema.nullable(),
    error: backtestRunErrorSchema.nullable(),
    finishedAt: z.string(),
  })
  .meta({ id: 'BacktestFinishedEvent' });
export type BacktestFinishedEvent = z.infer<typeof backtestFinishedEventSchema>;
