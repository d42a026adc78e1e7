/**
 * Test-only: a real MarketDataSource over real candles (packages/market-data BTC_USDT-5m.csv)
 * played by packages/exchanges' MarketReplay, and a paper venue whose matching engine the same
 * replay feeds, so orders fill at the prices the market routes and sockets show. The replay is
 * stepped by hand (`step`, `stepBars`), or runs on the wall clock at `speed` after `start()`.
 */
import { fileURLToPath } from 'node:url';
import { AppError } from '@kestrel/contracts';
import {
  MarketReplay,
  noLatency,
  PaperExchange,
  PaperMatchingEngine,
  readCandlesCsv,
  systemScheduler,
  uniformLatency,
  type Unsubscribe,
  type VenueCandle,
  type VenueOrderBook,
  type VenueTicker,
} from '@kestrel/exchanges';
import type { MarketDataEvent, MarketDataSource, MarketSymbol } from '../runtime/market-data.ts';
import { BTC_USDT } from './paper-venue.ts';

export const BTC_USDT_5M_CSV = fileURLToPath(new URL('../../../../../packages/market-data/data/candles/BTC_USDT-5m.csv', import.meta.url));

export interface ReplayMarket {
  /** What the backend serves (`backendDeps.market`). */
  readonly market: MarketDataSource;
  /** A paper venue fed by the same replay (`backendDeps.venues` through singleVenue). */
  readonly venue: PaperExchange;
  readonly replay: MarketReplay;
  /** Plays `events` events (ticks and bar closes) now; false once the data is exhausted. */
  step(events?: number): boolean;
  /** Plays until `bars` more bars have closed. */
  stepBars(bars?: number): void;
  /** The last price played (the engine's, which fills use). */
  lastPrice(): { price: number; time: number };
  start(): void;
  stop(): void;
}

export async function replayMarket(opts: { startAt?: number; startIndex?: number; speed?: number } = {}): Promise<ReplayMarket> {
  const series = await readCandlesCsv(BTC_USDT_5M_CSV);
  const startIndex = opts.startIndex ?? 100;
  // The data is from 2023: shifted so bar `startIndex` opens at `startAt` (default now), the bars
  // before it being the history the candle route serves from the start.
  const shiftMs = (opts.startAt ?? Date.now()) - series.time[startIndex]!;
  const engine = new PaperMatchingEngine({ markets: [BTC_USDT], balances: { USDT: '100000000', BTC: '1000' }, config: { takerFeeRate: '0.001', makerFeeRate: '0.001' } });
  const scheduler = systemScheduler();
  const replay = new MarketReplay({ symbol: BTC_USDT.symbol, series, scheduler, engine, startIndex, shiftMs, priceStep: 0.1, speed: opts.speed ?? 1, onListenerError: () => {} });
  const venue = new PaperExchange({
    engine,
    scheduler,
    clock: replay.clock,
    latency: { request: uniformLatency(1, 3), response: uniformLatency(1, 3), stream: uniformLatency(1, 3) },
    faults: { timeoutMs: 40 },
    marketData: replay,
    candles: replay,
    onListenerError: () => {},
  });
  // The market view: the same engine, without latency or faults (the routes read prices, not orders).
  const view = new PaperExchange({ engine, scheduler, clock: replay.clock, latency: { request: noLatency, response: noLatency, stream: noLatency }, candles: replay, onListenerError: () => {} });
  const symbol: MarketSymbol = {
    symbol: BTC_USDT.symbol,
    base: BTC_USDT.base,
    quote: BTC_USDT.quote,
    tickSize: BTC_USDT.tickSize,
    lotSize: BTC_USDT.lotSize,
    minQty: BTC_USDT.minQty,
    minNotional: BTC_USDT.minNotional,
    timeframe: replay.timeframe,
    source: { kind: 'replay', dataset: 'BTC_USDT-5m.csv', speed: opts.speed ?? 0, dataTimeframe: replay.timeframe },
  };

  const known = (s: string) => {
    if (s !== symbol.symbol) throw new AppError('NOT_FOUND', `No market data for ${s}: GET /api/market/symbols lists the symbols served.`);
  };
  const market: MarketDataSource = {
    symbols: () => [symbol],
    async ticker(s): Promise<VenueTicker> {
      known(s);
      return view.fetchTicker(s);
    },
    async candles(s, timeframe, since, limit): Promise<VenueCandle[]> {
      known(s);
      if (timeframe !== symbol.timeframe) throw new AppError('VALIDATION_FAILED', `${s} is served in ${symbol.timeframe} bars only: ask for timeframe=${symbol.timeframe}.`);
      return replay.candles(s, timeframe, since, limit);
    },
    async orderBook(s, depth): Promise<VenueOrderBook> {
      known(s);
      return view.fetchOrderBook(s, depth);
    },
    subscribe(listener: (event: MarketDataEvent) => void): Unsubscribe {
      return replay.subscribe(listener);
    },
  };

  // One tick so there is a price before the first order.
  replay.step();
  return {
    market,
    venue,
    replay,
    step(events = 1) {
      for (let i = 0; i < events; i++) if (!replay.step()) return false;
      return true;
    },
    stepBars(bars = 1) {
      const target = replay.barsPlayed + bars;
      while (replay.barsPlayed < target && replay.step());
    },
    lastPrice() {
      const last = engine.lastPrice(symbol.symbol);
      if (!last) throw new Error('replayMarket: nothing played yet');
      return last;
    },
    start: () => replay.start(),
    stop: () => replay.stop(),
  };
}
