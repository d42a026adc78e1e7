import { useState } from 'react';
import { RouterProvider } from 'react-router-dom';
import type { KestrelClient } from '@kestrel/api-client';
import { AppProvider } from './provider.tsx';
import { createRouter } from './router.tsx';

export function App({ client }: { client: KestrelClient }) {
  const [router] = useState(createRouter);
  return (
    <AppProvider client={client}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
