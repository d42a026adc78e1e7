/**
 * Parameter sweeps, as pure functions: the combinations of a grid or of a seeded random search,
 * their deterministic ranking by a metric, and the out-of-sample split. The backend runs the
 * combinations (apps/backend/src/backtests); nothing here does I/O or reads a clock.
 */
export {
  ParamSpaceError,
  axisValues,
  gridCombinations,
  gridSize,
  randomCombinations,
  type GridAxis,
  type NumberSteps,
  type ParamCombination,
  type ParamGrid,
  type ParamValue,
  type RandomAxis,
  type RandomSearch,
} from './param-space.ts';
export { compareParams, rankRows, rankScore, type RankBy, type RankableRow } from './ranking.ts';
export { splitOutOfSample, type OutOfSample, type SampleSplit, type TimeRange } from './out-of-sample.ts';
