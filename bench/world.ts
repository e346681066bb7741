/**
 * The province the scale benchmarks run in (bench:dashboard, bench:lists): Hunan's real divisions with 4 grids per
 * community; `PERSONS` residents spread over every community; `CASES` cases over the 30 days before NOW in all 14
 * cities (60 % in Zhangjiajie, Zhuzhou and Changsha; a third of later cases known contacts before), each with close
 * and secondary contacts (`CONTACTS` in all, in every status); `SAMPLES` samples (mass testing); `TASKS` tasks (a
 * transfer per close contact, the rest measures at units of every level, in every status). Fixed seed: the same rows
 * on every engine, written with the engines' bulk inserts (COPY on PostgreSQL); PostgreSQL vacuumed after the load.
 */
import { buildApp } from '../src/api/app.ts';
import { openServices } from '../src/app/container.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { DAY, HOUR, parseTime } from '../src/domain/time.ts';
import { SettableClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { addUser, startSession } from '../src/services/accounts/accounts.ts';
import { initRegions } from '../src/services/initRegions.ts';
import { TracingEngine } from '../src/services/tracing/engine.ts';
import type { Db, SqlValue } from '../src/storage/db.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pgLib from 'pg';
import { openStore, type Store, type StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { bulk, flag, log, quantile, round1 } from './common.ts';

/** How much of everything (counts), and the seed. */
export interface WorldOptions { PERSONS: number; TASKS: number; CASES: number; CONTACTS: number; SAMPLES: number; SEED: number }
/** The division codes by level, for requests at random units. */
export interface World { cities: string[]; counties: string[]; townships: string[]; communities: string[] }

export const edition = loadEdition('ed8-delta-2021');
/** The server's now: the evening of the outbreak's 30th day (2021-08-20 18:00 CST). */
export const NOW = parseTime('2021-08-20 18:00')!;

export async function seedProvince(store: Store, o: WorldOptions): Promise<World> {
  const { PERSONS, TASKS, CASES, CONTACTS, SAMPLES, SEED } = o;
  const db = (store as unknown as { db: Db }).db;
  const rnd = new Random(SEED);
  let t0 = performance.now();
  await initRegions({ store, gridsPerCommunity: 4 });
  const regions = await db.all<{ code: string; level: string }>("SELECT code, level FROM regions WHERE level IN ('city', 'county', 'township', 'community') ORDER BY code");
  const of = (level: string) => regions.filter((r) => r.level === level).map((r) => r.code);
  const [cities, counties, townships, communities] = [of('city'), of('county'), of('township'), of('community')];
  log(`regions: ${cities.length} cities, ${counties.length} counties, ${communities.length} communities (${Math.round(performance.now() - t0)} ms)`);

  // Residents: every community, a grid of its 4 each.
  t0 = performance.now();
  const home: string[] = new Array(PERSONS + 1);
  const byCity = new Map<string, number[]>(cities.map((c) => [c, []]));
  const rows: SqlValue[][] = [];
  for (let id = 1; id <= PERSONS; id++) {
    const community = communities[rnd.int(communities.length)];
    const grid = `${community}0${1 + rnd.int(4)}`;
    home[id] = grid;
    byCity.get(community.slice(0, 4))?.push(id);
    rows.push([`${String(id).padStart(16, '0')}${'0'.repeat(48)}`, `430***********${String(id % 100).padStart(2, '0')}`, `居民${id}`, id % 2 ? 'male' : 'female', '1980-01-01', null, null, community, grid, null, NOW - 400 * DAY]);
    if (rows.length === 50_000 || id === PERSONS) {
      await db.insertMany('persons', ['id_hash', 'id_masked', 'name', 'sex', 'birth_date', 'phone', 'household_id', 'community_code', 'grid_code', 'occupation', 'created_at'], rows, []);
      rows.length = 0;
    }
  }
  log(`persons: ${PERSONS} (${Math.round(performance.now() - t0)} ms)`);

  // Cases over 30 days, growing then falling; 60 % in three cities (Zhangjiajie, Zhuzhou, Changsha), the rest anywhere.
  t0 = performance.now();
  const hot = ['4308', '4302', '4301'];
  const start = NOW - 30 * DAY;
  const caseRows: SqlValue[][] = [], contactRows: SqlValue[][] = [], taskRows: SqlValue[][] = [];
  const isCase = new Set<number>();
  const recordsOf = new Map<number, number[]>();
  const contactsPerCase = Math.max(1, Math.round(CONTACTS / CASES));
  /** Close contacts not yet cases, by city: where later cases come from (a third of them). */
  const knownContacts = new Map<string, number[]>(cities.map((c) => [c, []]));
  const taskCols = ['parent_id', 'directive_id', 'title', 'kind', 'level', 'region_code', 'owner_user_id', 'owner_role', 'due_at', 'status', 'status_at', 'subject_person_id', 'subject_key', 'source_key', 'created_at', 'escalated_to', 'late_at'];
  const LEVEL_OF: Record<number, string> = { 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'community', 14: 'grid' };
  for (let i = 0; i < CASES; i++) {
    const city = rnd.chance(0.6) ? hot[rnd.int(3)] : cities[rnd.int(cities.length)];
    const people = byCity.get(city)!;
    const pool = knownContacts.get(city)!;
    let person: number;
    if (pool.length > 0 && rnd.chance(0.35)) person = pool.splice(rnd.int(pool.length), 1)[0];
    else do person = people[rnd.int(people.length)]; while (isCase.has(person));
    if (isCase.has(person)) continue;
    isCase.add(person);
    // A contact who became a case: their records say so.
    for (const r of recordsOf.get(person) ?? []) contactRows[r][7] = 'became_case';
    // Confirmation day: an outbreak still growing (the density of day d grows with d), onset 1-5 days before for 70 %.
    const day = Math.floor(30 * Math.max(rnd.next(), rnd.next()));
    const confirmedAt = start + day * DAY + 6 * HOUR + rnd.int(14 * 3600);
    const onsetAt = rnd.chance(0.7) ? confirmedAt - (1 + rnd.int(5)) * DAY + rnd.int(DAY) : null;
    caseRows.push([`HN-${String(i + 1).padStart(5, '0')}`, person, onsetAt ? 'confirmed' : 'asymptomatic', onsetAt, confirmedAt - 8 * HOUR, confirmedAt, confirmedAt, 'mild', 'in_treatment', 'symptoms']);
    const caseId = caseRows.length;
    const met = new Set<number>();
    for (let k = 0; k < contactsPerCase; k++) {
      const p = people[rnd.int(people.length)];
      if (isCase.has(p) || met.has(p)) continue;
      met.add(p);
      const kind = rnd.chance(0.8) ? 'close' : 'secondary';
      const identified = confirmedAt + rnd.int(40 * 3600);
      const age = NOW - identified;
      if (age < 0) continue;
      const status = age > 21 * DAY ? 'released' : age > 14 * DAY ? (rnd.chance(0.5) ? 'home_monitoring' : 'released') : age < 12 * HOUR && rnd.chance(0.5) ? 'identified' : 'in_quarantine';
      const lastExposure = confirmedAt - rnd.int(3 * DAY);
      contactRows.push([p, kind, caseId, null, lastExposure - 2 * HOUR, lastExposure, '[]', status, identified, 'tracing', identified, home[p]]);
      recordsOf.set(p, [...(recordsOf.get(p) ?? []), contactRows.length - 1]);
      if (kind === 'close') {
        pool.push(p);
        if (taskRows.length < TASKS) {
          // A transfer per close contact, due in the edition's hours; most done in time, some late, recent ones open.
          const due = identified + edition.closeContact.transferWithinHours * HOUR;
          const doneAt = identified + rnd.int(16 * 3600);
          const done = doneAt <= NOW && status !== 'identified';
          const late = !done && due < NOW;
          taskRows.push([null, null, 'Transfer a close contact to centralized quarantine', 'transfer_to_quarantine', 'grid', home[p], null, 'grid_worker', due,
            done ? 'done' : late ? 'escalated' : 'assigned', done ? doneAt : late ? due : identified, p, String(contactRows.length), `transfer:${contactRows.length}`, identified,
            late ? home[p].slice(0, 12) : null, late ? due : null]);
        }
      }
    }
  }
  await bulk(db, 'cases', ['case_no', 'person_id', 'kind', 'onset_at', 'sampled_at', 'confirmed_at', 'isolated_at', 'severity', 'outcome', 'detected_by'], caseRows);
  await bulk(db, 'contacts', ['person_id', 'kind', 'index_case_id', 'via_contact_id', 'first_exposure', 'last_exposure', 'evidence', 'status', 'identified_at', 'origin', 'status_at', 'home_code'], contactRows);
  log(`cases: ${caseRows.length}, contacts: ${contactRows.length} (${Math.round(performance.now() - t0)} ms)`);

  // Samples: mass testing over the last 10 days, and a test for a contact in quarantine now and then.
  t0 = performance.now();
  const sampleRows: SqlValue[][] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const p = 1 + rnd.int(PERSONS);
    const at = NOW - rnd.int(10 * DAY);
    sampleRows.push([`S${String(i + 1).padStart(8, '0')}`, p, 'pooled', null, at, at < NOW - DAY ? 'negative' : 'pending', at < NOW - DAY ? at + 8 * HOUR : null, null]);
  }
  await bulk(db, 'samples', ['sample_no', 'person_id', 'method', 'pool_id', 'sampled_at', 'result', 'result_at', 'lab'], sampleRows);
  log(`samples: ${sampleRows.length} (${Math.round(performance.now() - t0)} ms)`);

  // The other tasks: measures at units of every level (more below), in every status.
  t0 = performance.now();
  const units = [['43'], cities, counties, townships, communities, communities.map((c) => `${c}01`)];
  const kinds = ['mass_testing', 'door_to_door', 'venue_inspection', 'seal_and_manage', 'supplies'];
  while (taskRows.length < TASKS) {
    const li = [0, 1, 2, 3, 4, 5][rnd.weighted([0.002, 0.02, 0.08, 0.2, 0.35, 0.35])];
    const code = units[li][rnd.int(units[li].length)];
    const created = NOW - rnd.int(20 * DAY);
    const due = created + 24 * HOUR;
    const u = rnd.next();
    const status = due > NOW ? (u < 0.5 ? 'assigned' : u < 0.8 ? 'in_progress' : 'done') : u < 0.75 ? 'done' : u < 0.8 ? 'cancelled' : li === 0 ? 'overdue' : 'escalated';
    const statusAt = status === 'done' ? created + rnd.int(30 * 3600) : status === 'escalated' || status === 'overdue' ? due : created;
    taskRows.push([null, null, '全员核酸检测', kinds[rnd.int(kinds.length)], LEVEL_OF[code.length], code, null, 'county_command', due, status, Math.min(statusAt, NOW), null, null, null, created,
      status === 'escalated' ? code.slice(0, { 4: 2, 6: 4, 9: 6, 12: 9, 14: 12 }[code.length]) : null, status === 'escalated' || status === 'overdue' ? due : null]);
  }
  await bulk(db, 'tasks', taskCols, taskRows);
  log(`tasks: ${taskRows.length} (${Math.round(performance.now() - t0)} ms)`);

  // Current codes (a random source of their own, so the rows above stay as they were): red for the cases and the close
  // contacts under management, yellow for secondary contacts under management and those at home monitoring, green
  // for half of the other residents (a code once shown), none for the rest.
  t0 = performance.now();
  const colour = new Map<number, string>();
  for (const c of caseRows) colour.set(c[1] as number, 'red');
  for (const k of contactRows) {
    const [p, kind, , , , , , status] = k as [number, string, number, null, number, number, string, string];
    if (colour.get(p) === 'red' || status === 'released' || status === 'became_case') continue;
    colour.set(p, kind === 'close' && status !== 'home_monitoring' ? 'red' : 'yellow');
  }
  const codeRnd = new Random(SEED + 1);
  const codeRows: SqlValue[][] = [];
  for (let id = 1; id <= PERSONS; id++) {
    const c = colour.get(id) ?? (codeRnd.chance(0.5) ? 'green' : null);
    if (c) codeRows.push([id, c, '[]', NOW - DAY, NOW + DAY]);
  }
  await bulk(db, 'current_codes', ['person_id', 'colour', 'reasons', 'since', 'valid_until'], codeRows);
  log(`current codes: ${codeRows.length}, ${[...colour.values()].filter((c) => c === 'red').length} red, ${[...colour.values()].filter((c) => c === 'yellow').length} yellow (${Math.round(performance.now() - t0)} ms)`);
  t0 = performance.now();
  await store.maintain();
  // PostgreSQL: the visibility map a table has once autovacuum has passed after a bulk load (index-only scans need it).
  if (db.engine === 'postgres') await db.exec('VACUUM');
  log(`maintain (checkpoint / analyze${db.engine === 'postgres' ? ', vacuum' : ''}): ${Math.round(performance.now() - t0)} ms`);
  return { cities, counties, townships, communities };
}

/** The province seeded in a store at `where`, served by the whole app; requests go through `app.inject`. */
export interface Province {
  world: World;
  /** Adds a staff user and signs them in: their session token. */
  signIn(user: { username: string; displayName: string; role: string; regionCode: string }): Promise<string>;
  /** GET `url` with the session `token`: the time taken (ms) and the body; anything but 200 throws. */
  get(url: string, token: string): Promise<{ ms: number; body: string }>;
  close(): Promise<void>;
}

/** Opens the store, seeds the province, and starts the app on it (the server's clock at NOW). */
export async function openProvince(where: StoreLocation, o: WorldOptions): Promise<Province> {
  const store = await openStore(where);
  try {
    const world = await seedProvince(store, o);
    const clock = new SettableClock(NOW);
    const services = await openServices({ store, edition, clock, codeSecret: 'bench' });
    const ctx: Ctx = { actor: { kind: 'system', name: 'bench' }, clock };
    const app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), services, webDir: undefined, version: 'bench' });
    return {
      world,
      async signIn(u) {
        const user = await addUser(ctx, store, { ...u, agency: { name: u.displayName, kind: 'command_centre' }, password: 'Scale-bench-2021-08!' });
        return (await startSession(ctx, store, user.id)).token;
      },
      async get(url, token) {
        const t0 = performance.now();
        const r = await app.inject({ method: 'GET', url, cookies: { cordon_session: token } });
        const ms = performance.now() - t0;
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
        return { ms, body: r.body };
      },
      async close() {
        await app.close();
        await services.events.stop();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** p50, p95 and the slowest request (ms) of each kind. */
export type Timings = Record<string, { p50_ms: number; p95_ms: number; max_ms: number }>;

/**
 * Requests of every kind (each a function giving the next URL, under the session token it is keyed by), 3 warm-up
 * rounds, then `rounds` rounds with the kinds interleaved: p50, p95 and max per kind.
 */
export async function timeKinds(province: Province, bySession: Record<string, Record<string, () => string>>, rounds: number): Promise<Timings> {
  const all = Object.entries(bySession).flatMap(([token, kinds]) => Object.entries(kinds).map(([kind, next]) => ({ token, kind, next })));
  for (let i = 0; i < 3; i++) for (const k of all) await province.get(k.next(), k.token);
  const times = new Map<string, number[]>(all.map((k) => [k.kind, []]));
  for (let round = 0; round < rounds; round++) for (const k of all) times.get(k.kind)!.push((await province.get(k.next(), k.token)).ms);
  return Object.fromEntries([...times].map(([k, xs]) => [k, { p50_ms: round1(quantile(xs, 0.5)), p95_ms: round1(quantile(xs, 0.95)), max_ms: round1(Math.max(...xs)) }]));
}

/**
 * Runs `runEngine` on SQLite (a file in a fresh folder) and, with `pg`, on PostgreSQL (a schema of its own), side by
 * side, as `engines` lists them, each answer kept in `result` under its engine's name; removes both after (unless --keep).
 */
export async function eachEngine<T>(name: string, engines: string[], pg: string, result: Record<string, unknown>, runEngine: (engine: string, where: StoreLocation) => Promise<T>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const schema = `bench_${name}_${process.pid}`;
  try {
    if (engines.includes('sqlite')) result.sqlite = await runEngine('sqlite', { sqliteFile: path.join(dir, 'cordon.db') });
    if (engines.includes('postgres') && pg) result.postgres = await runEngine('postgres', { postgresUrl: pg, schema });
  } finally {
    if (flag('keep')) log(`kept: ${dir}, schema ${schema}`);
    else {
      fs.rmSync(dir, { recursive: true, force: true });
      if (pg) { const c = new pgLib.Client({ connectionString: pg }); await c.connect(); await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); await c.end(); }
    }
  }
}

/**
 * `eachEngine`, then prints `result` with each engine's timings and `p95_ms`, the worst p95 of every kind and engine,
 * as one JSON object on the last line.
 */
export async function runOnEngines(name: string, engines: string[], pg: string, result: Record<string, unknown>, runEngine: (engine: string, where: StoreLocation) => Promise<Timings>): Promise<void> {
  await eachEngine(name, engines, pg, result, runEngine);
  const p95s = ['sqlite', 'postgres'].flatMap((e) => Object.values((result[e] ?? {}) as Timings).map((k) => k.p95_ms));
  console.log(JSON.stringify({ ...result, p95_ms: Math.max(...p95s) }));
}
