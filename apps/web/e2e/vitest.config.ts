import { defineProject } from 'vitest/config';

/**
 * The dashboard's browser tests (the root vitest config runs this project too): Debian's Chromium,
 * driven by playwright-core, against the real product that the suite starts itself (see
 * support/stack.ts). Node environment: the page runs in the browser, not in the test process.
 * Run only these: `npx vitest run --project e2e` (or `npm test -- --project e2e`).
 */
export default defineProject({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['**/*.e2e.test.ts'],
    // A scenario waits for live events (a fill of the demo bot comes about every 15–30 s).
    testTimeout: 180_000,
    // Building the dashboard when stale, then migrating and seeding two fresh databases.
    hookTimeout: 300_000,
  },
});
