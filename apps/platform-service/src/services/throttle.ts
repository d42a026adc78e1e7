/**
 * Failed-login throttling: failures are counted per username and per client IP in a sliding
 * window. State is in memory, so it is PER INSTANCE: with N instances behind a balancer an attacker
 * gets up to N times the budget (still bounded; move the counters to Redis or the database if that
 * matters). Memory is bounded: each key keeps at most `maxFailures` timestamps and the map keeps at
 * most `maxKeys` keys, evicting the least recently failed first.
 */
export interface SlidingWindowOptions {
  maxFailures: number;
  windowMs: number;
  maxKeys?: number;
  now?: () => number;
}

export class SlidingWindowCounter {
  /** key → timestamps (ms) of its most recent failures, oldest first, at most `maxFailures`. */
  private readonly failures = new Map<string, number[]>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: SlidingWindowOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until `key` may try again; 0 when it is not throttled. */
  retryAfterMs(key: string): number {
    const list = this.live(key);
    if (list.length < this.options.maxFailures) return 0;
    // Only the last `maxFailures` are kept, so the oldest one decides when a slot frees up.
    return Math.max(1, list[0]! + this.options.windowMs - this.now());
  }

  recordFailure(key: string): void {
    const list = this.live(key);
    list.push(this.now());
    if (list.length > this.options.maxFailures) list.splice(0, list.length - this.options.maxFailures);
    // Re-insert so Map order is "least recently failed first" for eviction.
    this.failures.delete(key);
    this.failures.set(key, list);
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
  }

  /** The key's failures still inside the window (expired ones are dropped on the way). */
  private live(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const cutoff = this.now() - this.options.windowMs;
    while (list.length > 0 && list[0]! <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }
}

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
  now?: () => number;
}

export class LoginThrottle {
  private readonly byUser: SlidingWindowCounter;
  private readonly byIp: SlidingWindowCounter;

  constructor(options: LoginThrottleOptions) {
    const windowMs = options.windowSeconds * 1000;
    this.byUser = new SlidingWindowCounter({ maxFailures: options.maxFailuresPerUser, windowMs, now: options.now });
    this.byIp = new SlidingWindowCounter({ maxFailures: options.maxFailuresPerIp, windowMs, now: options.now });
  }

  /**
   * Seconds to wait before this username or IP may try again (the longer of the two); 0 = go on.
   * The username key ignores the tenant: alternating tenant slugs must not multiply the budget.
   */
  retryAfterSeconds(username: string, ip: string): number {
    const ms = Math.max(this.byUser.retryAfterMs(username), this.byIp.retryAfterMs(ip));
    return Math.ceil(ms / 1000);
  }

  recordFailure(username: string, ip: string): void {
    this.byUser.recordFailure(username);
    this.byIp.recordFailure(ip);
  }

  /** A successful login clears that user's failures (not the IP's: one good account must not launder an IP's guesses). */
  recordSuccess(username: string): void {
    this.byUser.reset(username);
  }
}
