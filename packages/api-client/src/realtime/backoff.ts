/**
 * Exponential back-off with full jitter: attempt n waits a random time up to min(max, base·2ⁿ), so
 * a backend restart is not met by every dashboard reconnecting in the same instant.
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(opts.baseMs / 2 + random() * (ceiling - opts.baseMs / 2));
}
