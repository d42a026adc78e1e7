import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const usersQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.admin.users(), queryFn: () => api.admin.users({ limit: 500 }) });

/** Users of the admin's tenant (platform-service owns them; the backend forwards). */
export function useUsers() {
  return useQuery(usersQuery(useApi()));
}

type Api = KestrelApi['admin'];

export function useCreateUser() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({ mutationFn: (body: Parameters<Api['createUser']>[0]) => api.admin.createUser(body), onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.admin.users() }) });
}

export function useUpdateUser() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Parameters<Api['updateUser']>[1] }) => api.admin.updateUser(id, body),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.admin.users() }),
  });
}
