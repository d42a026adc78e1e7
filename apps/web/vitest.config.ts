import { defineProject } from 'vitest/config';

/**
 * The dashboard's component tests (the root vitest config runs this project too): React in
 * happy-dom, against a real platform-service and backend that global-setup.ts starts once on a
 * fresh PGlite database — forms show the server's own validation messages, the kill switch really
 * flips.
 */
export default defineProject({
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.tsx'],
    globalSetup: ['./src/testing/global-setup.ts'],
    setupFiles: ['./src/testing/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
