import type { SweepRequest } from '@kestrel/api-client';
import { BACKTEST_RANK_METRICS, type BacktestRankMetric } from '@kestrel/contracts';
import type { FieldSpec } from '../../../components/schema-form/json-schema.ts';

/**
 * A sweep's parameter space as the form holds it: for each numeric parameter of the strategy's
 * schema, whether it varies and its range (grid: from, to, step; random search: min, max and an
 * optional step), plus how the combinations are ranked and validated out of sample.
 */
export interface AxisInputs {
  vary: boolean;
  from: string;
  to: string;
  step: string;
}

export interface SpaceInputs {
  mode: 'grid' | 'random';
  axes: Record<string, AxisInputs>;
  samples: string;
  seed: string;
  rankBy: BacktestRankMetric;
  /** Share of the range's last bars held back; empty: no out-of-sample check. */
  oosFraction: string;
  topN: string;
}

export const RANK_METRICS = Object.keys(BACKTEST_RANK_METRICS) as BacktestRankMetric[];

/** The parameters a sweep can vary: the schema's numbers and integers. */
export const numericFields = (fields: FieldSpec[]) => fields.filter((f) => f.kind === 'integer' || f.kind === 'number');

const round = (v: number, integer: boolean) => (integer ? Math.round(v) : Number(v.toPrecision(6)));

/**
 * A first range around each parameter's default (half to twice it, in about six steps, inside
 * its bounds); parameters with a default vary at first, the others (e.g. an order size) do not.
 */
export function initialAxes(fields: FieldSpec[]): Record<string, AxisInputs> {
  return Object.fromEntries(
    numericFields(fields).map((f) => {
      const integer = f.kind === 'integer';
      const d = typeof f.default === 'number' ? f.default : undefined;
      if (d === undefined || d <= 0) return [f.name, { vary: false, from: '', to: '', step: '' }];
      const low = Math.max(f.minimum ?? -Infinity, round(d / 2, integer));
      const high = Math.min(f.maximum ?? Infinity, f.exclusiveMaximum !== undefined ? f.exclusiveMaximum - (integer ? 1 : 1e-6) : Infinity, round(d * 2, integer));
      const step = Math.max(integer ? 1 : 0, round((high - low) / 5, integer));
      return [f.name, { vary: true, from: String(low), to: String(high), step: String(step || 1) }];
    }),
  );
}

export function initialSpace(fields: FieldSpec[]): SpaceInputs {
  return { mode: 'grid', axes: initialAxes(fields), samples: '50', seed: '1', rankBy: 'sharpe', oosFraction: '0.25', topN: '5' };
}

/** Values a grid axis takes (what the server will run), or null when the inputs are not a range. */
export function axisCount(a: AxisInputs): number | null {
  const [from, to, step] = [Number(a.from), Number(a.to), Number(a.step)];
  if ([a.from, a.to, a.step].some((v) => v.trim() === '') || ![from, to, step].every(Number.isFinite) || step <= 0 || to < from) return null;
  return Math.floor((to - from) / step + 1e-9) + 1;
}

/** How many combinations the grid holds (before the strategy's schema skips invalid ones), or null when an axis is unfinished. */
export function gridSize(space: SpaceInputs): number | null {
  let n = 1;
  for (const a of Object.values(space.axes)) {
    if (!a.vary) continue;
    const c = axisCount(a);
    if (c === null) return null;
    n *= c;
  }
  return n;
}

const num = (v: string) => Number(v.trim());

/** The space, ranking and out-of-sample part of `POST /api/sweeps`. */
export function spaceRequest(space: SpaceInputs): Pick<SweepRequest, 'grid' | 'random' | 'rankBy' | 'outOfSample' | 'topN'> {
  const varied = Object.entries(space.axes).filter(([, a]) => a.vary);
  const rest = {
    rankBy: space.rankBy,
    ...(space.oosFraction.trim() ? { outOfSample: { fraction: num(space.oosFraction) } } : {}),
    ...(space.topN.trim() ? { topN: num(space.topN) } : {}),
  };
  if (space.mode === 'grid') return { ...rest, grid: Object.fromEntries(varied.map(([name, a]) => [name, { from: num(a.from), to: num(a.to), step: num(a.step) }])) };
  return {
    ...rest,
    random: {
      ranges: Object.fromEntries(varied.map(([name, a]) => [name, { min: num(a.from), max: num(a.to), ...(a.step.trim() ? { step: num(a.step) } : {}) }])),
      samples: num(space.samples),
      ...(space.seed.trim() ? { seed: num(space.seed) } : {}),
    },
  };
}

/** Where the server's messages about the space are: one per parameter, and the space's own settings. */
export const axisPath = (mode: SpaceInputs['mode'], name: string) => (mode === 'grid' ? `/grid/${name}` : `/random/ranges/${name}`);
export const SPACE_FIELD_PATHS = ['/grid', '/random', '/rankBy', '/outOfSample', '/topN'] as const;
