// The port
export * from './port.ts';
export { instrumentOfMarket, toCreateOrderRequest } from './core-mapping.ts';
export { compareTradeIds } from './trade-id.ts';
export {
  parseVenueData,
  venueBalancesSchema,
  venueCandleSchema,
  venueMarketSchema,
  venueOrderBookSchema,
  venueOrderSchema,
  venueTickerSchema,
  venueTradeSchema,
} from './validation/venue-schemas.ts';

// Time
export { ManualClock, type Clock } from './time/clock.ts';
export { sleep, type Scheduler, type TimerId } from './time/scheduler.ts';
export { VirtualScheduler, flushMicrotasks } from './time/virtual-scheduler.ts';
export { systemScheduler } from './time/system-scheduler.ts';

// Market data
export type { CandleSource, MarketEvent, MarketFeed, MarketListener } from './market/market-feed.ts';
export { highFirst, pathPoint } from './market/ohlc-path.ts';
export { msToTimeframe, timeframeToMs } from './market/timeframe.ts';

// Paper exchange
export { PaperMatchingEngine, type EngineBatchListener, type EngineEvent, type EngineListener, type EngineResult, type EngineStats, type PaperEngineOptions } from './paper/matching-engine.ts';
export type { PaperEngineConfig } from './paper/engine-config.ts';
export { fixedSlippage, noSlippage, sizeDependentSlippage, type SlippageInput, type SlippageModel } from './paper/slippage.ts';
export { PaperExchange, type PaperExchangeOptions } from './paper/paper-exchange.ts';
export { FaultPlan, WRITE_CALLS, type CallFault, type CallType, type FaultRates, type PaperFaultConfig, type StreamFault, type UnknownOrderWindow } from './paper/faults.ts';
export { FaultLog, type FaultKind, type FaultLogEntry } from './paper/fault-log.ts';
export type { VenueRateLimit } from './paper/venue-gate.ts';
export { fixedLatency, noLatency, spikyLatency, uniformLatency, type LatencyModel } from './paper/latency.ts';
export { derivePrng, mulberry32, type Prng } from './paper/prng.ts';

// Replay
export { candleAt, inferBarDuration, type CandleSeries } from './replay/candle-series.ts';
export { CandleCsvError, CandleCsvParser, parseCandlesCsv, parseCandlesCsvStream, readCandlesCsv, readCandlesCsvFile, type CandleCsvOptions, type CandleCsvProgress } from './replay/candles-csv.ts';
export { intrabarTick, ticksPerBar } from './replay/intrabar-ticks.ts';
export { MarketReplay, type MarketReplayOptions } from './replay/market-replay.ts';

// ccxt (ccxt itself is loaded only by createCcxtAdapter)
export { CcxtAdapter, type CcxtAdapterOptions } from './ccxt/ccxt-adapter.ts';
export type { CcxtClient } from './ccxt/ccxt-client.ts';
export { createCcxtAdapter, type CcxtCredentials } from './ccxt/create-ccxt-adapter.ts';
export { BINANCE_DIALECT, DEFAULT_DIALECT, DIALECTS, dialectFor, type CcxtDialect } from './ccxt/dialects.ts';
export { translateCcxtError } from './ccxt/error-translation.ts';
