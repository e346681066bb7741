/**
 * Search through the API on both engines: persons by ID number (through the keyed hash), phone (as typed, with or
 * without +86, spaces and hyphens), full name and a part of the household address, only within the actor's scope,
 * masked, each search in the audit log whatever it found; a case by number; places by code or name; trips by number
 * and date, the number as a word of its own.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { idNumber, MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Role } from '../domain/access.ts';
import { hashIdNumber, maskIdNumber } from '../domain/identity.ts';
import { readPersonQuery } from '../services/search/search.ts';
import { parseTime } from '../domain/time.ts';
import type { Store } from '../storage/store.ts';

const SECRET = 'search-test-secret';
const ZHOU = idNumber(1, '19860412'), ZHOU_2 = idNumber(2, '19700101'), LIU = idNumber(3, '19950101');
const C1 = '430102001001', C2 = '430102001002';

describe('reading what was typed as a person search', () => {
  it('reads 18 characters as an ID number, digits as a phone, anything else as a name or an address', () => {
    expect(readPersonQuery(' 43010219860412001x ')).toEqual({ by: 'id_number', idNumber: '43010219860412001X' });
    expect(readPersonQuery('139 0739-0000')).toEqual({ by: 'phone', phones: ['13907390000', '+8613907390000'] });
    expect(readPersonQuery('+8613907390000')).toEqual({ by: 'phone', phones: ['+8613907390000', '13907390000'] });
    expect(readPersonQuery('07318888')).toEqual({ by: 'phone', phones: ['07318888'] });
    expect(readPersonQuery('1234')).toEqual({ by: 'name_or_address', text: '1234' });
    expect(readPersonQuery('  周  建国 ')).toEqual({ by: 'name_or_address', text: '周 建国' });
    expect(readPersonQuery('   ')).toBeNull();
  });
});

describeEachEngine('api: search', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  const keys = new Map<string, string>();
  const as = (who: string, url: string) => injectAsGiven(app)({ method: 'GET', url, headers: { authorization: `Bearer ${keys.get(who)}` } });
  const items = async (who: string, url: string) => {
    const r = await as(who, url);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: { id: number; name: string; code?: string; matched?: string }[]; by?: string[]; more?: boolean; idNumberProblem?: string | null };
  };
  const auditOf = async (subjectPrefix: string) => (await store.audit.list({}, { after: 0, limit: 500 })).items.filter((e) => e.subject.startsWith(subjectPrefix));

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => {
      await s.regions.insertMany(MINI_REGIONS);
      await s.persons.insertHouseholds([
        { code: 'H1', communityCode: C1, gridCode: null, address: '长沙市芙蓉区识字里小区3栋201' },
        { code: 'H2', communityCode: C2, gridCode: null, address: '长沙市芙蓉区文艺新村5栋102' },
      ]);
      const hh = await s.persons.householdIds(['H1', 'H2']);
      await s.persons.insertMany([
        personRow(1, { idHash: hashIdNumber(ZHOU, SECRET), idMasked: maskIdNumber(ZHOU), name: '周建国', phone: '13907390000', householdId: hh.get('H1')!, communityCode: C1 }),
        personRow(2, { idHash: hashIdNumber(ZHOU_2, SECRET), idMasked: maskIdNumber(ZHOU_2), name: '周建国', phone: null, householdId: hh.get('H2')!, communityCode: C2 }),
        personRow(3, { idHash: hashIdNumber(LIU, SECRET), idMasked: maskIdNumber(LIU), name: '刘芳', phone: '+8613807310000', householdId: hh.get('H2')!, communityCode: C2 }),
      ]);
      await s.cases.insertMany([{
        caseNo: 'HN-2021-001', personId: 1, kind: 'confirmed', onsetAt: 1_627_000_000, sampledAt: 1_627_000_000, confirmedAt: 1_627_100_000,
        isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null,
      }]);
      const contact = (personId: number, kind: 'close' | 'secondary', status: 'identified' | 'in_quarantine') => ({
        personId, kind, indexCaseId: 1, viaContactId: null, firstExposure: 1_627_000_000, lastExposure: 1_627_003_600, evidence: [], status, identifiedAt: 1_627_100_000,
      });
      await s.cases.insertContacts([contact(2, 'close', 'in_quarantine'), contact(3, 'close', 'identified')]);
      // The case and its contact in quarantine hold red codes; person 3 holds none yet.
      await s.codes.write([1, 2].map((personId) => ({ personId, colour: 'red' as const, reasons: [], since: 1_627_100_000, validUntil: 1_628_000_000 })), []);
      const place = (code: string, name: string, category: 'market' | 'vehicle' | 'residence', regionCode = '430102') => ({
        code, name, category, regionCode, lng: 112.99, lat: 28.19, status: 'open' as const, vehicleSetting: category === 'vehicle' ? 'train_enclosed' as const : null,
      });
      await s.places.insertMany([
        place('V-1', '识字里菜市场', 'market'), place('V-2', '文艺路菜市场', 'market', '430103'),
        place('TRIP-G4301-2021-07-21', 'G4301 2021-07-21', 'vehicle'), place('TRIP-G43011-2021-07-21', 'G43011 2021-07-21', 'vehicle'),
        place('TRIP-G4301-2021-07-22', 'G4301 2021-07-22', 'vehicle'), place('R-1', '识字里小区3栋', 'residence'),
      ]);
      // The case (onset 2021-07-23 08:26) rode G4301 on 2021-07-21, 10:00 to 12:30: within two days before onset.
      const trip = (await s.places.idsByCode(['TRIP-G4301-2021-07-21'])).get('TRIP-G4301-2021-07-21')!;
      await s.presence.insertMany([{ personId: 1, placeId: trip, start: parseTime('2021-07-21 10:00')!, end: parseTime('2021-07-21 12:30')!, source: 'transport_seat', seat: '3A', carriage: '5' }]);
    }, { codeSecret: SECRET }));
    for (const [role, scope] of [['cdc_investigator', '43'], ['provincial_command', '43'], ['auditor', '43'], ['lab', '43']] as const) keys.set(role, (await roleKeys(store, scope, [role])).get(role as Role)!);
    keys.set('grid_worker_c2', (await roleKeys(store, C2, ['grid_worker'])).get('grid_worker')!);
    keys.set('quarantine_staff', (await roleKeys(store, '4301', ['quarantine_staff'])).get('quarantine_staff')!);
    keys.set('hospital', (await roleKeys(store, '4301', ['hospital'])).get('hospital')!);
    keys.set('county_command_c2', (await roleKeys(store, '430103', ['county_command'])).get('county_command')!);
  });
  afterAll(async () => close());

  it('finds a person by the ID number on their card, masked, and audits the search before answering', async () => {
    const before = (await auditOf('person:1')).length;
    const r = await items('cdc_investigator', `/api/search/persons?q=${ZHOU.toLowerCase()}&purpose=${encodeURIComponent('流调核查')}`);
    expect(r).toMatchObject({ by: ['id_number'], more: false, idNumberProblem: null, items: [{ id: 1, name: '周**', matched: 'id_number', communityName: MINI_REGIONS.find((g) => g.code === C1)!.name }] });
    const audit = await auditOf('person:1');
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)).toMatchObject({ action: 'persons:search', purpose: '流调核查' });
  });

  it('finds no one outside the actor\'s scope, and audits that search too; a number no one holds, masked', async () => {
    const before = (await auditOf('person:1')).length;
    const r = await items('grid_worker_c2', `/api/search/persons?q=${ZHOU}`);
    expect(r.items).toEqual([]);
    expect(await auditOf('person:1')).toHaveLength(before + 1);
    const stranger = idNumber(9, '20000101');
    expect((await items('cdc_investigator', `/api/search/persons?q=${stranger}`)).items).toEqual([]);
    expect((await auditOf('id-number:')).at(-1)).toMatchObject({ action: 'persons:search', subject: `id-number:${maskIdNumber(stranger)}` });
    // An impossible number is still looked up (no one holds it), with the reason it cannot be valid.
    const bad = await items('cdc_investigator', `/api/search/persons?q=${ZHOU.slice(0, 17)}${ZHOU.endsWith('0') ? '1' : '0'}`);
    expect(bad).toMatchObject({ items: [], idNumberProblem: 'check digit does not match' });
  });

  it('finds a person by phone as typed: spaces and hyphens, with or without +86', async () => {
    expect((await items('cdc_investigator', '/api/search/persons?q=139%200739-0000')).items.map((p) => p.id)).toEqual([1]);
    expect((await items('cdc_investigator', '/api/search/persons?q=13807310000')).items.map((p) => p.id)).toEqual([3]);
    expect((await items('cdc_investigator', '/api/search/persons?q=%2B8613907390000')).items.map((p) => p.id)).toEqual([1]);
    expect((await items('cdc_investigator', '/api/search/persons?q=13907390001')).items).toEqual([]);
    expect((await auditOf('search:phone:')).at(-1)).toMatchObject({ subject: 'search:phone:139****0001', detail: 'by phone; none found' });
  });

  it('finds everyone of a full name within scope, and persons by a part of their household address', async () => {
    const both = await items('cdc_investigator', `/api/search/persons?q=${encodeURIComponent('周建国')}`);
    expect(both.items.map((p) => [p.id, p.matched])).toEqual([[1, 'name'], [2, 'name']]);
    expect(both.by).toEqual(['name', 'address']);
    expect((await items('grid_worker_c2', `/api/search/persons?q=${encodeURIComponent('周建国')}`)).items.map((p) => p.id)).toEqual([2]);
    const street = await items('cdc_investigator', `/api/search/persons?q=${encodeURIComponent('文艺新村5栋')}`);
    expect(street.items.map((p) => [p.id, p.matched])).toEqual([[2, 'address'], [3, 'address']]);
    expect((await items('grid_worker_c2', `/api/search/persons?q=${encodeURIComponent('识字里小区')}`)).items).toEqual([]);
    // A part of a name is not a name: no one is named 周 alone, and one character is not looked up in addresses.
    expect(await items('cdc_investigator', `/api/search/persons?q=${encodeURIComponent('周')}`)).toMatchObject({ items: [], by: ['name'] });
    // Each person found is one audit entry with the person as subject.
    expect((await auditOf('person:3')).at(-1)).toMatchObject({ action: 'persons:search', detail: 'found by address' });
  });

  it('gives each person found their code\'s colour now and their cases, as far as the role reads codes and cases', async () => {
    const found = async (who: string) => (await as(who, `/api/search/persons?q=${encodeURIComponent('周建国')}`)).json() as { items: { id: number; codeColour: string | null; cases: { id: number; caseNo: string }[] }[] };
    const caseId = (await store.cases.byCaseNo('HN-2021-001'))!.id;
    expect((await found('cdc_investigator')).items.map((p) => [p.id, p.codeColour, p.cases])).toEqual([[1, 'red', [{ id: caseId, caseNo: 'HN-2021-001' }]], [2, 'red', []]]);
    // Quarantine staff read codes, not cases; a hospital reads cases, not codes.
    expect((await found('quarantine_staff')).items.map((p) => [p.id, p.codeColour, p.cases])).toEqual([[1, 'red', []], [2, 'red', []]]);
    expect((await found('hospital')).items.map((p) => [p.id, p.codeColour, p.cases])).toEqual([[1, null, [{ id: caseId, caseNo: 'HN-2021-001' }]], [2, null, []]]);
    // No current code: green.
    expect((await items('cdc_investigator', '/api/search/persons?q=%2B8613807310000')).items).toMatchObject([{ id: 3, codeColour: 'green', cases: [] }]);
  });

  it('lets only the roles that find people search them, and refuses an empty or control-character query', async () => {
    for (const role of ['auditor', 'lab']) expect((await as(role, '/api/search/persons?q=13907390000')).json().error.code, role).toBe('FORBIDDEN');
    expect((await as('provincial_command', '/api/search/persons?q=13907390000')).statusCode).toBe(200);
    for (const q of ['', '%20%20', 'a%00b', 'x'.repeat(201)]) expect((await as('cdc_investigator', `/api/search/persons?q=${q}`)).json().error.code, q).toBe('VALIDATION_FAILED');
    expect((await as('cdc_investigator', '/api/search/persons?q=1&extra=1')).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('finds a case by its number, in any case of letters, within scope', async () => {
    expect((await items('cdc_investigator', '/api/search/cases?q=hn-2021-001')).items).toMatchObject([{ caseNo: 'HN-2021-001', personId: 1 }]);
    expect((await items('county_command_c2', '/api/search/cases?q=HN-2021-001')).items).toEqual([]);
    expect((await items('cdc_investigator', '/api/search/cases?q=HN-2021-002')).items).toEqual([]);
  });

  it('finds places by code or a part of the name, within reach, a home without its coordinates for those who do not visit', async () => {
    expect((await items('cdc_investigator', `/api/search/places?q=${encodeURIComponent('菜市场')}`)).items.map((p) => p.code)).toEqual(['V-1', 'V-2']);
    expect((await items('grid_worker_c2', `/api/search/places?q=${encodeURIComponent('菜市场')}`)).items.map((p) => p.code)).toEqual(['V-1']);
    expect((await items('cdc_investigator', '/api/search/places?q=V-2')).items.map((p) => p.code)).toEqual(['V-2']);
    expect((await items('provincial_command', '/api/search/places?q=R-1')).items).toMatchObject([{ code: 'R-1', lng: null, lat: null }]);
    expect((await items('cdc_investigator', '/api/search/places?q=R-1')).items).toMatchObject([{ code: 'R-1', lng: 112.99 }]);
  });

  it('finds a trip by its number and date, the number as a word of its own', async () => {
    expect((await items('cdc_investigator', '/api/search/trips?number=g4301&date=2021-07-21')).items.map((p) => p.code)).toEqual(['TRIP-G4301-2021-07-21']);
    expect((await items('cdc_investigator', '/api/search/trips?number=G43011&date=2021-07-21')).items.map((p) => p.code)).toEqual(['TRIP-G43011-2021-07-21']);
    expect((await items('cdc_investigator', '/api/search/trips?number=G4301&date=2021-07-23')).items).toEqual([]);
    expect((await items('cdc_investigator', '/api/search/trips?number=G430&date=2021-07-21')).items).toEqual([]);
    expect((await as('cdc_investigator', '/api/search/trips?number=G4301&date=21-07-2021')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await as('cdc_investigator', '/api/search/trips?number=G4301%25&date=2021-07-21')).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('answers the public "was a case on my train" by the number and date, with no names, and finds venues by name', async () => {
    const open = (url: string) => injectAsGiven(app)({ method: 'GET', url });
    const r = await open('/api/public/same-trip?trip=g4301&date=2021-07-21');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ place: { code: 'TRIP-G4301-2021-07-21' }, casesPresent: 1, exposures: [{ caseNo: 'HN-2021-001', overlapStart: '2021-07-21T10:00:00+08:00' }] });
    expect(r.body).not.toMatch(/周|1390739/);
    expect((await open('/api/public/same-trip?trip=G4301&date=2021-07-22')).json()).toMatchObject({ casesPresent: 0, exposures: [] });
    expect((await open('/api/public/same-trip?trip=G4302&date=2021-07-21')).json().error.code).toBe('NOT_FOUND');
    for (const url of ['?trip=G4301', '?date=2021-07-21', '?trip=G4301&date=2021-07-21&place=V-1', '?trip=G4301&date=2021-07-21&from=2021-07-21', '?place=V-1&from=2021-07-21', '?trip=G4301&date=2021-02-30', '']) {
      expect((await open(`/api/public/same-trip${url}`)).json().error.code, url).toBe('VALIDATION_FAILED');
    }
    const venues = (await open(`/api/public/places?q=${encodeURIComponent('识字里')}`)).json().items as { code: string }[];
    expect(venues.map((v) => v.code)).toEqual(['V-1']);
    expect((await open('/api/public/places?q=G4301')).json().items).toEqual([]);
  });

  it('filters the lists of contacts and cases by where the person lives, status, kind and outcome', async () => {
    const contacts = async (q: string) => (await items('cdc_investigator', `/api/contacts${q}`)).items.map((k) => (k as unknown as { personId: number }).personId);
    expect(await contacts('')).toEqual([2, 3]);
    expect(await contacts(`?region=${C2}`)).toEqual([2, 3]);
    expect(await contacts(`?region=${C1}`)).toEqual([]);
    expect(await contacts('?status=in_quarantine')).toEqual([2]);
    expect(await contacts('?region=43&status=identified&kind=close')).toEqual([3]);
    expect((await as('cdc_investigator', '/api/contacts?region=43x')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await as('cdc_investigator', '/api/contacts?status=sleeping')).json().error.code).toBe('VALIDATION_FAILED');
    const cases = async (q: string) => (await items('cdc_investigator', `/api/cases${q}`)).items.map((c) => (c as unknown as { caseNo: string }).caseNo);
    expect(await cases(`?region=${C1}`)).toEqual(['HN-2021-001']);
    expect(await cases(`?region=${C2}`)).toEqual([]);
    expect(await cases('?outcome=in_treatment&kind=confirmed')).toEqual(['HN-2021-001']);
    expect(await cases('?outcome=died')).toEqual([]);
  });
});
