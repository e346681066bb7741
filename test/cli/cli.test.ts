/**
 * The `cordon` command as a user runs it: help on every command, import with its errors, bad input to every command
 * (exit 1 and a message, never a stack), serve with PORT.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ROOT } from '../../src/api/main.ts';
import { WORKER_MIN_BYTES } from '../../src/services/import/importFile.ts';
import { formatTime, nowSeconds } from '../../src/domain/time.ts';
import { PRESENCE_SOURCES } from '../../src/domain/vocab.ts';
import { recordAudit } from '../../src/services/audit/audit.ts';
import { openStore } from '../../src/storage/store.ts';
import { idNumber, personRow } from '../fixtures.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin/cordon.mjs');
let dataDir: string;
const env = () => ({ ...process.env, CORDON_DATA_DIR: dataDir, CORDON_DATABASE_URL: '', CORDON_GRIDS_PER_COMMUNITY: '1', LOG_LEVEL: 'warn' });
const cordon = (...args: string[]) => run('node', [BIN, ...args], { env: env(), cwd: ROOT }).then(
  (r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

// Each test runs the CLI as child processes (a few seconds each to start): generous limits, so a loaded machine
// (a server and a browser beside the suite) slows them without failing them.
describe('cordon CLI', { timeout: 300_000 }, () => {
  // A data folder of its own for each test: none relies on what another left, whatever order they run in.
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-cli-')); });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  it('init --demo prints the first administrator and the demo accounts, once', async () => {
    // One grid per community (env()): the demo's residents go into the grids init made.
    const demoEnv = { ...env(), CORDON_DEMO_PERSONS: '2000' };
    const first = await run('node', [BIN, 'init', '--demo'], { env: demoEnv, cwd: ROOT });
    expect(first.stdout).toMatch(/administrator "\S+", one-time password \S+/);
    expect(first.stdout).toContain('Demo accounts');
    // Each staff role's account with its password (the store holds only its hash).
    const line = first.stdout.split('\n').find((l) => /password \S+\s+cdc_investigator/.test(l))!;
    expect(line).toBeDefined();
    const [username, , password] = line.trim().split(/\s+/);
    const store = await openStore({ sqliteFile: path.join(dataDir, 'cordon.sqlite') });
    try {
      const user = await store.accounts.userByName(username);
      expect(user?.role).toBe('cdc_investigator');
      expect(user?.passwordHash).toBeTruthy();
      expect(user?.passwordHash).not.toContain(password);
      // Every resident is in a grid of their community, the only one there is.
      const persons = await store.persons.list({}, { limit: 3000 });
      expect(persons.items.length).toBeGreaterThan(1000);
      expect(persons.items.every((p) => p.gridCode === `${p.communityCode}01`)).toBe(true);
    } finally {
      await store.close();
    }
    // Again: the demo is loaded and the accounts exist; no password is shown twice.
    const again = await run('node', [BIN, 'init', '--demo'], { env: demoEnv, cwd: ROOT });
    expect(again.stdout).not.toContain('password');
  });

  /** Imports persons 1 and 2 (甲, 乙) into the test's store. */
  const twoPersons = async () => {
    const persons = path.join(dataDir, 'persons.csv');
    fs.writeFileSync(persons, `id_number,name,community_code\n${idNumber(1)},甲,430102001001\n${idNumber(2)},乙,430102001001\n`);
    expect((await cordon('import', 'persons', persons)).code).toBe(0);
    return persons;
  };

  it('has --help on every command', async () => {
    for (const cmd of [[], ['init'], ['start'], ['serve'], ['generate'], ['import'], ['trace'], ['codes'], ['codes', 'keys'], ['codes', 'rotate'], ['codes', 'verify'], ['risk-areas'], ['chains'], ['report'],
      ['cases'], ['cases', 'correct'], ['cases', 'withdraw'], ['contacts', 'status'], ['venue-orders', 'lift'], ['events'],
      ['users', 'add'], ['users', 'list'], ['users', 'disable'], ['users', 'enable'], ['users', 'reset-password'], ['api-keys', 'issue'], ['api-keys', 'list'], ['api-keys', 'revoke'],
      ['audit', 'list'], ['audit', 'verify']]) {
      const r = await cordon(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: cordon');
      // import's help names every kind's columns, required before [optional].
      if (cmd[0] === 'import') {
        expect(r.stdout).toContain('  presence: place_code, start, end, source, [id_number], [phone], [seat], [carriage] (id_number or phone needed)');
        expect(r.stdout).toMatch(/^ {2}persons: id_number, name, community_code, \[phone\]/m);
        // ... and the values a vocabulary column takes, under its kind.
        expect(r.stdout).toContain(`    source: ${PRESENCE_SOURCES.join(' | ')}\n`);
        expect(r.stdout).toContain('    result: pending | negative | positive | invalid\n');
      }
      if (cmd[0] === 'chains') expect(r.stdout).toContain('--lang <lang>');
    }
  }, 300_000);

  const lastLine = (text: string) => text.trim().split('\n').at(-1);
  it('adds, lists, resets and disables users, and issues, lists and revokes API keys, printing each secret once on stdout', async () => {
    expect((await cordon('init')).code).toBe(0);
    const add = await cordon('users', 'add', 'li', '--role', 'cdc_investigator', '--agency', '长沙市疾控中心', '--agency-kind', 'public_health', '--region', '4301', '--name', '李四');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^[a-zA-Z2-9]{16}\n$/);
    expect(add.stderr).toContain('user li added (cdc_investigator in 4301)');
    const bad = await cordon('users', 'add', 'wu', '--role', 'grid_worker', '--agency', 'x', '--agency-kind', 'community', '--region', '4301');
    expect([bad.code, lastLine(bad.stderr)]).toEqual([1, 'region: a grid_worker is scoped to a community or grid, not a city']);
    expect(lastLine((await cordon('users', 'add', 'li', '--role', 'lab', '--agency', 'x', '--agency-kind', 'lab', '--region', '43')).stderr)).toBe('The username li is taken.');
    expect((await cordon('users', 'list')).stdout).toMatch(/^li\tcdc_investigator\t4301\t长沙市疾控中心\tmust change password\tlast sign-in -\n$/);
    const reset = await cordon('users', 'reset-password', 'li');
    expect(reset.stdout).toMatch(/^[a-zA-Z2-9]{16}\n$/);
    expect(reset.stdout).not.toBe(add.stdout);
    expect((await cordon('users', 'disable', 'li')).stderr).toContain('user li disabled');
    expect((await cordon('users', 'list')).stdout).toMatch(/\tdisabled 20\d\d-/);
    expect(lastLine((await cordon('users', 'disable', 'nobody')).stderr)).toBe('No user nobody.');
    expect((await cordon('users', 'enable', 'li')).stderr).toContain('user li enabled');
    expect((await cordon('users', 'list')).stdout).toMatch(/\tmust change password\t/);
    const issue = await cordon('api-keys', 'issue', '--role', 'checkpoint_staff', '--name', 'gate-7', '--region', '430102');
    expect(issue.stdout).toMatch(/^ck_[A-Za-z0-9_-]{43}\n$/);
    const list = (await cordon('api-keys', 'list')).stdout;
    expect(list).toContain(`gate-7\t${issue.stdout.slice(0, 7)}...\tcheckpoint_staff\t430102\tissued `);
    expect(list).not.toContain(issue.stdout.trim());
    expect((await cordon('api-keys', 'revoke', 'gate-7')).stderr).toContain('API key gate-7 revoked');
    expect((await cordon('api-keys', 'list')).stdout).toMatch(/\trevoked 20\d\d-/);
    expect((await cordon('api-keys', 'issue', '--role', 'mayor', '--name', 'x')).stderr).toContain('role: one of provincial_command');
  }, 300_000);

  it('lists the audit log and verifies its chain, finding an edited entry and a cut-off end (exit 1)', async () => {
    expect((await cordon('init')).code).toBe(0);
    const file = path.join(dataDir, 'cordon.sqlite');
    const store = await openStore({ sqliteFile: file });
    const ctx = { actor: { kind: 'api' as const, name: 'li.si' }, clock: { now: () => 1_700_000_000 } };
    for (const i of [1, 2, 3]) await recordAudit(ctx, store, { action: 'persons:read-identity', subject: `person:${i}`, purpose: 'calling a contact', requestId: `req-${i}` });
    await store.close();
    expect((await cordon('audit', 'list', '--subject', 'person:2')).stdout).toBe(`2\t${formatTime(1_700_000_000)}\tapi:li.si\tpersons:read-identity\tperson:2\tcalling a contact\treq-2\n`);
    const ok = await cordon('audit', 'verify');
    expect([ok.code, ok.stderr.trim().split('\n').at(-1)]).toEqual([0, 'audit log intact: 3 entries']);
    const head = ok.stdout.trim();
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    const db = new Database(file);
    db.prepare("UPDATE audit_log SET purpose = 'nothing' WHERE id = 2").run();
    const edited = await cordon('audit', 'verify');
    expect([edited.code, lastLine(edited.stderr)]).toEqual([1, 'audit log broken at entry 2: its content does not match its hash (the entry was edited) (1 entries before it are intact)']);
    db.prepare("UPDATE audit_log SET purpose = 'calling a contact' WHERE id = 2").run();
    expect((await cordon('audit', 'verify', '--expect-head', head)).code).toBe(0);
    db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    db.close();
    const cut = await cordon('audit', 'verify', '--expect-head', head);
    expect([cut.code, lastLine(cut.stderr)]).toEqual([1, `audit log: the expected head ${head} is not in the chain (entries were cut off the end, or it is another log)`]);
  }, 300_000);

  it('initialises the store, imports a file, and refuses a bad one with file:line field: reason and exit 1', async () => {
    expect((await cordon('init')).code).toBe(0);
    const persons = path.join(dataDir, 'persons.csv');
    fs.writeFileSync(persons, `id_number,name,community_code\n${idNumber(1)},甲,430102001001\n${idNumber(2)},乙,430102001001\n`);
    const ok = await cordon('import', 'persons', persons);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 rows, 2 new, 0 updated, 0 already present');
    expect(ok.stderr).toContain(`storage: sqlite (${path.join(dataDir, 'cordon.sqlite')})`);
    // The progress reaches 100 % only once the file's transaction committed (every row read and written is 99 %).
    const progress = ok.stderr.split('\n').filter((l) => l.startsWith('import persons: '));
    expect(progress.slice(-2)).toEqual(['import persons: 100%', 'import persons: done']);
    expect(progress.at(-3)).toMatch(/^import persons: 9\d%$/);
    expect((await cordon('import', 'persons', persons)).stdout).toContain('2 rows, 0 new, 0 updated, 2 already present');
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(bad, `id_number,name,community_code\n${idNumber(3)},丙,439999999999\n`);
    const r = await cordon('import', 'persons', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv:2 community_code: unknown community code "439999999999"');
    expect((await cordon('import', 'people', bad)).stderr).toContain('unknown kind');
    expect((await cordon('import', 'persons', '/nope.csv')).stderr).toContain('no such file');
  });

  it('imports another layout with --columns map.json, and refuses a bad map or an encoding it cannot decode strictly', async () => {
    expect((await cordon('init')).code).toBe(0);
    const file = path.join(dataDir, 'theirs.csv');
    fs.writeFileSync(file, `证件号,姓名,社区\n${idNumber(4)},丁,430102001001\n`);
    const map = path.join(dataDir, 'map.json');
    fs.writeFileSync(map, JSON.stringify({ 证件号: 'id_number', 社区: 'community_code' }));
    const ok = await cordon('import', 'persons', file, '--columns', map);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('1 rows, 1 new, 0 updated') });
    fs.writeFileSync(map, JSON.stringify({ 证件号: 'id_number', 社区: 'community' }));
    expect(await cordon('import', 'persons', file, '--columns', map)).toMatchObject({ code: 1, stderr: expect.stringContaining('theirs.csv:0 社区: column map: mapped to "community"') });
    fs.writeFileSync(map, '["id_number"]');
    expect((await cordon('import', 'persons', file, '--columns', map)).stderr).toContain('must be a JSON object of column names');
    expect((await cordon('import', 'persons', file, '--encoding', 'big5')).stderr).toContain('unknown or unsupported encoding "big5"');
  });

  it('prints the public keys as clean JSON on stdout (banners on stderr), and denies a bad token offline and online with exit 1', async () => {
    expect((await cordon('init')).code).toBe(0);
    const keys = await cordon('codes', 'keys');
    expect(keys.code).toBe(0);
    const file = path.join(dataDir, 'keys.json');
    expect(JSON.parse(keys.stdout)).toMatchObject({ maxTokenLifetimeSeconds: 180 });
    fs.writeFileSync(file, keys.stdout);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).keys[0]).toMatchObject({ kid: expect.any(String), publicKey: expect.any(String) });
    const offline = await cordon('codes', 'verify', 'CDN1.e30.AAAA', '--keys', file);
    expect(offline).toMatchObject({ code: 1, stderr: expect.stringContaining('DENY (offline): malformed') });
    expect((await cordon('codes', 'verify', 'not-a-token'))).toMatchObject({ code: 1, stderr: expect.stringContaining('DENY') });
  });

  it('traces an imported case as of its confirmation, grades risk areas now, and reports chains and efficacy', async () => {
    expect((await cordon('init')).code).toBe(0);
    // Times relative to now: the CLI runs on the machine's clock, and feeds from the future are refused.
    const at = (hoursAgo: number) => formatTime(Math.floor(Date.now() / 1000) - hoursAgo * 3600).slice(0, 16).replace('T', ' ');
    await twoPersons();
    const places = path.join(dataDir, 'places.csv');
    fs.writeFileSync(places, 'code,name,category,region_code\nR1,餐馆,restaurant,430102\n');
    expect((await cordon('import', 'places', places)).code).toBe(0);
    const presence = path.join(dataDir, 'presence.csv');
    fs.writeFileSync(presence, `id_number,place_code,start,end,source\n${idNumber(1)},R1,${at(50)},${at(49)},venue_scan\n${idNumber(2)},R1,${at(49.5)},${at(48)},venue_scan\n`);
    expect((await cordon('import', 'presence', presence)).code).toBe(0);
    const cases = path.join(dataDir, 'cases.csv');
    fs.writeFileSync(cases, `case_no,id_number,kind,onset_at,sampled_at,confirmed_at\nC-1,${idNumber(1)},confirmed,${at(30)},${at(26)},${at(24)}\n`);
    const imported = await cordon('import', 'cases', cases);
    expect(imported.code).toBe(0);
    // Imported cases are traced (and codes follow) before the command ends.
    expect(imported.stderr).toMatch(/events handled: [1-9]/);
    const r = await cordon('trace', 'C-1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('close contacts: 1, secondary: 0, companions: 0; newly stored: 0, updated: 0, released: 0');
    expect(r.stdout).toMatch(/dining_entertainment at place \d+, 30 min \[venue_scan\]/);
    // The case's community became a medium-risk area (street-2021 rules) as the case was imported, and is listed;
    // grading again now finds nothing new.
    expect((await cordon('risk-areas')).stdout).toMatch(/medium +430102001001 识字里社区居委会/);
    const graded = await cordon('risk-areas', '--grade');
    expect(graded.stdout).toContain('0 unit(s) graded anew');
    expect(graded.stdout).toMatch(/medium +430102001001/);
    // Grading takes no time from the command line; --at only reads.
    expect(await cordon('risk-areas', '--grade', '--at', at(1))).toMatchObject({ code: 1, stderr: expect.stringContaining('--grade grades now') });
    expect((await cordon('risk-areas', '--at', at(72))).stdout).toContain('no medium- or high-risk areas');
    expect((await cordon('chains')).stdout).toContain('1 cases in 0 clusters (0 active); source unknown: 1');
    expect((await cordon('chains', '--format', 'graphml')).stdout).toContain('<graphml');
    // JSON as the API's export: case numbers, ISO times (not epoch seconds) and the exposure events.
    const json = JSON.parse((await cordon('chains', '--format', 'json')).stdout);
    expect(json.chains[0].caseNos).toHaveLength(1);
    expect(json.chains[0].firstOnset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(json.events).toEqual([]);
    // By region, as the API: the case's community has its chain, a code of no division is refused.
    expect(JSON.parse((await cordon('chains', '--format', 'json', '--region', '430102001001')).stdout).chains).toHaveLength(1);
    expect(JSON.parse((await cordon('chains', '--format', 'json', '--region', '430102001002')).stdout).chains).toHaveLength(0);
    const nowhere = await cordon('chains', '--region', '439999');
    expect([nowhere.code, nowhere.stderr]).toEqual([1, expect.stringContaining('--region: no division with code 439999')]);
    expect((await cordon('chains', '--format', 'xml')).stderr).toContain('--format: one of');
    const report = await cordon('report', 'efficacy');
    expect(report.stdout).toContain('cases: 1');
    expect(report.stdout).toContain('contacts per case: mean 1, median 1');
    const truth = path.join(dataDir, 'ground-truth.ndjson');
    fs.writeFileSync(truth, `${JSON.stringify({ id_number: idNumber(1), infector_id_number: null, confirmed_at: at(24) })}\n${JSON.stringify({ id_number: idNumber(2), infector_id_number: idNumber(1), confirmed_at: null })}\n`);
    const scored = await cordon('report', 'efficacy', '--truth', truth);
    expect(scored.stdout).toContain('true local infections: 1; already close/secondary contacts or companions when confirmed: 100.0 %');
    fs.writeFileSync(truth, '{"id_number": 5}\n');
    expect((await cordon('report', 'efficacy', '--truth', truth))).toMatchObject({ code: 1, stderr: expect.stringContaining('ground-truth.ndjson:1 id_number: missing') });
    expect((await cordon('trace', 'C-9')).stderr).toContain('no case C-9');
    // Corrections from the command line: the outcome, with the reason; then the case is discharged in its code.
    const fixed = await cordon('cases', 'correct', 'C-1', '--outcome', 'discharged', '--reason', 'discharged by the designated hospital');
    expect(fixed).toMatchObject({ code: 0, stdout: expect.stringContaining('outcome: in_treatment -> discharged') });
    expect((await cordon('cases', 'correct', 'C-1', '--outcome', 'healed', '--reason', 'x')).stderr).toContain('--outcome: one of');
    expect((await cordon('events')).stdout).toContain('pending: 0; given up: 0');
  }, 300_000);

  /** stderr without the banners and progress lines every command may print. */
  const messages = (stderr: string) => stderr.split('\n').filter((l) => l.trim() && !/^(storage: |creating a new database|import \w+: |events handled: |\d+\.\d s: )/.test(l));

  it('refuses bad input to every command with exit 1 and a message, never a stack trace', async () => {
    const dir = path.join(dataDir, 'a-folder.csv');
    fs.mkdirSync(dir, { recursive: true });
    const empty = path.join(dataDir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const badTimes = path.join(dataDir, 'bad-times.csv');
    fs.writeFileSync(badTimes, `id_number,place_code,start,end,source\n${idNumber(1)},R1,0021-09-18 10:00,0021-09-18 11:00,venue_scan\n${idNumber(2)},R1,1764503100000,1764503200000,venue_scan\n`);
    // An order in force to lift (orders are issued through the API), and a case C-1 to correct.
    const store = await openStore({ sqliteFile: path.join(dataDir, 'cordon.sqlite') });
    await store.control.insertOrder({ orderNo: 'VO-1', action: 'close', categories: ['ktv'], regionCodes: ['430102'], startsAt: nowSeconds() - 3600, endsAt: null, issuedBy: 'test' });
    await store.persons.insertMany([personRow(1)]);
    await store.cases.insertMany([{ caseNo: 'C-1', personId: 1, kind: 'confirmed', onsetAt: nowSeconds() - 86400, sampledAt: nowSeconds() - 7200, confirmedAt: nowSeconds() - 3600, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    await store.close();
    const missing = path.join(dataDir, 'nope.csv');
    // [arguments, what the message says]; an import names file:line field and reason, one problem a line.
    const cases: [string[], string][] = [
      [['import', 'persons', dir], 'a-folder.csv: not a file'], [['import', 'persons', empty], 'empty.csv:1: empty file'], [['import', 'persons', missing], 'nope.csv: no such file'],
      [['import', 'people', empty], 'unknown kind'], [['import', 'persons', empty, '--columns', dir], 'not a readable JSON file'], [['import', 'persons', empty, '--format', 'xml'], '--format must be one of'],
      [['import', 'presence', badTimes], 'bad-times.csv:2 start: 0021-09-18 10:00 is before 2019-12-01'],
      [['trace', 'C-9'], 'no case C-9'], [['trace', '99999999999999999999'], 'no case 99999999999999999999'],
      [['cases', 'correct', 'C-1', '--reason', 'x', '--outcome-at', '2021-13-01'], '--outcome-at: a date-time'],
      [['cases', 'correct', 'C-1', '--reason', 'x', '--onset-at', '0021-09-18 10:00'], 'before 2019-12-01, the earliest plausible date'],
      [['cases', 'correct', 'C-1', '--reason', 'x', '--severity', 'dire'], '--severity: one of'], [['cases', 'correct', 'C-1', '--reason', ' '], '--reason: say why'],
      [['cases', 'correct', 'C-1'], "required option '--reason <text>'"], [['cases', 'withdraw', 'C-404', '--reason', 'x'], 'no case C-404'],
      [['contacts', 'status', '99999', 'released', '--reason', 'x'], 'No contact with id 99999'], [['contacts', 'status', 'abc', 'released', '--reason', 'x'], 'contact id: a number'],
      [['contacts', 'status', '1', 'asleep', '--reason', 'x'], 'status: one of'],
      [['venue-orders', 'lift', 'VO-404', '--reason', 'x'], 'No venue order VO-404'], [['venue-orders', 'lift', 'VO-1', '--reason', 'x', '--ends', '2201-01-01 00:00'], 'the latest plausible time'],
      [['venue-orders', 'lift', 'VO-1', '--reason', 'x', '--ends', '1764503100000'], '--ends: not a date-time'],
      [['risk-areas', '--at', '9999-12-31'], 'the latest plausible time'], [['risk-areas', '--at', 'yesterday'], '--at: not a date-time'],
      [['chains', '--format', 'xml'], '--format: one of'], [['report', 'summary'], 'unknown report summary'], [['report', 'efficacy', '--truth', dir], 'a-folder.csv: not a file'],
      [['report', 'efficacy', '--truth', empty], 'empty.csv: no infections'], [['codes', 'verify', 'CDN1.e30.AAAA', '--keys', dir], 'not a keys file'],
      [['codes', 'verify', 'CDN1.e30.AAAA', '--keys', empty], 'not a keys file'], [['codes', 'rotate', 'now'], 'too many arguments'],
      [['generate', '--persons', '-5'], '--persons must be a whole number from 1'], [['generate', '--persons', '10', '--start', '2021-13-40', '--out', path.join(dataDir, 'province')], '--start: a date YYYY-MM-DD'],
      [['generate', '--persons', '10', '--days', '1', '--out', empty], 'empty.csv: not a folder'],
      [['generate', '--persons', '10', '--days', '1', '--out', '/dev/null/province'], 'cordon: ENOTDIR: not a directory'],
      [['events', '--bogus'], "unknown option '--bogus'"], [['init', 'extra'], 'too many arguments'], [['serve', '--port', '1'], "unknown option '--port'"],
    ];
    const results: { args: string[]; code: number; stderr: string }[] = [];
    const queue = [...cases];
    await Promise.all([1, 2].map(async () => { for (let c = queue.shift(); c; c = queue.shift()) results.push({ args: c[0], ...(await cordon(...c[0])) }); }));
    for (const [args, says] of cases) {
      const r = results.find((x) => x.args === args)!;
      const what = `cordon ${args.join(' ')}: ${r.stderr}`;
      expect(r.code, what).toBe(1);
      expect(r.stderr, what).toContain(says);
      expect(r.stderr, what).not.toMatch(/^\s+at |cordon: \w*Error\b/m);
      if (args[0] !== 'import' || !r.stderr.includes('rejected')) expect(messages(r.stderr), what).toHaveLength(1);
    }
  }, 300_000);

  // In one transaction, and in steps (taken back when stopped): a server holding the scheduler lease makes `auto` take steps.
  for (const mode of ['whole', 'steps'] as const) it(`says, when stopped by Ctrl-C in the middle of an import (${mode}), that nothing of the file was imported, and nothing is`, async () => {
    expect((await cordon('init')).code).toBe(0);
    const persons = path.join(dataDir, 'persons.csv'), places = path.join(dataDir, 'places.csv'), presence = path.join(dataDir, 'presence.csv');
    fs.writeFileSync(persons, `id_number,name,community_code\n${Array.from({ length: 1000 }, (_, i) => `${idNumber(i + 1)},居民${i + 1},430102001001`).join('\n')}\n`);
    fs.writeFileSync(places, `code,name,category,region_code\n${Array.from({ length: 20 }, (_, i) => `P${i},场所${i},restaurant,430102`).join('\n')}\n`);
    for (const [kind, file] of [['persons', persons], ['places', places]]) {
      const r = await cordon('import', kind, file);
      expect(r.code, r.stderr).toBe(0);
    }
    const t0 = nowSeconds() - 20 * 86400;
    const rows = Array.from({ length: 130_000 }, (_, i) => `${idNumber((i % 1000) + 1)},P${i % 20},${formatTime(t0 + i * 10)},${formatTime(t0 + i * 10 + 600)},venue_scan`);
    fs.writeFileSync(presence, `id_number,place_code,start,end,source\n${rows.join('\n')}\n`);
    // Large enough to be read in the worker thread, whose messages once kept Ctrl-C waiting for the whole file.
    expect(fs.statSync(presence).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    if (mode === 'steps') {
      const db = new Database(path.join(dataDir, 'cordon.sqlite'));
      db.prepare('INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)').run('scheduler', 'a server', nowSeconds() + 3600);
      db.close();
    }
    const child = spawn('node', [BIN, 'import', 'presence', presence], { env: env(), cwd: ROOT });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Ctrl-C once the first rows are written (the progress past 0 %), before the last.
    const started = /import presence: [1-9]\d?%/;
    child.stderr.on('data', (d: Buffer) => {
      const before = stderr;
      stderr += d;
      if (!started.test(before) && started.test(stderr)) child.kill('SIGINT');
    });
    expect(await exited).toBe(130);
    expect(stderr).toMatch(started);
    expect(stderr).toContain(`cordon: stopped by SIGINT; nothing of ${presence} was imported`);
    expect(stderr.includes('a server is running on this database: the rows are written in short steps')).toBe(mode === 'steps');
    // In steps, the steps already made were taken back before it ended.
    expect(stderr.includes('(the rows written so far were taken back)')).toBe(mode === 'steps');
    // Stopped where it was, not once every row had been written.
    expect(stderr).not.toContain('import presence: 100%');
    expect(stderr).not.toContain('import presence: done');
    const db = new Database(path.join(dataDir, 'cordon.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM presence').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM presence_moves').get()).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('says in one line, not a stack, that the database is busy when another writer holds it past the busy timeout', async () => {
    expect((await cordon('init')).code).toBe(0);
    const persons = path.join(dataDir, 'persons.csv');
    fs.writeFileSync(persons, `id_number,name,community_code\n${idNumber(1)},甲,430102001001\n`);
    const other = new Database(path.join(dataDir, 'cordon.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const r = await cordon('import', 'persons', persons);
      expect(r.code).toBe(1);
      expect(messages(r.stderr)).toEqual([expect.stringMatching(/^cordon: the database is busy or cannot be reached \(database is locked\); try again$/)]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }, 60_000);

  it('refuses to create an empty database under the default ./data of another folder, naming the file', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-elsewhere-'));
    const persons = path.join(elsewhere, 'persons.csv');
    fs.writeFileSync(persons, `id_number,name,community_code\n${idNumber(1)},甲,430102001001\n`);
    try {
      const r = await run('node', [BIN, 'import', 'persons', persons], { env: { ...env(), CORDON_DATA_DIR: '' }, cwd: elsewhere }).catch((e) => e);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`no Cordon database at ${path.join(elsewhere, 'data', 'cordon.sqlite')}`);
      expect(fs.existsSync(path.join(elsewhere, 'data', 'cordon.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses to create an empty database in a mistyped CORDON_DATA_DIR, for every command but init, start and generate', async () => {
    const typo = path.join(os.tmpdir(), `cordon-typo-${process.pid}-${Date.now()}`);
    const persons = path.join(os.tmpdir(), `cordon-typo-persons-${process.pid}.csv`);
    fs.writeFileSync(persons, `id_number,name,community_code\n${idNumber(1)},甲,430102001001\n`);
    try {
      for (const args of [['import', 'persons', persons], ['trace', 'C-1'], ['codes', 'keys'], ['risk-areas'], ['events'], ['serve']]) {
        const r = await run('node', [BIN, ...args], { env: { ...env(), CORDON_DATA_DIR: typo } }).catch((e) => e);
        expect(r.code, args.join(' ')).toBe(1);
        expect(messages(r.stderr), args.join(' ')).toEqual([`no Cordon database at ${path.join(typo, 'cordon.sqlite')}: run \`cordon init\` (or \`npm start\`) to create it, or correct CORDON_DATA_DIR`]);
        expect(fs.existsSync(path.join(typo, 'cordon.sqlite')), args.join(' ')).toBe(false);
      }
    } finally {
      fs.rmSync(typo, { recursive: true, force: true });
      fs.rmSync(persons, { force: true });
    }
  });

  it('refuses bad configuration listing every bad variable', async () => {
    const r = await run('node', [BIN, 'serve'], { env: { ...env(), PORT: 'abc', CORDON_DATABASE_URL: 'mysql://x' } }).catch((e) => e);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('CORDON_DATABASE_URL');
  });

  it('serves on the PORT given, answers /api/health, makes and prints the first administrator on a store without users, and picks up a key rotated by the CLI', async () => {
    expect((await cordon('init')).code).toBe(0);
    const child = spawn('node', [BIN, 'serve'], { env: { ...env(), PORT: '0', HOST: '127.0.0.1' }, cwd: ROOT });
    try {
      const { url, password } = await new Promise<{ url: string; password: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /running at (http:\/\/\S+?)\/? /.exec(out), p = /administrator "admin", one-time password (\S+) /.exec(out);
          if (m && p) resolve({ url: m[1], password: p[1] });
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', engine: 'sqlite' });
      // Without credentials the API answers 401; the printed password signs the administrator in, who must change it.
      expect((await fetch(`${url}/api/overview`)).status).toBe(401);
      const signIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      expect(signIn.status).toBe(200);
      expect(await signIn.json()).toMatchObject({ user: { role: 'administrator' }, mustChangePassword: true });
      // A key rotated by the CLI (another process) is seen by the running server within seconds.
      const key = (await cordon('api-keys', 'issue', '--role', 'administrator', '--name', 'ops', '--region', '43')).stdout.trim();
      const kids = async () => ((await (await fetch(`${url}/api/codes/keys`, { headers: { authorization: `Bearer ${key}` } })).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
      const before = await kids();
      expect(before).toHaveLength(1);
      const rotated = /new signing key: (\S+)/.exec((await cordon('codes', 'rotate')).stdout)![1];
      let after = before;
      for (let i = 0; i < 40 && after.length === 1; i++) { await new Promise((r) => setTimeout(r, 500)); after = await kids(); }
      expect(after).toEqual([...before, rotated]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
