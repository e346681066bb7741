/**
 * bench:lists: the paged lists of cases, contacts and persons (GET /api/cases, /api/contacts, /api/persons) at a
 * province's scale, SQLite and PostgreSQL side by side in one run (issue "web app": p95 <= 300 ms per request at
 * 1,000,000 residents and 100,000 contacts). The province of bench/world.ts (the same as bench:dashboard's). Requests
 * go through the app (`app.inject`: routing, the session's look-up, validation, the handler, serialization), 50 rows
 * a page as the web app asks: as a provincial command user, each list unfiltered and by region (a random city, county,
 * township, community or grid) and status (a person's code colour), first pages and pages deep in the list (after a random id); as a county's
 * command user, the lists of their own scope. 3 warm-up rounds, then `--rounds` rounds of every kind interleaved.
 * Prints one JSON object as its last line (`p95_ms`: the worst p95 of every kind and engine).
 *   npm run bench:lists -- [--persons 1000000] [--contacts 100000] [--cases 3000] [--tasks 20000] [--samples 0]
 *                          [--pg postgres://postgres@127.0.0.1:5432/test] [--engines sqlite,postgres] [--rounds 20] [--seed 42]
 */
import type { StoreLocation } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { log, opt } from './common.ts';
import { openProvince, runOnEngines, timeKinds } from './world.ts';

const PERSONS = Number(opt('persons', '1000000'));
const CONTACTS = Number(opt('contacts', '100000'));
const CASES = Number(opt('cases', '3000'));
const TASKS = Number(opt('tasks', '20000'));
const SAMPLES = Number(opt('samples', '0'));
const ROUNDS = Number(opt('rounds', '20'));
const SEED = Number(opt('seed', '42'));
const pg = opt('pg', '');
const engines = opt('engines', pg ? 'sqlite,postgres' : 'sqlite').split(',');

async function runEngine(name: string, where: StoreLocation) {
  const province = await openProvince(where, { PERSONS, TASKS, CASES, CONTACTS, SAMPLES, SEED });
  try {
    const { cities, counties, townships, communities } = province.world;
    const rnd = new Random(SEED + 2);
    const any = (xs: string[]) => xs[rnd.int(xs.length)];
    const grid = () => `${any(communities)}0${1 + rnd.int(4)}`;
    const deepPerson = () => 1 + rnd.int(PERSONS);
    const deepContact = () => 1 + rnd.int(CONTACTS);
    const deepCase = () => 1 + rnd.int(CASES);
    const contactStatus = () => ['identified', 'in_quarantine', 'home_monitoring', 'released', 'became_case'][rnd.int(5)];
    const province43 = await province.signIn({ username: 'bench.province', displayName: '省指挥部', role: 'provincial_command', regionCode: '43' });
    // The county holding the most cases (Changsha's 芙蓉区 is among the hot cities' counties): a busy county's own lists.
    const county = counties.find((c) => c.startsWith('4301')) ?? counties[0];
    const countyUser = await province.signIn({ username: 'bench.county', displayName: '县指挥部', role: 'county_command', regionCode: county });
    const asProvince: Record<string, () => string> = {
      cases: () => '/api/cases?limit=50',
      cases_deep: () => `/api/cases?limit=50&after=${deepCase()}`,
      cases_city_outcome: () => `/api/cases?limit=50&region=${any(cities)}&outcome=in_treatment`,
      cases_county: () => `/api/cases?limit=50&region=${any(counties)}`,
      contacts: () => '/api/contacts?limit=50',
      contacts_deep_status: () => `/api/contacts?limit=50&status=${contactStatus()}&after=${deepContact()}`,
      contacts_city_status: () => `/api/contacts?limit=50&region=${any(cities)}&status=${contactStatus()}`,
      contacts_county: () => `/api/contacts?limit=50&region=${any(counties)}`,
      contacts_township_status: () => `/api/contacts?limit=50&region=${any(townships)}&status=in_quarantine`,
      contacts_community: () => `/api/contacts?limit=50&region=${any(communities)}`,
      persons: () => '/api/persons?limit=50',
      persons_deep: () => `/api/persons?limit=50&after=${deepPerson()}`,
      persons_city: () => `/api/persons?limit=50&region=${any(cities)}`,
      persons_city_deep: () => `/api/persons?limit=50&region=${any(cities)}&after=${deepPerson()}`,
      persons_county: () => `/api/persons?limit=50&region=${any(counties)}`,
      persons_township: () => `/api/persons?limit=50&region=${any(townships)}`,
      persons_community: () => `/api/persons?limit=50&region=${any(communities)}`,
      persons_grid: () => `/api/persons?limit=50&region=${grid()}`,
      persons_red: () => '/api/persons?limit=50&colour=red',
      persons_city_red: () => `/api/persons?limit=50&region=${any(cities)}&colour=red`,
      persons_county_yellow: () => `/api/persons?limit=50&region=${any(counties)}&colour=yellow`,
      persons_community_red: () => `/api/persons?limit=50&region=${any(communities)}&colour=red`,
      persons_city_green: () => `/api/persons?limit=50&region=${any(cities)}&colour=green`,
    };
    const asCounty: Record<string, () => string> = {
      county_scope_cases: () => '/api/cases?limit=50',
      county_scope_contacts_status: () => `/api/contacts?limit=50&status=${contactStatus()}`,
      county_scope_persons: () => '/api/persons?limit=50',
      county_scope_persons_deep: () => `/api/persons?limit=50&after=${deepPerson()}`,
      county_scope_persons_red: () => '/api/persons?limit=50&colour=red',
    };
    const first = JSON.parse((await province.get('/api/contacts?limit=50&status=in_quarantine', province43)).body) as { items: unknown[] };
    log(`${name}: a page of contacts in quarantine holds ${first.items.length}; the county user's is ${county}`);
    const out = await timeKinds(province, { [province43]: asProvince, [countyUser]: asCounty }, ROUNDS);
    log(`${name}:`, JSON.stringify(out));
    return out;
  } finally {
    await province.close();
  }
}

await runOnEngines('lists', engines, pg, { persons: PERSONS, contacts: CONTACTS, cases: CASES, tasks: TASKS, samples: SAMPLES, rounds: ROUNDS, seed: SEED }, runEngine);
