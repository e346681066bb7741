import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { phoneToken, testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { Random } from '../synth/random.ts';

describeEachEngine('api: codes and checkpoints', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    await store.places.insertMany([{ code: 'G1', name: '小区大门', category: 'compound_gate', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
  }, { codeSecret: 'api-test' })));
  afterAll(async () => { await close?.(); });
  const post = async (url: string, payload: unknown) => { const r = await app.inject({ method: 'POST', url, payload: payload as object }); return { status: r.statusCode, body: r.json() }; };

  it('shows a person\'s code to staff (no token), and verifies a phone\'s token once', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/persons/1/code' });
    expect(r.statusCode).toBe(200);
    const code = r.json();
    expect(code).toMatchObject({ personId: 1, colour: 'green', reasons: [], itinerary: { colour: 'green', cities: [] } });
    const token = await phoneToken(app, 1);
    expect(token).toMatch(/^CDN1\.[\w-]+\.[\w-]+$/);
    expect((await post('/api/codes/verify', { token })).body).toMatchObject({ verdict: 'pass', colour: 'green', person: { id: 1 } });
    expect((await post('/api/codes/verify', { token })).body).toMatchObject({ verdict: 'deny', fault: 'replayed' });
    expect((await app.inject({ method: 'GET', url: '/api/persons/99/code' })).json().error.code).toBe('NOT_FOUND');
    const keys = (await app.inject({ method: 'GET', url: '/api/codes/keys' })).json();
    expect(keys.keys).toHaveLength(1);
    expect((await post('/api/codes/keys/rotate', {})).status).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/api/codes/keys' })).json().keys).toHaveLength(2);
  });

  it('answers verifications arriving together each with its own person (their reads are gathered into one query)', async () => {
    const tokens = await Promise.all([3, 1, 3, 2, 1].map(async (id) => ({ id, token: await phoneToken(app, id) })));
    const again = tokens[1].token;
    const answers = await Promise.all([...tokens.map((t) => t.token), again].map((token) => post('/api/codes/verify', { token })));
    expect(answers.map((a) => a.body.person?.id)).toEqual([3, 1, 3, 2, 1, 1]);
    expect(answers.map((a) => a.body.person?.hint.idLast4)).toEqual(['0003', '0001', '0003', '0002', '0001', '0001']);
    // The token shown twice in the same moment passes once.
    expect(answers.map((a) => a.body.verdict).sort()).toEqual(['deny', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(answers.filter((a) => a.body.verdict === 'deny').map((a) => [a.body.fault, a.body.person.id])).toEqual([['replayed', 1]]);
  });

  it('registers checkpoints and checks there; an unknown checkpoint is refused with a stable code', async () => {
    expect((await post('/api/checkpoints', { code: 'GATE-1', name: '识字里小区南门', kind: 'community_gate', placeId: 1, regionCode: '430102001001' })).status).toBe(201);
    expect((await post('/api/checkpoints', { code: 'GATE-1', name: 'again', kind: 'community_gate', placeId: 1, regionCode: '430102001001' })).body.error.code).toBe('CONFLICT');
    expect((await post('/api/checkpoints', { code: 'GATE-2', name: 'x', kind: 'community_gate', placeId: 77, regionCode: '430102001001' })).body.error.code).toBe('UNKNOWN_REFERENCE');
    const token = await phoneToken(app, 2);
    const ok = await post('/api/checkpoints/GATE-1/checks', { token, temperatureC: 36.6, disinfected: true });
    expect(ok.body).toMatchObject({ verdict: 'pass', personId: 2 });
    const unknown = await post('/api/checkpoints/NOPE/checks', { token, temperatureC: 36.6 });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_CHECKPOINT' } } });
    const records = (await app.inject({ method: 'GET', url: '/api/checkpoints/GATE-1/checks' })).json();
    expect(records.items.map((x: { verdict: string }) => x.verdict)).toEqual(['pass']);
  });

  it('never passes and never fails with a 500 on forged, random or malformed input (fuzz, fixed seed)', async () => {
    const rnd = new Random(11);
    const valid = await phoneToken(app, 1);
    const mutate = (s: string) => {
      const c = [...s];
      for (let k = 0; k <= rnd.int(3); k++) c[rnd.int(c.length)] = 'AZaz09-_.{}"'[rnd.int(12)];
      return c.join('');
    };
    const bodies: unknown[] = [
      {}, { token: null }, { token: 5 }, { token: '' }, { token: 'x'.repeat(5000) }, { token: valid.split('.').slice(0, 2).join('.') },
      { token: `${valid.split('.')[0]}.${Buffer.from('{"kid":"k","sub":"s","c":"green","a":false,"iat":1,"exp":9999999999,"jti":"j"}').toString('base64url')}.${valid.split('.')[2]}` },
    ];
    for (let i = 0; i < 300; i++) { const m = mutate(valid); if (m !== valid) bodies.push({ token: m }); }
    for (let i = 0; i < 50; i++) bodies.push({ token: Buffer.from(Array.from({ length: rnd.int(200) }, () => rnd.int(256))).toString(['latin1', 'base64', 'hex'][rnd.int(3)] as BufferEncoding) });
    let passes = 0;
    for (const body of bodies) {
      for (const url of ['/api/codes/verify', '/api/checkpoints/GATE-1/checks']) {
        const r = await app.inject({ method: 'POST', url, payload: body as object });
        expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
        if (r.statusCode === 200 && r.json().verdict === 'pass') passes++;
      }
    }
    for (const raw of ['{"token":', 'not json', '[1,2]', '{"token":"CDN1.a.b","temperatureC":"hot"}', '{"token":"CDN1.a.b","temperatureC":1e309}']) {
      const r = await app.inject({ method: 'POST', url: '/api/checkpoints/GATE-1/checks', payload: raw, headers: { 'content-type': 'application/json' } });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    expect(passes).toBe(0);
  });
});
