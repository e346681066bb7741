// The tests mutation testing runs (npm run test:mutation), on SQLite only, without the browser, the CLI's child
// processes, the real-data validations or the demo load (slow, and they test other layers); property tests at a fifth
// of their runs (CORDON_TEST_PROPERTY_SCALE, set by the script). Which tests depends on the group mutated
// (CORDON_MUTATE, see stryker.config.mjs): a group's rules are to be pinned by the tests of its own layer, and tests
// that only pass through it (storage tests through the domain's time and vocabulary) would run again for each of its
// mutants for hours.
import { defineConfig } from 'vitest/config';

const TESTS: Record<string, string[]> = {
  // The domain's rules, pure: its own unit tests (and the page's words, which say its reason codes).
  domain: ['src/domain/**/*.test.ts', 'test/web/*.test.ts'],
  // The tracing engine: its unit and property tests (the oracle comparison among them).
  tracing: ['src/tracing/**/*.test.ts'],
  // Imports: their service tests on a real store.
  import: ['src/services/import/**/*.test.ts'],
};
// eslint-disable-next-line no-restricted-properties -- the group is chosen in the environment, as stryker.config.mjs reads it
const group = process.env.CORDON_MUTATE ?? '';

export default defineConfig({
  test: {
    include: TESTS[group] ?? ['src/**/*.test.ts'],
    // The parallel tracer's test (worker threads, 60,000 records) runs for the tracing group only: its workers run the
    // code unmutated, so a mutant in the shared code on this thread makes the batch differ from one tracer's.
    exclude: ['src/services/loadDemo.test.ts', 'src/synth/**', 'src/api/**', ...(group === 'tracing' ? [] : ['src/tracing/parallel.test.ts']), 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
