/**
 * The command dashboard on both engines, over a small world with known answers: cases on two days in two cities (one
 * of them a prior contact), contacts found within and after 24 h of their case's confirmation, transfers done before
 * and after their deadline, persons in quarantine with tests due, samples, and tasks at every level (some overdue or
 * escalated). Each KPI, the rows of the units below, tasks by level, the epidemic curve (zeros filled), the late
 * tasks' order, a look back at the day before, region scope (another county: 403 OUT_OF_SCOPE), and a city's counties.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Role } from '../domain/access.ts';
import { parseTime } from '../domain/time.ts';
import type { TaskStatus } from '../domain/vocab.ts';
import { SettableClock } from '../platform/clock.ts';
import type { NewTask } from '../storage/sql/command.ts';
import type { Store } from '../storage/store.ts';

const GRID = '43010200100101';
const t = (s: string) => parseTime(`2021-08-${s}`)!;
const NOW = t('05 15:00');

/** The world, by label: persons 1-8, cases C1-C3, tasks T1-T9 (see the seed). */
async function seed(s: Store): Promise<void> {
  await s.regions.insertMany([
    ...MINI_REGIONS,
    { code: '430103', name: '天心区', level: 'county', parentCode: '4301', functionalZone: false },
    { code: '4302', name: '株洲市', level: 'city', parentCode: '43', functionalZone: false },
    { code: '430202', name: '荷塘区', level: 'county', parentCode: '4302', functionalZone: false },
    { code: '430202001', name: '月塘街道', level: 'township', parentCode: '430202', functionalZone: false },
    { code: '430202001001', name: '新塘社区居委会', level: 'community', parentCode: '430202001', functionalZone: false },
  ]);
  const A = '430102001001', B = '430102001002', Z = '430202001001';
  await s.persons.insertMany([
    personRow(1, { gridCode: GRID }), personRow(2, { communityCode: B }), personRow(3, { communityCode: Z }), personRow(4, { gridCode: GRID }),
    personRow(5, { communityCode: B }), personRow(6, { communityCode: Z }), personRow(7, { gridCode: GRID }), personRow(8, { communityCode: A, gridCode: GRID }),
  ]);
  const kase = (no: string, personId: number, onset: string | null, confirmed: string) => ({
    caseNo: no, personId, kind: 'confirmed' as const, onsetAt: onset ? t(onset) : null, sampledAt: t(confirmed) - 7200, confirmedAt: t(confirmed), isolatedAt: null,
    severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
  });
  // C1 yesterday in Changsha; C2 today in Changsha (a close contact of C1 since yesterday); C3 today in Zhuzhou.
  await s.cases.insertMany([kase('C1', 1, '02 08:00', '04 10:00'), kase('C2', 2, '03 20:00', '05 09:00'), kase('C3', 3, null, '05 08:00')]);
  const contact = (personId: number, kind: 'close' | 'secondary', caseId: number, identified: string, lastExposure: string, status: 'identified' | 'in_quarantine' | 'released' | 'became_case') => ({
    personId, kind, indexCaseId: caseId, viaContactId: null, firstExposure: t(lastExposure) - 3600, lastExposure: t(lastExposure), evidence: [], status, identifiedAt: t(identified),
  });
  await s.cases.insertContacts([
    contact(2, 'close', 1, '04 12:00', '03 20:00', 'became_case'),
    // Found today 23 h after C1's confirmation (within 24 h), in quarantine, test of day 1 due today.
    contact(4, 'close', 1, '05 09:00', '04 03:00', 'in_quarantine'),
    // Found today 25 h after (not within), awaiting transfer, no test due today (days 1 and 4 fall on the 4th and 7th).
    contact(5, 'close', 1, '05 11:00', '03 03:00', 'identified'),
    // Found today 2 h after C3's confirmation, in quarantine, test of day 4 due today.
    contact(6, 'close', 3, '05 10:00', '01 12:00', 'in_quarantine'),
    contact(7, 'close', 1, '04 12:00', '03 12:00', 'released'),
    // A secondary contact found yesterday: counted from identification, its test of day 1 is due today.
    contact(8, 'secondary', 1, '04 13:00', '03 12:00', 'in_quarantine'),
  ]);
  await s.samples.insertMany([[4, '05 10:00'], [6, '05 11:00'], [1, '04 09:00']].map(([p, at], i) => ({
    sampleNo: `S-${i}`, personId: p as number, method: 'single' as const, poolId: null, sampledAt: t(at as string), result: 'pending' as const, resultAt: null, lab: null,
  })));
  const task = (kind: string, code: string, due: string): NewTask => ({
    parentId: null, directiveId: null, title: kind, kind, level: ({ 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'community', 14: 'grid' } as const)[code.length as 2]!,
    regionCode: code, ownerUserId: null, ownerRole: 'grid_worker', dueAt: t(due), status: 'assigned', subjectPersonId: null, subjectKey: null, sourceKey: null, createdAt: t('04 00:00'),
  });
  await s.command.insertTasks([
    task('transfer_to_quarantine', GRID, '05 21:00'), task('transfer_to_quarantine', Z, '05 06:00'), task('transfer_to_quarantine', B, '05 23:00'),
    task('door_to_door', GRID, '05 10:00'), task('mass_testing', '43', '04 20:00'), task('mass_testing', '4301', '06 12:00'),
    task('mass_testing', '430102', '05 12:00'), task('mass_testing', '430102001', '05 12:00'), task('mass_testing', '430202', '05 12:00'),
  ]);
  const set = (id: number, status: TaskStatus, at: string, escalatedTo: string | null = null) => s.command.updateTask(id, { status, statusAt: t(at), ...(escalatedTo ? { escalatedTo } : {}) });
  await set(1, 'done', '05 12:00');
  await set(2, 'done', '05 13:00');
  await set(4, 'escalated', '05 10:01', A);
  await set(5, 'overdue', '04 20:01');
  await set(6, 'escalated', '04 20:01', '43');
  await set(7, 'done', '04 18:00');
  await set(8, 'cancelled', '04 18:00');
  await set(9, 'in_progress', '05 08:00');
}

interface Body {
  day: string; asOf: string; region: { code: string; name: string; level: string }; parent: { code: string; name: string } | null; path: { code: string; name: string }[];
  children: { code: string; newCases: number; cases: number; contacts: number; inQuarantine: number; tasksOpen: number; tasksOverdue: number }[];
  kpis: Record<string, number>; rules: Record<string, number>;
  tasksByLevel: { level: string; total: number; done: number; open: number; overdue: number; escalated: number }[];
  epiCurve: { day: string; onset: number; confirmed: number }[];
  lateTasks: { id: number; status: string; regionName: string; dueAt: string; escalatedTo: string | null }[];
}

describeEachEngine('api: command dashboard', (engine) => {
  let app: FastifyInstance, close: () => Promise<void>, store: Store;
  const keys = new Map<string, string>();
  const as = (role: Role, scope: string, url: string) => injectAsGiven(app)({ method: 'GET', url, headers: { authorization: `Bearer ${keys.get(`${role}@${scope}`)}` } });
  const get = async (role: Role, scope: string, url: string) => {
    const r = await as(role, scope, url);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Body;
  };

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, seed, { clock: new SettableClock(NOW) }));
    for (const [role, scope] of [['provincial_command', '43'], ['county_command', '430102'], ['city_command', '4302'], ['grid_worker', GRID], ['auditor', '43']] as const) {
      for (const [, key] of await roleKeys(store!, scope, [role])) keys.set(`${role}@${scope}`, key);
    }
  });
  afterAll(async () => close());

  it('gives the province its day: every KPI, the cities, tasks by level, the epidemic curve and the late tasks', async () => {
    const d = await get('provincial_command', '43', '/api/dashboard');
    expect([d.day, d.asOf, d.region, d.parent, d.path]).toEqual(['2021-08-05', '2021-08-05T15:00:00+08:00', { code: '43', name: '湖南省', level: 'province' }, null, []]);
    expect(d.kpis).toEqual({
      newCases: 2, newCasesAmongKnownContacts: 1, contactsFound: 3, contactsTracedWithin24h: 2, transfersDone: 2, transfersWithinDeadline: 1,
      inQuarantine: 3, testsDue: 3, testsDone: 2, tasksDone: 2, tasksOpen: 5, tasksOverdue: 3,
    });
    expect(d.rules).toEqual({ tracedWithinHours: 24, transferWithinHours: 12 });
    expect(d.children).toEqual([
      { code: '4301', name: '长沙市', level: 'city', newCases: 1, cases: 2, contacts: 3, inQuarantine: 2, tasksOpen: 3, tasksOverdue: 1 },
      { code: '4302', name: '株洲市', level: 'city', newCases: 1, cases: 1, contacts: 1, inQuarantine: 1, tasksOpen: 1, tasksOverdue: 1 },
    ]);
    expect(d.tasksByLevel).toEqual([
      { level: 'province', total: 1, done: 0, open: 1, overdue: 1, escalated: 0 },
      { level: 'city', total: 1, done: 0, open: 1, overdue: 0, escalated: 1 },
      { level: 'county', total: 2, done: 1, open: 1, overdue: 1, escalated: 0 },
      { level: 'township', total: 1, done: 0, open: 0, overdue: 0, escalated: 0 },
      { level: 'community', total: 2, done: 1, open: 1, overdue: 0, escalated: 0 },
      { level: 'grid', total: 2, done: 1, open: 1, overdue: 1, escalated: 1 },
    ]);
    expect(d.epiCurve).toEqual([
      { day: '2021-08-02', onset: 1, confirmed: 0 }, { day: '2021-08-03', onset: 1, confirmed: 0 },
      { day: '2021-08-04', onset: 0, confirmed: 1 }, { day: '2021-08-05', onset: 0, confirmed: 2 },
    ]);
    // Past their deadline first (by deadline), then the escalated task whose deadline was moved later.
    expect(d.lateTasks.map((x) => [x.id, x.status, x.regionName])).toEqual([[5, 'overdue', '湖南省'], [4, 'escalated', '识字里社区居委会第1网格'], [9, 'in_progress', '荷塘区'], [6, 'escalated', '长沙市']]);
    expect(d.lateTasks[1]).toMatchObject({ dueAt: '2021-08-05T10:00:00+08:00', escalatedTo: '430102001001' });
  });

  it('gives a county its own day and its townships, and looks back at a past day', async () => {
    const d = await get('county_command', '430102', '/api/dashboard');
    expect([d.region.code, d.parent]).toEqual(['430102', { code: '4301', name: '长沙市' }]);
    expect(d.path).toEqual([{ code: '43', name: '湖南省' }, { code: '4301', name: '长沙市' }]);
    expect(d.kpis).toEqual({
      newCases: 1, newCasesAmongKnownContacts: 1, contactsFound: 2, contactsTracedWithin24h: 1, transfersDone: 1, transfersWithinDeadline: 1,
      inQuarantine: 2, testsDue: 2, testsDone: 1, tasksDone: 1, tasksOpen: 2, tasksOverdue: 1,
    });
    expect(d.children).toEqual([{ code: '430102001', name: '文艺路街道', level: 'township', newCases: 1, cases: 2, contacts: 3, inQuarantine: 2, tasksOpen: 2, tasksOverdue: 1 }]);
    expect(d.tasksByLevel.map((l) => [l.level, l.total])).toEqual([['province', 0], ['city', 0], ['county', 1], ['township', 1], ['community', 1], ['grid', 2]]);
    expect(d.lateTasks.map((x) => x.id)).toEqual([4]);
    // A community's units below are its grids (persons by their grid).
    const c = await get('county_command', '430102', '/api/dashboard?region=430102001001');
    expect(c.children).toEqual([{ code: GRID, name: '识字里社区居委会第1网格', level: 'grid', newCases: 0, cases: 1, contacts: 2, inQuarantine: 2, tasksOpen: 1, tasksOverdue: 1 }]);
    // A grid has no units below; its persons are those whose grid it is.
    const g = await get('county_command', '430102', `/api/dashboard?region=${GRID}`);
    expect([g.region.level, g.parent, g.children]).toEqual(['grid', { code: '430102001001', name: '识字里社区居委会' }, []]);
    expect(g.path.map((p) => p.code)).toEqual(['43', '4301', '430102', '430102001', '430102001001']);
    expect(g.kpis).toMatchObject({ newCases: 0, contactsFound: 1, inQuarantine: 2, testsDue: 2, testsDone: 1, tasksOpen: 1, tasksOverdue: 1, transfersDone: 1 });
    expect(g.epiCurve.map((x) => [x.day, x.onset, x.confirmed])).toEqual([['2021-08-02', 1, 0], ['2021-08-03', 0, 0], ['2021-08-04', 0, 1], ['2021-08-05', 0, 0]]);
    // The day before, province-wide: only C1 was confirmed; what is "now" stays now.
    const y = await get('provincial_command', '43', '/api/dashboard?day=2021-08-04');
    expect([y.day, y.asOf, y.kpis.newCases, y.kpis.newCasesAmongKnownContacts, y.kpis.contactsFound, y.kpis.testsDone, y.kpis.tasksDone, y.kpis.tasksOpen]).toEqual(['2021-08-04', '2021-08-04T23:59:59+08:00', 1, 0, 3, 1, 1, 5]);
    // C2's onset on the 3rd is not on that day's curve: C2 was confirmed on the 5th.
    expect(y.epiCurve).toEqual([{ day: '2021-08-02', onset: 1, confirmed: 0 }, { day: '2021-08-03', onset: 0, confirmed: 0 }, { day: '2021-08-04', onset: 0, confirmed: 1 }]);
    expect(y.children.map((x) => [x.code, x.cases, x.newCases])).toEqual([['4301', 1, 1], ['4302', 0, 0]]);
  });

  it('counts a contact where their person lives now: a person moved to another city is counted there (and back)', async () => {
    const cities = async () => (await get('provincial_command', '43', '/api/dashboard')).children.map((c) => [c.code, c.contacts, c.inQuarantine]);
    expect(await cities()).toEqual([['4301', 3, 2], ['4302', 1, 1]]);
    // Person 6 (in quarantine, a close contact of C3) lived in Zhuzhou; their home corrected to a Changsha grid.
    await store.persons.update(6, { communityCode: '430102001001', gridCode: GRID });
    try {
      expect(await cities()).toEqual([['4301', 4, 3], ['4302', 0, 0]]);
      const c = await get('county_command', '430102', '/api/dashboard?region=430102001001');
      expect(c.children.map((x) => [x.code, x.contacts, x.inQuarantine])).toEqual([[GRID, 3, 3]]);
    } finally {
      await store.persons.update(6, { communityCode: '430202001001', gridCode: null });
    }
    expect(await cities()).toEqual([['4301', 3, 2], ['4302', 1, 1]]);
  });

  it('keeps each actor to their region: another county or the province is 403 OUT_OF_SCOPE, an unknown region 404, a future day 400', async () => {
    for (const region of ['430103', '43', '4302']) {
      const r = await as('county_command', '430102', `/api/dashboard?region=${region}`);
      expect([r.statusCode, r.json().error.code], region).toEqual([403, 'OUT_OF_SCOPE']);
    }
    expect((await get('city_command', '4302', '/api/dashboard')).kpis).toMatchObject({ newCases: 1, contactsFound: 1, contactsTracedWithin24h: 1, inQuarantine: 1, testsDue: 1 });
    expect((await get('county_command', '430102', '/api/dashboard?region=430102001')).region.level).toBe('township');
    const unknown = await as('provincial_command', '43', '/api/dashboard?region=4399');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const future = await as('provincial_command', '43', '/api/dashboard?day=2021-08-06');
    expect([future.statusCode, future.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await as('provincial_command', '43', '/api/dashboard?day=2021-02-30')).statusCode).toBe(400);
    expect((await as('provincial_command', '43', '/api/dashboard?region=43&extra=1')).statusCode).toBe(400);
    // A grid worker has no dashboard; an auditor reads the province's.
    expect((await as('grid_worker', GRID, '/api/dashboard')).statusCode).toBe(403);
    expect((await get('auditor', '43', '/api/dashboard')).kpis.newCases).toBe(2);
  });

  it('answers a city\'s counties as GeoJSON, 404 for an unknown city', async () => {
    const r = await as('grid_worker', GRID, '/api/geo/counties?city=4301');
    expect([r.statusCode, r.headers['content-type']]).toEqual([200, 'application/geo+json; charset=utf-8']);
    const geo = r.json() as { type: string; features: { properties: { code: string } }[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBeGreaterThanOrEqual(9);
    expect(geo.features.every((f) => f.properties.code.startsWith('4301'))).toBe(true);
    expect(geo.features.map((f) => f.properties.code)).toContain('430102');
    const none = await as('grid_worker', GRID, '/api/geo/counties?city=4399');
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await as('grid_worker', GRID, '/api/geo/counties?city=43')).statusCode).toBe(400);
  });
});
