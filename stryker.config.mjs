// Mutation testing (npm run test:mutation): StrykerJS 9.6 (the last major that runs on Node 20) with its vitest runner.
// It mutates the core (the domain rules, the tracing engine, signed codes, health codes and imports), runs the tests
// that cover each mutant, and counts the mutants no test kills. Incremental: results are kept in reports/ and only
// changed code is tested again. Scores per folder and the survivors kept as equivalent are in docs/TESTING.md.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/domain/**/*.ts', 'src/tracing/**/*.ts', 'src/codes/**/*.ts', 'src/services/codes/**/*.ts', 'src/services/import/**/*.ts',
    '!**/*.test.ts', '!src/tracing/oracle.ts', '!src/tracing/parallelWorker.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
