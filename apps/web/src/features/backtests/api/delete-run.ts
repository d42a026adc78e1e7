import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys, type RunKind } from '../../../lib/query-keys.ts';

/** Deletes a run and its stored result (a running one is cancelled first). */
export function useDeleteRun(kind: RunKind, id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => (kind === 'backtest' ? api.backtests.remove(id) : api.sweeps.remove(id)),
    onSuccess: () => {
      client.removeQueries({ queryKey: queryKeys.backtests.detail(kind, id) });
      void client.invalidateQueries({ queryKey: queryKeys.backtests.lists(kind) });
    },
  });
}
