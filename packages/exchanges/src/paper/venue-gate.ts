export interface VenueRateLimit {
  /** At most this many requests (of any type) per sliding window… */
  readonly maxRequests: number;
  readonly windowMs: number;
}

export type GateRefusal = { readonly kind: 'rate_limited' | 'banned'; readonly retryAfterMs: number };

/**
 * The venue's door: a sliding-window request limit answered with 429 + Retry-After, and a 418
 * ban for a client that comes back before its Retry-After has passed (what Binance does). During
 * a ban every request is refused and none reaches the matching engine.
 */
export class VenueGate {
  readonly #limit: VenueRateLimit | undefined;
  readonly #banMs: number;
  readonly #banOnIgnoredRetryAfter: boolean;
  readonly #recent: number[] = [];
  #bannedUntil = -Infinity;
  #retryAfterUntil = -Infinity;

  constructor(options: { limit?: VenueRateLimit; banMs: number; banOnIgnoredRetryAfter: boolean }) {
    this.#limit = options.limit;
    this.#banMs = options.banMs;
    this.#banOnIgnoredRetryAfter = options.banOnIgnoredRetryAfter;
  }

  get bannedUntil(): number {
    return this.#bannedUntil;
  }

  /** Called when a request arrives; null lets it through. */
  admit(now: number): GateRefusal | null {
    if (now < this.#bannedUntil) return { kind: 'banned', retryAfterMs: this.#bannedUntil - now };
    if (this.#banOnIgnoredRetryAfter && now < this.#retryAfterUntil) return this.ban(now, this.#banMs);
    const limit = this.#limit;
    if (limit) {
      const recent = this.#recent;
      while (recent.length > 0 && recent[0]! <= now - limit.windowMs) recent.shift();
      if (recent.length >= limit.maxRequests) return this.rateLimit(now, recent[0]! + limit.windowMs - now);
      recent.push(now);
    }
    return null;
  }

  rateLimit(now: number, retryAfterMs: number): GateRefusal {
    this.#retryAfterUntil = Math.max(this.#retryAfterUntil, now + retryAfterMs);
    return { kind: 'rate_limited', retryAfterMs };
  }

  ban(now: number, banMs: number): GateRefusal {
    this.#bannedUntil = Math.max(this.#bannedUntil, now + banMs);
    return { kind: 'banned', retryAfterMs: this.#bannedUntil - now };
  }
}
