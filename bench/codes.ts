/**
 * bench:codes: how long after a write its contacts' health codes have changed, for each path that writes contacts
 * (DESIGN.md: <= 1 s for 10,000 contacts). A case shared an enclosed venue with N others (fixed seed for who stayed
 * how long). Paths, each on a fresh store:
 *   confirm   confirming the case (POST /api/cases): case + event written, traced, codes changed;
 *   retrace   the case is confirmed and traced; N new presence records arrive; retracing it (POST /api/cases/:id/trace);
 *   catch_up  the same N records stored by another process (an import) and taken in by the server's catch-up;
 *   import    the presence is stored; the case arrives in a cases feed (cordon import cases), traced as of confirmation.
 * Each figure is from the start of the write to the moment every code has changed (the use case returns only then),
 * with the write and the handling apart; and from the contacts stored to their transfer tasks stored (the command
 * mechanism: one task per new close contact, routed to the grid or community where they live). SQLite (a file, full sync) and PostgreSQL (when reachable), side by side.
 * Prints one JSON object as its last line and writes it to bench/results/codes.json.
 *   npm run bench:codes -- [--contacts 10000] [--persons 50000] [--pg-url URL] [--seed 42] [--paths retrace,import] [--engines postgres]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openServices, type Services } from '../src/app/container.ts';
import { hashIdNumber } from '../src/domain/identity.ts';
import { formatTime } from '../src/domain/time.ts';
import { SettableClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { confirmCase, type CaseReport } from '../src/services/cases/confirmCase.ts';
import { retraceCase } from '../src/services/cases/retraceCase.ts';
import { importFile } from '../src/services/import/importFile.ts';
import { catchUp } from '../src/services/tracing/traceCase.ts';
import { openStore, type StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { idNumber } from '../test/fixtures.ts';
import { edition, seedPersons } from './codes/world.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const contacts = Number(opt('contacts', '10000'));
const persons = Number(opt('persons', '50000'));
const seed = Number(opt('seed', '42'));
const pgUrl = opt('pg-url', process.env.CORDON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const ALL_PATHS = ['confirm', 'retrace', 'catch_up', 'import'] as const;
type PathName = (typeof ALL_PATHS)[number];
/** Only some paths or engines (to profile one); every one by default. */
const PATHS = ALL_PATHS.filter((p) => opt('paths', ALL_PATHS.join(',')).split(',').includes(p));
const engines = opt('engines', 'sqlite,postgres').split(',');
const KEY = 'bench-key-0123456789';

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

/** The hall's presence: the case for 3 h, and the others (ids) staying at least 2 h from a random start. */
function hallRows(hall: number, ids: number[], start: number, rnd: Random) {
  return ids.map((id) => ({ personId: id, placeId: hall, start: start + rnd.int(3600), end: start + 3 * 3600 + rnd.int(3600), source: 'venue_scan' as const, seat: null, carriage: null }));
}

async function runPath(where: StoreLocation, p: PathName, dir: string) {
  const store = await openStore(where);
  const now = 1_700_000_000;
  const clock = new SettableClock(now - 7200);
  const ctx: Ctx = { actor: { kind: 'system', name: 'bench' }, clock };
  // Person 1 (the case) has a real ID number, so a cases feed can name it.
  const ids = await seedPersons(store, persons, (id) => (id === 1 ? { idHash: hashIdNumber(idNumber(1), KEY) } : {}));
  await store.places.insertMany([{ code: 'HALL', name: '演出厅', category: 'theatre', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
  const hall = (await store.places.byCode('HALL'))!.id;
  const rnd = new Random(seed);
  const start = now - 30 * 3600;
  const caseRow = { personId: 1, placeId: hall, start, end: start + 3 * 3600, source: 'venue_scan' as const, seat: null, carriage: null };
  const others = hallRows(hall, ids.slice(1, contacts + 1), start, rnd);
  const insert = async (rows: typeof others) => { for (let i = 0; i < rows.length; i += 5000) await store.presence.insertMany(rows.slice(i, i + 5000)); };
  await insert(p === 'retrace' || p === 'catch_up' ? [caseRow] : [caseRow, ...others]);
  // When tracing (or an import) wrote the contacts, and when the tasks they call for were stored.
  let contactsWrittenAt = 0, tasksStoredAt = 0, codesChangedAt = 0;
  // (Paths that trace outside a handler, retrace and catch-up, stored the contacts before their event's first handler.)
  const onEventHandled = (ev: { kind: string }, handler: string, start: number, end: number) => {
    if (handler === 'tracing' && ev.kind !== 'contacts.written') contactsWrittenAt = end;
    if (ev.kind === 'contacts.written' && contactsWrittenAt === 0) contactsWrittenAt = start;
    if (handler === 'tasks' && ev.kind === 'contacts.to_route') tasksStoredAt = end;
    if (handler === 'codes' && ev.kind === 'contacts.written') codesChangedAt = end;
    if (process.env.BENCH_HANDLERS) log(`${ev.kind} ${handler} ${(end - start).toFixed(0)} ms`);
  };
  const s: Services = await openServices({ store, edition, clock, codeSecret: 'bench', onEventHandled });
  for (let i = 0; i < ids.length; i += 10_000) await s.codes.recompute(ids.slice(i, i + 10_000), 'initial', now - 7200);
  await store.maintain();
  await s.tracing();
  clock.set(now);
  const report: CaseReport = { caseNo: 'BENCH-1', personId: 1, kind: 'confirmed', onsetAt: now - 86400, sampledAt: now - 7200, confirmedAt: now - 3600, isolatedAt: now - 3600, severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms' };
  if (p === 'retrace' || p === 'catch_up') {
    await confirmCase(ctx, s, report);
    clock.set(now + 60);
    await insert(others); // the new records, stored by another process (a feed import)
  }
  let writeMs = 0;
  contactsWrittenAt = 0;
  tasksStoredAt = 0;
  codesChangedAt = 0;
  const t0 = performance.now();
  if (p === 'confirm') {
    await confirmCase(ctx, s, report);
  } else if (p === 'retrace') {
    await retraceCase(ctx, s, (await store.cases.byCaseNo('BENCH-1'))!.id);
  } else if (p === 'catch_up') {
    await catchUp({ ctx, store, engine: await s.tracing(), edition });
    writeMs = performance.now() - t0;
    await s.events.settle();
  } else {
    const file = path.join(dir, `cases-${randomBytes(3).toString('hex')}.csv`);
    fs.writeFileSync(file, `case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at\nBENCH-1,${idNumber(1)},confirmed,${[report.onsetAt!, report.sampledAt, report.confirmedAt, report.isolatedAt!].map((t) => formatTime(t).slice(0, 19).replace('T', ' ')).join(',')}\n`);
    await importFile({ ctx, store, edition, kind: 'cases', file, idHashKey: KEY });
    writeMs = performance.now() - t0;
    await s.events.settle();
  }
  const totalMs = performance.now() - t0;
  const current = await store.codes.currentOf(ids.slice(0, contacts + 1));
  const red = [...current.values()].filter((c) => c.colour === 'red').length;
  const closeContacts = (await store.cases.contactCounts((await store.cases.byCaseNo('BENCH-1'))!.id)).close;
  const transferTasks = (await store.command.tasks({ kind: 'transfer_to_quarantine' }, { limit: 1 })).total;
  await s.events.stop();
  await store.close();
  return {
    close_contacts: closeContacts, red_after: red, transfer_tasks: transferTasks, write_ms: Math.round(writeMs), write_to_codes_changed_ms: Math.round(totalMs),
    // From the start of the write to the end of the codes handler of the contacts' event (their codes changed; the
    // tasks come after it, and the use case returns once everything the write causes is done).
    write_to_codes_handler_ms: codesChangedAt ? Math.round(codesChangedAt - t0) : null,
    // From the end of tracing's write of the contacts (or of the catch-up) to the end of the tasks handler of their event.
    contacts_to_tasks_ms: contactsWrittenAt && tasksStoredAt ? Math.round(tasksStoredAt - contactsWrittenAt) : null,
  };
}

async function runEngine(name: string, make: () => Promise<{ where: StoreLocation; drop: () => Promise<void> }>, dir: string) {
  const out: Partial<Record<PathName, Awaited<ReturnType<typeof runPath>>>> = {};
  for (const p of PATHS) {
    const { where, drop } = await make();
    try {
      out[p] = await runPath(where, p, dir);
      log(`${name} ${p}:`, out[p]);
    } finally {
      await drop();
    }
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-codes-'));
const result: Record<string, unknown> = { persons, contacts, seed, edition: edition.id };
let n = 0;
if (engines.includes('sqlite')) result.sqlite = await runEngine('sqlite', async () => {
  const file = path.join(dir, `cordon-${++n}.db`);
  return { where: { sqliteFile: file }, drop: async () => { for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true }); } };
}, dir);
if (!engines.includes('postgres')) result.postgres = 'not asked for';
else if (await pgReachable()) {
  result.postgres = await runEngine('postgres', async () => {
    const schema = `bench_codes_${randomBytes(4).toString('hex')}`;
    return {
      where: { postgresUrl: pgUrl, schema },
      drop: async () => { const c = new pg.Client({ connectionString: pgUrl }); await c.connect(); await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); await c.end(); },
    };
  }, dir);
} else result.postgres = 'not reachable: skipped';
fs.rmSync(dir, { recursive: true, force: true });
// Side by side: every path on both engines, and the worst.
const table = PATHS.map((p) => ({ path: p, sqlite_ms: (result.sqlite as Record<string, { write_to_codes_changed_ms: number }> | undefined)?.[p]?.write_to_codes_changed_ms, postgres_ms: typeof result.postgres === 'object' ? (result.postgres as Record<string, { write_to_codes_changed_ms: number }>)[p]?.write_to_codes_changed_ms : null }));
console.error(table.map((r) => `${r.path.padEnd(9)} sqlite ${String(r.sqlite_ms).padStart(6)} ms   postgres ${String(r.postgres_ms ?? '-').padStart(6)} ms`).join('\n'));
result.worst_ms = Math.max(...table.flatMap((r) => [r.sqlite_ms ?? 0, r.postgres_ms ?? 0]));
result.machine = { cpus: os.availableParallelism(), node: process.version };
// The recorded result is of a full run only.
if (PATHS.length === ALL_PATHS.length && engines.includes('sqlite') && engines.includes('postgres')) {
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results/codes.json'), `${JSON.stringify(result, null, 2)}\n`);
}
console.log(JSON.stringify(result));
