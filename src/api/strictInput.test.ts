/**
 * Input a route does not take is refused, not ignored, on both engines: a JSON body whose bytes are not UTF-8
 * (MALFORMED_BODY), a body sent to a route that takes none, a query parameter a route does not know
 * (VALIDATION_FAILED naming it). Each answers 400 and changes nothing.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowCounts } from '../../test/counts.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { idNumber } from '../../test/fixtures.ts';

describeEachEngine('api: strict input', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  let caseId: number;
  const registered: RouteOptions[] = [];
  beforeAll(async () => {
    w = await fieldWorld(engine);
    app = await fieldApp(w, { onRoute: (r) => { registered.push(r); } });
    const r = await app.inject({
      method: 'POST', url: '/api/cases',
      payload: { caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-20 10:00', sampledAt: '2021-09-21 09:00', confirmedAt: '2021-09-22 08:00', isolatedAt: '2021-09-22 08:00' },
    });
    expect(r.statusCode, r.body).toBe(201);
    caseId = r.json().case.id;
  });
  afterAll(async () => { await app?.close(); await w?.close(); });
  const answer = (r: { statusCode: number; json: () => { error?: { code?: string } } }) => ({ status: r.statusCode, code: r.json().error?.code });

  it('refuses a JSON body whose bytes are not UTF-8 with MALFORMED_BODY (not read as U+FFFD), and stores nothing of it', async () => {
    const personId = await w.id('RA');
    const before = await w.s.store.persons.get(personId);
    const counts = await rowCounts(w.s.store);
    // A lone byte, a broken two-byte sequence, 张 cut short, an encoded UTF-16 surrogate, an overlong '/'.
    for (const bytes of [[0xff], [0xc3, 0x28], [0xe5, 0xbc], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const payload = Buffer.concat([Buffer.from('{"occupation":"'), Buffer.from(bytes), Buffer.from('","reason":"corrected by the community"}')]);
      const r = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, headers: { 'content-type': 'application/json' }, payload });
      expect(answer(r), Buffer.from(bytes).toString('hex')).toEqual({ status: 400, code: 'MALFORMED_BODY' });
      expect(r.json().error.message).toContain('UTF-8');
    }
    expect(await w.s.store.persons.get(personId)).toEqual(before);
    expect(await rowCounts(w.s.store)).toEqual(counts);
    // UTF-8 itself, characters beyond the BMP included, is read as sent.
    const ok = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, headers: { 'content-type': 'application/json; charset=utf-8' }, payload: Buffer.from(JSON.stringify({ occupation: '𠮷祥快递', reason: 'corrected by the community' })) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await w.s.store.persons.get(personId))!.occupation).toBe('𠮷祥快递');
  });

  it('refuses control characters, direction overrides and lone surrogates in text (a name, an occupation: none; a reason: tabs and line breaks only), and stores nothing of it', async () => {
    const personId = await w.id('Z');
    const before = await w.s.store.persons.get(personId);
    const counts = await rowCounts(w.s.store);
    const bad: [string, object][] = [
      ['name', { name: '张\u001b[2J三', reason: 'x' }], ['name', { name: '张三\n李四', reason: 'x' }], ['occupation', { occupation: 'driver\u0007', reason: 'x' }],
      ['occupation', { occupation: '\u202eredivrd', reason: 'x' }], ['reason', { occupation: '司机', reason: 'moved\u001b[31m' }], ['reason', { occupation: '司机', reason: 'a \u2066b\u2069' }],
      // Half of a surrogate pair is not a character (a whole pair is: 𠮷 below).
      ['reason', { occupation: '司机', reason: 'a \ud800 b' }], ['occupation', { occupation: '\udc00司机', reason: 'x' }],
    ];
    for (const [field, payload] of bad) {
      const r = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, payload });
      expect(answer(r), JSON.stringify(payload)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(r.json().error.details[0]).toMatchObject({ in: 'body', field });
    }
    expect(await w.s.store.persons.get(personId)).toEqual(before);
    expect(await rowCounts(w.s.store)).toEqual(counts);
    // A reason of several lines, with a tab, is a reason.
    const ok = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, payload: { occupation: '司机', reason: 'first line\n\tsecond line 𠮷' } });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses a body on a route that takes none (POST /api/cases/:id/trace, /api/codes/keys/rotate) with VALIDATION_FAILED (415 for text), and does nothing', async () => {
    const keys = async () => (await app.inject({ method: 'GET', url: '/api/codes/keys' })).json().keys as unknown[];
    const keysBefore = await keys();
    const counts = await rowCounts(w.s.store);
    for (const url of [`/api/cases/${caseId}/trace`, '/api/codes/keys/rotate']) {
      for (const payload of ['{"force":true}', '{"at":"2021-09-22 08:00"}', '[]', '"x"', '1', 'true']) {
        const r = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
        expect(answer(r), `${url} ${payload}`).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      }
      // Text is no body the API takes at all: refused as a media type.
      expect(answer(await app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'rotate please' })), url).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    expect((await app.inject({ method: 'POST', url: '/api/codes/keys/rotate', payload: { force: true } })).json().error.details).toEqual([{ in: 'body', field: 'force', reason: 'not taken by this route' }]);
    expect(await keys()).toEqual(keysBefore);
    expect(await rowCounts(w.s.store)).toEqual(counts);
    // Without a body, or with an empty object, they do their work.
    expect((await app.inject({ method: 'POST', url: `/api/cases/${caseId}/trace` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/cases/${caseId}/trace`, payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/codes/keys/rotate', payload: {} })).statusCode).toBe(201);
    expect(await keys()).toHaveLength(keysBefore.length + 1);
    // So do the routes whose body is optional, sent none (Fastify validates an absent body as null).
    expect((await app.inject({ method: 'POST', url: '/api/risk-areas/grade' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/codes/recompute' })).statusCode).toBe(200);
  });

  it('refuses a query parameter a route does not take, on every API route, with VALIDATION_FAILED naming it', async () => {
    const routes = [...new Map(registered.filter((r) => r.url.startsWith('/api/')).flatMap((r) => [r.method].flat().filter((m) => m !== 'HEAD').map((m) => [`${m} ${r.url}`, { method: m, url: r.url }]))).values()];
    expect(routes.length).toBeGreaterThanOrEqual(50);
    const values: Record<string, string> = { id: String(caseId), code: 'GATE-1', regionCode: '430102001001', orderNo: 'VO-1', sampleNo: 'S-1', poolNo: 'P-1', date: '2026-11-29', kind: 'persons' };
    // A body each route would take (Fastify checks the body before the query): were the query ignored, these would be carried out.
    const personId = await w.id('Z');
    const time = '2026-11-30 10:00';
    const bodies: Record<string, object> = {
      'POST /api/cases': { caseNo: 'BH-Q', personId, kind: 'asymptomatic', sampledAt: time, confirmedAt: time },
      'PATCH /api/cases/:id': { severity: 'moderate', reason: 'x' }, 'POST /api/cases/:id/withdraw': { reason: 'x' }, 'PATCH /api/persons/:id': { occupation: 'x', reason: 'x' },
      'POST /api/cases/:id/contacts': { personId, kind: 'close', reason: 'x', firstExposure: '2021-09-21 10:00', lastExposure: '2021-09-21 11:00' },
      'POST /api/contacts/:id/status': { status: 'notified', reason: 'x' },
      'POST /api/cases/:id/trajectory': { rows: [{ start: '2021-09-18 10:00', end: '2021-09-18 11:00', placeCode: 'BH-R1' }] }, 'POST /api/cases/:id/notices': { title: 'x' },
      'PUT /api/cases/:id/interview': { version: 0, answers: { onset: { symptoms: ['fever'] } } }, 'POST /api/me/appeals': { reason: 'x' },
      'POST /api/checkpoints': { code: 'GATE-Q', name: 'x', kind: 'community_gate', regionCode: '430102001001' }, 'POST /api/checkpoints/:code/checks': { token: 'x' },
      'POST /api/venue-orders': { orderNo: 'VO-Q', action: 'close', categories: ['ktv'], regionCodes: ['430102'], startsAt: time, issuedBy: 'x' },
      'POST /api/venue-orders/:orderNo/lift': { reason: 'x' }, 'POST /api/links': { infectorCaseId: caseId, infecteeCaseId: caseId + 1, verdict: 'rejected' },
      'POST /api/exposure-events': { name: 'x', start: '2021-08-01 09:00', end: '2021-08-01 10:00', exposedCaseIds: [caseId] }, 'POST /api/exposure-events/:id/withdraw': { reason: 'x' },
      'POST /api/samples': { sampleNo: 'S-Q', personId, method: 'single', sampledAt: time }, 'POST /api/samples/:sampleNo/result': { result: 'negative', resultAt: time },
      'POST /api/pools/:poolNo/result': { result: 'negative', resultAt: time }, 'POST /api/codes/verify': { token: 'x' },
      'POST /api/session': { username: 'x', password: 'y' }, 'POST /api/codes/verify-id': { idNumber: idNumber(9) },
      'POST /api/directives': { kind: 'other', text: 'x' }, 'POST /api/tasks/:id/complete': { note: 'x' }, 'POST /api/tasks/:id/reassign': { userId: 1, reason: 'x' },
      'POST /api/tasks/:id/cancel': { reason: 'x' }, 'POST /api/tasks/:id/deadline': { dueAt: '2026-12-01 10:00', reason: 'x' },
      'POST /api/inspections': { regionCode: '43', summary: 'x', findings: [] }, 'POST /api/quarantine/sites': { name: 'x', kind: 'designated_hotel', regionCode: '43', rooms: 1 },
      'POST /api/quarantine/assignments': { personId: 1, reason: 'x' }, 'POST /api/quarantine/arrivals': { personId: 1, reason: 'x' }, 'PATCH /api/quarantine/sites/:id': { staff: 1 }, 'POST /api/quarantine/assignments/:id/release': { note: 'x' }, 'POST /api/tasks/:id/reinspect': { passed: true, note: 'x' },
      'POST /api/hospitals': { name: 'x', regionCode: '43', beds: 1 }, 'POST /api/hospitals/admissions': { caseId, hospitalId: 1, severity: 'mild' },
      'POST /api/hospitals/admissions/:id/severity': { severity: 'mild' }, 'POST /api/hospitals/admissions/:id/treatments': { kind: 'antiviral' },
      'POST /api/hospitals/admissions/:id/discharge': { outcome: 'discharged', note: 'x' },
      'POST /api/hospitals/expert-teams': { name: 'x', specialty: 'x', hospitalId: 1, members: [{ name: 'x', title: 'x', institution: 'x' }] },
      'POST /api/stranded': { idNumber: idNumber(9), name: 'x', sealedRegionCode: '430102', siteId: 1, room: '1' }, 'POST /api/stranded/:id/care': { kind: 'meals' },
      'POST /api/stranded/:id/release': { journeyHome: 'x', note: 'x' },
      'POST /api/follow-up/reports': { personId, temperatureC: 36.5 }, 'POST /api/me/follow-up/reports': { temperatureC: 36.5 },
      'POST /api/resident/code': { idNumber: idNumber(9) }, 'POST /api/resident/session': { idNumber: idNumber(9), code: '123456' }, 'POST /api/session/password': { currentPassword: 'x', newPassword: 'long enough new' },
    };
    const counts = await rowCounts(w.s.store);
    const wrong: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, (_m, p: string) => (route.url.startsWith('/api/regions/') ? '430102001001' : values[p]));
      // A feed's batch is CSV, not JSON.
      const body = route.url === '/api/feeds/:kind' ? { payload: 'id_number,name,community_code\n', headers: { 'content-type': 'text/csv', 'idempotency-key': 'q-1' } } : { payload: bodies[`${route.method} ${route.url}`] };
      const r = await app.inject({ method: route.method as 'GET', url: `${url}?verbose=1`, ...body });
      const details = r.statusCode === 400 ? (r.json().error.details as { in: string; field: string }[] | undefined) ?? [] : [];
      if (!details.some((d) => d.in === 'querystring' && d.field === 'verbose')) wrong.push(`${route.method} ${route.url} -> ${r.statusCode} ${r.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    // A paged list, a what-if read and a look-up, with their own parameters and a stranger.
    for (const url of ['/api/persons?limit=5&sort=name', '/api/risk-areas?at=2026-11-30%2010:00&region=4301', '/api/public/same-trip?place=BH-R1&from=2021-09-18%2018:00&to=2021-09-18%2019:00&name=x', `/api/cases/${caseId}/contacts?kind=close&withEvidence=1`]) {
      expect(answer(await app.inject({ method: 'GET', url })), url).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    // The scan route's fast check of its body is not applied to its query: `?token=` is a stranger there too.
    const verify = await app.inject({ method: 'POST', url: '/api/codes/verify?token=x', payload: { token: 'x' } });
    expect(verify.json().error.details).toEqual([{ in: 'querystring', field: 'token', reason: 'not taken by this route' }]);
    expect(await rowCounts(w.s.store)).toEqual(counts);
    // Known parameters alone are answered as before.
    for (const url of ['/api/persons?limit=5', '/api/risk-areas?at=2026-11-30%2010:00', `/api/cases/${caseId}/contacts?kind=close`, '/api/health']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });
});
