import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { createKestrelClient, type KestrelClient } from '@kestrel/api-client';
import { KestrelProvider } from '../lib/kestrel.tsx';

/**
 * A real client of the test backend, signed in as a demo user the way the page signs in: relative
 * URLs on the backend's origin (setup.ts) and the HttpOnly session cookie.
 */
export async function signedIn(username: 'admin' | 'trader' | 'viewer' | 'operator'): Promise<KestrelClient> {
  const client = createKestrelClient({ baseUrl: '' });
  await client.session.login({ username, password: `kestrel-${username}-demo`, tenant: 'demo' });
  return client;
}

/** Renders UI as the app would: the client, a query cache without retries, and a router. */
export function renderWithApp(ui: ReactNode, client: KestrelClient) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <KestrelProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </QueryClientProvider>
    </KestrelProvider>,
  );
  return { ...result, queryClient };
}
