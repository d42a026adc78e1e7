import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { KestrelApi, StoredCandleQuery } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const storedCandlesQuery = (api: KestrelApi, query: StoredCandleQuery) =>
  queryOptions({ queryKey: queryKeys.marketData.candles(query), queryFn: () => api.marketData.candles(query), staleTime: 5 * 60_000 });

/** Stored bars for a chart: from `from` (the first `limit`), or the last `limit` before `to`. */
export function useStoredCandles(query: StoredCandleQuery | undefined) {
  const api = useApi();
  return useQuery({ ...storedCandlesQuery(api, query ?? { symbol: '', timeframe: '' }), enabled: query !== undefined, placeholderData: keepPreviousData });
}
