/**
 * Region scope, applied by the repositories, on both engines: a grid worker sees their grid's persons and contacts,
 * a county command its county, another city's command none of them, the province all; another region's id in a path
 * answers 404 as if it did not exist (nothing leaks), and a write to it changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { actorKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Role } from '../domain/access.ts';
import { formatTime, nowSeconds } from '../domain/time.ts';
import type { Store } from '../storage/store.ts';

const GRID = '43010200100101';

describeEachEngine('api: region scope', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  const actors = actorKeys(() => app);
  /** A request as a role scoped to `scope`. */
  const as = actors.as;
  const ids = (r: { json(): unknown }) => (r.json() as { items: { id: number }[] }).items.map((x) => x.id);

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => {
      await s.regions.insertMany(MINI_REGIONS);
      // 1 and 2 in the grid of community 001; 3 in community 001 outside the grid; 4 in community 002.
      await s.persons.insertMany([
        personRow(1, { gridCode: GRID }), personRow(2, { gridCode: GRID }), personRow(3), personRow(4, { communityCode: '430102001002' }),
      ]);
      await s.places.insertMany([
        { code: 'HOME-1', name: '识字里小区3栋', category: 'residence', regionCode: '430102001001', lng: 112.99, lat: 28.19, status: 'open', vehicleSetting: null },
        { code: 'KTV-1', name: '歌厅', category: 'ktv', regionCode: '430102', lng: 112.98, lat: 28.2, status: 'open', vehicleSetting: null },
        { code: 'ZZ-1', name: '株洲剧院', category: 'theatre', regionCode: '430202', lng: 113.1, lat: 27.8, status: 'open', vehicleSetting: null },
      ]);
      await s.control.insertCheckpoint({ code: 'GATE-SZL', name: '识字里北门', kind: 'community_gate', placeId: null, regionCode: '430102001001' });
      await s.cases.insertMany([1, 4].map((p) => ({
        caseNo: `C-${p}`, personId: p, kind: 'confirmed' as const, onsetAt: null, sampledAt: 1_627_800_000, confirmedAt: 1_627_830_000, isolatedAt: null,
        severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
      })));
      await s.cases.insertContacts([2, 3].map((p) => ({
        personId: p, kind: 'close' as const, indexCaseId: 1, viaContactId: null, firstExposure: 1_627_500_000, lastExposure: 1_627_507_200, status: 'identified' as const, identifiedAt: 1_627_831_000, evidence: [],
      })));
    }));
    await actors.enter(store, [['grid_worker', GRID], ['county_command', '430102'], ['city_command', '4302'], ['provincial_command', '43'], ['cdc_investigator', '4302'], ['cdc_investigator', '4301'], ['lab', '4302'], ['checkpoint_staff', '4302'], ['checkpoint_staff', '430102']]);
  });
  afterAll(async () => close());

  it('lists persons, cases and contacts under the actor\'s region only', async () => {
    expect(ids(await as('grid_worker', GRID, 'GET', '/api/persons'))).toEqual([1, 2]);
    expect(ids(await as('county_command', '430102', 'GET', '/api/persons'))).toEqual([1, 2, 3, 4]);
    expect(ids(await as('city_command', '4302', 'GET', '/api/persons'))).toEqual([]);
    // A region filter narrows within the scope, never widens it.
    expect(ids(await as('grid_worker', GRID, 'GET', '/api/persons?region=43'))).toEqual([1, 2]);
    expect(ids(await as('county_command', '430102', 'GET', '/api/persons?region=430102001002'))).toEqual([4]);
    expect(ids(await as('county_command', '430102', 'GET', '/api/cases'))).toEqual([1, 2]);
    expect(ids(await as('city_command', '4302', 'GET', '/api/cases'))).toEqual([]);
    expect(ids(await as('provincial_command', '43', 'GET', '/api/cases'))).toEqual([1, 2]);
    // The grid worker follows the contact in their grid (person 2), not the one outside it (person 3).
    const contacts = (r: { json(): unknown }) => (r.json() as { items: { personId: number }[] }).items.map((x) => x.personId);
    expect(contacts(await as('grid_worker', GRID, 'GET', '/api/contacts'))).toEqual([2]);
    expect(contacts(await as('county_command', '430102', 'GET', '/api/contacts'))).toEqual([2, 3]);
    expect(contacts(await as('county_command', '430102', 'GET', '/api/cases/1/contacts'))).toEqual([2, 3]);
    // A case's contacts say how many live outside the actor's region (followed up there, not listed).
    const caseContacts = async (role: Role, scope: string, query = '') => (await as(role, scope, 'GET', `/api/cases/1/contacts${query}`)).json() as { items: { personId: number }[]; outsideScope: number };
    expect(await caseContacts('grid_worker', GRID)).toMatchObject({ items: [{ personId: 2 }], outsideScope: 1 });
    expect(await caseContacts('grid_worker', GRID, '?kind=secondary')).toMatchObject({ items: [], outsideScope: 0 });
    expect((await caseContacts('county_command', '430102')).outsideScope).toBe(0);
    expect((await caseContacts('provincial_command', '43')).outsideScope).toBe(0);
  });

  it('counts the overview\'s totals and its city rows within the actor\'s region', async () => {
    const overview = async (role: Role, scope: string) => (await as(role, scope, 'GET', '/api/overview')).json() as { totals: Record<string, number>; cities: { code: string; persons: number; cases: number; contacts: number }[] };
    const pick = (o: Awaited<ReturnType<typeof overview>>) => ({ persons: o.totals.persons, cases: o.totals.cases, contacts: o.totals.contacts, places: o.totals.places });
    expect(pick(await overview('provincial_command', '43'))).toEqual({ persons: 4, cases: 2, contacts: 2, places: 3 });
    expect(pick(await overview('county_command', '430102'))).toEqual({ persons: 4, cases: 2, contacts: 2, places: 2 });
    expect(pick(await overview('city_command', '4302'))).toEqual({ persons: 0, cases: 0, contacts: 0, places: 1 });
    const county = await overview('county_command', '430102');
    expect(county.cities.find((c) => c.code === '4301')).toMatchObject({ persons: 4, cases: 2, contacts: 2 });
    expect(county.cities.filter((c) => c.code !== '4301').every((c) => c.persons === 0 && c.cases === 0)).toBe(true);
    expect((await overview('city_command', '4302')).cities.every((c) => c.persons === 0 && c.cases === 0)).toBe(true);
  });

  it('lists the places within reach of the region, and gives homes\' coordinates only to roles that visit people', async () => {
    const places = async (role: Role, scope: string) => ((await as(role, scope, 'GET', '/api/places')).json() as { items: { code: string; lng: number | null }[] }).items;
    // The grid worker sees their community's homes and their county's venues, not another city's theatre.
    expect((await places('grid_worker', GRID)).map((p) => p.code)).toEqual(['HOME-1', 'KTV-1']);
    expect((await places('provincial_command', '43')).map((p) => p.code)).toEqual(['HOME-1', 'KTV-1', 'ZZ-1']);
    expect((await places('city_command', '4302')).map((p) => p.code)).toEqual(['ZZ-1']);
    // A home's coordinates: hidden from a command centre, shown to an investigator; a venue's shown to both.
    const command = await places('provincial_command', '43');
    expect(command.find((p) => p.code === 'HOME-1')).toMatchObject({ lng: null, lat: null });
    expect(command.find((p) => p.code === 'KTV-1')?.lng).toBe(112.98);
    const all = (await store.places.list({}, { limit: 10 })).items;
    const zzId = all.find((p) => p.code === 'ZZ-1')!.id, homeId = all.find((p) => p.code === 'HOME-1')!.id;
    expect((await as('cdc_investigator', '4302', 'GET', `/api/places/${zzId}`)).json()).toMatchObject({ code: 'ZZ-1', lng: 113.1 });
    expect((await as('cdc_investigator', '4302', 'GET', `/api/places/${homeId}`)).statusCode).toBe(404);
    expect((await as('county_command', '430102', 'GET', `/api/places/${homeId}`)).json()).toMatchObject({ code: 'HOME-1', lng: null });
    expect((await as('cdc_investigator', '4301', 'GET', `/api/places/${homeId}`)).json()).toMatchObject({ code: 'HOME-1', lng: 112.99, lat: 28.19 });
  });

  it('answers another region\'s person, case or contact 404, as if it did not exist, and changes nothing', async () => {
    expect((await as('grid_worker', GRID, 'GET', '/api/persons/2')).statusCode).toBe(200);
    for (const url of ['/api/persons/3', '/api/persons/4', '/api/persons/3/identity?purpose=curious%20neighbour', '/api/persons/4/code', '/api/persons/4/itinerary']) {
      const r = await as('grid_worker', GRID, 'GET', url);
      expect([r.statusCode, r.json().error.code], url).toEqual([404, 'NOT_FOUND']);
    }
    expect((await as('city_command', '4302', 'GET', '/api/cases/1')).statusCode).toBe(404);
    expect((await as('city_command', '4302', 'GET', '/api/cases/1/contacts')).statusCode).toBe(404);
    expect((await as('county_command', '430102', 'GET', '/api/cases/1')).statusCode).toBe(200);
    const contactOf3 = (await store.cases.contactsOfPerson(3))[0];
    const moved = await as('grid_worker', GRID, 'POST', `/api/contacts/${contactOf3.id}/status`, { status: 'notified', reason: 'phoned' });
    expect(moved.statusCode).toBe(404);
    expect((await store.cases.contact(contactOf3.id))!.status).toBe('identified');
    // A person corrected within the region may move inside it, not out of it.
    const awayFix = await as('cdc_investigator', '4301', 'PATCH', '/api/persons/3', { communityCode: '430202001001', reason: 'moved away' });
    expect([awayFix.statusCode, awayFix.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await store.persons.get(3))!.communityCode).toBe('430102001001');
    expect((await as('cdc_investigator', '4301', 'PATCH', '/api/persons/3', { occupation: '教师', reason: 'corrected' })).statusCode).toBe(200);
    const corrected = await as('cdc_investigator', '4302', 'PATCH', '/api/cases/1', { severity: 'severe', reason: 'x' });
    expect(corrected.statusCode).toBe(404);
    expect((await store.cases.get(1))!.severity).toBe('mild');
  });

  it('refuses writes that reach outside the actor\'s region, answering as if the person, case or checkpoint did not exist, and changes nothing', async () => {
    const time = formatTime(nowSeconds() - 3600).slice(0, 16).replace('T', ' ');
    const cases = (await store.cases.list({ limit: 10 })).items.length;
    // Confirming a case for a person of another city: unknown to this investigator, like a person who does not exist.
    const confirm = await as('cdc_investigator', '4302', 'POST', '/api/cases', { caseNo: 'OUT-1', personId: 3, kind: 'asymptomatic', sampledAt: time, confirmedAt: time });
    expect([confirm.statusCode, confirm.json().error.code]).toEqual([422, 'UNKNOWN_REFERENCE']);
    // ... even for a person who is a case already (no "already a case" to learn from).
    expect((await as('cdc_investigator', '4302', 'POST', '/api/cases', { caseNo: 'OUT-2', personId: 1, kind: 'asymptomatic', sampledAt: time, confirmedAt: time })).json().error.code).toBe('UNKNOWN_REFERENCE');
    expect((await store.cases.list({ limit: 10 })).items).toHaveLength(cases);
    expect((await as('cdc_investigator', '4302', 'POST', '/api/cases/1/trace')).statusCode).toBe(404);
    expect((await as('cdc_investigator', '4302', 'POST', '/api/links', { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'confirmed' })).json().error.code).toBe('UNKNOWN_REFERENCE');
    expect((await as('lab', '4302', 'POST', '/api/samples', { sampleNo: 'S-OUT', personId: 1, method: 'single', sampledAt: time })).statusCode).toBe(422);
    expect(await store.samples.bySampleNo('S-OUT')).toBeUndefined();
    // A checkpoint of another region is unknown to this staff; their own county's works.
    const token = { token: 'not-a-token' };
    expect((await as('checkpoint_staff', '4302', 'POST', '/api/checkpoints/GATE-SZL/checks', token)).json().error.code).toBe('UNKNOWN_CHECKPOINT');
    expect((await as('checkpoint_staff', '430102', 'POST', '/api/checkpoints/GATE-SZL/checks', token)).statusCode).toBe(200);
    // A venue order for another region: 403 OUT_OF_SCOPE naming it; within the region, it is issued; lifting another
    // region's order is refused the same way.
    const order = (orderNo: string, regionCodes: string[]) => ({ orderNo, action: 'close', categories: ['ktv'], regionCodes, startsAt: time, issuedBy: 'x' });
    const out = await as('county_command', '430102', 'POST', '/api/venue-orders', order('VO-OUT', ['430102', '43']));
    expect([out.statusCode, out.json().error.code, out.json().error.details]).toEqual([403, 'OUT_OF_SCOPE', [{ field: 'regionCodes', reason: '43 is outside 430102' }]]);
    expect((await as('county_command', '430102', 'POST', '/api/venue-orders', order('VO-IN', ['430102001']))).statusCode).toBe(201);
    const lift = await as('city_command', '4302', 'POST', '/api/venue-orders/VO-IN/lift', { reason: 'not mine' });
    expect([lift.statusCode, lift.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await store.control.orderByNo('VO-IN'))!.endsAt).toBeNull();
  });

  it('shows chains, the efficacy report, venue orders and the event flow within the actor\'s region', async () => {
    const chains = async (scope: string) => ((await as('cdc_investigator', scope, 'GET', '/api/chains')).json() as { chains: { caseNos: string[] }[]; indicators: { cases: number } });
    const inside = await chains('4301');
    expect(inside.chains.flatMap((c) => c.caseNos).sort()).toEqual(['C-1', 'C-4']);
    expect(inside.indicators.cases).toBe(2);
    const outside = await chains('4302');
    expect(outside).toMatchObject({ chains: [], indicators: { cases: 0 } });
    // No figure of the province's shows through: every count of the indicators is of the chains in view.
    const province = ((await as('provincial_command', '43', 'GET', '/api/chains')).json() as { indicators: Record<string, unknown> }).indicators;
    expect(province.sourceUnknown).toBeGreaterThan(0);
    const counts = (x: unknown): number[] => (typeof x === 'number' ? [x] : x && typeof x === 'object' ? Object.entries(x).filter(([k]) => !['threshold', 'days'].includes(k)).flatMap(([, v]) => counts(v)) : []);
    expect(counts((outside as unknown as { indicators: unknown }).indicators).every((n) => n === 0)).toBe(true);
    const exported = (await as('cdc_investigator', '4302', 'GET', '/api/chains/export')).json() as { chains: unknown[] };
    expect(exported.chains).toEqual([]);
    expect(((await as('cdc_investigator', '4301', 'GET', '/api/reports/efficacy')).json() as { cases: number }).cases).toBe(2);
    expect(((await as('cdc_investigator', '4302', 'GET', '/api/reports/efficacy')).json() as { cases: number }).cases).toBe(0);
    // The overview's active chains count those that reach the region.
    expect(((await as('city_command', '4302', 'GET', '/api/overview')).json() as { totals: { activeChains: number } }).totals.activeChains).toBe(0);
    // Venue orders: those naming the region, or a region containing it; another region's are unknown.
    const time = formatTime(nowSeconds() - 3600).slice(0, 16);
    expect((await as('county_command', '430102', 'POST', '/api/venue-orders', { orderNo: 'VO-SCOPE', action: 'close', categories: ['ktv'], regionCodes: ['430102001'], startsAt: time, issuedBy: 'x' })).statusCode).toBe(201);
    const orders = async (role: Role, scope: string) => ((await as(role, scope, 'GET', '/api/venue-orders')).json() as { items: { orderNo: string }[] }).items.map((o) => o.orderNo);
    expect(await orders('provincial_command', '43')).toContain('VO-SCOPE');
    expect(await orders('county_command', '430102')).toContain('VO-SCOPE');
    expect(await orders('city_command', '4302')).not.toContain('VO-SCOPE');
    expect((await as('city_command', '4302', 'GET', '/api/venue-orders/VO-SCOPE/history')).statusCode).toBe(404);
    expect((await as('county_command', '430102', 'GET', '/api/venue-orders/VO-SCOPE/history')).statusCode).toBe(200);
    // The event flow is the province's: below it, 403 OUT_OF_SCOPE.
    expect((await as('provincial_command', '43', 'GET', '/api/events')).statusCode).toBe(200);
    expect((await as('county_command', '430102', 'GET', '/api/events')).json().error.code).toBe('OUT_OF_SCOPE');
  });
});
