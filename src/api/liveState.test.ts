/**
 * Through the API, what the issue "Live state stays true" asked of checkpoints, pools, arrivals and time: every step
 * a policy lists is required and says what happened; the cargo station checks the seed's four things; a checkpoint
 * without a place gets one, so its registrations are presence; pool sizes come from the edition and are stored as
 * they are; only persons who left a risk area are arrivals from it; and no client time reaches a write or a verdict.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { phoneToken } from '../../test/apps.ts';
import { FIELD_NOW, fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { formatTime } from '../domain/time.ts';

const text = (t: number) => formatTime(t).slice(0, 16).replace('T', ' ');
const H = 3600;

describeEachEngine('api: live state stays true', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeEach(async () => { w = await fieldWorld(engine); app = await fieldApp(w); });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const post = async (url: string, payload: unknown) => { const r = await app.inject({ method: 'POST', url, payload: payload as object }); return { status: r.statusCode, body: r.json() }; };
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();
  const token = async (label: string) => phoneToken(app, await w.id(label));

  it('a checkpoint without a place gets one; a passed registration is presence there, a denied one writes nothing and says so', async () => {
    const cp = await post('/api/checkpoints', { code: 'BH-GATE', name: '识字里北门', kind: 'community_gate', regionCode: '430102001001' });
    expect(cp.status).toBe(201);
    const place = await w.s.store.places.get(cp.body.placeId);
    expect(place).toMatchObject({ code: 'CP-BH-GATE', category: 'compound_gate', regionCode: '430102001001' });
    const d = await w.id('D');
    const pass = await post('/api/checkpoints/BH-GATE/checks', { token: await token('D'), temperatureC: 36.6, disinfected: true });
    expect(pass.body.verdict).toBe('pass');
    expect(pass.body.steps.find((s: { step: string }) => s.step === 'register').detail).toMatch(/^entry registered \(counts as presence until \d\d:\d\d\)$/);
    expect((await w.s.store.presence.ofPerson(d, FIELD_NOW - 60, FIELD_NOW + 60)).map((p) => [p.placeId, p.source, p.start])).toEqual([[place!.id, 'gate_registration', FIELD_NOW]]);
    // Disinfection not logged: the gate's policy requires it, so the check is denied, and nothing is registered.
    const deny = await post('/api/checkpoints/BH-GATE/checks', { token: await token('D'), temperatureC: 36.6, disinfected: false });
    expect(deny.body.verdict).toBe('deny');
    expect(deny.body.steps.find((s: { step: string }) => s.step === 'disinfect')).toEqual({ step: 'disinfect', ok: false, detail: 'disinfection not logged: the policy requires it before entry' });
    expect(deny.body.steps.find((s: { step: string }) => s.step === 'register')).toEqual({ step: 'register', ok: false, detail: 'not registered: the check was denied' });
    expect(await w.s.store.presence.ofPerson(d, FIELD_NOW - 60, FIELD_NOW + 60)).toHaveLength(1);
    // The check's time is the server's: a client time is refused, not used.
    expect((await post('/api/checkpoints/BH-GATE/checks', { token: await token('D'), temperatureC: 36.6, disinfected: true, at: FIELD_NOW - 86400 })).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a red code is denied at the gate with its reasons said once ("red: close contact ...", not "red: red: ..."), and its register step is not ok', async () => {
    // The followup-overdue field case: RA and L dined together on 11-27; RA is confirmed on 11-30, so L's code is red.
    await w.feed('presence', ['id_number,place_code,start,end,source', '430102198705240712,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan', '430102198806160228,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan']);
    const ra = await post('/api/cases', { caseNo: 'BH-RA', personId: await w.id('RA'), kind: 'confirmed', onsetAt: '2026-11-28 10:00', sampledAt: '2026-11-29 09:00', confirmedAt: '2026-11-30 08:00', isolatedAt: '2026-11-30 08:00', detectedBy: 'symptoms' });
    expect(ra.status).toBe(201);
    expect((await post('/api/checkpoints', { code: 'BH-GATE', name: '识字里北门', kind: 'community_gate', regionCode: '430102001001' })).status).toBe(201);
    const r = await post('/api/checkpoints/BH-GATE/checks', { token: await token('L'), temperatureC: 36.6, disinfected: true });
    expect(r.body).toMatchObject({ verdict: 'deny', colour: 'red' });
    const step = (name: string) => r.body.steps.find((s: { step: string }) => s.step === name);
    expect(step('code_green')).toMatchObject({ ok: false, detail: expect.stringMatching(/^red: .*close contact/) });
    expect(step('code_green').detail).not.toMatch(/red: red:/);
    expect(step('register')).toEqual({ step: 'register', ok: false, detail: 'not registered: the check was denied' });
    // The case themselves is denied as a case, not named by their case number (minimal disclosure at the gate).
    const own = await post('/api/checkpoints/BH-GATE/checks', { token: await token('RA'), temperatureC: 36.6, disinfected: true });
    const ownCode = own.body.steps.find((s: { step: string }) => s.step === 'code_green');
    expect(ownCode).toMatchObject({ ok: false, detail: expect.stringMatching(/^red: case \(until /) });
    expect(JSON.stringify(own.body)).not.toContain('BH-RA');
    // The check record keeps the steps as said.
    const [record] = (await get('/api/checkpoints/BH-GATE/checks')).items;
    expect(record.reasons).toContain('FAIL register: not registered: the check was denied');
    expect(record.reasons.join(' ')).not.toMatch(/red: red:/);
  });

  it('the cargo station checks the seed\'s four things (temperature, both codes green, vaccination, a negative test), then registers', async () => {
    expect((await post('/api/checkpoints', { code: 'CSX-CARGO', name: '黄花机场货运站', kind: 'cargo', regionCode: '430102' })).status).toBe(201);
    const steps = (r: { body: { steps: { step: string; ok: boolean }[] } }) => Object.fromEntries(r.body.steps.map((s) => [s.step, s.ok]));
    const first = await post('/api/checkpoints/CSX-CARGO/checks', { token: await token('Z'), temperatureC: 36.5, disinfected: true });
    expect(Object.keys(steps(first))).toEqual(['verify_code', 'code_green', 'itinerary_green', 'temperature', 'vaccination', 'arrival_test', 'disinfect', 'register']);
    expect(first.body.verdict).toBe('deny');
    expect(steps(first)).toMatchObject({ vaccination: false, arrival_test: false });
    await w.feed('vaccinations', ['id_number,dose,vaccine,vaccinated_at', '43010219870524051X,1,Sinovac CoronaVac,2021-05-01 10:00']);
    await post('/api/samples', { sampleNo: 'Z-1', personId: await w.id('Z'), method: 'single', sampledAt: text(FIELD_NOW - 20 * H), result: 'negative', resultAt: text(FIELD_NOW - 10 * H) });
    const second = await post('/api/checkpoints/CSX-CARGO/checks', { token: await token('Z'), temperatureC: 36.5, disinfected: true });
    expect(second.body.verdict).toBe('pass');
    const hot = await post('/api/checkpoints/CSX-CARGO/checks', { token: await token('Z'), temperatureC: 37.8, disinfected: true });
    expect(hot.body.verdict).toBe('deny');
    expect((await get(`/api/persons/${await w.id('Z')}/code`)).colour).toBe('yellow');
  });

  it('stores a pooled tube with the edition\'s size, refuses a size the edition does not have, and an eleventh sample in a 10-in-1 tube', async () => {
    const persons = await Promise.all(['A', 'B', 'C', 'D', 'E5', 'E6', 'E7', 'U', 'L', 'Z', 'RA'].map((l) => w.id(l)));
    const sample = (i: number, extra: object = {}) => post('/api/samples', { sampleNo: `P-${i}`, personId: persons[i], method: 'pooled', poolNo: 'POOL-1', sampledAt: text(FIELD_NOW - H), ...extra });
    expect((await sample(0, { poolSize: 12 })).body.error.code).toBe('POOL_SIZE_NOT_ALLOWED');
    for (let i = 0; i < 10; i++) expect((await sample(i)).status).toBe(201);
    expect(await w.s.store.samples.poolByNo('POOL-1')).toMatchObject({ size: 10 });
    expect((await sample(10)).body.error.code).toBe('POOL_FULL');
    expect((await post('/api/samples', { sampleNo: 'P-20', personId: persons[10], method: 'pooled', poolNo: 'POOL-1', poolSize: 20, sampledAt: text(FIELD_NOW - H) })).body.error.code).toBe('POOL_SIZE_NOT_ALLOWED');
    expect((await post('/api/samples', { sampleNo: 'P-21', personId: persons[10], method: 'pooled', poolNo: 'POOL-2', poolSize: 20, sampledAt: text(FIELD_NOW - H) })).status).toBe(201);
    expect(await w.s.store.samples.poolByNo('POOL-2')).toMatchObject({ size: 20 });
    expect((await post('/api/pools/POOL-1/result', { result: 'positive', resultAt: text(FIELD_NOW) })).body).toEqual({ persons: 10, codesChanged: 10 });
    expect((await sample(9, { sampleNo: 'P-late', poolNo: 'POOL-2', poolSize: 20 })).status).toBe(201); // another person: RA is in POOL-2 already
    expect((await post('/api/samples', { sampleNo: 'P-after', personId: persons[0], method: 'pooled', poolNo: 'POOL-1', sampledAt: text(FIELD_NOW - H) })).body.error.code).toBe('POOL_CLOSED');
  });

  it('flags as arrivals from a risk area only persons seen outside it afterwards, not residents who stayed', async () => {
    // A case in community 430102001001 makes it a medium-risk area; the residents of BH-R3's area stay home, one visitor leaves.
    await w.s.store.regions.insertMany([{ code: '4302', name: '株洲市', level: 'city', parentCode: '43', functionalZone: false }, { code: '430202', name: '荷塘区', level: 'county', parentCode: '4302', functionalZone: false }]);
    await w.feed('places', ['code,name,category,region_code', 'ZZ-R1,株洲饭店,restaurant,430202']);
    await w.feed('presence', ['id_number,place_code,start,end,source',
      `430102198604120420,BH-R2,${text(FIELD_NOW - 30 * H)},${text(FIELD_NOW - 29 * H)},venue_scan`,
      `430102198604120420,ZZ-R1,${text(FIELD_NOW - 5 * H)},${text(FIELD_NOW - 4 * H)},venue_scan`,
      `430102198806150417,BH-R2,${text(FIELD_NOW - 30 * H)},${text(FIELD_NOW - 29 * H)},venue_scan`]);
    await post('/api/cases', { caseNo: 'BH-X', personId: await w.id('E5'), kind: 'confirmed', onsetAt: text(FIELD_NOW - 72 * H), sampledAt: text(FIELD_NOW - 48 * H), confirmedAt: text(FIELD_NOW - 24 * H), detectedBy: 'symptoms' });
    // Graded by the event flow as the case was confirmed: listed without asking.
    expect((await get('/api/risk-areas')).items.map((c: { regionCode: string; level: string }) => [c.regionCode, c.level])).toEqual([['430102001001', 'medium']]);
    // The grading's own event re-evaluated the visitor who left (no recompute asked for); the resident who stayed was
    // not re-evaluated for it (no transition caused by the grading).
    const reasons = async (l: string) => (await get(`/api/persons/${await w.id(l)}/code`)).reasons.map((r: { condition: string }) => r.condition);
    expect(await reasons('B')).toContain('arrival_from_risk_area_untested');
    expect(await reasons('D')).not.toContain('arrival_from_risk_area_untested');
    const byGrading = async (l: string) => (await w.s.store.codes.transitionsOf(await w.id(l))).filter((t) => t.cause.startsWith('risk areas graded'));
    expect(await byGrading('B')).toHaveLength(1);
    expect(await byGrading('D')).toEqual([]);
    // The case withdrawn, the area goes back to low, and the visitor's arrival reason lapses with the grading's event.
    const bhx = (await w.s.store.cases.byCaseNo('BH-X'))!;
    expect((await post(`/api/cases/${bhx.id}/withdraw`, { reason: 'false positive on retest' })).status).toBe(200);
    expect((await get('/api/risk-areas')).items).toEqual([]);
    expect(await reasons('B')).not.toContain('arrival_from_risk_area_untested');
    expect(await byGrading('B')).toHaveLength(2);
    // Grading and recomputing take no client time.
    expect((await post('/api/risk-areas/grade', { at: text(FIELD_NOW) })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await post('/api/codes/recompute', { at: FIELD_NOW + 86400 * 365 })).body.error.code).toBe('VALIDATION_FAILED');
  });
});
