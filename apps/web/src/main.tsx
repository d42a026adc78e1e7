import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browserCoordination, createKestrelClient } from '@kestrel/api-client';
import { App } from './app/index.tsx';
import { env } from './config/env.ts';
import './styles/index.css';

const client = createKestrelClient({ baseUrl: env.apiUrl, coordination: browserCoordination() });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
