/**
 * Region scope, applied by the repositories, on both engines: a grid worker sees their grid's persons and contacts,
 * a county command its county, another city's command none of them, the province all; another region's id in a path
 * answers 404 as if it did not exist (nothing leaks), and a write to it changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Role } from '../domain/access.ts';
import type { Store } from '../storage/store.ts';

const GRID = '43010200100101';

describeEachEngine('api: region scope', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  const keys = new Map<string, string>();
  /** A request as a role scoped to `scope`. */
  const as = (role: Role, scope: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    injectAsGiven(app)({ method, url, payload, headers: { authorization: `Bearer ${keys.get(`${role}@${scope}`)}` } });
  const ids = (r: { json(): unknown }) => (r.json() as { items: { id: number }[] }).items.map((x) => x.id);

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => {
      await s.regions.insertMany(MINI_REGIONS);
      // 1 and 2 in the grid of community 001; 3 in community 001 outside the grid; 4 in community 002.
      await s.persons.insertMany([
        personRow(1, { gridCode: GRID }), personRow(2, { gridCode: GRID }), personRow(3), personRow(4, { communityCode: '430102001002' }),
      ]);
      await s.cases.insertMany([1, 4].map((p) => ({
        caseNo: `C-${p}`, personId: p, kind: 'confirmed' as const, onsetAt: null, sampledAt: 1_627_800_000, confirmedAt: 1_627_830_000, isolatedAt: null,
        severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
      })));
      await s.cases.insertContacts([2, 3].map((p) => ({
        personId: p, kind: 'close' as const, indexCaseId: 1, viaContactId: null, firstExposure: 1_627_500_000, lastExposure: 1_627_507_200, status: 'identified' as const, identifiedAt: 1_627_831_000, evidence: [],
      })));
    }));
    for (const [role, scope] of [['grid_worker', GRID], ['county_command', '430102'], ['city_command', '4302'], ['provincial_command', '43'], ['cdc_investigator', '4302']] as const) {
      for (const [, key] of await roleKeys(store, scope, [role])) keys.set(`${role}@${scope}`, key);
    }
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
    const corrected = await as('cdc_investigator', '4302', 'PATCH', '/api/cases/1', { severity: 'severe', reason: 'x' });
    expect(corrected.statusCode).toBe(404);
    expect((await store.cases.get(1))!.severity).toBe('mild');
  });
});
