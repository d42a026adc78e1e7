import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * `npm run dev -w apps/web`: the dashboard on http://localhost:5173 with hot reload, talking to the
 * backend of `npm start` through this dev server (same origin for the page, so the session cookie
 * and the socket work as in production). `npm run build -w apps/web` writes dist/, which the
 * backend serves at http://localhost:4018.
 */
const backend = process.env.KESTREL_BACKEND_URL ?? 'http://127.0.0.1:4018';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // .vite/manifest.json: scripts/check-bundle.mjs reads which chunks the first page loads.
    manifest: true,
    // Charts and admin pages are split out with React.lazy; scripts/check-bundle.mjs guards the initial size.
    chunkSizeWarningLimit: 600,
  },
});
