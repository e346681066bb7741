// The tests mutation testing runs (npm run test:mutation): the unit and storage tests of the folders it mutates, on
// SQLite only, without the browser, the CLI's child processes, the real-data validations or the demo load (slow, and
// they test other layers); property tests at a fifth of their runs (CORDON_TEST_PROPERTY_SCALE, set by the script).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['src/services/loadDemo.test.ts', 'src/synth/**', 'src/api/**', 'src/tracing/parallel.test.ts', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
