/**
 * Out-of-sample validation: a range of bars a sweep does not optimise on. Its best in-sample
 * combinations are re-run there; a combination that only fits the in-sample noise shows it.
 */

/** Bar open times, epoch ms; `to` is exclusive, like the backtester's own range. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}
/** Hold back the last `fraction` of the bars of the range, or validate on a separate range. */
export type OutOfSample = { readonly fraction: number } | TimeRange;

export interface SampleSplit {
  readonly inSample: TimeRange;
  readonly outOfSample: TimeRange;
}

/**
 * Splits a range into the in-sample part and the out-of-sample part. `times` are the ascending
 * bar open times of the data (the first market's, for several). With `fraction`, the last
 * round(n × fraction) bars of the n in the range are held back (at least one on each side); with
 * an explicit range, it must not overlap the in-sample range. Throws RangeError with what to change.
 */
export function splitOutOfSample(times: ArrayLike<number>, range: Partial<TimeRange>, oos: OutOfSample): SampleSplit {
  const from = range.from ?? (times.length > 0 ? times[0]! : 0);
  const to = range.to ?? (times.length > 0 ? times[times.length - 1]! + 1 : 0);
  if ('fraction' in oos) {
    if (!(oos.fraction > 0 && oos.fraction < 1)) throw new RangeError(`outOfSample.fraction must be between 0 and 1 (got ${oos.fraction})`);
    let first = 0;
    while (first < times.length && times[first]! < from) first++;
    let end = first;
    while (end < times.length && times[end]! < to) end++;
    const n = end - first;
    if (n < 2) throw new RangeError(`the range holds ${n} bar(s): at least 2 are needed to hold some back; widen from/to`);
    const held = Math.min(n - 1, Math.max(1, Math.round(n * oos.fraction)));
    const split = times[end - held]!;
    return { inSample: { from, to: split }, outOfSample: { from: split, to } };
  }
  if (!(oos.from < oos.to)) throw new RangeError('outOfSample.from must be before outOfSample.to');
  if (oos.from < to && oos.to > from) {
    throw new RangeError('the out-of-sample range overlaps the in-sample range (from–to): pick a range outside it, or use outOfSample.fraction');
  }
  return { inSample: { from, to }, outOfSample: { from: oos.from, to: oos.to } };
}
