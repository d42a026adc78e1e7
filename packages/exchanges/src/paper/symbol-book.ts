import type { VenueTrade } from '../port.ts';
import type { EngineInstrument } from './engine-instrument.ts';
import { isDone, restsAtLimit, takesMarketPrice, type EngineOrder } from './engine-order.ts';

/**
 * Per-symbol state of the matching engine: the last price, the orders that can still trade (in
 * time priority) and the account's trades. The four thresholds let a price event that cannot
 * touch any resting order return after a handful of comparisons.
 */
export class SymbolBook {
  readonly symbol: string;
  instrument: EngineInstrument | null;
  lastPrice = NaN;
  lastTime = NaN;
  lastVolume = NaN;
  readonly active: EngineOrder[] = [];
  readonly trades: VenueTrade[] = [];
  /** Numeric trade ids, parallel to `trades`, for binary search. */
  readonly tradeIds: number[] = [];

  pendingMarkets = 0;
  maxBuyLimit = -Infinity;
  minSellLimit = Infinity;
  minBuyStop = Infinity;
  maxSellStop = -Infinity;

  constructor(symbol: string, instrument: EngineInstrument | null) {
    this.symbol = symbol;
    this.instrument = instrument;
  }

  /** True when a price range [low, high] may make some active order trade. */
  mayTrade(low: number, high: number): boolean {
    return (
      this.pendingMarkets > 0 || low <= this.maxBuyLimit || high >= this.minSellLimit || high >= this.minBuyStop || low <= this.maxSellStop
    );
  }

  /** Drops finished orders and recomputes the thresholds; call after every change. */
  refresh(): void {
    const active = this.active;
    let w = 0;
    let pending = 0;
    let maxBuyLimit = -Infinity;
    let minSellLimit = Infinity;
    let minBuyStop = Infinity;
    let maxSellStop = -Infinity;
    for (let r = 0; r < active.length; r++) {
      const o = active[r]!;
      if (isDone(o)) continue;
      active[w++] = o;
      if (takesMarketPrice(o)) pending++;
      else if (restsAtLimit(o)) {
        if (o.side === 'buy') maxBuyLimit = Math.max(maxBuyLimit, o.priceNum);
        else minSellLimit = Math.min(minSellLimit, o.priceNum);
      } else if (o.side === 'buy') minBuyStop = Math.min(minBuyStop, o.stopNum);
      else maxSellStop = Math.max(maxSellStop, o.stopNum);
    }
    active.length = w;
    this.pendingMarkets = pending;
    this.maxBuyLimit = maxBuyLimit;
    this.minSellLimit = minSellLimit;
    this.minBuyStop = minBuyStop;
    this.maxSellStop = maxSellStop;
  }

  addTrade(trade: VenueTrade, numericId: number): void {
    this.trades.push(trade);
    this.tradeIds.push(numericId);
  }

  /** Trades with an id greater than `sinceId` (all when undefined), oldest first, at most `limit`. */
  tradesSince(sinceId: number | undefined, limit: number): VenueTrade[] {
    let lo = 0;
    if (sinceId !== undefined) {
      let hi = this.tradeIds.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.tradeIds[mid]! <= sinceId) lo = mid + 1;
        else hi = mid;
      }
    } else {
      lo = Math.max(0, this.trades.length - limit);
    }
    return this.trades.slice(lo, lo + limit);
  }
}
