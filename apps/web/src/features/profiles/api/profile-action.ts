import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProfileAction } from '@kestrel/api-client';
import type { Profile } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Start, pause or stop a bot; the answer (the bot's new state) goes straight into the cache. */
export function useProfileAction(id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: ProfileAction) => api.profiles.act(id, action),
    onSuccess: (profile) => {
      client.setQueryData<Profile>(queryKeys.profiles.detail(id), profile);
      client.setQueryData<{ items: Profile[] }>(queryKeys.profiles.list(), (list) => list && { items: list.items.map((p) => (p.id === id ? profile : p)) });
    },
  });
}
