/**
 * The `cordon` command: init, start, serve, generate and import, on top of the services. Every command has --help;
 * configuration comes from the environment (see README), options override it where offered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { WEB_DIST, ROOT, serve, VERSION } from '../api/main.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { IMPORT_KINDS, type ImportKind } from '../domain/model/index.ts';
import { loadEdition, ProtocolEditionError } from '../domain/protocol/editions.ts';
import { importFile, ImportRejectedError } from '../services/import/importFile.ts';
import { FORMATS, type Format } from '../services/import/sources.ts';
import type { ColumnMap } from '../services/import/columns.ts';
import { ENCODINGS } from '../services/import/decode.ts';
import { initRegions } from '../services/initRegions.ts';
import { loadDemo } from '../services/loadDemo.ts';
import { idHashKey } from '../services/secrets.ts';
import { TracingEngine } from '../services/tracing/engine.ts';
import { traceCase } from '../services/tracing/traceCase.ts';
import { openStore, storeLocation, type Store } from '../storage/store.ts';
import { generateProvince } from '../synth/province.ts';
import { importManifest } from '../services/importManifest.ts';
import { TokenVerifier, type PublicKeyInfo } from '../codes/token.ts';
import { parseTime, formatTime, nowSeconds } from '../domain/time.ts';
import { HealthCodeService } from '../services/codes/healthCodes.ts';
import { gradeRiskAreas, publishedRiskAreas } from '../services/control.ts';
import { chainsCsv, chainsGraphml } from '../domain/chains/chains.ts';
import { chainsOf, efficacyAgainstTruth, efficacyReport } from '../services/chains.ts';
import { hashIdNumber } from '../domain/identity.ts';
import { GroundTruthError, readGroundTruth } from '../synth/groundTruth.ts';
import { progressBar } from './progress.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const intArg = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

async function openConfigured(config: Config): Promise<Store> {
  const store = await openStore(storeLocation(config));
  const counts = await initRegions({ store, gridsPerCommunity: config.gridsPerCommunity });
  say(`storage: ${store.engine}${store.engine === 'sqlite' ? ` (${path.join(config.dataDir, 'cordon.sqlite')})` : ''}; regions: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return store;
}

/**
 * Runs `fn` on the configured store and closes it afterwards. `announce`: also load the divisions and print the
 * storage line (commands whose output is data, such as an export, do not).
 */
async function withStore<T>(fn: (store: Store, config: Config) => Promise<T>, announce = true): Promise<T> {
  const config = loadConfig();
  const store = announce ? await openConfigured(config) : await openStore(storeLocation(config));
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}


/** The health code service on a store, under the installation's secret. */
const codeService = (store: Store, config: Config) => HealthCodeService.open(store, loadEdition(config.protocolEdition), idHashKey(config), nowSeconds());

/** Builds the web page when web/dist is missing or older than its sources. */
async function ensureWeb(): Promise<void> {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const built = fs.existsSync(path.join(WEB_DIST, 'index.html')) ? fs.statSync(path.join(WEB_DIST, 'index.html')).mtimeMs : 0;
  if (built > newest(path.join(ROOT, 'web/src'))) return;
  say('building the web page (first start) ...');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
}

const program = new Command('cordon').version(VERSION).description('Cordon: joint prevention and control platform');

program.command('init')
  .description('create the database (embedded SQLite under CORDON_DATA_DIR, or CORDON_DATABASE_URL), apply migrations, load Hunan\'s divisions and grids')
  .option('--demo', 'also load the demo province')
  .action(async (opts: { demo?: boolean }) => {
    const config = loadConfig();
    const store = await openConfigured(config);
    if (opts.demo) await demo(config, store);
    await store.close();
  });

/** The tracing engine over the store, reusing the snapshot in the data folder when it is current. */
function engineFor(config: Config, store: Store): Promise<TracingEngine> {
  return TracingEngine.load({ store, edition: loadEdition(config.protocolEdition), snapshotFile: path.join(config.dataDir, 'presence-index.bin'), onInfo: say });
}

/** Traces every case that has no contacts stored yet (after the demo or an import of cases). */
/**
 * Traces every case that has no contacts yet, in order of confirmation and as of its confirmation: imported cases
 * (the demo's outbreak, a backfill) are replayed as the outbreak unfolded, so contacts are identified when their case
 * was confirmed and the efficacy figures mean what they say.
 */
async function traceUntraced(config: Config, store: Store, engine: TracingEngine): Promise<void> {
  const edition = loadEdition(config.protocolEdition);
  let n = 0, written = 0;
  for (const c of (await store.cases.all()).sort((a, b) => a.confirmedAt - b.confirmedAt || a.id - b.id)) {
    const counts = await store.cases.contactCounts(c.id);
    if (counts.close + counts.secondary + counts.companion > 0) continue;
    written += (await traceCase({ store, engine, edition, caseId: c.id, now: Math.min(c.confirmedAt, nowSeconds()) })).written;
    n++;
  }
  if (n) say(`traced ${n} cases: ${written} contacts stored`);
}

async function demo(config: Config, store: Store): Promise<void> {
  const t0 = Date.now();
  let bar: ReturnType<typeof progressBar> | undefined;
  let barFile = '';
  const loaded = await loadDemo({
    store, edition: loadEdition(config.protocolEdition), dataDir: config.dataDir, idHashKey: idHashKey(config), persons: config.demoPersons,
    onStep: (step, res) => {
      if (res) { bar?.stop(); bar = undefined; say(`  imported ${step}: ${res.inserted} of ${res.rows} rows`); }
      else say(`demo province (${config.demoPersons} residents): ${step} ...`);
    },
    onProgress: (file, bytes, size) => {
      if (file !== barFile) { bar?.stop(); barFile = file; bar = progressBar(`  import ${file}`, size); }
      bar?.update(bytes, { rows: '' });
    },
  });
  bar?.stop();
  if (loaded) say(`demo province loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

program.command('start')
  .description('first run: initialise and load the demo province; then serve (what npm start runs)')
  .action(async () => {
    const config = loadConfig();
    await ensureWeb();
    const store = await openConfigured(config);
    await demo(config, store);
    const engine = await engineFor(config, store);
    await traceUntraced(config, store, engine);
    const { url } = await serve(config, store, engine);
    say(`Cordon is running at ${url} (API docs at ${url}docs)`);
  });

program.command('serve')
  .description('serve the API and web page on PORT (default 8080)')
  .action(async () => {
    const config = loadConfig();
    const store = await openConfigured(config);
    const { url } = await serve(config, store, await engineFor(config, store));
    say(`Cordon is running at ${url} (API docs at ${url}docs)`);
  });

program.command('trace')
  .description('trace a case: find and store its close contacts, secondary contacts and companions with evidence')
  .argument('<case>', 'case number (or numeric id)')
  .option('--json', 'print every contact with its evidence as JSON')
  .option('--as-of-confirmation', 'record the contacts as identified when the case was confirmed (replaying a past outbreak)')
  .action(async (ref: string, opts: { json?: boolean; asOfConfirmation?: boolean }) => {
    const config = loadConfig();
    const store = await openConfigured(config);
    try {
      const c = (await store.cases.byCaseNo(ref)) ?? (/^\d+$/.test(ref) ? await store.cases.get(Number(ref)) : undefined);
      if (!c) throw new CliError(`no case ${ref}`);
      const engine = await engineFor(config, store);
      const res = await traceCase({ store, engine, edition: loadEdition(config.protocolEdition), caseId: c.id, now: opts.asOfConfirmation ? c.confirmedAt : undefined });
      if (opts.json) say(JSON.stringify(res, null, 2));
      else {
        say(`case ${c.caseNo}: window ${new Date(res.window.from * 1000).toISOString()} to ${new Date(res.window.to * 1000).toISOString()}`);
        say(`close contacts: ${res.found.close.length}, secondary: ${res.found.secondary.length}, companions: ${res.found.companion.length}; newly stored: ${res.written}; ${res.elapsedMs.toFixed(1)} ms`);
        for (const f of res.found.close.slice(0, 10)) say(`  person ${f.personId}: ${f.evidence.map((e) => `${e.setting} at place ${e.placeId}, ${e.minutes.toFixed(0)} min${e.seatDistance !== null ? `, ${e.seatDistance} rows` : ''} [${e.sources.join('+')}]`).join('; ')}`);
      }
    } finally {
      await store.close();
    }
  });

program.command('generate')
  .description('generate the synthetic province: the agencies\' feed files, the ground truth (apart) and a manifest')
  .option('--persons <n>', 'residents', intArg('--persons'), 200000)
  .option('--days <n>', 'days simulated', intArg('--days'), 14)
  .option('--seed <n>', 'random seed (same seed and options, same bytes)', intArg('--seed'), 42)
  .option('--out <dir>', 'output folder', 'province')
  .option('--no-outbreak', 'movement and feeds only, no outbreak')
  .option('--load', 'also import the feeds into the store (in the manifest\'s order)')
  .action(async (opts: { persons: number; days: number; seed: number; out: string; outbreak: boolean; load?: boolean }) => {
    const config = loadConfig();
    const store = await openConfigured(config);
    try {
      const communities = [...(await store.regions.codes(['community']))].sort();
      const edition = loadEdition(config.protocolEdition);
      const t0 = Date.now();
      const out = path.resolve(opts.out);
      const { manifest } = generateProvince({
        persons: opts.persons, days: opts.days, seed: opts.seed, communities, cellSizeMeters: edition.companion.cellSizeMeters, outDir: out,
        outbreak: opts.outbreak, onStep: (s) => say(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${s}`),
      });
      for (const f of manifest.files) say(`  ${path.join(out, f.path)}: ${f.rows} rows (${f.kind})`);
      say(`ground truth (not for import): ${path.join(out, manifest.groundTruth)}; ${manifest.infections} infections, ${manifest.confirmedCases} confirmed cases; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (opts.load) {
        await importManifest({ store, dir: out, idHashKey: idHashKey(config), onFile: (r) => say(`imported ${path.relative(out, r.file)}: ${r.inserted} new of ${r.rows}`) });
      }
    } finally {
      await store.close();
    }
  });

program.command('import')
  .description(`import a feed file, all or nothing; kinds: ${IMPORT_KINDS.join(', ')}`)
  .argument('<kind>', `one of ${IMPORT_KINDS.join(', ')}`, (v: string) => {
    if (!(IMPORT_KINDS as readonly string[]).includes(v)) throw new InvalidArgumentError(`unknown kind; one of ${IMPORT_KINDS.join(', ')}`);
    return v as ImportKind;
  })
  .argument('<file>', 'a .csv, .ndjson or .xlsx file')
  .option('--format <format>', `${FORMATS.join(', ')} (default: from the file name)`)
  .option('--encoding <name>', `text encoding of CSV/NDJSON files: ${ENCODINGS.join(' or ')} (gbk and gb2312 are read as gb18030)`, 'utf-8')
  .option('--columns <map.json>', 'column map for another layout: a JSON object {"their column": "our column"} (Chinese headers such as 身份证号 need none)')
  .addHelpText('after', '\nColumns of each kind, and the Chinese headers read for them: src/services/import/kinds.ts. A bad row refuses the whole file.')
  .action(async (kind: ImportKind, file: string, opts: { format?: string; encoding: string; columns?: string }) => {
    if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
    if (opts.format && !(FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
    const columns = opts.columns === undefined ? undefined : readColumnMap(opts.columns);
    const config = loadConfig();
    const store = await openConfigured(config);
    const bar = progressBar(`import ${kind}`, fs.statSync(file).size);
    try {
      const res = await importFile({
        store, kind, file, format: opts.format as Format | undefined, encoding: opts.encoding, columns, idHashKey: idHashKey(config),
        onProgress: ({ bytes, rows }) => bar.update(bytes, { rows }),
      });
      bar.stop();
      say(`${file}: ${res.rows} rows, ${res.inserted} new, ${res.unchanged} already present`);
    } catch (e) {
      bar.stop();
      throw e;
    } finally {
      await store.close();
    }
  });

/** Reads `--columns`: a JSON object whose every value is a column name (which columns exist, importFile checks). */
function readColumnMap(file: string): ColumnMap {
  let map: unknown;
  try {
    map = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`--columns ${file}: not a readable JSON file (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
    throw new CliError(`--columns ${file}: must be a JSON object of column names, such as {"证件号": "id_number"}`);
  }
  return map as ColumnMap;
}

const codes = program.command('codes').description('health codes: signing keys, offline and online verification');

codes.command('keys')
  .description('print the public keys as JSON (what an offline checkpoint loads: cordon codes verify --keys FILE)')
  .action(() => withStore(async (store, config) => {
    say(JSON.stringify({ keys: (await codeService(store, config)).keys.publicKeys() }, null, 2));
  }));

codes.command('rotate')
  .description('create a new signing key; the old one keeps verifying its tokens until they expire')
  .action(() => withStore(async (store, config) => {
    say(`new signing key: ${await (await codeService(store, config)).keys.rotate(nowSeconds())}`);
  }));

codes.command('verify')
  .description('verify a scanned token: offline with --keys FILE (no database, no network), else online against current codes')
  .argument('<token>', 'the text of the QR code')
  .option('--keys <file>', 'public keys JSON (from cordon codes keys or GET /api/codes/keys)')
  .action(async (token: string, opts: { keys?: string }) => {
    const now = nowSeconds();
    if (opts.keys) {
      const { keys } = JSON.parse(fs.readFileSync(opts.keys, 'utf8')) as { keys: PublicKeyInfo[] };
      const r = new TokenVerifier(keys).verify(token, now);
      if (!r.ok) throw new CliError(`DENY (offline): ${r.fault}: ${r.detail}`);
      say(`valid (offline): colour ${r.payload.c}${r.payload.a ? ', itinerary *' : ''}, expires ${formatTime(r.payload.exp)}`);
      return;
    }
    await withStore(async (store, config) => {
      const v = await (await codeService(store, config)).verify(token, now);
      if (v.verdict === 'deny') throw new CliError(`DENY: ${v.reasons.join('; ')}`);
      say(`PASS: person ${v.personId}, green`);
    });
  });

program.command('risk-areas')
  .description('the published risk areas; --grade grades them first from the cases recorded')
  .option('--grade', 'grade from the cases recorded and store the changes')
  .option('--at <time>', 'evaluate at this time (YYYY-MM-DD HH:MM, CST) instead of now')
  .action(async (opts: { grade?: boolean; at?: string }) => {
    const at = opts.at === undefined ? nowSeconds() : parseTime(opts.at);
    if (at === null) throw new CliError(`--at: not a date-time: ${opts.at}`);
    await withStore(async (store, config) => {
      if (opts.grade) {
        const changes = await gradeRiskAreas(store, loadEdition(config.protocolEdition), at);
        say(`${changes.length} unit(s) changed level`);
      }
      const list = await publishedRiskAreas(store, at);
      for (const a of list) say(`${a.level.padEnd(6)} ${a.regionCode} ${(await store.regions.get(a.regionCode))?.name ?? ''}  since ${formatTime(a.since)}${a.reviewAt ? `, review ${formatTime(a.reviewAt)}` : ''}: ${a.reason}`);
      if (list.length === 0) say('no medium- or high-risk areas');
    });
  });

program.command('chains')
  .description('chains of transmission: clusters and indicators, or every chain as JSON, a CSV edge list or GraphML')
  .option('--format <format>', 'text (default), json, csv or graphml', 'text')
  .action(async (opts: { format: string }) => {
    if (!['text', 'json', 'csv', 'graphml'].includes(opts.format)) throw new CliError(`--format: one of text, json, csv, graphml (not ${opts.format})`);
    await withStore(async (store, config) => {
      const v = await chainsOf(store, loadEdition(config.protocolEdition), nowSeconds());
      if (opts.format === 'csv') { process.stdout.write(chainsCsv(v.chains, v.caseNo)); return; }
      if (opts.format === 'graphml') { process.stdout.write(chainsGraphml(v.chains, v.caseNo)); return; }
      if (opts.format === 'json') { say(JSON.stringify({ indicators: v.indicators, chains: v.chains }, null, 2)); return; }
      const i = v.indicators;
      say(`${i.cases} cases in ${i.clusters} clusters (${i.activeClusters} active); source unknown: ${i.sourceUnknown}; were known contacts: ${i.casesThatWereKnownContacts}`);
      say(`contacts per case: mean ${i.contactsPerCase.mean}, median ${i.contactsPerCase.median}; serial interval: mean ${i.serialIntervalDays.mean ?? '-'} d over ${i.serialIntervalDays.links} links`);
      for (const c of v.chains.filter((x) => x.caseIds.length > 1)) say(`${c.active ? 'active ' : 'closed '} ${String(c.caseIds.length).padStart(4)} cases, ${c.generations} generations: ${c.name}`);
    }, false);
  });

program.command('report')
  .description('reports: efficacy (share of cases already contacts when confirmed, hours to contacts identified, contacts per case)')
  .argument('<name>', 'efficacy')
  .option('--truth <file>', 'a synthetic outbreak\'s ground-truth.ndjson: also score against the true infections')
  .action(async (name: string, opts: { truth?: string }) => {
    if (name !== 'efficacy') throw new CliError(`unknown report ${name}: efficacy`);
    const truth = opts.truth === undefined ? undefined : readGroundTruth(opts.truth);
    await withStore(async (store, config) => {
      const r = await efficacyReport(store);
      say(`cases: ${r.cases}`);
      say(`already close/secondary contacts or companions when confirmed: ${(r.alreadyContactsWhenConfirmed * 100).toFixed(1)} %`);
      say(`median hours from confirmation to contacts identified: ${r.medianHoursToContactsIdentified ?? '-'}`);
      say(`contacts per case: mean ${r.contactsPerCase.mean}, median ${r.contactsPerCase.median}`);
      if (truth) {
        const key = idHashKey(config);
        const t = await efficacyAgainstTruth(store, loadEdition(config.protocolEdition), truth, (id) => hashIdNumber(id, key), nowSeconds());
        say(`true local infections: ${t.trueInfections}; already close/secondary contacts or companions when confirmed: ${(t.alreadyContacts * 100).toFixed(1)} %`);
        say(`inferred infector right for ${t.inferredInfectorCorrect === null ? '-' : `${(t.inferredInfectorCorrect * 100).toFixed(1)} %`} of ${t.scorableCases} cases whose true infector is a case`);
      }
    }, false);
  });

/** An error the CLI reports as a plain message with exit code 1. */
class CliError extends Error {}

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ImportRejectedError || e instanceof ConfigError || e instanceof ProtocolEditionError || e instanceof CliError || e instanceof GroundTruthError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`cordon: ${(e as Error).stack ?? e}\n`);
  }
  process.exit(1);
});

