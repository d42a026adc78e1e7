import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateTradingControlRequest } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/**
 * Flips a kill switch. The answer is the new state; halting also halts every bot in scope, so the
 * bots' queries are refetched (their `profile.state` events patch them too).
 */
export function useUpdateTradingControl() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTradingControlRequest) => api.tradingControl.update(body),
    onSuccess: (control) => {
      client.setQueryData(queryKeys.tradingControl, control);
      void client.invalidateQueries({ queryKey: queryKeys.profiles.all });
    },
  });
}
