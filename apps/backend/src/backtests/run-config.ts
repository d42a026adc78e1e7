import {
  AppError,
  MAX_SWEEP_COMBINATIONS,
  timeInputToMs,
  type BacktestRankMetric,
  type BacktestSettings,
  type CreateBacktestRequest,
  type CreateSweepRequest,
  type GridSpace,
  type ProfileRules,
  type RandomSpace,
  type RiskLimitsInput,
} from '@kestrel/contracts';
import {
  gridCombinations,
  gridSize,
  ParamSpaceError,
  randomCombinations,
  splitOutOfSample,
  type BacktestMarket,
  type ParamCombination,
  type RandomAxis,
  type TimeRange,
} from '@kestrel/backtester';
import type { Database } from '@kestrel/db';
import { timeframeToMs, type CandleSeries } from '@kestrel/exchanges';
import { isStrategyId, parseStrategyParams, strategyParamsJsonSchema } from '@kestrel/strategies';
import { coverage, loadCandles } from '../market-data/candle-store.ts';
import type { ActorContext } from '../services/context.ts';
import type { ProfileService } from '../services/profiles.ts';
import { checkRules, validateStrategy } from '../trading/profile-config.ts';
import type { SweepJob } from './jobs.ts';
import type { TaskConfig } from './worker/protocol.ts';

/**
 * From a request to a runnable job: a profile's configuration copied in, the strategy's
 * parameters checked by its schema, the candles loaded from the candle store (404 for a symbol
 * that has none, 400 BACKTEST_NO_DATA for a range without bars), a sweep's combinations generated
 * and checked. Everything that can be refused is refused here, before anything is stored.
 */

/** What a run is, as stored in backtest_runs.config and shown back by the API. */
export interface RunSpec {
  strategy: string;
  /** A backtest's parameters (defaults filled in); a sweep's base, which its space overrides. */
  params: Record<string, unknown>;
  symbols: string[];
  timeframe: string;
  from: number | null;
  to: number | null;
  settings: BacktestSettings;
  sweep?: {
    space: { grid: GridSpace } | { random: RandomSpace };
    rankBy: BacktestRankMetric;
    topN: number;
    outOfSample: { fraction: number } | TimeRange | null;
  };
}

export interface RunDeps {
  database: Database;
  profiles: ProfileService;
  /**
   * The trading filters (tick, lot, minimums) of a symbol the venue lists — the paper market's —
   * so a backtest rounds and refuses orders as paper trading does; symbols it does not list get the
   * backtester's defaults.
   */
  instrumentFilters?: (symbol: string) => InstrumentFilters | undefined;
}

export type InstrumentFilters = Pick<BacktestMarket, 'tickSize' | 'lotSize' | 'minQty' | 'minNotional'>;

/** Skipped combinations listed in a sweep's result (the count is always complete). */
const MAX_LISTED_SKIPS = 100;
const DEFAULT_CASH = '10000';

type Actor = Pick<ActorContext, 'tenantId'>;
interface Base {
  spec: RunSpec;
  profileId: string | null;
  /** Raw parameters: the profile's, under the request's. */
  params: Record<string, unknown>;
}

export async function resolveBacktest(deps: RunDeps, actor: Actor, body: CreateBacktestRequest): Promise<{ spec: RunSpec; profileId: string | null; markets: BacktestMarket[]; config: TaskConfig }> {
  const base = await resolveBase(deps, actor, body);
  const params = checkedParams(base.spec.strategy, base.params);
  const spec = { ...base.spec, params };
  const markets = await loadMarkets(deps, actor.tenantId, spec, [{ from: spec.from ?? undefined, to: spec.to ?? undefined }]);
  const config: TaskConfig = { ...taskBase(spec, actor.tenantId, base.profileId), ...range(spec) };
  return { spec, profileId: base.profileId, markets, config };
}

export async function resolveSweep(
  deps: RunDeps,
  actor: Actor,
  body: CreateSweepRequest,
): Promise<{ spec: RunSpec; profileId: string | null; markets: BacktestMarket[]; sweep: Omit<SweepJob, 'kind' | 'id' | 'tenantId' | 'markets'> }> {
  const base = await resolveBase(deps, actor, body);
  const strategy = base.spec.strategy;
  // An unknown strategy gets the same 400 STRATEGY_UNKNOWN as a backtest's.
  if (!isStrategyId(strategy)) checkedParams(strategy, {});
  const { combinations, skipped, skippedTotal } = sweepCombinations(strategy, base.params, body);
  const oosRequest = body.outOfSample ? ('fraction' in body.outOfSample ? { fraction: body.outOfSample.fraction } : { from: timeInputToMs(body.outOfSample.from), to: timeInputToMs(body.outOfSample.to) }) : null;
  const spec: RunSpec = {
    ...base.spec,
    sweep: { space: body.grid ? { grid: body.grid } : { random: body.random! }, rankBy: body.rankBy, topN: body.topN, outOfSample: oosRequest },
  };
  const requested = { from: spec.from ?? undefined, to: spec.to ?? undefined };
  const markets = await loadMarkets(deps, actor.tenantId, spec, oosRequest && !('fraction' in oosRequest) ? [requested, oosRequest] : [requested]);
  let split: { inSample: TimeRange; outOfSample: TimeRange | null };
  try {
    const times = markets[0]!.series.time;
    split = oosRequest ? splitOutOfSample(times, requested, oosRequest) : { inSample: { from: requested.from ?? times[0]!, to: requested.to ?? times[times.length - 1]! + 1 }, outOfSample: null };
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${(err as Error).message}.`, { details: [{ path: '/outOfSample', where: 'body', message: (err as Error).message }] });
  }
  if (split.outOfSample) requireBars(markets, spec, split.outOfSample, 'the out-of-sample range');
  const skippedNote = skippedTotal > skipped.length ? [{ params: {}, message: `… and ${skippedTotal - skipped.length} more combinations refused by the strategy's schema` }] : [];
  return {
    spec,
    profileId: base.profileId,
    markets,
    sweep: {
      base: taskBase(spec, actor.tenantId, base.profileId),
      combinations,
      skipped: [...skipped, ...skippedNote],
      inSample: split.inSample,
      outOfSample: split.outOfSample,
      topN: body.topN,
      rankBy: body.rankBy,
    },
  };
}

/** The strategy, symbols, settings and range of either request, with a profile's configuration copied in. */
async function resolveBase(deps: RunDeps, actor: Actor, body: CreateBacktestRequest | CreateSweepRequest): Promise<Base> {
  let source: { strategy: string; params: Record<string, unknown>; symbols: string[]; timeframe: string; rules: ProfileRules; riskLimits: RiskLimitsInput; cash: string | undefined; profileId: string | null };
  if (body.profileId !== undefined) {
    const p = await deps.profiles.get(actor, body.profileId).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', `No profile ${body.profileId} in your tenant: GET /api/profiles lists them, or send strategy, symbols and timeframe instead.`) : err;
    });
    source = {
      strategy: p.strategy,
      params: { ...p.strategyParams, ...(body.params ?? {}) },
      symbols: [p.symbol],
      timeframe: body.timeframe ?? p.timeframe,
      rules: p.rules,
      riskLimits: p.riskLimits,
      cash: body.cash ?? p.capitalAllocation,
      profileId: p.id,
    };
  } else {
    source = { strategy: body.strategy!, params: body.params ?? {}, symbols: body.symbols!, timeframe: body.timeframe!, rules: body.rules ?? {}, riskLimits: body.riskLimits ?? {}, cash: body.cash ?? DEFAULT_CASH, profileId: null };
  }
  const cash = source.cash ?? DEFAULT_CASH;
  if (!(Number(cash) > 0)) {
    throw new AppError('BACKTEST_INVALID_CONFIG', `The profile's capital allocation is ${cash}: send cash (e.g. "10000") to backtest it with starting cash.`, { details: [{ path: '/cash', where: 'body', message: 'must be greater than 0' }] });
  }
  const quotes = new Set(source.symbols.map((s) => s.split('/')[1]));
  if (quotes.size > 1) {
    throw new AppError('VALIDATION_FAILED', `The symbols of one backtest share one cash pool, so they must have one quote currency (got ${[...quotes].join(', ')}): backtest them separately.`, {
      details: [{ path: '/symbols', where: 'body', message: 'one quote currency' }],
    });
  }
  checkRules(source.rules);
  const settings: BacktestSettings = {
    cash,
    feeRate: body.feeRate ?? source.riskLimits.feeRate ?? '0',
    slippageBps: body.slippageBps,
    fill: body.fill,
    warmupBars: body.warmupBars,
    stake: body.stake ?? null,
    rules: source.rules,
    riskLimits: source.riskLimits,
  };
  const spec: RunSpec = {
    strategy: source.strategy,
    params: source.params,
    symbols: source.symbols,
    timeframe: source.timeframe,
    from: body.from === undefined ? null : timeInputToMs(body.from),
    to: body.to === undefined ? null : timeInputToMs(body.to),
    settings,
  };
  return { spec, profileId: source.profileId, params: source.params };
}

/** The strategy's own check of the parameters (400 STRATEGY_UNKNOWN / STRATEGY_PARAMS_INVALID), its details pointing at this API's `params` field. */
function checkedParams(strategy: string, params: Record<string, unknown>): Record<string, unknown> {
  try {
    return validateStrategy(strategy, params);
  } catch (err) {
    if (!(err instanceof AppError) || !Array.isArray(err.details)) throw err;
    const details = (err.details as Array<{ path: string }>).map((d) => ({ ...d, path: d.path.replace(/^\/strategyParams/, '/params'), where: 'body' }));
    throw new AppError(err.code, err.message, { details });
  }
}

function taskBase(spec: RunSpec, tenantId: string, profileId: string | null): Omit<TaskConfig, 'from' | 'to'> {
  const s = spec.settings;
  return {
    strategy: { id: spec.strategy, params: spec.params },
    cash: s.cash,
    feeRate: s.feeRate,
    slippageBps: s.slippageBps,
    fill: s.fill,
    warmupBars: s.warmupBars,
    rules: s.rules,
    riskLimits: s.riskLimits,
    ...(s.stake !== null ? { stake: s.stake } : {}),
    // Client order ids derive from these: a profile's backtest makes the ids its live orders would have.
    tenantId,
    ...(profileId ? { profileId } : {}),
  };
}

const range = (spec: RunSpec) => ({ ...(spec.from !== null ? { from: spec.from } : {}), ...(spec.to !== null ? { to: spec.to } : {}) });

/**
 * Each symbol's candles over the union of the ranges, with room before it for the warm-up bars;
 * 404 from the candle store for a symbol it has none of, 400 BACKTEST_NO_DATA when the requested
 * range holds no bar of a symbol.
 */
async function loadMarkets(deps: RunDeps, tenantId: string, spec: RunSpec, ranges: ReadonlyArray<{ from?: number | undefined; to?: number | undefined }>): Promise<BacktestMarket[]> {
  const froms = ranges.map((r) => r.from);
  const tos = ranges.map((r) => r.to);
  const from = froms.includes(undefined) ? undefined : Math.min(...(froms as number[])) - spec.settings.warmupBars * timeframeToMs(spec.timeframe);
  const to = tos.includes(undefined) ? undefined : Math.max(...(tos as number[]));
  const markets: BacktestMarket[] = [];
  for (const symbol of spec.symbols) {
    const { series } = await loadCandles(deps.database, tenantId, { symbol, timeframe: spec.timeframe, from, to });
    const f = deps.instrumentFilters?.(symbol);
    markets.push({ symbol, series, ...(f ? { tickSize: f.tickSize, lotSize: f.lotSize, minQty: f.minQty, minNotional: f.minNotional } : {}) });
  }
  const requested = ranges[0]!;
  if (markets.some((m) => barsIn(m.series, requested) === 0)) await noData(deps.database, tenantId, spec, markets, requested);
  return markets;
}

function requireBars(markets: readonly BacktestMarket[], spec: RunSpec, r: TimeRange, what: string) {
  const empty = markets.find((m) => barsIn(m.series, r) === 0);
  if (empty) throw new AppError('BACKTEST_NO_DATA', `No ${empty.symbol} ${spec.timeframe} bars in ${what} (${iso(r.from)} to ${iso(r.to)}): choose a range with data.`);
}

async function noData(database: Database, tenantId: string, spec: RunSpec, markets: readonly BacktestMarket[], r: { from?: number | undefined; to?: number | undefined }): Promise<never> {
  const empty = markets.find((m) => barsIn(m.series, r) === 0)!;
  const stored = (await coverage(database, tenantId)).find((c) => c.symbol === empty.symbol && c.timeframe === spec.timeframe);
  const have = stored && stored.bars > 0 ? `the stored bars run from ${iso(stored.first)} to ${iso(stored.last)}` : 'none are stored';
  throw new AppError('BACKTEST_NO_DATA', `No ${empty.symbol} ${spec.timeframe} bars between ${r.from === undefined ? 'the start' : iso(r.from)} and ${r.to === undefined ? 'the end' : iso(r.to)} (${have}): choose from/to inside that, or import candles for it.`, {
    details: [{ path: '/from', where: 'body', message: have }],
  });
}

function barsIn(series: CandleSeries, r: { from?: number | undefined; to?: number | undefined }): number {
  let n = 0;
  for (let i = 0; i < series.length; i++) {
    const t = series.time[i]!;
    if ((r.from === undefined || t >= r.from) && (r.to === undefined || t < r.to)) n++;
  }
  return n;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The sweep's parameter sets: the space's combinations over the base parameters, each checked by
 * the strategy's schema. Combinations it refuses (say fast ≥ slow) are skipped and listed; 400 when
 * the space is malformed, too large, names a parameter the strategy does not have, or holds no
 * valid combination.
 */
function sweepCombinations(strategy: string, base: Record<string, unknown>, body: CreateSweepRequest) {
  const schema = strategyParamsJsonSchema(strategy as Parameters<typeof strategyParamsJsonSchema>[0]) as { properties?: Record<string, { type?: string }> };
  const known = schema.properties ?? {};
  const spaceName = body.grid ? 'grid' : 'random';
  const names = Object.keys(body.grid ?? body.random!.ranges);
  const unknown = names.filter((n) => !Object.hasOwn(known, n));
  if (unknown.length > 0) {
    const path = body.grid ? `/grid/${unknown[0]}` : `/random/ranges/${unknown[0]}`;
    throw new AppError('VALIDATION_FAILED', `${strategy} has no parameter ${unknown.join(', ')}: it has ${Object.keys(known).join(', ')}.`, { details: [{ path, where: 'body', message: 'unknown parameter' }] });
  }
  let raw: ParamCombination[];
  try {
    if (body.grid) {
      const size = gridSize(body.grid);
      if (size > MAX_SWEEP_COMBINATIONS) {
        throw new AppError('VALIDATION_FAILED', `The grid holds ${size} combinations; at most ${MAX_SWEEP_COMBINATIONS} run in one sweep: use fewer values or larger steps, or random search.`, {
          details: [{ path: '/grid', where: 'body', message: `${size} combinations` }],
        });
      }
      raw = gridCombinations(body.grid);
    } else {
      const r = body.random!;
      // Whole-number parameters are drawn on whole numbers unless a step says otherwise.
      const ranges = Object.fromEntries(
        Object.entries(r.ranges).map(([name, axis]): [string, RandomAxis] => [name, !Array.isArray(axis) && axis.step === undefined && known[name]?.type === 'integer' ? { ...axis, step: 1 } : axis]),
      );
      raw = randomCombinations({ ranges, samples: r.samples, seed: r.seed });
    }
  } catch (err) {
    if (!(err instanceof ParamSpaceError)) throw err;
    const path = spaceName === 'grid' ? `/grid/${err.param}` : ['samples', 'ranges'].includes(err.param) ? `/random/${err.param}` : `/random/ranges/${err.param}`;
    throw new AppError('VALIDATION_FAILED', `${err.message}.`, { details: [{ path, where: 'body', message: err.message }] });
  }
  const combinations: ParamCombination[] = [];
  const skipped: Array<{ params: ParamCombination; message: string }> = [];
  let skippedTotal = 0;
  for (const combo of raw) {
    const parsed = parseStrategyParams(strategy, { ...base, ...combo });
    if (parsed.ok) combinations.push(parsed.value.params as ParamCombination);
    else if (++skippedTotal <= MAX_LISTED_SKIPS) skipped.push({ params: combo, message: parsed.error.message });
  }
  if (combinations.length === 0) {
    throw new AppError('STRATEGY_PARAMS_INVALID', `None of the ${raw.length} combinations is valid for ${strategy}; the first: ${skipped[0]?.message ?? '?'}. Change the ${spaceName} or the base params.`, {
      details: skipped.slice(0, 10).map((s) => ({ path: `/${spaceName}`, where: 'body', params: s.params, message: s.message })),
    });
  }
  return { combinations, skipped, skippedTotal };
}
