import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BacktestRequest, SweepRequest } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Submits a backtest (202, queued); the lists show it at once. */
export function useSubmitBacktest() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BacktestRequest) => api.backtests.submit(body),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.backtests.lists('backtest') }),
  });
}

/** Submits a parameter sweep (202, queued). */
export function useSubmitSweep() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SweepRequest) => api.sweeps.submit(body),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.backtests.lists('sweep') }),
  });
}
