import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KestrelApi } from '@kestrel/api-client';
import type { CreateExchangeAccountRequest } from '@kestrel/contracts';
import { useApi } from '../../../lib/kestrel.tsx';
import { queryKeys } from '../../../lib/query-keys.ts';

export const accountsQuery = (api: KestrelApi) => queryOptions({ queryKey: queryKeys.admin.accounts(), queryFn: () => api.exchangeAccounts.list() });

/** Exchange accounts; the API never returns keys or secrets (at most the key's last 4 characters). */
export function useExchangeAccounts() {
  return useQuery(accountsQuery(useApi()));
}

export function useCreateExchangeAccount() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({ mutationFn: (body: CreateExchangeAccountRequest) => api.exchangeAccounts.create(body), onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.admin.accounts() }) });
}
