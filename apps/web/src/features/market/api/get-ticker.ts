import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useMarketFeed } from '../../../lib/realtime/realtime-provider.tsx';

// Ticks carry the last price only: bid and ask are re-read every few seconds.
export const tickerQuery = (api: KestrelApi, symbol: string) => queryOptions({ queryKey: queryKeys.market.ticker(symbol), queryFn: () => api.market.ticker(symbol), refetchInterval: 5_000 });

/** Last price, bid and ask; each `market.tick` writes the new last price into this query (realtime cache sync). */
export function useTicker(symbol: string) {
  useMarketFeed(symbol);
  return useQuery(tickerQuery(useApi(), symbol));
}
