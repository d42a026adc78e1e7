import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdatePreferencesRequest } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export function useUpdatePreferences() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdatePreferencesRequest) => api.user.updatePreferences(body),
    onSuccess: (prefs) => client.setQueryData(queryKeys.preferences, prefs),
  });
}
