#!/usr/bin/env node
// Coverage of the whole suite (npm run test:coverage): builds the page with its source maps, runs every test as
// npm test does (scripts/test.mjs) under vitest.coverage.config.ts, then merges three sources of V8 coverage:
//   tests     the test processes themselves (@vitest/coverage-v8, coverage/tests/coverage-final.json);
//   children  the processes the tests start: the CLI, scripts (NODE_V8_COVERAGE, coverage/raw/node);
//   browser   the page's scripts in Chromium (Playwright, coverage/raw/browser).
// A line counts as run if any of them ran it; the lines counted are those of the tests' report (every source file).
// Prints and writes coverage/summary.md: lines run per folder, with what each source adds. No gate: exit code is
// the suite's. Usage: npm run test:coverage [-- vitest args]; node scripts/coverage.mjs --report-only reports again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import libCoverage from 'istanbul-lib-coverage';
import MCR from 'monocart-coverage-reports';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT = path.join(ROOT, 'coverage');
const RAW = path.join(OUT, 'raw');
// --report-only: merge and report what the last run left in coverage/ without running the tests again.
const reportOnly = process.argv[2] === '--report-only';
let run = { status: 0 };
let seconds = null;
if (!reportOnly) {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(RAW, { recursive: true });
  const built = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const started = Date.now();
  run = spawnSync('node', ['scripts/test.mjs', '--config', 'vitest.coverage.config.ts', ...process.argv.slice(2)], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, CORDON_COVERAGE_RAW: RAW },
  });
  seconds = Math.round((Date.now() - started) / 1000);
}

const relative = (file) => path.relative(ROOT, file.startsWith('file://') ? new URL(file).pathname : path.resolve(ROOT, file));
const ours = (rel) => /^(src|web\/src)\//.test(rel) && !/\.test\.ts$/.test(rel) && !rel.includes('node_modules');

/** Per file (relative path): line -> hits, from the test processes' coverage-final.json (every line of the file). */
function linesOf(file) {
  const lines = new Map();
  if (!fs.existsSync(file)) return lines;
  const map = libCoverage.createCoverageMap(JSON.parse(fs.readFileSync(file, 'utf8')));
  for (const f of map.files()) {
    const rel = relative(f);
    if (ours(rel)) lines.set(rel, map.fileCoverageFor(f).getLineCoverage());
  }
  return lines;
}

/**
 * Per file: a function telling whether a line ran, from MCR's istanbul output, which lists statements only. A line
 * ran if the innermost statement, branch or function containing it ran; a line outside all of them (imports,
 * comments at the top) ran if the module was loaded at all.
 */
function runByOf(file) {
  const files = new Map();
  if (!fs.existsSync(file)) return files;
  const map = libCoverage.createCoverageMap(JSON.parse(fs.readFileSync(file, 'utf8')));
  for (const f of map.files()) {
    const rel = relative(f);
    if (!ours(rel)) continue;
    const d = map.fileCoverageFor(f).data;
    const spans = [];
    for (const [k, loc] of Object.entries(d.statementMap)) spans.push([loc.start.line, loc.end.line, d.s[k]]);
    for (const [k, fn] of Object.entries(d.fnMap)) spans.push([fn.loc.start.line, fn.loc.end.line, d.f[k]]);
    for (const [k, br] of Object.entries(d.branchMap)) br.locations.forEach((loc, i) => loc.start.line && spans.push([loc.start.line, loc.end.line, d.b[k][i]]));
    const loaded = Object.values(d.s).some((n) => n > 0) || Object.values(d.f).some((n) => n > 0);
    files.set(rel, (line) => {
      let best = null;
      for (const sp of spans) if (sp[0] <= line && line <= sp[1] && (best === null || sp[1] - sp[0] < best[1] - best[0])) best = sp;
      return best === null ? loaded : best[2] > 0;
    });
  }
  return files;
}

/** Maps V8 coverage (raw Node files, or the browser's entries with their source maps) to lines with MCR. */
async function v8RunBy(name, add, prefix) {
  const outputDir = path.join(OUT, name);
  const mcr = MCR({
    name, outputDir, reports: [['json', { file: 'coverage-final.json' }]], cleanCache: true, logging: 'error',
    entryFilter: (entry) => !entry.url.includes('node_modules') && (entry.url.startsWith(`file://${ROOT}/src/`) || entry.url.includes('/assets/')),
    sourceFilter: (p) => ours(prefix + p.replace(/^.*?(?=(web\/)?src\/)/, '').replace(/^web\//, '')),
    sourcePath: (p) => prefix + p.replace(/^.*?(?=(web\/)?src\/)/, '').replace(/^web\//, ''),
  });
  const added = await add(mcr);
  if (!added) return new Map();
  await mcr.generate();
  return runByOf(path.join(outputDir, 'coverage-final.json'));
}

const sources = {
  tests: linesOf(path.join(OUT, 'tests', 'coverage-final.json')),
  children: await v8RunBy('children', async (mcr) => {
    const dir = path.join(RAW, 'node');
    if (!fs.existsSync(dir) || fs.readdirSync(dir).length === 0) return false;
    await mcr.addFromDir(dir);
    return true;
  }, ''),
  browser: await v8RunBy('browser', async (mcr) => {
    const dir = path.join(RAW, 'browser');
    if (!fs.existsSync(dir)) return false;
    for (const f of fs.readdirSync(dir)) await mcr.add(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    return true;
  }, 'web/'),
};

// Lines counted per file: those of the test processes' report, which lists every source file, run or not.
const universe = sources.tests;

const folderOf = (rel) => {
  const parts = rel.split('/');
  if (parts[0] === 'web') return 'web/src';
  if (parts[1] === 'services' && parts.length > 3) return `src/services/${parts[2]}`;
  return parts.length > 2 ? `src/${parts[1]}` : 'src';
};
const ran = (names, file, line) => names.some((n) => (n === 'tests' ? (sources.tests.get(file)?.[line] ?? 0) > 0 : sources[n].get(file)?.(Number(line)) === true));
const rows = new Map();
for (const [file, lines] of universe) {
  const folder = folderOf(file);
  const row = rows.get(folder) ?? { lines: 0, tests: 0, children: 0, all: 0 };
  for (const line of Object.keys(lines)) {
    row.lines++;
    if (ran(['tests'], file, line)) row.tests++;
    if (ran(['tests', 'children'], file, line)) row.children++;
    if (ran(['tests', 'children', 'browser'], file, line)) row.all++;
  }
  rows.set(folder, row);
}
const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} %`);
const total = { lines: 0, tests: 0, children: 0, all: 0 };
const table = ['| folder | lines | run by the test processes | + CLI and scripts in child processes | + the page in Chromium |', '|---|---|---|---|---|'];
for (const [folder, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  for (const k of Object.keys(total)) total[k] += r[k];
  table.push(`| ${folder} | ${r.lines} | ${pct(r.tests, r.lines)} | ${pct(r.children, r.lines)} | ${pct(r.all, r.lines)} |`);
}
table.push(`| **all** | ${total.lines} | ${pct(total.tests, total.lines)} | ${pct(total.children, total.lines)} | **${pct(total.all, total.lines)}** |`);
const took = seconds === null ? '' : `; suite with coverage took ${seconds} s (exit ${run.status})`;
const summary = [`Coverage of source lines, ${new Date().toISOString().slice(0, 10)}${took}.`, '', ...table, ''].join('\n');
fs.writeFileSync(path.join(OUT, 'summary.md'), summary);
console.log(`\n${summary}\nWritten to coverage/summary.md; the test processes' HTML report is coverage/tests/index.html.`);
process.exit(run.status ?? 1);
