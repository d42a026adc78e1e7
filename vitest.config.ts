import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'tooling/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2 cores here: more workers only add PGlite start-ups competing for them.
    maxWorkers: 2,
    // Node tests with the settings above; the web dashboard's component tests (happy-dom) and its
    // browser tests (Chromium, `--project e2e`) in their own projects.
    projects: [{ extends: true, test: { name: 'node' } }, 'apps/web/vitest.config.ts', 'apps/web/e2e/vitest.config.ts'],
  },
});
