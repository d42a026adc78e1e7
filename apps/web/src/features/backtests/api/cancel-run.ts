import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys, type RunKind } from '../../../lib/query-keys.ts';

/** Cancels a queued or running run; answered once its worker threads have stopped. */
export function useCancelRun(kind: RunKind, id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => (kind === 'backtest' ? api.backtests.cancel(id) : api.sweeps.cancel(id)),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.backtests.detail(kind, id) });
      void client.invalidateQueries({ queryKey: queryKeys.backtests.lists(kind) });
    },
  });
}
