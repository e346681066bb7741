// Mutation testing (npm run test:mutation): StrykerJS 9.6 (the last major that runs on Node 20) with its vitest runner.
// It mutates the core (the domain rules, the tracing engine, signed codes, health codes and imports), runs the tests
// that cover each mutant, and counts the mutants no test kills. Incremental: results are kept in reports/ and only
// changed code is tested again. Scores per folder and the survivors kept as equivalent are in docs/TESTING.md.
//
// One group of folders at a time (CORDON_MUTATE=domain|tracing|codes|import; all of them when unset), each with its
// own incremental file kept in the repository (test/mutation/), so a rerun tests only the mutants of changed code.
const GROUPS = {
  // Not src/domain/model: zod schemas used only as the source of the model's types (z.infer), parsed nowhere at run
  // time (input is validated by the routes' and importers' own schemas), so a mutant there changes no behaviour.
  domain: ['src/domain/**/*.ts', '!src/domain/model/**'],
  tracing: ['src/tracing/**/*.ts', '!src/tracing/oracle.ts', '!src/tracing/parallelWorker.ts'],
  codes: ['src/codes/**/*.ts', 'src/services/codes/**/*.ts'],
  import: ['src/services/import/**/*.ts'],
};
const group = process.env.CORDON_MUTATE || 'all';
if (group !== 'all' && !GROUPS[group]) throw new Error(`CORDON_MUTATE: one of ${Object.keys(GROUPS).join(', ')}, not ${group}`);
const mutate = group === 'all' ? Object.values(GROUPS).flat() : GROUPS[group];

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [...mutate, '!**/*.test.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `test/mutation/${group}.incremental.json`,
  // Static mutants (module-level data such as the contact-status table) run every test of the group: cheap for the
  // domain's unit tests, too slow for the groups that run storage and service tests.
  ignoreStatic: group !== 'domain',
  concurrency: 2,
  // A mutant that makes the code loop runs until this (plus the tests' own time) runs out. The tracing and import tests
  // take seconds (a minute per looping mutant made the tracing run take hours); the codes group's service tests on a
  // real store take longer.
  timeoutMS: group === 'tracing' || group === 'import' ? 10_000 : group === 'domain' ? 5_000 : 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
