import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Cancels an open order; the venue's answer decides the final state (a fill may win the race). */
export function useCancelOrder() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.orders.cancel(id),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.orders.all }),
  });
}
