import { mulberry32 } from '@kestrel/exchanges';

/**
 * The parameter space of a sweep, and the combinations it yields. Pure and deterministic: the
 * same space (and seed) always gives the same combinations in the same order, so a sweep run
 * twice ranks the same rows.
 */

/** One strategy parameter's value. */
export type ParamValue = number | string | boolean;
/** One combination: parameter name → value, keys in ascending order. */
export type ParamCombination = Readonly<Record<string, ParamValue>>;

/** Evenly spaced numbers from `from` to `to` (both included when `to` is on the grid). */
export interface NumberSteps {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}
/** A grid axis: the values themselves, or evenly spaced numbers. */
export type GridAxis = readonly ParamValue[] | NumberSteps;
export type ParamGrid = Readonly<Record<string, GridAxis>>;

/** A random-search axis: one of these values, a number in [min, max] on a step, or any number in [min, max] without one. */
export type RandomAxis = readonly ParamValue[] | { readonly min: number; readonly max: number; readonly step?: number };
export interface RandomSearch {
  readonly ranges: Readonly<Record<string, RandomAxis>>;
  /** Distinct combinations wanted; fewer when the space holds fewer. */
  readonly samples: number;
  /** Any integer; the same seed gives the same combinations. */
  readonly seed: number;
}

/** A parameter axis that cannot be expanded; `param` names it so the API can point at the field. */
export class ParamSpaceError extends RangeError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'ParamSpaceError';
  }
}

/** Decimal places of a number as written ("0.05" → 2), so stepped values print as typed: 0.1 + 2 × 0.1 is 0.3, not 0.30000000000000004. */
function decimals(x: number): number {
  const [, frac = '', exp = '0'] = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(String(x)) ?? [];
  return Math.max(0, frac.length - Number(exp));
}
const onStep = (base: number, step: number, k: number, places: number) => Number((base + k * step).toFixed(places));

function steps(param: string, s: NumberSteps): { count: number; value: (k: number) => number } {
  if (![s.from, s.to, s.step].every(Number.isFinite)) throw new ParamSpaceError(param, 'from, to and step must be finite numbers');
  if (!(s.step > 0)) throw new ParamSpaceError(param, `step must be greater than 0 (got ${s.step})`);
  if (s.to < s.from) throw new ParamSpaceError(param, `to (${s.to}) must not be below from (${s.from})`);
  const places = Math.min(15, Math.max(decimals(s.from), decimals(s.step)));
  // The small epsilon keeps `to` on the grid when float division lands just under a whole number.
  const count = Math.floor((s.to - s.from) / s.step + 1e-9) + 1;
  return { count, value: (k) => onStep(s.from, s.step, k, places) };
}

const isList = (axis: GridAxis | RandomAxis): axis is readonly ParamValue[] => Array.isArray(axis);

function axisCount(param: string, axis: GridAxis): number {
  if (isList(axis)) {
    if (axis.length === 0) throw new ParamSpaceError(param, 'give at least one value');
    return axis.length;
  }
  return steps(param, axis).count;
}

/** The values of one grid axis, in the order given (lists) or ascending (steps). */
export function axisValues(param: string, axis: GridAxis): ParamValue[] {
  if (isList(axis)) {
    axisCount(param, axis);
    return [...axis];
  }
  const s = steps(param, axis);
  return Array.from({ length: s.count }, (_, k) => s.value(k));
}

/** How many combinations the grid holds, without building them (check it against a limit first). */
export function gridSize(grid: ParamGrid): number {
  const names = Object.keys(grid);
  if (names.length === 0) throw new ParamSpaceError('grid', 'name at least one parameter');
  return names.reduce((n, name) => n * axisCount(name, grid[name]!), 1);
}

/** Every combination of the grid: parameters in ascending name order, the last one varying fastest. */
export function gridCombinations(grid: ParamGrid): ParamCombination[] {
  gridSize(grid);
  const names = Object.keys(grid).sort();
  const axes = names.map((name) => axisValues(name, grid[name]!));
  const out: ParamCombination[] = [];
  const pick = new Array<number>(names.length).fill(0);
  for (;;) {
    out.push(Object.fromEntries(names.map((name, i) => [name, axes[i]![pick[i]!]!])));
    // Advance like an odometer: the last axis turns fastest; done when the first one wraps.
    let i = names.length - 1;
    for (; i >= 0; i--) {
      pick[i] = pick[i]! + 1;
      if (pick[i]! < axes[i]!.length) break;
      pick[i] = 0;
    }
    if (i < 0) return out;
  }
}

/**
 * `samples` distinct combinations drawn from the ranges with a seeded generator (mulberry32):
 * parameters are drawn in ascending name order, so the seed alone fixes the result. A repeated
 * draw is skipped; after 20 × samples draws the search stops with what it has (a small discrete
 * space may hold fewer combinations than asked for).
 */
export function randomCombinations(search: RandomSearch): ParamCombination[] {
  const names = Object.keys(search.ranges).sort();
  if (names.length === 0) throw new ParamSpaceError('ranges', 'name at least one parameter');
  if (!Number.isInteger(search.samples) || search.samples < 1) throw new ParamSpaceError('samples', 'must be a whole number of at least 1');
  const draws = names.map((name) => drawer(name, search.ranges[name]!));
  const rng = mulberry32(search.seed);
  const seen = new Set<string>();
  const out: ParamCombination[] = [];
  for (let attempt = 0; out.length < search.samples && attempt < search.samples * 20; attempt++) {
    const combo = Object.fromEntries(names.map((name, i) => [name, draws[i]!(rng.next())]));
    const key = JSON.stringify(combo);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(combo);
  }
  return out;
}

function drawer(param: string, axis: RandomAxis): (u: number) => ParamValue {
  if (isList(axis)) {
    axisCount(param, axis);
    return (u) => axis[Math.floor(u * axis.length)]!;
  }
  if (!Number.isFinite(axis.min) || !Number.isFinite(axis.max)) throw new ParamSpaceError(param, 'min and max must be finite numbers');
  if (axis.max < axis.min) throw new ParamSpaceError(param, `max (${axis.max}) must not be below min (${axis.min})`);
  if (axis.step === undefined) return (u) => axis.min + u * (axis.max - axis.min);
  const s = steps(param, { from: axis.min, to: axis.max, step: axis.step });
  return (u) => s.value(Math.floor(u * s.count));
}
