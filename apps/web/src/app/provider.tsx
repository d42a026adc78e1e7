import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { KestrelClient } from '@kestrel/api-client';
import { ErrorBoundary } from '../components/ui/error-boundary.tsx';
import { KestrelProvider } from '../lib/kestrel.tsx';
import { usePreferences, useThemeEffect } from '../lib/preferences.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { RealtimeProvider } from '../lib/realtime/realtime-provider.tsx';

/**
 * Everything a page needs around it: the Kestrel client (session, API, sockets), the query cache,
 * the live connection, the theme, and a last-resort error boundary. The session is resumed once
 * (a reload keeps you signed in through the HttpOnly cookie).
 */
export function AppProvider({ client, children }: { client: KestrelClient; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    if (client.session.state.get().status === 'unknown') void client.session.resume();
  }, [client]);
  return (
    <ErrorBoundary label="Kestrel">
      <KestrelProvider client={client}>
        <QueryClientProvider client={queryClient}>
          <RealtimeProvider>
            <Theme />
            {children}
          </RealtimeProvider>
        </QueryClientProvider>
      </KestrelProvider>
    </ErrorBoundary>
  );
}

function Theme() {
  useThemeEffect(usePreferences().theme);
  return null;
}
