/**
 * The public on both engines: a resident signs in with their ID number and a code sent to the registered phone and
 * then sees their own code (with a live token), itinerary and results, and nothing of anyone else; staff no longer
 * get tokens by person id; a checkpoint's verification names the person by a hint (surname, last four ID
 * characters); a person without a phone is verified by ID card, audited.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { idNumber, MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Role } from '../domain/access.ts';
import { hashIdNumber, maskIdNumber } from '../domain/identity.ts';
import { SettableClock } from '../platform/clock.ts';
import { RESIDENT_CODE_ATTEMPTS, RESIDENT_CODE_RESEND_SECONDS, RESIDENT_CODE_SECONDS, type CodeSender } from '../services/accounts/residents.ts';
import type { Store } from '../storage/store.ts';
import { iso } from './routes/common.ts';
import { CODE_REQUESTS_PER_MINUTE } from './routes/residents/index.ts';

const SECRET = 'resident-test-secret';
const ZHOU = idNumber(1, '19860412'), LIU = idNumber(2, '19700101'), NO_PHONE = idNumber(3, '19500101'), STRANGER = idNumber(4, '19990101');

describeEachEngine('api: residents', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  let keys: Map<Role, string>;
  const clock = new SettableClock(1_630_000_000);
  const sent: { phone: string; text: string }[] = [];
  const sender: CodeSender = { send: async (phone, text) => { sent.push({ phone, text }); } };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, opts: { payload?: object; cookie?: string; role?: Role; ip?: string } = {}) => injectAsGiven(app)({
    method, url, payload: opts.payload, remoteAddress: opts.ip ?? '10.0.0.1',
    headers: { ...(opts.cookie ? { cookie: `cordon_session=${opts.cookie}`, 'x-cordon-csrf': '1' } : {}), ...(opts.role ? { authorization: `Bearer ${keys.get(opts.role)}` } : {}) },
  });
  const codeSentTo = (phone: string) => /验证码是 (\d{6})/.exec(sent.filter((m) => m.phone === phone).at(-1)!.text)![1];
  const sessionOf = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'cordon_session')!.value;
  /** Asks for a code and signs in with it: the resident's session token. */
  const signIn = async (id: string, phone: string, ip = '10.0.0.1') => {
    expect((await call('POST', '/api/resident/code', { payload: { idNumber: id }, ip })).statusCode).toBe(202);
    const r = await call('POST', '/api/resident/session', { payload: { idNumber: id, code: codeSentTo(phone) }, ip });
    expect(r.statusCode, r.body).toBe(200);
    return sessionOf(r);
  };

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => {
      await s.regions.insertMany(MINI_REGIONS);
      await s.persons.insertMany([
        personRow(1, { idHash: hashIdNumber(ZHOU, SECRET), idMasked: maskIdNumber(ZHOU), name: '周建国', phone: '13907390000' }),
        personRow(2, { idHash: hashIdNumber(LIU, SECRET), idMasked: maskIdNumber(LIU), name: '刘芳', phone: '13807310000' }),
        personRow(3, { idHash: hashIdNumber(NO_PHONE, SECRET), idMasked: maskIdNumber(NO_PHONE), name: '欧阳秀英', phone: null }),
      ]);
      await s.samples.insertMany([
        { sampleNo: 'S-1', personId: 1, method: 'single', poolId: null, sampledAt: 1_629_990_000, result: 'negative', resultAt: 1_629_995_000, lab: 'lab' },
        { sampleNo: 'S-2', personId: 2, method: 'single', poolId: null, sampledAt: 1_629_990_000, result: 'positive', resultAt: 1_629_995_000, lab: 'lab' },
      ]);
    }, { clock, codeSender: sender, codeSecret: SECRET }));
    keys = await roleKeys(store, '43', ['checkpoint_staff', 'provincial_command', 'auditor', 'grid_worker']);
  });
  afterAll(async () => close());

  it('sends a six-digit code to the registered phone, and answers alike for a number not registered or without a phone', async () => {
    // Past the resend time of any code an earlier test (in the shuffled order) asked for.
    clock.advance(RESIDENT_CODE_RESEND_SECONDS);
    const before = sent.length;
    const answers = [];
    for (const id of [ZHOU, STRANGER, NO_PHONE]) {
      const r = await call('POST', '/api/resident/code', { payload: { idNumber: id }, ip: '10.0.0.9' });
      expect(r.statusCode, id).toBe(202);
      answers.push(r.body);
    }
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0])).toEqual({ expiresInSeconds: RESIDENT_CODE_SECONDS, resendAfterSeconds: RESIDENT_CODE_RESEND_SECONDS });
    expect(sent.slice(before).map((m) => m.phone)).toEqual(['13907390000']);
    expect(codeSentTo('13907390000')).toMatch(/^\d{6}$/);
    // A malformed number is the form's error (its check digit), not a silent 202.
    const bad = await call('POST', '/api/resident/code', { payload: { idNumber: ZHOU.slice(0, 17) + (ZHOU[17] === '1' ? '2' : '1') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: 'idNumber' });
  });

  it('signs a resident in with the code, once; a wrong, reused, expired or over-tried code is 401 WRONG_SIGN_IN_CODE', async () => {
    clock.advance(RESIDENT_CODE_RESEND_SECONDS);
    await call('POST', '/api/resident/code', { payload: { idNumber: LIU }, ip: '10.0.0.2' });
    const code = codeSentTo('13807310000');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const attempt = (c: string, id = LIU) => call('POST', '/api/resident/session', { payload: { idNumber: id, code: c }, ip: '10.0.0.2' });
    expect((await attempt(wrong)).json().error.code).toBe('WRONG_SIGN_IN_CODE');
    expect((await attempt(code, STRANGER)).json().error.code).toBe('WRONG_SIGN_IN_CODE');
    const ok = await attempt(code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ kind: 'resident', actions: expect.arrayContaining(['self:read']) });
    const cookie = ok.cookies.find((c) => c.name === 'cordon_session')!;
    expect(cookie.value).toMatch(/^cr_/);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect((await attempt(code)).json().error.code).toBe('WRONG_SIGN_IN_CODE');

    // A new code is not sent within the resend time; after it, the new code works until it expires.
    clock.advance(RESIDENT_CODE_RESEND_SECONDS - 1);
    const count = sent.length;
    await call('POST', '/api/resident/code', { payload: { idNumber: LIU }, ip: '10.0.0.3' });
    expect(sent.length).toBe(count);
    clock.advance(1);
    await call('POST', '/api/resident/code', { payload: { idNumber: LIU }, ip: '10.0.0.3' });
    expect(sent.length).toBe(count + 1);
    clock.advance(RESIDENT_CODE_SECONDS);
    expect((await attempt(codeSentTo('13807310000'))).json().error.code).toBe('WRONG_SIGN_IN_CODE');

    // Five wrong tries spend a code: the right one no longer signs in.
    await call('POST', '/api/resident/code', { payload: { idNumber: LIU }, ip: '10.0.0.4' });
    const fresh = codeSentTo('13807310000');
    const other = String((Number(fresh) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < RESIDENT_CODE_ATTEMPTS; i++) await call('POST', '/api/resident/session', { payload: { idNumber: LIU, code: other }, ip: `10.0.1.${i}` });
    expect((await call('POST', '/api/resident/session', { payload: { idNumber: LIU, code: fresh }, ip: '10.0.2.1' })).json().error.code).toBe('WRONG_SIGN_IN_CODE');
    expect(app.cordon.denials.WRONG_SIGN_IN_CODE).toBeGreaterThanOrEqual(RESIDENT_CODE_ATTEMPTS + 4);
  });

  it('limits code requests for one number from one address (429 RATE_LIMITED), not the next number', async () => {
    for (let i = 0; i < CODE_REQUESTS_PER_MINUTE; i++) expect((await call('POST', '/api/resident/code', { payload: { idNumber: STRANGER }, ip: '10.9.9.9' })).statusCode).toBe(202);
    expect((await call('POST', '/api/resident/code', { payload: { idNumber: STRANGER }, ip: '10.9.9.9' })).json().error.code).toBe('RATE_LIMITED');
    expect((await call('POST', '/api/resident/code', { payload: { idNumber: NO_PHONE }, ip: '10.9.9.9' })).statusCode).toBe(202);
  });

  it('shows a resident their own code with a live token, itinerary and results, and nothing of anyone else', async () => {
    clock.advance(RESIDENT_CODE_RESEND_SECONDS);
    const zhou = await signIn(ZHOU, '13907390000', '10.3.0.1');
    expect((await call('GET', '/api/session', { cookie: zhou })).json()).toMatchObject({ user: { kind: 'resident', role: 'resident', region: null } });
    expect((await call('GET', '/api/me', { cookie: zhou })).json()).toEqual({ personId: 1, name: '周建国', idMasked: maskIdNumber(ZHOU) });
    const code = (await call('GET', '/api/me/code', { cookie: zhou })).json();
    expect(code).toMatchObject({ colour: 'green', itinerary: { colour: 'green' } });
    expect(code.token).toMatch(/^CDN1\./);
    const svg = await call('GET', '/api/me/code.svg', { cookie: zhou });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('#0a7d32');
    expect((await call('GET', '/api/me/results', { cookie: zhou })).json().items).toEqual([
      { sampleNo: 'S-1', method: 'single', sampledAt: iso(1_629_990_000), result: 'negative', resultAt: iso(1_629_995_000) },
    ]);
    // Nothing else: staff routes are 403 to a resident, with their own person's id too.
    for (const url of ['/api/persons/1', '/api/persons/2', '/api/persons/1/code', '/api/persons/2/itinerary', '/api/cases', '/api/overview']) {
      expect((await call('GET', url, { cookie: zhou })).json().error.code, url).toBe('FORBIDDEN');
    }
    expect((await call('POST', '/api/codes/verify', { cookie: zhou, payload: { token: code.token } })).json().error.code).toBe('FORBIDDEN');
    // Staff may not read the resident's routes (there is no "me" for a key).
    expect((await call('GET', '/api/me/code', { role: 'provincial_command' })).json().error.code).toBe('FORBIDDEN');

    // The token passes at a checkpoint, which sees the hint to match the person, and only once.
    const v = (await call('POST', '/api/codes/verify', { role: 'checkpoint_staff', payload: { token: code.token } })).json();
    expect(v).toMatchObject({ verdict: 'pass', colour: 'green', person: { id: 1, hint: { surname: '周', idLast4: ZHOU.slice(-4) } } });
    expect(JSON.stringify(v)).not.toContain('建国');
    expect((await call('POST', '/api/codes/verify', { role: 'checkpoint_staff', payload: { token: code.token } })).json()).toMatchObject({ verdict: 'deny', fault: 'replayed' });

    // Signing out ends the session: the cookie no longer opens anything.
    const out = await call('DELETE', '/api/session', { cookie: zhou });
    expect(out.statusCode).toBe(204);
    // The cookie is cleared with the attributes it was set with.
    expect(out.cookies.find((c) => c.name === 'cordon_session')).toMatchObject({ value: '', maxAge: 0, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect((await call('GET', '/api/me', { cookie: zhou })).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('gives staff the code and reasons by person id but no token, and no QR by id', async () => {
    const r = (await call('GET', '/api/persons/1/code', { role: 'provincial_command' })).json();
    expect(r).toMatchObject({ personId: 1, colour: 'green', whatIf: false });
    expect(r).not.toHaveProperty('token');
    expect(JSON.stringify(r)).not.toMatch(/CDN1\./);
    expect((await call('GET', '/api/persons/1/code.svg', { role: 'provincial_command' })).statusCode).toBe(404);
  });

  it('verifies a person without a phone by ID card: the code now decides, the hint matches, and the look-up is audited', async () => {
    const r = await call('POST', '/api/codes/verify-id', { role: 'checkpoint_staff', payload: { idNumber: NO_PHONE } });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ verdict: 'pass', colour: 'green', person: { id: 3, hint: { surname: '欧', idLast4: NO_PHONE.slice(-4) } } });
    const audit = (await call('GET', '/api/audit', { role: 'auditor' })).json().items as { id: number; action: string; subject: string; actor: string }[];
    expect(audit.find((e) => e.id === body.audit.id)).toMatchObject({ action: 'codes:verify-id', subject: 'person:3', actor: expect.stringContaining('key:') });
    expect((await call('POST', '/api/codes/verify-id', { role: 'checkpoint_staff', payload: { idNumber: STRANGER } })).json().error.code).toBe('NOT_FOUND');
    expect((await call('POST', '/api/codes/verify-id', { role: 'checkpoint_staff', payload: { idNumber: 'x' } })).json().error.code).toBe('VALIDATION_FAILED');
    // Only checkpoint staff verify by ID card.
    for (const role of ['provincial_command', 'grid_worker', 'auditor'] as const) {
      expect((await call('POST', '/api/codes/verify-id', { role, payload: { idNumber: NO_PHONE } })).json().error.code, role).toBe('FORBIDDEN');
    }
  });
});
