import { Dec } from '../decimal.ts';
import type { VenueMarket } from '../port.ts';
import { parseVenueData, venueMarketSchema } from '../validation/venue-schemas.ts';

/** A market's trading rules, parsed once into decimals for the engine. */
export interface EngineInstrument {
  readonly market: VenueMarket;
  readonly tickSize: Dec;
  readonly lotSize: Dec;
  readonly minQty: Dec;
  readonly minNotional: Dec;
}

export function engineInstrument(market: VenueMarket): EngineInstrument {
  const m = parseVenueData(venueMarketSchema, market, `market ${market.symbol}`);
  return {
    market: m,
    tickSize: new Dec(m.tickSize),
    lotSize: new Dec(m.lotSize),
    minQty: new Dec(m.minQty),
    minNotional: new Dec(m.minNotional),
  };
}
