import { ExchangeError } from '../exchange-error.ts';
import type { CandleSource, MarketEvent, MarketFeed, MarketListener } from '../market/market-feed.ts';
import { highFirst } from '../market/ohlc-path.ts';
import { msToTimeframe } from '../market/timeframe.ts';
import type { PaperMatchingEngine } from '../paper/matching-engine.ts';
import type { Unsubscribe, VenueCandle } from '../port.ts';
import type { Clock } from '../time/clock.ts';
import type { Scheduler, TimerId } from '../time/scheduler.ts';
import { candleAt, inferBarDuration, type CandleSeries } from './candle-series.ts';
import { intrabarTick, roundToStepNumber, ticksPerBar } from './intrabar-ticks.ts';

export interface MarketReplayOptions {
  readonly symbol: string;
  readonly series: CandleSeries;
  readonly scheduler: Scheduler;
  /**
   * Market time per scheduler time: 1 = real time, 60 = a 5-minute bar every 5 s. 'max' plays
   * as fast as possible (`batchSize` events per scheduler turn). Default 1.
   */
  readonly speed?: number | 'max';
  /** Interpolated ticks between consecutive path points. Default 0: O, first extreme, second extreme, C. */
  readonly ticksPerSegment?: number;
  /**
   * 'ticks' (default): every tick goes to the engine and the listeners, then the bar's close.
   * 'bars': no ticks; at each bar's close the engine matches the whole bar, then the listeners get
   * the candle — exactly what the backtester does, for parity runs.
   */
  readonly mode?: 'ticks' | 'bars';
  /** Start again at the first bar after the last, timestamps shifted so time keeps increasing. */
  readonly loop?: boolean;
  /** Fed before the listeners hear of a tick or bar (the default wiring for paper trading). */
  readonly engine?: PaperMatchingEngine;
  /** Added to every timestamp, e.g. to move the data next to the present. Default 0. */
  readonly shiftMs?: number;
  /** Default: the smallest gap between bars in the data. */
  readonly barDurationMs?: number;
  /** Interpolated tick prices are rounded to this step (e.g. the tick size). */
  readonly priceStep?: number;
  readonly batchSize?: number;
  readonly startIndex?: number;
  readonly onListenerError?: (error: unknown) => void;
}

/**
 * Plays real candles as a live market: intrabar ticks along each bar's documented OHLC path,
 * then the bar's close, paced by the injected scheduler at a configurable speed, optionally
 * forever (looping, with shifted timestamps). It feeds the paper matching engine first, then its
 * listeners, and serves the bars already played as a CandleSource (no look-ahead). `clock` is the
 * market time of the last event: give it to the PaperExchange so orders and fills share it.
 */
export class MarketReplay implements MarketFeed, CandleSource {
  readonly symbol: string;
  readonly timeframe: string;
  readonly barDurationMs: number;
  /** Market time of the last event played. */
  readonly clock: Clock;
  readonly #o: MarketReplayOptions;
  readonly #series: CandleSeries;
  readonly #scheduler: Scheduler;
  readonly #ticks: number;
  readonly #loopSpan: number;
  readonly #listeners: MarketListener[] = [];
  /** Position in the whole (looped) sequence: bar `#bar` of the run, event `#sub` within it. */
  #bar = 0;
  #sub = 0;
  #closedBars = 0;
  #now: number;
  #timer: TimerId | null = null;
  #running = false;

  constructor(options: MarketReplayOptions) {
    if (options.series.length === 0) throw new RangeError('MarketReplay: no candles');
    const speed = options.speed ?? 1;
    if (speed !== 'max' && !(speed > 0)) throw new RangeError(`MarketReplay: speed must be > 0 or 'max', got ${speed}`);
    const n = options.ticksPerSegment ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`ticksPerSegment must be a non-negative integer, got ${n}`);
    const start = options.startIndex ?? 0;
    if (!Number.isInteger(start) || start < 0 || start >= options.series.length) throw new RangeError(`startIndex ${start} outside the data`);
    this.#o = options;
    this.#series = options.series;
    this.#scheduler = options.scheduler;
    this.symbol = options.symbol;
    this.barDurationMs = options.barDurationMs ?? (options.series.length > 1 ? inferBarDuration(options.series) : 60_000);
    this.timeframe = msToTimeframe(this.barDurationMs);
    this.#ticks = (options.mode ?? 'ticks') === 'ticks' ? ticksPerBar(n) : 0;
    const s = options.series;
    this.#loopSpan = s.time[s.length - 1]! - s.time[0]! + this.barDurationMs;
    this.#bar = 0;
    this.#now = this.#barOpenTime(0);
    this.clock = { now: () => this.#now };
  }

  subscribe(listener: MarketListener): Unsubscribe {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Bars whose close has been played (over all loops). */
  get barsPlayed(): number {
    return this.#closedBars;
  }

  get finished(): boolean {
    return !this.#o.loop && this.#dataIndex(this.#bar) === undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Plays the next event now, synchronously; false when the data is exhausted (no loop). */
  step(): boolean {
    const i = this.#dataIndex(this.#bar);
    if (i === undefined) return false;
    const s = this.#series;
    const open = this.#barOpenTime(this.#bar);
    const engine = this.#o.engine;
    if (this.#sub < this.#ticks) {
      const hf = highFirst(s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!);
      let price = intrabarTick(s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, hf, this.#o.ticksPerSegment ?? 0, this.#sub);
      if (this.#o.priceStep !== undefined) price = roundToStepNumber(price, this.#o.priceStep, s.low[i]!, s.high[i]!);
      const time = open + Math.floor((this.barDurationMs * this.#sub) / this.#ticks);
      this.#now = time;
      engine?.onTick(this.symbol, price, time, s.volume[i]! / this.#ticks);
      this.#emit({ type: 'tick', symbol: this.symbol, price, time });
      this.#sub++;
      return true;
    }
    const candle = candleAt(s, i, open - s.time[i]!);
    this.#now = open + this.barDurationMs;
    if (this.#ticks === 0) engine?.onCandle(this.symbol, candle);
    this.#closedBars++;
    this.#bar++;
    this.#sub = 0;
    this.#emit({ type: 'candle', symbol: this.symbol, timeframe: this.timeframe, candle });
    return true;
  }

  /**
   * Bars already closed, oldest first: the data before `startIndex` (history for warming up
   * indicators) and every bar played since. `since` is inclusive (bar open time); without it the
   * last `limit` bars.
   */
  candles(symbol: string, timeframe: string, since?: number, limit = 500): VenueCandle[] {
    if (symbol !== this.symbol) return [];
    if (timeframe !== this.timeframe) throw new ExchangeError('UNKNOWN', `the replay of ${symbol} has ${this.timeframe} bars, not ${timeframe}`);
    const count = (this.#o.startIndex ?? 0) + this.#closedBars;
    let from = Math.max(0, count - limit);
    if (since !== undefined) {
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#openTimeAt(mid) < since) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const out: VenueCandle[] = [];
    const n = this.#series.length;
    for (let p = from; p < count && out.length < limit; p++) out.push(candleAt(this.#series, p % n, this.#openTimeAt(p) - this.#series.time[p % n]!));
    return out;
  }

  // ---- pacing ------------------------------------------------------------------------------

  #schedule(delayMs: number): void {
    this.#timer = this.#scheduler.setTimeout(() => this.#onTimer(), delayMs);
  }

  #onTimer(): void {
    this.#timer = null;
    if (!this.#running) return;
    const speed = this.#o.speed ?? 1;
    const batch = speed === 'max' ? (this.#o.batchSize ?? 1000) : 1;
    for (let k = 0; k < batch; k++) {
      if (!this.step()) {
        this.#running = false;
        return;
      }
      if (speed !== 'max') {
        const next = this.#nextEventTime();
        if (next !== undefined) this.#schedule((next - this.#now) / speed);
        else this.#running = false;
        return;
      }
    }
    this.#schedule(0);
  }

  /** Market time of the event `step()` would play next. */
  #nextEventTime(): number | undefined {
    if (this.#dataIndex(this.#bar) === undefined) return undefined;
    const open = this.#barOpenTime(this.#bar);
    return this.#sub < this.#ticks ? open + Math.floor((this.barDurationMs * this.#sub) / this.#ticks) : open + this.barDurationMs;
  }

  /** Data index of run bar k (after startIndex, across loops); undefined past the end without loop. */
  #dataIndex(k: number): number | undefined {
    const p = (this.#o.startIndex ?? 0) + k;
    const n = this.#series.length;
    if (p >= n && !this.#o.loop) return undefined;
    return p % n;
  }

  #barOpenTime(k: number): number {
    return this.#openTimeAt((this.#o.startIndex ?? 0) + k);
  }

  /** Open time of absolute position p (data index p mod n, in loop ⌊p / n⌋). */
  #openTimeAt(p: number): number {
    const n = this.#series.length;
    return this.#series.time[p % n]! + Math.floor(p / n) * this.#loopSpan + (this.#o.shiftMs ?? 0);
  }

  #emit(event: MarketEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        (this.#o.onListenerError ?? ((e) => console.error('market replay: listener failed', e)))(error);
      }
    }
  }
}
