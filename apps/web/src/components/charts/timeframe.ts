const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `1s` → 1000, `5m` → 300000: the length of a bar, to place fills on the bar they happened in. */
export function timeframeMs(timeframe: string): number {
  const m = /^(\d+)([smhdw])$/.exec(timeframe);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : 60_000;
}
