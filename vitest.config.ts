// One test runner for every test: domain, storage (both engines), API, CLI and the browser end-to-end test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds the web app once for the browser tests, before any of them runs.
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // A safety net, not a measure: a browser test of a whole workflow took 40 s on a machine busy with other tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
