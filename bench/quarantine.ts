/**
 * bench:quarantine: quarantine's lists at a province's scale, SQLite and PostgreSQL side by side in one run (issue
 * "Quarantine": the tests and releases due for 100,000 persons in quarantine within 1 s; every list p95 <= 300 ms at
 * 1,000,000 residents). Hunan's real divisions (2 grids per community); `--persons` residents; a designated hotel in
 * every county; `--held` close contacts held now at their county's hotel (one per room), counted from their last
 * exposure in the last 14 days, and a third as many released; single-tube samples of the persons held on their
 * test days (most taken). Fixed seed; rows written with the engines' bulk inserts (COPY on PostgreSQL). Requests go
 * through the app (`app.inject`: routing, the session cookie's look-up, validation, the handler, serialization), as
 * a provincial and a county command signed in with sessions, after a warm-up: the province's due list (all persons
 * held: `due_100k`), one site's due list, the sites, one site's persons held, the province's and a county's
 * assignments (first page with the total); daily follow-up (the province's missed list, a county's, one site's lost
 * list, a county's reports: the persons held reported on most of the last three days), the hospitals (one per city,
 * every case admitted), the province's admissions and TCM rates, and the stranded visitors (`--stranded`, lodged at
 * the county hotels). Prints one JSON object as its last line: `due_100k_ms` (the worst p95 of
 * the province's due list) and `p95_ms` (the worst p95 of the other lists), each the worst engine.
 *   npm run bench:quarantine -- [--persons 1000000] [--held 100000] [--pg postgres://postgres@127.0.0.1:5432/test]
 *                               [--engines sqlite,postgres] [--rounds 20] [--seed 42] [--stranded 5000] [--keep]
 */
import { buildApp } from '../src/api/app.ts';
import { openServices } from '../src/app/container.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { DAY, HOUR, parseTime } from '../src/domain/time.ts';
import { SettableClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { addUser, startSession } from '../src/services/accounts/accounts.ts';
import { initRegions } from '../src/services/initRegions.ts';
import { eachEngine } from './world.ts';
import { TracingEngine } from '../src/services/tracing/engine.ts';
import type { Db, SqlValue } from '../src/storage/db.ts';
import { openStore, type Store, type StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { bulk, log, opt, quantile, round1 } from './common.ts';

const PERSONS = Number(opt('persons', '1000000'));
const HELD = Number(opt('held', '100000'));
const ROUNDS = Number(opt('rounds', '20'));
const SEED = Number(opt('seed', '42'));
const STRANDED = Number(opt('stranded', '5000'));
const pg = opt('pg', '');
const engines = opt('engines', pg ? 'sqlite,postgres' : 'sqlite').split(',');
const edition = loadEdition('ed8-delta-2021');
/** The server's now: the evening of the outbreak's 30th day (2021-08-20 18:00 CST). */
const NOW = parseTime('2021-08-20 18:00')!;
const PASSWORD = 'Quarantine-bench-2021-08!';

/** The world: same seed, same rows on every engine. Returns the sites' ids and the counties. */
async function seedWorld(store: Store): Promise<{ sites: number[]; counties: string[] }> {
  const db = (store as unknown as { db: Db }).db;
  const rnd = new Random(SEED);
  let t0 = performance.now();
  await initRegions({ store, gridsPerCommunity: 2 });
  const regions = await db.all<{ code: string; level: string }>("SELECT code, level FROM regions WHERE level IN ('county', 'community') ORDER BY code");
  const counties = regions.filter((r) => r.level === 'county').map((r) => r.code);
  const communities = regions.filter((r) => r.level === 'community').map((r) => r.code);
  log(`regions: ${counties.length} counties, ${communities.length} communities (${Math.round(performance.now() - t0)} ms)`);

  t0 = performance.now();
  const home: string[] = new Array(PERSONS + 1);
  const rows: SqlValue[][] = [];
  for (let id = 1; id <= PERSONS; id++) {
    const community = communities[rnd.int(communities.length)];
    home[id] = `${community}0${1 + rnd.int(2)}`;
    rows.push([`${String(id).padStart(16, '0')}${'0'.repeat(48)}`, `430***********${String(id % 100).padStart(2, '0')}`, `居民${id}`, id % 2 ? 'male' : 'female', '1980-01-01', null, null, community, home[id], null, NOW - 400 * DAY]);
    if (rows.length === 50_000 || id === PERSONS) {
      await db.insertMany('persons', ['id_hash', 'id_masked', 'name', 'sex', 'birth_date', 'phone', 'household_id', 'community_code', 'grid_code', 'occupation', 'created_at'], rows, []);
      rows.length = 0;
    }
  }
  log(`persons: ${PERSONS} (${Math.round(performance.now() - t0)} ms)`);

  // A designated hotel in every county, with rooms enough for its share of those held.
  t0 = performance.now();
  const rooms = Math.ceil((HELD * 1.5) / counties.length) + 50;
  await bulk(db, 'quarantine_sites', ['name', 'kind', 'place_id', 'region_code', 'address', 'rooms', 'persons_per_room', 'staff', 'opened_at', 'closed_at'],
    counties.map((c) => [`${c}集中隔离酒店`, 'designated_hotel', null, c, null, rooms, 1, 30, NOW - 30 * DAY, null]));
  const siteIds = await db.all<{ id: number; region_code: string }>('SELECT id, region_code FROM quarantine_sites ORDER BY id');
  const siteOf = new Map(siteIds.map((s) => [s.region_code, s.id]));

  // Cases of 50 close contacts each; the contacts held now (or released, a third as many), one per room.
  const m = edition.closeContact.management;
  const cases = Math.ceil((HELD * 4) / 3 / 50);
  const caseRows: SqlValue[][] = [], contactRows: SqlValue[][] = [], assignmentRows: SqlValue[][] = [], sampleRows: SqlValue[][] = [];
  const taken = new Set<number>();
  const nextRoom = new Map<number, number>();
  for (let i = 0; i < cases; i++) {
    let person: number;
    do person = 1 + rnd.int(PERSONS); while (taken.has(person));
    taken.add(person);
    const confirmedAt = NOW - rnd.int(13 * DAY) - HOUR;
    caseRows.push([`HN-Q${String(i + 1).padStart(6, '0')}`, person, 'confirmed', confirmedAt - 2 * DAY, confirmedAt - 8 * HOUR, confirmedAt, confirmedAt, 'mild', 'in_treatment', 'symptoms']);
    for (let k = 0; k < 50 && contactRows.length < (HELD * 4) / 3; k++) {
      let p: number;
      do p = 1 + rnd.int(PERSONS); while (taken.has(p));
      taken.add(p);
      const released = contactRows.length % 4 === 3;
      const lastExposure = confirmedAt - rnd.int(2 * DAY) - (released ? 12 * DAY : 0);
      const identified = Math.min(confirmedAt + rnd.int(6 * HOUR), NOW);
      contactRows.push([p, 'close', i + 1, null, lastExposure - HOUR, lastExposure, '[]', released ? 'home_monitoring' : 'in_quarantine', identified, 'tracing', identified, home[p]]);
      const site = siteOf.get(home[p].slice(0, 6))!;
      const started = identified + rnd.int(12 * HOUR);
      const plannedEnd = lastExposure + m.days * DAY;
      const room = released ? null : (nextRoom.get(site) ?? 0) + 1;
      if (room !== null) nextRoom.set(site, room);
      assignmentRows.push([p, 'centralized', site, room === null ? `R${contactRows.length}` : `${Math.ceil(room / 40)}-${room}`, lastExposure, started, plannedEnd, released ? Math.min(plannedEnd, NOW - HOUR) : null,
        `transferred (case HN-Q${i + 1})`, released ? 'period served' : null, contactRows.length, null, 'bench']);
      // Their tests so far: most test days taken within their day.
      for (const d of m.testDays) {
        const from = lastExposure + (d - 1) * DAY;
        if (from + DAY > NOW || rnd.chance(0.15)) continue;
        const at = from + rnd.int(DAY - HOUR);
        sampleRows.push([`QS${sampleRows.length + 1}`, p, 'single', null, at, 'negative', at + 8 * HOUR, null]);
      }
    }
  }
  await bulk(db, 'cases', ['case_no', 'person_id', 'kind', 'onset_at', 'sampled_at', 'confirmed_at', 'isolated_at', 'severity', 'outcome', 'detected_by'], caseRows);
  await bulk(db, 'contacts', ['person_id', 'kind', 'index_case_id', 'via_contact_id', 'first_exposure', 'last_exposure', 'evidence', 'status', 'identified_at', 'origin', 'status_at', 'home_code'], contactRows);
  await bulk(db, 'quarantine_assignments', ['person_id', 'kind', 'site_id', 'room', 'counted_from', 'started_at', 'planned_end', 'ended_at', 'reason', 'end_reason', 'contact_id', 'task_id', 'assigned_by'], assignmentRows);
  await bulk(db, 'samples', ['sample_no', 'person_id', 'method', 'pool_id', 'sampled_at', 'result', 'result_at', 'lab'], sampleRows);
  log(`cases ${caseRows.length}, contacts ${contactRows.length}, assignments ${assignmentRows.length} (${assignmentRows.filter((r) => r[7] === null).length} held), samples ${sampleRows.length} (${Math.round(performance.now() - t0)} ms)`);

  // Daily follow-up: the persons held reported on each of the last three days, most of them (today's round is under way).
  t0 = performance.now();
  const reportRows: SqlValue[][] = [];
  const dayOf = (t: number) => new Date((t + 8 * HOUR) * 1000).toISOString().slice(0, 10);
  for (const a of assignmentRows.filter((r) => r[7] === null)) {
    for (const back of [2, 1, 0]) {
      if (!rnd.chance(back === 0 ? 0.6 : 0.9)) continue;
      const at = NOW - back * DAY - rnd.int(8 * HOUR);
      if (at < (a[5] as number)) continue;
      const fever = rnd.chance(0.002);
      reportRows.push([a[0], dayOf(at), at, fever ? 38.1 : 36.2 + rnd.int(8) / 10, fever ? '["dry_cough"]' : '[]', null, 'bench', 'site_staff', null]);
    }
  }
  await bulk(db, 'follow_up_reports', ['person_id', 'day', 'at', 'temperature_c', 'symptoms', 'note', 'reported_by', 'source', 'assignment_id'], reportRows);
  const lastOf = new Map<number, number>();
  for (const r of reportRows) lastOf.set(r[0] as number, Math.max(lastOf.get(r[0] as number) ?? 0, r[2] as number));
  await bulk(db, 'follow_up_last', ['person_id', 'last_at'], [...lastOf].map(([p, at]) => [p, at]));
  // Designated hospitals: one per city, every case admitted there, with its severity and a treatment (two in five TCM).
  const cities = [...new Set(counties.map((c) => c.slice(0, 4)))];
  await bulk(db, 'hospitals', ['name', 'kind', 'region_code', 'address', 'beds', 'icu_beds', 'designated_at'], cities.map((c) => [`${c}定点医院`, 'designated', c, null, 2000, 200, NOW - 30 * DAY]));
  const hospitalOf = new Map((await db.all<{ id: number; region_code: string }>('SELECT id, region_code FROM hospitals')).map((h) => [h.region_code, h.id]));
  const caseIds = await db.all<{ id: number; person_id: number; confirmed_at: number }>('SELECT id, person_id, confirmed_at FROM cases ORDER BY id');
  const severities = ['mild', 'mild', 'mild', 'moderate', 'moderate', 'severe', 'critical'];
  await bulk(db, 'admissions', ['case_id', 'hospital_id', 'admitted_at', 'severity', 'discharged_at', 'outcome', 'follow_up_until', 'admitted_by', 'note'],
    caseIds.map((c) => [c.id, hospitalOf.get(home[c.person_id].slice(0, 4))!, c.confirmed_at + HOUR, severities[rnd.int(severities.length)], null, null, null, 'bench', null]));
  const admissions = await db.all<{ id: number; admitted_at: number }>('SELECT id, admitted_at FROM admissions ORDER BY id');
  await bulk(db, 'treatments', ['admission_id', 'kind', 'tcm', 'started_at', 'recorded_by', 'note'],
    admissions.map((a) => { const tcm = rnd.chance(0.4); return [a.id, tcm ? 'tcm_decoction' : 'antiviral', tcm ? 1 : 0, a.admitted_at + HOUR, 'bench', null]; }));
  // Stranded visitors lodged at the county hotels (their own rooms).
  const strandedRows: SqlValue[][] = [];
  for (let i = 0; i < STRANDED; i++) {
    const county = counties[rnd.int(counties.length)];
    strandedRows.push([`S${String(i).padStart(63, '0')}`, `110***********${String(i % 10000).padStart(4, '0')}`, `旅客${i}`, null, ['11', '31', '44', '51'][rnd.int(4)], county, siteOf.get(county)!, `S-${i}`, NOW - rnd.int(10 * DAY), 'bench', null, null, null]);
  }
  await bulk(db, 'stranded_visitors', ['id_hash', 'id_masked', 'name', 'phone', 'origin_province', 'sealed_region_code', 'site_id', 'room', 'registered_at', 'registered_by', 'released_at', 'journey_home', 'note'], strandedRows);
  log(`follow-up reports ${reportRows.length}, hospitals ${cities.length}, admissions ${admissions.length}, stranded ${STRANDED} (${Math.round(performance.now() - t0)} ms)`);
  t0 = performance.now();
  await store.maintain();
  if (db.engine === 'postgres') await db.exec('VACUUM');
  log(`maintain: ${Math.round(performance.now() - t0)} ms`);
  return { sites: siteIds.map((s) => s.id), counties };
}


async function runEngine(name: string, where: StoreLocation) {
  const store = await openStore(where);
  try {
    const world = await seedWorld(store);
    const clock = new SettableClock(NOW);
    const services = await openServices({ store, edition, clock, codeSecret: 'bench' });
    const ctx: Ctx = { actor: { kind: 'system', name: 'bench' }, clock };
    const session = async (username: string, role: string, regionCode: string) => {
      const user = await addUser(ctx, store, { username, displayName: username, agency: { name: username, kind: 'command_centre' }, role, regionCode, password: PASSWORD });
      return (await startSession(ctx, store, user.id)).token;
    };
    const province = await session('bench.province', 'provincial_command', '43');
    const county = await session('bench.county', 'county_command', '430102');
    const app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), services, webDir: undefined, version: 'bench' });
    try {
      const rnd = new Random(SEED + 1);
      const site = () => world.sites[rnd.int(world.sites.length)];
      const kinds: Record<string, [string, () => string]> = {
        due_100k: [province, () => '/api/quarantine/due'],
        due_site: [province, () => `/api/quarantine/due?siteId=${site()}`],
        sites: [province, () => '/api/quarantine/sites?limit=200'],
        held_at_site: [province, () => `/api/quarantine/assignments?siteId=${site()}&open=true&limit=50`],
        assignments_province: [province, () => '/api/quarantine/assignments?open=true&limit=50'],
        assignments_county: [county, () => '/api/quarantine/assignments?open=true&limit=50'],
        follow_up_missed_province: [province, () => '/api/follow-up?state=missed&limit=50'],
        follow_up_county: [county, () => '/api/follow-up?limit=50'],
        follow_up_site: [province, () => `/api/follow-up?siteId=${site()}&state=lost&limit=50`],
        reports_county: [county, () => '/api/follow-up/reports?limit=50'],
        hospitals: [province, () => '/api/hospitals?limit=200'],
        admissions_province: [province, () => '/api/hospitals/admissions?state=in_hospital&limit=50'],
        tcm: [province, () => '/api/hospitals/tcm'],
        stranded_province: [province, () => '/api/stranded?state=lodged&limit=50'],
      };
      const get = async (token: string, url: string) => {
        const t0 = performance.now();
        const r = await app.inject({ method: 'GET', url, cookies: { cordon_session: token } });
        const ms = performance.now() - t0;
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
        return { ms, body: r.body };
      };
      const due = JSON.parse((await get(province, '/api/quarantine/due')).body) as { held: number; tests: { total: number; taken: number }; releases: { total: number } };
      log(`${name} due today: held ${due.held}, tests ${due.tests.total} (${due.tests.taken} taken), releases ${due.releases.total}`);
      for (let i = 0; i < 3; i++) for (const [token, url] of Object.values(kinds)) await get(token, url());
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++) for (const [k, [token, url]] of Object.entries(kinds)) times[k].push((await get(token, url())).ms);
      const out = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { p50_ms: round1(quantile(xs, 0.5)), p95_ms: round1(quantile(xs, 0.95)), max_ms: round1(Math.max(...xs)) }]));
      log(`${name}:`, JSON.stringify(out));
      return { held: due.held, tests_due: due.tests.total, releases_due: due.releases.total, ...out };
    } finally {
      await app.close();
      await services.events.stop();
    }
  } finally {
    await store.close();
  }
}

const result: Record<string, unknown> = { persons: PERSONS, held: HELD, rounds: ROUNDS, seed: SEED };
await eachEngine('quarantine', engines, pg, result, runEngine);
const ofEngines = (pick: (k: string) => boolean) => ['sqlite', 'postgres'].flatMap((e) => Object.entries((result[e] ?? {}) as Record<string, { p95_ms?: number }>)
  .filter(([k, v]) => typeof v === 'object' && pick(k)).map(([, v]) => v.p95_ms!));
console.log(JSON.stringify({ ...result, due_100k_ms: Math.max(...ofEngines((k) => k === 'due_100k')), p95_ms: Math.max(...ofEngines((k) => k !== 'due_100k')) }));
