/**
 * bench:import: how fast a presence feed goes in through Cordon's import (`importFile`: decoding, every check, ID
 * numbers hashed and resolved, places resolved, all or nothing, duplicates skipped), beside the raw engine's own bulk
 * path for the same rows already resolved (SQLite: one prepared INSERT in one transaction; PostgreSQL: COPY FROM
 * STDIN), each into the same `presence` table of a fresh store holding the same persons and places. Rows, persons and
 * places come from a fixed seed. Prints one JSON object as its last line (rates in rows/s, ratios Cordon / raw, peak
 * RSS of the process in MB).
 *   npm run bench:import -- [--rows 1000000] [--persons 100000] [--places 5000] [--seed 42] [--pg URL] [--beside]
 * Without --pg (or CORDON_TEST_PG_URL), the PostgreSQL figures are null. With --beside, two processes work on the
 * SQLite file while Cordon imports into it (`bench/lockProbe.ts`: a timer, reads and writes, as a server), one through
 * Cordon's driver and one in SQLite's own busy wait, and the JSON adds how long each had its event loop held at most
 * (`sqlite_beside_cordon_max_stall_ms`, `sqlite_beside_busy_wait_max_stall_ms`), its reads and its writes (they share the two cores, so the rates drop).
 * The `cordon` probe also catches up its tracing engine every second, as a server does, and the bench waits until
 * it has taken in every row imported (`sqlite_beside_cordon_catch_up_ms`: how long that catch-up took), so its
 * longest stall covers the import and the server's work after it. On SQLite the import runs twice: in one transaction
 * (the figures without a mode: a store no server runs on) and in short steps (`sqlite_steps_*`: beside a running
 * server), side by side. After each of Cordon's imports the same file goes in again (`*_again_rows_per_s`, and
 * `*_again_vs_first`, its speed against the first import's): a feed sent twice, every row found stored, none written.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { idCheckChar } from '../src/domain/idCheck.ts';
import { hashIdNumber, maskIdNumber } from '../src/domain/identity.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { SettableClock } from '../src/platform/clock.ts';
import { systemCtx } from '../src/platform/context.ts';
import { importFile } from '../src/services/import/importFile.ts';
import { SQLITE_PRAGMAS } from '../src/storage/sqlite/driver.ts';
import { openStore, type Store } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { flag, log, opt } from './common.ts';

const ROWS = Number(opt('rows', '1000000'));
const PERSONS = Number(opt('persons', '100000'));
const PLACES = Number(opt('places', '5000'));
const SEED = Number(opt('seed', '42'));
const PG = opt('pg', process.env.CORDON_TEST_PG_URL ?? '');
const KEY = 'bench-import-key-0123456789';
const BESIDE = flag('beside');
const T0 = 1_627_776_000; // 2021-08-01 08:00 CST
const edition = loadEdition('ed8-delta-2021');
// The server's now: two days after the last row's start (rows start 0.9 s apart), so every row's time is plausible.
const ctx = systemCtx(new SettableClock(T0 + Math.ceil(ROWS * 0.9) + 2 * 86_400), 'bench:import');

/** The i-th resident's ID number: Furong district, born 1950-01-01 plus i / 1000 days, sequence i % 1000. */
function idNumberOf(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430102${birth}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** Each row: person index, place index, start and end (epoch s); distinct (person, place, start). */
function rows(): Int32Array[] {
  const rnd = new Random(SEED);
  const person = new Int32Array(ROWS), place = new Int32Array(ROWS), start = new Int32Array(ROWS), end = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    person[i] = rnd.int(PERSONS);
    place[i] = rnd.int(PLACES);
    start[i] = T0 + i * 0.9 + rnd.int(60) | 0; // increasing: no two rows of a person at one place at one second
    end[i] = start[i] + 300 + rnd.int(3 * 3600);
  }
  return [person, place, start, end];
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** Starts `bench/lockProbe.ts` on `file` in `mode`; `stop` ends it and gives its figures. */
async function probe(file: string, mode: 'cordon' | 'busy-wait'): Promise<{ caughtUp: (rows: number, ms: number) => Promise<boolean>; stop: () => Promise<Record<string, number | string>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lockProbe.ts'), file, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (out.includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`lock probe ${mode} ended (${code}) before it was ready`)));
  });
  return {
    /** Resolves when the probe says its tracing engine took in `rows` records (the `cordon` probe), or after `ms`. */
    caughtUp: (rows: number, ms: number) => new Promise<boolean>((resolve) => {
      const seen = () => Number(out.split('\n').filter((l) => l.startsWith('ingested ')).at(-1)?.slice(9) ?? 0) >= rows;
      if (seen()) { resolve(true); return; }
      const timer = setTimeout(() => { child.stdout.off('data', check); resolve(false); }, ms);
      const check = () => { if (seen()) { clearTimeout(timer); child.stdout.off('data', check); resolve(true); } };
      child.stdout.on('data', check);
    }),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number | string>;
    },
  };
}

/** A fresh store with the persons and places (ids 1..N in order), and how to drop it. */
async function fresh(engine: 'sqlite' | 'postgres', label: string): Promise<{ store: Store; where: { file?: string; schema?: string }; drop: () => Promise<void> }> {
  let store: Store, where: { file?: string; schema?: string }, dropWhere: () => Promise<void>;
  if (engine === 'postgres') {
    const schema = `bench_import_${label}_${process.pid}`;
    store = await openStore({ postgresUrl: PG, schema });
    where = { schema };
    dropWhere = async () => {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
    const file = path.join(dir, 'cordon.sqlite');
    store = await openStore({ sqliteFile: file });
    where = { file };
    dropWhere = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  await store.regions.insertMany([
    { code: '43', name: '湖南省', level: 'province', parentCode: null, functionalZone: false },
    { code: '4301', name: '长沙市', level: 'city', parentCode: '43', functionalZone: false },
    { code: '430102', name: '芙蓉区', level: 'county', parentCode: '4301', functionalZone: false },
    { code: '430102001', name: '文艺路街道', level: 'township', parentCode: '430102', functionalZone: false },
    { code: '430102001001', name: '社区', level: 'community', parentCode: '430102001', functionalZone: false },
  ]);
  for (let i = 0; i < PERSONS; i += 10_000) {
    await store.persons.insertMany(Array.from({ length: Math.min(10_000, PERSONS - i) }, (_, k) => {
      const id = idNumberOf(i + k);
      return { idHash: hashIdNumber(id, KEY), idMasked: maskIdNumber(id), name: `居民${i + k}`, sex: 'female' as const, birthDate: '1990-01-01', phone: null, householdId: null, communityCode: '430102001001', gridCode: null, occupation: null, createdAt: T0 };
    }));
  }
  await store.places.insertMany(Array.from({ length: PLACES }, (_, p) => ({ code: `P${p}`, name: `场所${p}`, category: 'restaurant' as const, regionCode: '430102', lng: null, lat: null, status: 'open' as const, vehicleSetting: null })));
  return { store, where, drop: async () => { await store.close().catch(() => undefined); await dropWhere(); } };
}

async function main(): Promise<void> {
  const [person, place, start, end] = rows();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-csv-'));
  const csv = path.join(dir, 'presence.csv');
  const ids = Array.from({ length: PERSONS }, (_, i) => idNumberOf(i));
  const out = fs.createWriteStream(csv);
  out.write('id_number,place_code,start,end,source\n');
  for (let i = 0; i < ROWS; i++) {
    if (!out.write(`${ids[person[i]]},P${place[i]},${iso(start[i])},${iso(end[i])},venue_scan\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  log(`${ROWS} rows (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB of CSV), ${PERSONS} persons, ${PLACES} places, seed ${SEED}`);

  const result: Record<string, number | null> = {};
  for (const engine of PG ? ['sqlite', 'postgres'] as const : ['sqlite'] as const) {
    // Cordon's import of the CSV file in one transaction (a store no server runs on; PostgreSQL always), and on
    // SQLite also in short steps (`sqlite_steps_*`: what `cordon import` does beside a running server), one after the other.
    let cordonS = 0;
    for (const inSteps of engine === 'sqlite' ? [false, true] : [false]) {
      const prefix = inSteps ? `${engine}_steps` : engine;
      const a = await fresh(engine, 'cordon');
      const probes = BESIDE && engine === 'sqlite' ? [await probe(a.where.file!, 'cordon'), await probe(a.where.file!, 'busy-wait')] : [];
      const t0 = performance.now();
      const r = await importFile({ ctx, store: a.store, edition, kind: 'presence', file: csv, idHashKey: KEY, inSteps });
      const took = (performance.now() - t0) / 1000;
      if (!inSteps) cordonS = took;
      else {
        result[`${prefix}_rows_per_s`] = Math.round(ROWS / took);
        result[`${prefix}_vs_one_transaction`] = Math.round((cordonS / took) * 1000) / 1000;
      }
      log(`${prefix}: Cordon ${took.toFixed(1)} s (${Math.round(ROWS / took)} rows/s)`);
      // The server beside it then reads what the import stored into its tracing index: its stalls count that too.
      if (probes.length && !(await probes[0].caughtUp(ROWS, 600_000))) log('the probe beside the import did not take in every row within 10 minutes');
      for (const p of probes) {
        const figures = await p.stop();
        const who = `${prefix}_beside_${String(figures.mode).replace('-', '_')}`;
        result[`${who}_max_stall_ms`] = figures.maxStallMs as number;
        result[`${who}_reads`] = figures.reads as number;
        result[`${who}_writes_done`] = figures.writes as number;
        result[`${who}_writes_refused`] = figures.writesBusy as number;
        result[`${who}_max_write_ms`] = figures.maxWriteMs as number;
        result[`${who}_p99_write_ms`] = figures.p99WriteMs as number;
        if (figures.mode === 'cordon') result[`${prefix}_beside_cordon_catch_up_ms`] = figures.maxCatchUpMs as number;
        log(`beside the import (${figures.mode}): ${JSON.stringify(figures)}`);
      }
      if (r.inserted !== ROWS) throw new Error(`${engine}: Cordon inserted ${r.inserted} of ${ROWS}`);
      // The same file again (a feed sent twice): every row found stored as it is, nothing written (`*_again_*`).
      const t1 = performance.now();
      const again = await importFile({ ctx, store: a.store, edition, kind: 'presence', file: csv, idHashKey: KEY, inSteps });
      const againS = (performance.now() - t1) / 1000;
      if (again.inserted !== 0 || again.unchanged !== ROWS) throw new Error(`${prefix}: the same file again inserted ${again.inserted}, found ${again.unchanged} of ${ROWS} unchanged`);
      result[`${prefix}_again_rows_per_s`] = Math.round(ROWS / againS);
      result[`${prefix}_again_vs_first`] = Math.round((took / againS) * 1000) / 1000;
      log(`${prefix}: the same file again ${againS.toFixed(1)} s (${Math.round(ROWS / againS)} rows/s)`);
      await a.drop();
    }
    let t = performance.now();
    // The engine's own bulk path, rows already resolved (person and place ids are 1..N in insertion order).
    const b = await fresh(engine, 'raw');
    t = performance.now();
    if (engine === 'sqlite') {
      await b.store.close();
      const raw = new Database(b.where.file!);
      for (const p of SQLITE_PRAGMAS) raw.pragma(p); // the same connection as Cordon's (cache, foreign keys, durability)
      const ins = raw.prepare('INSERT INTO presence (person_id, place_id, start_at, end_at, source, seat, carriage) VALUES (?, ?, ?, ?, ?, NULL, NULL)');
      t = performance.now();
      raw.transaction(() => { for (let i = 0; i < ROWS; i++) ins.run(person[i] + 1, place[i] + 1, start[i], end[i], 'venue_scan'); })();
      raw.close();
    } else {
      const c = new pg.Client({ connectionString: PG, options: `-c search_path=${b.where.schema}` });
      await c.connect();
      t = performance.now();
      await c.query('BEGIN');
      const lines = function* () { for (let i = 0; i < ROWS; i += 10_000) { let s = ''; for (let k = i; k < Math.min(ROWS, i + 10_000); k++) s += `${person[k] + 1}\t${place[k] + 1}\t${start[k]}\t${end[k]}\tvenue_scan\n`; yield s; } };
      await pipeline(Readable.from(lines()), c.query(copyFrom('COPY presence (person_id, place_id, start_at, end_at, source) FROM STDIN')));
      await c.query('COMMIT');
      await c.end();
    }
    const rawS = (performance.now() - t) / 1000;
    await b.drop();
    result[`${engine}_rows_per_s`] = Math.round(ROWS / cordonS);
    result[`${engine}_raw_rows_per_s`] = Math.round(ROWS / rawS);
    result[`${engine}_ratio_vs_raw`] = Math.round((rawS / cordonS) * 1000) / 1000;
    log(`${engine}: Cordon ${cordonS.toFixed(1)} s (${result[`${engine}_rows_per_s`]} rows/s), raw ${rawS.toFixed(1)} s (${result[`${engine}_raw_rows_per_s`]} rows/s)`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  result.postgres_rows_per_s ??= null;
  result.postgres_ratio_vs_raw ??= null;
  result.rows = ROWS;
  result.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(result));
}

await main();
