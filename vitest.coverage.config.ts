// The coverage run (npm run test:coverage): the whole suite as npm test runs it, with V8 coverage of the test
// processes (@vitest/coverage-v8), of the processes they start (test/coverageSetup.ts) and of the page in Chromium
// (test/browserCoverage.ts); scripts/coverage.mjs merges the three and reports each folder. No gate.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(base, defineConfig({
  test: {
    setupFiles: ['test/coverageSetup.ts'],
    coverage: {
      enabled: true,
      provider: 'v8',
      include: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
      exclude: ['**/*.test.ts', '**/*.d.ts'],
      reporter: ['json', 'html'],
      reportsDirectory: 'coverage/tests',
    },
  },
}));
