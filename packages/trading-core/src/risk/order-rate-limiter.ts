/**
 * Sliding-window count of approved orders per key (profile), on the injected clock's times.
 * In memory: a profile's loop runs on one backend instance at a time, which seeds it from the
 * database on take-over (`seed`).
 */
export class OrderRateLimiter {
  readonly #times = new Map<string, number[]>();

  count(key: string, now: number, windowMs: number): number {
    const times = this.#times.get(key);
    if (times === undefined) return 0;
    let n = 0;
    for (let i = times.length - 1; i >= 0; i--) {
      const t = times[i] ?? -Infinity;
      if (t <= now - windowMs) break;
      if (t <= now) n++;
    }
    return n;
  }

  /** Oldest time still counted in the window (for "retry after"), or null. */
  oldestInWindow(key: string, now: number, windowMs: number): number | null {
    const times = this.#times.get(key) ?? [];
    for (const t of times) if (t > now - windowMs && t <= now) return t;
    return null;
  }

  record(key: string, at: number, windowMs: number): void {
    let times = this.#times.get(key);
    if (times === undefined) {
      times = [];
      this.#times.set(key, times);
    }
    times.push(at);
    const cutoff = at - windowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? Infinity) <= cutoff) drop++;
    if (drop > 0) times.splice(0, drop);
  }

  seed(key: string, times: readonly number[]): void {
    this.#times.set(key, [...times].sort((a, b) => a - b));
  }
}
