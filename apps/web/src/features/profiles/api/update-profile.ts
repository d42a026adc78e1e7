import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Profile, UpdateProfileRequest } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

/** Saves a bot's configuration; send `version` so a concurrent edit answers 409 instead of being overwritten. */
export function useUpdateProfile(id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateProfileRequest) => api.profiles.update(id, body),
    onSuccess: (profile) => {
      client.setQueryData<Profile>(queryKeys.profiles.detail(id), profile);
      void client.invalidateQueries({ queryKey: queryKeys.profiles.list() });
    },
  });
}
