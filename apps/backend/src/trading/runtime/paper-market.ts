import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError, type PaperConfig } from '@kestrel/contracts';
import {
  MarketReplay,
  msToTimeframe,
  PaperExchange,
  PaperMatchingEngine,
  parseCandlesCsv,
  systemScheduler,
  inferBarDuration,
  type CandleSeries,
  type MarketEvent,
  type Scheduler,
  type Unsubscribe,
  type VenueCandle,
  type VenueMarket,
  type VenueOrderBook,
  type VenueTicker,
} from '@kestrel/exchanges';
import type { ExchangeAdapter, VenueProvider } from '../venue.ts';
import type { MarketDataEvent, MarketDataSource, MarketSymbol } from './market-data.ts';

/** One replayed market: a symbol, its trading rules and the historical bars it plays. */
export interface PaperDataset {
  readonly market: VenueMarket;
  /** CSV `timestamp_ms,open,high,low,close,volume` (packages/market-data/data/candles/); also names the dataset. */
  readonly file: string;
  /** The bars, when the caller read them already (server.ts: from the candle store); else the file is parsed. */
  readonly series?: CandleSeries;
}

const DATA_DIR = fileURLToPath(new URL('../../../../../packages/market-data/data/candles/', import.meta.url));

/** The markets of the embedded paper venue: real exchange candles (packages/market-data/PROVENANCE.md). */
export const DEFAULT_PAPER_DATASETS: readonly PaperDataset[] = [
  {
    market: { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.00001', minQty: '0.00001', minNotional: '5', active: true },
    file: `${DATA_DIR}BTC_USDT-5m.csv`,
  },
  {
    market: { symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', tickSize: '0.000001', lotSize: '0.0001', minQty: '0.0001', minNotional: '0.0001', active: true },
    file: `${DATA_DIR}ETH_BTC-5m.csv`,
  },
];

export interface PaperMarketOptions {
  readonly datasets?: readonly PaperDataset[];
  /**
   * How much faster than the data's own time the market plays. The bars are re-timed onto the
   * wall clock: at 300, the 5-minute bars of the data become 1-second bars stamped with the time
   * they are played, so charts, orders and fills all carry real, current times. 1 = as recorded.
   */
  readonly speed: number;
  /** Interpolated ticks between the points of each bar's O→H/L→L/H→C path (0: four ticks per bar). */
  readonly ticksPerSegment?: number;
  /** Bars of history before the first live bar (served by candles(): indicators warm up at once). */
  readonly historyBars?: number;
  /** Starting balances of every paper account at the venue (each account its own engine). */
  readonly balances?: Readonly<Record<string, string>>;
  readonly fees?: { readonly maker: string; readonly taker: string };
  /** Timers and the wall clock; tests pass a VirtualScheduler. */
  readonly scheduler?: Scheduler;
  readonly onListenerError?: (error: unknown) => void;
}

interface Played {
  readonly dataset: PaperDataset;
  readonly replay: MarketReplay;
  readonly info: MarketSymbol;
}

/**
 * The embedded paper venue of `npm start`: historical candles replayed as a live market, and one
 * simulated exchange (matching engine + PaperExchange with latency) per paper account, all fed by
 * the same prices. It is both the VenueProvider for paper accounts and the market data source of
 * the REST API and socket pushes.
 *
 * Venue ids (orders, trades) start at the boot time × 1000, so they keep increasing across
 * restarts: fills are deduplicated by (account, venue, trade id), and a restarted venue must never
 * reuse an id. The venue's own state (open orders, balances) does not survive a restart — like an
 * exchange that cancelled everything: start-up reconciliation settles the local orders.
 */
export class PaperMarket implements VenueProvider, MarketDataSource {
  readonly #scheduler: Scheduler;
  readonly #played = new Map<string, Played>();
  readonly #exchanges = new Map<string, PaperExchange>();
  readonly #engines: PaperMatchingEngine[] = [];
  readonly #listeners = new Set<(event: MarketDataEvent) => void>();
  readonly #options: PaperMarketOptions;
  readonly #bootId: number;
  readonly #last = new Map<string, { price: number; time: number }>();
  #started = false;

  constructor(options: PaperMarketOptions) {
    if (!(options.speed > 0)) throw new RangeError(`PaperMarket: speed must be > 0, got ${options.speed}`);
    this.#options = options;
    this.#scheduler = options.scheduler ?? systemScheduler();
    this.#bootId = this.#scheduler.now() * 1000;
    for (const dataset of options.datasets ?? DEFAULT_PAPER_DATASETS) this.#add(dataset);
  }

  #add(dataset: PaperDataset): void {
    const raw = dataset.series ?? parseCandlesCsv(readFileSync(dataset.file, 'utf8'), { source: dataset.file });
    const dataBarMs = inferBarDuration(raw);
    // Bars last whole seconds (timeframes are "1s", "5s", …): the speed is rounded to match.
    const barMs = Math.round(dataBarMs / this.#options.speed / 1000) * 1000;
    if (dataBarMs / this.#options.speed < 1000) throw new RangeError(`PaperMarket: at speed ${this.#options.speed} the ${msToTimeframe(dataBarMs)} bars of ${dataset.market.symbol} would last under a second; lower PAPER_REPLAY_SPEED`);
    const history = Math.min(this.#options.historyBars ?? 500, raw.length - 1);
    const series = retime(raw, barMs, Math.ceil(this.#scheduler.now() / barMs) * barMs - history * barMs);
    const replay = new MarketReplay({
      symbol: dataset.market.symbol,
      series,
      scheduler: this.#scheduler,
      speed: 1,
      loop: true,
      startIndex: history,
      barDurationMs: barMs,
      ticksPerSegment: this.#options.ticksPerSegment ?? 0,
      priceStep: Number(dataset.market.tickSize),
      ...(this.#options.onListenerError ? { onListenerError: this.#options.onListenerError } : {}),
    });
    // First listener: every engine sees a price before any exchange stream or client hears of it.
    replay.subscribe((event) => this.#fanOut(event));
    const file = dataset.file.split('/').pop()!;
    this.#played.set(dataset.market.symbol, {
      dataset,
      replay,
      info: {
        ...pickMarket(dataset.market),
        timeframe: replay.timeframe,
        source: { kind: 'replay', dataset: file, speed: dataBarMs / barMs, dataTimeframe: msToTimeframe(dataBarMs) },
      },
    });
  }

  #fanOut(event: MarketEvent): void {
    if (event.type === 'tick') {
      this.#last.set(event.symbol, { price: event.price, time: event.time });
      for (const engine of this.#engines) engine.onTick(event.symbol, event.price, event.time);
    }
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        (this.#options.onListenerError ?? ((e) => console.error('paper market: listener failed', e)))(error);
      }
    }
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const p of this.#played.values()) p.replay.start();
  }

  stop(): void {
    this.#started = false;
    for (const p of this.#played.values()) p.replay.stop();
  }

  get running(): boolean {
    return this.#started;
  }

  // ---- VenueProvider --------------------------------------------------------------------------

  /** The account's own venue; its paper configuration (starting balances, fee rates, seed) applies when it has one. */
  venueFor(account: { id: string; kind: 'paper' | 'live'; venue: string; paperConfig?: unknown }): ExchangeAdapter | null {
    if (account.kind !== 'paper') return null;
    let exchange = this.#exchanges.get(account.id);
    if (!exchange) {
      const own = (account.paperConfig ?? {}) as PaperConfig;
      const engine = new PaperMatchingEngine({
        markets: [...this.#played.values()].map((p) => p.dataset.market),
        balances: own.balances ?? this.#options.balances ?? { USDT: '10000000', BTC: '1000', ETH: '10000' },
        config: { makerFeeRate: own.makerFeeRate ?? this.#options.fees?.maker ?? '0.001', takerFeeRate: own.takerFeeRate ?? this.#options.fees?.taker ?? '0.001' },
        idStart: this.#bootId + this.#exchanges.size * 1_000_000_000,
      });
      for (const p of this.#played.values()) {
        const last = this.#lastTick(p);
        if (last) engine.onTick(p.dataset.market.symbol, last.price, last.time);
      }
      this.#engines.push(engine);
      exchange = new PaperExchange({
        engine,
        scheduler: this.#scheduler,
        seed: own.seed ?? this.#exchanges.size + 1,
        venue: account.venue,
        marketData: { subscribe: (l) => this.subscribe(l) },
        candles: { candles: (symbol, timeframe, since, limit) => this.#candlesOf(symbol, timeframe, since, limit) },
        ...(this.#options.onListenerError ? { onListenerError: this.#options.onListenerError } : {}),
      });
      this.#exchanges.set(account.id, exchange);
    }
    return exchange;
  }

  // ---- MarketDataSource -------------------------------------------------------------------------

  symbols(): readonly MarketSymbol[] {
    return [...this.#played.values()].map((p) => p.info);
  }

  async ticker(symbol: string): Promise<VenueTicker> {
    const p = this.#get(symbol);
    const last = this.#lastTick(p);
    if (!last) throw new AppError('DEPENDENCY_UNAVAILABLE', `No price for ${symbol} yet: the market feed has not started; try again in a moment.`);
    const step = Number(p.dataset.market.tickSize);
    const digits = decimals(p.dataset.market.tickSize);
    return { symbol, last: last.price.toFixed(digits), bid: (last.price - step).toFixed(digits), ask: (last.price + step).toFixed(digits), time: last.time };
  }

  async candles(symbol: string, timeframe: string, since?: number, limit?: number): Promise<VenueCandle[]> {
    return this.#candlesOf(symbol, timeframe, since, limit, true);
  }

  async orderBook(symbol: string, depth = 10): Promise<VenueOrderBook> {
    const p = this.#get(symbol);
    const last = this.#lastTick(p);
    if (!last) throw new AppError('DEPENDENCY_UNAVAILABLE', `No price for ${symbol} yet: the market feed has not started; try again in a moment.`);
    const step = Number(p.dataset.market.tickSize);
    const digits = decimals(p.dataset.market.tickSize);
    const levels = (sign: 1 | -1) => Array.from({ length: depth }, (_, i) => [(last.price + sign * step * (i + 1)).toFixed(digits), '1'] as const);
    return { symbol, bids: levels(-1), asks: levels(1), time: last.time };
  }

  subscribe(listener: (event: MarketDataEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #candlesOf(symbol: string, timeframe: string, since?: number, limit?: number, strict = false): VenueCandle[] {
    const p = this.#played.get(symbol);
    if (!p) {
      if (strict) throw new AppError('NOT_FOUND', `No market data for ${symbol}; GET /api/market/symbols lists the symbols.`);
      return [];
    }
    if (timeframe !== p.replay.timeframe) {
      if (strict) throw new AppError('VALIDATION_FAILED', `${symbol} is played as ${p.replay.timeframe} bars; ask for timeframe=${p.replay.timeframe}.`);
      return [];
    }
    return p.replay.candles(symbol, timeframe, since, limit);
  }

  /** The last traded price: the last tick, or before any the close of the last history bar. */
  #lastTick(p: Played): { price: number; time: number } | null {
    const tick = this.#last.get(p.dataset.market.symbol);
    if (tick) return tick;
    const [bar] = p.replay.candles(p.replay.symbol, p.replay.timeframe, undefined, 1);
    return bar ? { price: bar.close, time: bar.time + p.replay.barDurationMs } : null;
  }

  #get(symbol: string): Played {
    const p = this.#played.get(symbol);
    if (!p) throw new AppError('NOT_FOUND', `No market data for ${symbol}; GET /api/market/symbols lists the symbols.`);
    return p;
  }
}

/** The bars of `raw`, one every `barMs`, the first opening at `t0` (gaps closed: the market is continuous). */
function retime(raw: CandleSeries, barMs: number, t0: number): CandleSeries {
  const time = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) time[i] = t0 + i * barMs;
  return { ...raw, time };
}

function pickMarket(m: VenueMarket) {
  return { symbol: m.symbol, base: m.base, quote: m.quote, tickSize: m.tickSize, lotSize: m.lotSize, minQty: m.minQty, minNotional: m.minNotional };
}

function decimals(step: string): number {
  const i = step.indexOf('.');
  return i < 0 ? 0 : step.length - i - 1;
}
