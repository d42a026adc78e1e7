import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '@kestrel/api-client';

/**
 * Queries retry only what a retry can cure (network, 429, 5xx), twice; a refusal (403, 404, 400)
 * is shown at once. Live data arrives through sockets, so queries stay fresh for a while and are
 * refetched when a socket room asks for it (see realtime.tsx).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, err) => count < 2 && (!isApiError(err) || err.retryable),
        retryDelay: (count, err) => (isApiError(err) && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : Math.min(8_000, 1_000 * 2 ** count)),
      },
      mutations: { retry: false },
    },
  });
}
