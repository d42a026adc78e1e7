const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const TIMEFRAME = /^(\d+)([smhdw])$/;

/** "5m" → 300000. Throws on anything else (ccxt's spelling: s, m, h, d, w). */
export function timeframeToMs(timeframe: string): number {
  const m = TIMEFRAME.exec(timeframe);
  const unit = m?.[2] === undefined ? undefined : UNIT_MS[m[2]];
  if (!m || unit === undefined || Number(m[1]) <= 0) throw new RangeError(`not a timeframe: ${JSON.stringify(timeframe)}`);
  return Number(m[1]) * unit;
}

/** 300000 → "5m"; the largest unit that divides the duration. */
export function msToTimeframe(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0 || ms % 1000 !== 0) throw new RangeError(`not a bar duration: ${ms}`);
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}
