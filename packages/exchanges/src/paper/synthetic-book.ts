import { Dec, decStr, roundToStep } from '../decimal.ts';
import type { BookLevel, VenueOrderBook, VenueTicker } from '../port.ts';
import type { EngineInstrument } from './engine-instrument.ts';

/**
 * The paper venue has no other traders, so its book is synthesized around the last price: best
 * bid one tick at or below it, best ask one tick above, `depth` levels a tick apart with
 * `levelQuantity` each. Good enough for a UI and for sanity checks; matching does not use it.
 */
export function syntheticBook(inst: EngineInstrument, last: number, time: number, depth: number, levelQuantity: string): VenueOrderBook {
  const bid0 = roundToStep(new Dec(last), inst.tickSize, 'down');
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < depth; i++) {
    const bid = bid0.minus(inst.tickSize.times(i));
    if (bid.greaterThan(0)) bids.push([decStr(bid), levelQuantity]);
    asks.push([decStr(bid0.plus(inst.tickSize.times(i + 1))), levelQuantity]);
  }
  return { symbol: inst.market.symbol, bids, asks, time };
}

export function syntheticTicker(inst: EngineInstrument, last: number, time: number): VenueTicker {
  const bid = roundToStep(new Dec(last), inst.tickSize, 'down');
  return {
    symbol: inst.market.symbol,
    last: decStr(roundToStep(new Dec(last), inst.tickSize, 'nearest')),
    bid: decStr(bid),
    ask: decStr(bid.plus(inst.tickSize)),
    time,
  };
}
