/**
 * bench:dashboard: the command dashboard (GET /api/dashboard) at a province's scale, SQLite and PostgreSQL side by
 * side in one run (DESIGN.md: dashboards at 1M persons p95 <= 300 ms). Hunan's real divisions (4 grids per
 * community); `--persons` residents spread over every community; `--cases` cases over the last 30 days in all 14
 * cities (most in three), each with close and secondary contacts (`--contacts` in all; a share of later cases were
 * contacts before); samples (`--samples`: mass testing and contacts' tests); `--tasks` tasks (a transfer per close
 * contact, the rest decomposed measures at units of every level, in every status). Fixed seed; rows written with the
 * engines' bulk inserts (COPY on PostgreSQL). Requests go through the app (`app.inject`: routing, the session
 * cookie's look-up, validation, the handler, serialization) as a provincial command user signed in with a session:
 * province, city, county and township dashboards and a city's counties, interleaved, after a warm-up. p50/p95 per
 * engine and kind. Prints one JSON object as its last line (`p95_ms`: the worst p95 of every kind and engine).
 *   npm run bench:dashboard -- [--persons 1000000] [--tasks 100000] [--cases 3000] [--contacts 100000] [--samples 300000]
 *                              [--pg postgres://postgres@127.0.0.1:5432/test] [--engines sqlite,postgres] [--rounds 20] [--seed 42]
 */
import type { StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { log, opt } from './common.ts';
import { openProvince, runOnEngines, timeKinds } from './world.ts';

const PERSONS = Number(opt('persons', '1000000'));
const TASKS = Number(opt('tasks', '100000'));
const CASES = Number(opt('cases', '3000'));
const CONTACTS = Number(opt('contacts', '100000'));
const SAMPLES = Number(opt('samples', '300000'));
const ROUNDS = Number(opt('rounds', '20'));
const SEED = Number(opt('seed', '42'));
const pg = opt('pg', '');
const engines = opt('engines', pg ? 'sqlite,postgres' : 'sqlite').split(',');

async function runEngine(name: string, where: StoreLocation) {
  const province = await openProvince(where, { PERSONS, TASKS, CASES, CONTACTS, SAMPLES, SEED });
  try {
    const { world } = province;
    const token = await province.signIn({ username: 'bench.province', displayName: '省指挥部', role: 'provincial_command', regionCode: '43' });
    const rnd = new Random(SEED + 1);
    const kinds: Record<string, () => string> = {
      province: () => '/api/dashboard',
      city: () => `/api/dashboard?region=${world.cities[rnd.int(world.cities.length)]}`,
      county: () => `/api/dashboard?region=${world.counties[rnd.int(world.counties.length)]}`,
      township: () => `/api/dashboard?region=${world.townships[rnd.int(world.townships.length)]}`,
      city_look_back: () => `/api/dashboard?region=${world.cities[rnd.int(world.cities.length)]}&day=2021-08-15`,
      geo_counties: () => `/api/geo/counties?city=${world.cities[rnd.int(world.cities.length)]}`,
    };
    const sample = JSON.parse((await province.get('/api/dashboard', token)).body) as { kpis: Record<string, number>; children: unknown[]; epiCurve: unknown[]; lateTasks: unknown[] };
    log(`${name} province KPIs:`, JSON.stringify(sample.kpis), `children ${sample.children.length}, curve ${sample.epiCurve.length} days, late ${sample.lateTasks.length}`);
    const out = await timeKinds(province, { [token]: kinds }, ROUNDS);
    log(`${name}:`, JSON.stringify(out));
    return out;
  } finally {
    await province.close();
  }
}

await runOnEngines('dashboard', engines, pg, { persons: PERSONS, tasks: TASKS, cases: CASES, contacts: CONTACTS, samples: SAMPLES, rounds: ROUNDS, seed: SEED }, runEngine);
