import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Store } from '../storage/store.ts';

async function seed(store: Store) {
  await store.regions.insertMany(MINI_REGIONS);
  await store.persons.insertMany([1, 2, 3].map((i) => personRow(i, { name: `张三${i}`, sex: 'male', birthDate: '1985-03-04', phone: `1390000000${i}` })));
  await store.places.insertMany([
    { code: 'T1', name: '剧院', category: 'theatre', regionCode: '430102', lng: 112.9, lat: 28.2, status: 'open', vehicleSetting: null },
    { code: 'B1', name: '酒吧', category: 'bar', regionCode: '430102001', lng: null, lat: null, status: 'closed', vehicleSetting: null },
  ]);
  await store.cases.insertMany([{
    caseNo: 'ZJJ-1', personId: 1, kind: 'confirmed', onsetAt: 1_627_776_000, sampledAt: 1_627_800_000, confirmedAt: 1_627_830_000, isolatedAt: 1_627_830_000,
    severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: 'symptoms',
  }]);
  await store.cases.insertContacts([{
    personId: 2, kind: 'close', indexCaseId: 1, viaContactId: null, firstExposure: 1_627_500_000, lastExposure: 1_627_507_200, status: 'identified', identifiedAt: 1_627_831_000,
    evidence: [{ setting: 'dining_entertainment', rule: 'shared enclosed venue >= 15 min', placeId: 1, overlapStart: 1_627_500_000, overlapEnd: 1_627_507_200, minutes: 120, seatDistance: null, sources: ['venue_scan'] }],
  }]);
}

describeEachEngine('api', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, seed)));
  afterAll(async () => { await close?.(); });

  const get = async (url: string) => { const r = await app.inject({ method: 'GET', url }); return { status: r.statusCode, body: r.json() }; };

  it('answers health with the engine and edition', async () => {
    expect(await get('/api/health')).toEqual({ status: 200, body: { status: 'ok', engine, edition: 'ed8-delta-2021', version: 'test' } });
  });

  it('gives the overview with totals and per-city counts', async () => {
    const { body } = await get('/api/overview');
    expect(body.totals).toMatchObject({ persons: 3, places: 2, cases: 1, contacts: 1 });
    expect(body.cities).toEqual([{ code: '4301', name: '长沙市', persons: 3, places: 2, cases: 1, contacts: 1 }]);
  });

  it('pages regions and finds one by code, 404 with a stable code otherwise', async () => {
    const first = await get('/api/regions?level=community&limit=1');
    expect(first.body.items.map((r: { code: string }) => r.code)).toEqual(['430102001001']);
    const second = await get(`/api/regions?level=community&limit=1&after=${first.body.nextAfter}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ code: '430102001002' })], nextAfter: null });
    expect((await get('/api/regions/4301')).body.name).toBe('长沙市');
    expect(await get('/api/regions/4399')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('shows persons masked and never their ID hash', async () => {
    const { body } = await get('/api/persons?region=4301');
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toMatchObject({ name: '张**', phone: '139****0001', idMasked: '430*************01', birthDecade: 1980 });
    expect(body.items[0]).not.toHaveProperty('birthYear');
    expect(JSON.stringify(body)).not.toContain('0000000100000001');
  });

  it('filters places', async () => {
    const { body } = await get('/api/places?status=closed');
    expect(body.items.map((p: { code: string }) => p.code)).toEqual(['B1']);
  });

  it("lists a case's contacts with evidence and ISO times", async () => {
    const { body } = await get('/api/cases/1/contacts');
    expect(body.items[0]).toMatchObject({ kind: 'close', firstExposure: '2021-07-29T03:20:00+08:00', evidence: [{ setting: 'dining_entertainment', minutes: 120 }] });
    expect((await get('/api/cases/1')).body).toMatchObject({ caseNo: 'ZJJ-1', confirmedAt: '2021-08-01T23:00:00+08:00' });
    expect((await get('/api/cases/99/contacts')).status).toBe(404);
  });

  it('rejects bad input with VALIDATION_FAILED naming the field', async () => {
    const r = await get('/api/persons?limit=0');
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ in: 'querystring', field: 'limit' }] } } });
    expect((await get('/api/cases/abc')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await get('/api/places?category=spaceport')).status).toBe(400);
  });

  it('answers unknown routes and bodies with stable codes', async () => {
    expect((await get('/api/nothing')).body.error.code).toBe('ROUTE_NOT_FOUND');
    const r = await app.inject({ method: 'DELETE', url: '/api/cases/1' });
    expect([r.statusCode, r.json().error.code, r.headers.allow]).toEqual([405, 'METHOD_NOT_ALLOWED', 'GET, HEAD, PATCH']);
    // Ids and page sizes are decimal digits: not hexadecimal, exponents, signs or spaces read as numbers.
    for (const url of ['/api/cases/0x10', '/api/cases/1e3', '/api/cases/+1', '/api/cases?limit=0x10', '/api/cases?after=1e2']) {
      expect([(await get(url)).status, (await get(url)).body.error?.code], url).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await get('/api/cases/1')).status).not.toBe(400);
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(JSON.stringify(spec.json().paths['/api/cases/{id}'].get.parameters)).toContain('"in":"path"');
    // JSON only: a JSON text sent as text/plain or as a form is refused as a media type (415), and nothing stored.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const sent = await app.inject({ method: 'POST', url: '/api/cases', payload: '{"caseNo":"T-1"}', headers: { 'content-type': type } });
      expect([sent.statusCode, sent.json().error.code], type).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    expect((await get('/api/cases')).body.items.map((c: { caseNo: string }) => c.caseNo)).not.toContain('T-1');
  });

  it('serves the OpenAPI document at /docs', async () => {
    const { status, body } = await get('/docs/json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/cases/{id}/contacts', '/api/persons']));
  });
});

describeEachEngine('api: confirming and tracing', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  // A fresh app for each test: each confirms what it needs, whatever order the tests run in.
  beforeEach(async () => ({ app, close } = await testApp(engine, async (s) => {
    await seed(s);
    const t = (h: number) => Date.UTC(2021, 6, 23) / 1000 + h * 3600; // 2021-07-23 08:00 CST
    await s.presence.insertMany([
      { personId: 2, placeId: 1, start: t(0), end: t(2), source: 'venue_scan', seat: null, carriage: null },
      { personId: 3, placeId: 1, start: t(1), end: t(3), source: 'venue_scan', seat: null, carriage: null },
    ]);
  })));
  afterEach(async () => { await close?.(); });

  const post = async (url: string, payload?: object) => { const r = await app.inject({ method: 'POST', url, payload }); return { status: r.statusCode, body: r.json() }; };
  const body = { caseNo: 'CS-2', personId: 2, kind: 'confirmed', onsetAt: '2021-07-24 08:00', sampledAt: '2021-07-24 12:00', confirmedAt: '2021-07-25 10:00' };

  it('confirms a case, traces it and stores its contacts; the same number again is a conflict', async () => {
    const r = await post('/api/cases', body);
    expect(r.status).toBe(201);
    expect(r.body.trace).toMatchObject({ contacts: { close: 1, secondary: 0, companion: 0 }, written: 1, window: { from: '2021-07-20T08:00:00+08:00' } });
    const contacts = await app.inject({ method: 'GET', url: `/api/cases/${r.body.case.id}/contacts` });
    expect(contacts.json().items).toEqual([expect.objectContaining({ personId: 3, kind: 'close', evidence: [expect.objectContaining({ minutes: 60, setting: 'dining_entertainment' })] })]);
    expect((await post('/api/cases', body)).body.error.code).toBe('CONFLICT');
    expect((await post(`/api/cases/${r.body.case.id}/trace`)).body).toMatchObject({ written: 0, contacts: { close: 1 } });
  });

  it('refuses bad case bodies with the field, and unknown persons with UNKNOWN_REFERENCE', async () => {
    const bad = await post('/api/cases', { ...body, caseNo: 'X', confirmedAt: '2021-07-20 10:00' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'confirmedAt' })] } } });
    // An unreadable time is named alone, without a second error comparing it.
    const unreadable = await post('/api/cases', { ...body, caseNo: 'Y', sampledAt: 'tomorrow' });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.error.details.map((d: { field: string }) => d.field)).toEqual(['sampledAt']);
    expect((await post('/api/cases', { ...body, caseNo: 'Z', personId: 999 })).body.error.code).toBe('UNKNOWN_REFERENCE');
    const raw = await app.inject({ method: 'POST', url: '/api/cases', payload: '{"caseNo":', headers: { 'content-type': 'application/json' } });
    expect(raw.json().error.code).toBe('MALFORMED_BODY');
    expect((await post('/api/cases/999/trace')).status).toBe(404);
  });

  it('takes an outcome time only with an outcome other than in_treatment (PATCH /api/cases/:id), refusing it otherwise and changing nothing', async () => {
    const id = (await post('/api/cases', body)).body.case.id as number;
    const patch = async (payload: object) => { const r = await app.inject({ method: 'PATCH', url: `/api/cases/${id}`, payload: { reason: 'from the hospital', ...payload } }); return { status: r.statusCode, body: r.json() }; };
    const refusedAt = { status: 400, body: { error: expect.objectContaining({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'outcomeAt' })] }) } };
    // Still in treatment: a time alone, or with in_treatment itself, is refused rather than stored (or quietly dropped).
    expect(await patch({ outcomeAt: '2021-07-30 10:00' })).toMatchObject(refusedAt);
    expect(await patch({ outcome: 'in_treatment', outcomeAt: '2021-07-30 10:00' })).toMatchObject(refusedAt);
    expect((await app.inject({ method: 'GET', url: `/api/cases/${id}` })).json()).toMatchObject({ outcome: 'in_treatment', outcomeAt: null });
    expect((await app.inject({ method: 'GET', url: `/api/cases/${id}/history` })).json().items).toEqual([]);
    // A final outcome takes its time, which may be corrected but not taken away.
    expect((await patch({ outcome: 'recovered', outcomeAt: '2021-07-30 10:00' })).body.case).toMatchObject({ outcome: 'recovered', outcomeAt: '2021-07-30T10:00:00+08:00' });
    expect((await patch({ outcomeAt: '2021-07-31 10:00' })).body.case).toMatchObject({ outcome: 'recovered', outcomeAt: '2021-07-31T10:00:00+08:00' });
    expect(await patch({ outcomeAt: null })).toMatchObject(refusedAt);
    // Back in treatment, the time goes with the outcome.
    const back = await patch({ outcome: 'in_treatment' });
    expect(back.body.case).toMatchObject({ outcome: 'in_treatment', outcomeAt: null });
    // The changes say their times as every other time the API gives, in the answer and in the history.
    expect(back.body.changes).toEqual({ outcome: ['recovered', 'in_treatment'], outcomeAt: ['2021-07-31T10:00:00+08:00', null] });
    const history = (await app.inject({ method: 'GET', url: `/api/cases/${id}/history` })).json().items.map((h: { changes: unknown }) => h.changes);
    expect(history).toEqual([
      { outcome: ['in_treatment', 'recovered'], outcomeAt: [null, '2021-07-30T10:00:00+08:00'] },
      { outcomeAt: ['2021-07-30T10:00:00+08:00', '2021-07-31T10:00:00+08:00'] },
      { outcome: ['recovered', 'in_treatment'], outcomeAt: ['2021-07-31T10:00:00+08:00', null] },
    ]);
  });

  it('moves a contact by hand through the statuses a worker may set, never to became_case (400, nothing changed)', async () => {
    const id = (await post('/api/cases', body)).body.case.id as number;
    const [k] = (await app.inject({ method: 'GET', url: `/api/cases/${id}/contacts` })).json().items as { id: number; status: string }[];
    const refused = await post(`/api/contacts/${k.id}/status`, { status: 'became_case', reason: 'by hand' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'status' })] } } });
    expect((await app.inject({ method: 'GET', url: `/api/contacts/${k.id}` })).json()).toMatchObject({ status: 'identified', history: [] });
    expect(await post(`/api/contacts/${k.id}/status`, { status: 'notified', reason: 'called' })).toMatchObject({ status: 200, body: { status: 'notified' } });
  });

  it('answers same-trip and exposure look-ups without names', async () => {
    expect((await post('/api/cases', body)).status).toBe(201);
    const r = await app.inject({ method: 'GET', url: '/api/public/same-trip?place=T1&from=2021-07-23%2008:00&to=2021-07-23%2012:00' });
    expect(r.json()).toMatchObject({ place: { code: 'T1' }, casesPresent: 1, exposures: [{ caseNo: 'CS-2', overlapStart: '2021-07-23T08:00:00+08:00' }] });
    const none = await app.inject({ method: 'GET', url: '/api/public/same-trip?place=T1&from=2021-07-25%2008:00&to=2021-07-25%2012:00' });
    expect(none.json().casesPresent).toBe(0);
    const mine = await app.inject({ method: 'GET', url: '/api/persons/3/exposures' });
    expect(mine.json().items).toEqual([{ caseNo: 'CS-2', place: { code: 'T1', name: '剧院', category: 'theatre' }, overlapStart: '2021-07-23T09:00:00+08:00', overlapEnd: '2021-07-23T10:00:00+08:00' }]);
    expect(JSON.stringify(mine.json())).not.toMatch(/张/);
    expect((await app.inject({ method: 'GET', url: '/api/public/same-trip?place=NOPE&from=2021-07-25&to=2021-07-26' })).statusCode).toBe(404);
  });
});
