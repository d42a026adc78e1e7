import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useMarketFeed } from '../../../lib/realtime/realtime-provider.tsx';

export const candlesQuery = (api: KestrelApi, symbol: string, timeframe: string) =>
  queryOptions({ queryKey: queryKeys.market.candles(symbol, timeframe), queryFn: () => api.market.candles({ symbol, timeframe, limit: 600 }), staleTime: Infinity });

/** The latest closed bars; each `market.candle` is appended to this query as it closes. */
export function useCandles(symbol: string | undefined, timeframe: string | undefined) {
  useMarketFeed(symbol);
  return useQuery({ ...candlesQuery(useApi(), symbol ?? '', timeframe ?? ''), enabled: Boolean(symbol && timeframe) });
}
