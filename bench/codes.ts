/**
 * bench:codes: how long after a case is confirmed its contacts' health codes have changed. A case shared an enclosed
 * venue with N others (fixed seed for who stayed how long); confirming it traces them (close contacts) and evaluates
 * and stores every code that changed, in one call. Run on SQLite (a file, full sync) and on PostgreSQL when reachable.
 * Prints one JSON object as its last line and writes it to bench/results/codes.json.
 *   npm run bench:codes -- [--contacts 10000] [--persons 50000] [--pg-url URL] [--seed 42]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HealthCodeService } from '../src/services/codes/healthCodes.ts';
import { confirmCase } from '../src/services/tracing/confirmCase.ts';
import { TracingEngine } from '../src/services/tracing/engine.ts';
import { openStore, type StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { edition, seedPersons } from './codes/world.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const contacts = Number(opt('contacts', '10000'));
const persons = Number(opt('persons', '50000'));
const seed = Number(opt('seed', '42'));
const pgUrl = opt('pg-url', process.env.CORDON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

async function runOn(name: string, where: StoreLocation) {
  const store = await openStore(where);
  const now = Math.floor(Date.now() / 1000);
  const ids = await seedPersons(store, persons);
  await store.places.insertMany([{ code: 'HALL', name: '演出厅', category: 'theatre', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
  const hall = (await store.places.byCode('HALL'))!.id;
  const rnd = new Random(seed);
  const start = now - 30 * 3600;
  const rows = [{ personId: 1, placeId: hall, start, end: start + 3 * 3600, source: 'venue_scan' as const, seat: null, carriage: null }];
  for (const id of ids.slice(1, contacts + 1)) rows.push({ personId: id, placeId: hall, start: start + rnd.int(3600), end: start + 3 * 3600 + rnd.int(3600), source: 'venue_scan', seat: null, carriage: null });
  for (let i = 0; i < rows.length; i += 5000) await store.presence.insertMany(rows.slice(i, i + 5000));
  const codes = await HealthCodeService.open(store, edition, 'bench', now - 7200);
  for (let i = 0; i < ids.length; i += 10_000) await codes.recompute(ids.slice(i, i + 10_000), 'initial', now - 7200);
  await store.maintain();
  const engine = await TracingEngine.load({ store, edition });
  log(`${name}: ${persons} residents, ${contacts} others in the hall with the case; confirming`);
  const t0 = performance.now();
  const r = await confirmCase({
    store, engine, edition, codes, now,
    case: { caseNo: 'BENCH-1', personId: 1, kind: 'confirmed', onsetAt: now - 86400, sampledAt: now - 7200, confirmedAt: now - 3600, isolatedAt: now - 3600, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: 'symptoms' },
  });
  const totalMs = performance.now() - t0;
  const red = [...(await store.codes.currentOf(ids.slice(0, contacts + 1))).values()].filter((c) => c.colour === 'red').length;
  await store.close();
  return {
    contacts_found: r.trace.found.close.length, codes_changed: r.codes!.changed, red_now: r.codes!.colours.red, red_stored: red,
    confirm_to_codes_changed_ms: Math.round(totalMs), trace_ms: Math.round(r.trace.elapsedMs), codes_ms: Math.round(totalMs - r.trace.elapsedMs),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-codes-'));
const result: Record<string, unknown> = { persons, contacts, seed, edition: edition.id };
result.sqlite = await runOn('sqlite', { sqliteFile: path.join(dir, 'cordon.db') });
log('sqlite', result.sqlite);
if (await pgReachable()) {
  const schema = `bench_codes_${randomBytes(4).toString('hex')}`;
  try {
    result.postgres = await runOn('postgres', { postgresUrl: pgUrl, schema });
    log('postgres', result.postgres);
  } finally {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect(); await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); await c.end();
  }
} else result.postgres = 'not reachable: skipped';
fs.rmSync(dir, { recursive: true, force: true });
result.machine = { cpus: os.availableParallelism(), node: process.version };
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results/codes.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
