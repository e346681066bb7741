/**
 * Set-up of the coverage run only (npm run test:coverage, vitest.coverage.config.ts): the processes the tests start
 * (the CLI, the validation scripts, the child killed mid-import) inherit NODE_V8_COVERAGE and write their V8 coverage
 * into CORDON_COVERAGE_RAW/node when they exit, with the source maps of tsx's transforms (--enable-source-maps), so
 * scripts/coverage.mjs can map them back to the TypeScript. A process killed with SIGKILL writes nothing.
 */
import path from 'node:path';

const raw = process.env.CORDON_COVERAGE_RAW;
if (raw) {
  process.env.NODE_V8_COVERAGE = path.join(raw, 'node');
  if (!(process.env.NODE_OPTIONS ?? '').includes('--enable-source-maps')) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim();
  }
}
