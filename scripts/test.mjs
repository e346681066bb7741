#!/usr/bin/env node
// Runs every test with vitest. Probes for the PostgreSQL server and Debian's Chromium first: their suites run when
// they are there, and are skipped with a plain message when not (CI=true makes both mandatory). Ends with one line
// "tests: N passed, N failed, N skipped".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const strict = process.env.CI === 'true' || process.env.CORDON_TEST_STRICT === '1';
const pgUrl = process.env.CORDON_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CORDON_TEST_CHROMIUM || '/usr/bin/chromium';
const env = { ...process.env };
const notes = [];

async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return e.message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await postgresAnswers(pgUrl);
if (pgProblem === null) {
  env.CORDON_TEST_PG_URL = pgUrl;
  notes.push(`PostgreSQL suite: running against ${pgUrl.replace(/\/\/[^@]*@/, '//')}`);
} else if (strict) {
  console.error(`PostgreSQL is required here (CI) but ${pgUrl} does not answer: ${pgProblem}`);
  process.exit(1);
} else {
  delete env.CORDON_TEST_PG_URL;
  notes.push(`PostgreSQL suite: SKIPPED (no server at ${pgUrl}: ${pgProblem}). Set CORDON_TEST_PG_URL to run it.`);
}

if (fs.existsSync(chromium)) {
  env.CORDON_TEST_CHROMIUM = chromium;
  notes.push(`Browser suite: running with ${chromium}`);
} else if (strict) {
  console.error(`Chromium is required here (CI) but ${chromium} is missing: apt-get install chromium`);
  process.exit(1);
} else {
  delete env.CORDON_TEST_CHROMIUM;
  notes.push(`Browser suite: SKIPPED (${chromium} not found; apt-get install chromium).`);
}

// Validation on real data (../shared/data, beside the project, never in it): mandatory under CI, skipped plainly elsewhere.
const dataDir = process.env.CORDON_TEST_DATA_DIR || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/data');
const dataSets = ['sociopatterns/hospital__tij_hospital.dat', 'sociopatterns/thiers13__tij_thiers13.dat', 'clusters/COVID-19_Singapore_data_revised.csv'];
const missing = dataSets.filter((f) => !fs.existsSync(path.join(dataDir, f)));
if (missing.length === 0) {
  env.CORDON_TEST_DATA_DIR = dataDir;
  notes.push(`Validation on real data: running with ${dataDir}`);
} else if (strict) {
  console.error(`Validation on real data is required here (CI) but ${missing.map((f) => path.join(dataDir, f)).join(', ')} missing (set CORDON_TEST_DATA_DIR)`);
  process.exit(1);
} else {
  delete env.CORDON_TEST_DATA_DIR;
  notes.push(`Validation on real data: SKIPPED (${missing.map((f) => path.join(dataDir, f)).join(', ')} not found; see ../shared/data/SOURCES.md).`);
}
if (strict) env.CORDON_TEST_REQUIRE_DATA = '1';

for (const n of notes) console.log(n);
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-test-')), 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env });
child.on('exit', (code) => {
  for (const n of notes) console.log(n);
  let summary = null;
  try {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  } catch {
    summary = null;
  }
  if (summary) console.log(summary);
  process.exit(code ?? 1);
});
