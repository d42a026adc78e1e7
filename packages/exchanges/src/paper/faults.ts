import { derivePrng, type Prng } from './prng.ts';

export type CallType =
  | 'loadMarkets'
  | 'fetchTicker'
  | 'fetchCandles'
  | 'fetchOrderBook'
  | 'fetchBalances'
  | 'createOrder'
  | 'cancelOrder'
  | 'fetchOrder'
  | 'fetchOpenOrders'
  | 'fetchMyTrades';

export const WRITE_CALLS: ReadonlySet<CallType> = new Set(['createOrder', 'cancelOrder']);

/**
 * A fault injected into one call:
 * - `timeout`: the venue processes the request, the caller waits `timeoutMs` and gets TIMEOUT;
 * - `drop_response`: the venue processes it, the answer is lost: NETWORK;
 * - `server_error`: 5xx, EXCHANGE_UNAVAILABLE; for a write, `placed` says whether it took effect
 *   anyway (drawn with `serverErrorPlacedProbability` when not given);
 * - `rate_limited`: 429 with Retry-After, not processed;
 * - `banned`: 418, not processed, and every call is refused until the ban ends.
 * Time-outs, dropped responses and 5xx are `ambiguous` for writes.
 */
export type CallFault =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'drop_response' }
  | { readonly kind: 'server_error'; readonly placed?: boolean }
  | { readonly kind: 'rate_limited'; readonly retryAfterMs?: number }
  | { readonly kind: 'banned'; readonly banMs?: number };

/** Stream faults: a trade delivered twice; trades of a batch delivered before its order updates. */
export type StreamFault = 'duplicate_fill' | 'out_of_order_fill';

/** Probabilities (0–1) per call. */
export interface FaultRates {
  readonly timeout?: number;
  readonly dropResponse?: number;
  readonly serverError?: number;
  readonly rateLimited?: number;
  readonly banned?: number;
}

export interface UnknownOrderWindow {
  /** fetchOrder answers null (and cancel ORDER_NOT_FOUND) for this long after the submit… */
  readonly ms?: number;
  /** …and for this many fetchOrder calls. */
  readonly calls?: number;
}

export interface PaperFaultConfig {
  /** Per call type; `all` applies to call types without an entry of their own. */
  readonly calls?: Partial<Record<CallType | 'all', FaultRates>>;
  /** Whether a write that got a 5xx took effect. Default 0.5. */
  readonly serverErrorPlacedProbability?: number;
  /** How long a timed-out call keeps the caller waiting, from the call's start. Default 10 000. */
  readonly timeoutMs?: number;
  /** Retry-After of a 429. Default 1 000. */
  readonly retryAfterMs?: number;
  /** Length of a 418 ban. Default 60 000. */
  readonly banMs?: number;
  /** Probabilities per engine batch that contains a trade. */
  readonly stream?: { readonly duplicateFill?: number; readonly outOfOrderFill?: number };
  /** Applied after a successful submit with `probability` (default 1). */
  readonly unknownOrderWindow?: UnknownOrderWindow & { readonly probability?: number };
}

/**
 * Decides the faults, deterministically: scripted one-shots first (in the order scripted), then
 * draws from a generator seeded for this purpose only. Exactly one draw per call, per stream
 * batch and per successful submit, whatever the configuration, so changing one rate does not
 * shift the other decisions.
 */
export class FaultPlan {
  readonly config: PaperFaultConfig;
  readonly #rng: Prng;
  readonly #placedRng: Prng;
  readonly #scripted = new Map<CallType, CallFault[]>();
  readonly #scriptedStream: StreamFault[] = [];
  readonly #scriptedWindows: UnknownOrderWindow[] = [];

  constructor(config: PaperFaultConfig, seed: number) {
    this.config = config;
    this.#rng = derivePrng(seed, 'faults');
    this.#placedRng = derivePrng(seed, 'faults.placed');
  }

  /** The next call of this type gets `fault` (queued: several scripts apply to successive calls). */
  script(call: CallType, fault: CallFault): void {
    const queue = this.#scripted.get(call) ?? [];
    queue.push(fault);
    this.#scripted.set(call, queue);
  }

  /** The next engine batch with a trade gets this stream fault. */
  scriptStream(fault: StreamFault): void {
    this.#scriptedStream.push(fault);
  }

  /** The next successful submit gets this unknown-order window. */
  scriptUnknownOrder(window: UnknownOrderWindow): void {
    this.#scriptedWindows.push(window);
  }

  nextCallFault(call: CallType): CallFault | null {
    const r = this.#rng.next();
    const scripted = this.#scripted.get(call)?.shift();
    if (scripted) return scripted;
    const rates = this.config.calls?.[call] ?? this.config.calls?.all;
    if (!rates) return null;
    let edge = 0;
    const pick: [number | undefined, CallFault][] = [
      [rates.timeout, { kind: 'timeout' }],
      [rates.dropResponse, { kind: 'drop_response' }],
      [rates.serverError, { kind: 'server_error' }],
      [rates.rateLimited, { kind: 'rate_limited' }],
      [rates.banned, { kind: 'banned' }],
    ];
    for (const [p, fault] of pick) {
      edge += p ?? 0;
      if (r < edge) return fault;
    }
    return null;
  }

  /** Whether a 5xx on a write took effect. */
  serverErrorPlaced(fault: Extract<CallFault, { kind: 'server_error' }>): boolean {
    const r = this.#placedRng.next();
    return fault.placed ?? r < (this.config.serverErrorPlacedProbability ?? 0.5);
  }

  nextStreamFaults(): { duplicate: boolean; outOfOrder: boolean } {
    const r1 = this.#rng.next();
    const r2 = this.#rng.next();
    const scripted = this.#scriptedStream.shift();
    if (scripted) return { duplicate: scripted === 'duplicate_fill', outOfOrder: scripted === 'out_of_order_fill' };
    return { duplicate: r1 < (this.config.stream?.duplicateFill ?? 0), outOfOrder: r2 < (this.config.stream?.outOfOrderFill ?? 0) };
  }

  nextUnknownWindow(): UnknownOrderWindow | null {
    const r = this.#rng.next();
    const scripted = this.#scriptedWindows.shift();
    if (scripted) return scripted;
    const w = this.config.unknownOrderWindow;
    return w && r < (w.probability ?? 1) ? w : null;
  }
}
