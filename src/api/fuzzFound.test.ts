/**
 * Inputs the route fuzzer (fuzz.test.ts) found answered with a 500, or with Fastify's own body, kept as plain tests
 * that name them: each now has a 4xx with a stable code (or its 200), on every engine.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';

describeEachEngine('api: inputs the fuzzer found', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
  }, { codeSecret: 'fuzz-found' })));
  afterAll(async () => { await close?.(); });
  const send = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const r = await app.inject({ method, url, payload });
    return { status: r.statusCode, code: r.json().error?.code as string | undefined };
  };

  it('refuses ids above PostgreSQL\'s INTEGER (GET /api/persons/2147483648, personId 2147483648, ?after=2147483648) with VALIDATION_FAILED', async () => {
    for (const url of ['/api/persons/2147483648', '/api/cases/2147483648', '/api/contacts/2147483648', '/api/persons?after=2147483648']) {
      expect(await send('GET', url), url).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await send('POST', '/api/samples', { sampleNo: 'S-1', personId: 2147483648, method: 'single', sampledAt: '2026-11-30 10:00' })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('POST', '/api/codes/recompute', { personIds: [1, 2147483648] })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await send('GET', '/api/persons/2147483647')).code).toBe('NOT_FOUND');
  });

  it('refuses text with a NUL character (POST /api/samples/%00/result, GET /api/checkpoints/%00/checks, a reason "a\\u0000b") with VALIDATION_FAILED', async () => {
    const result = { result: 'negative', resultAt: '2026-11-30 10:00' };
    expect(await send('POST', '/api/samples/%00/result', result)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('POST', '/api/pools/a%00b/result', result)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('GET', '/api/checkpoints/%00/checks')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('GET', '/api/venue-orders/%00/history')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('GET', '/api/public/same-trip?place=%00&from=2026-11-29%2010:00&to=2026-11-29%2012:00')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('PATCH', '/api/persons/1', { occupation: 'x', reason: 'a\u0000b' })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await send('POST', '/api/samples', { sampleNo: 'S\u0000', personId: 1, method: 'single', sampledAt: '2026-11-30 10:00' })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers a URL it cannot decode (PATCH /api/cases/%F0%9F) or a path segment over 100 characters with MALFORMED_URL in the catalogue\'s body', async () => {
    const r = await app.inject({ method: 'PATCH', url: '/api/cases/%F0%9F', payload: { reason: 'x' } });
    expect({ status: r.statusCode, body: r.json() }).toEqual({ status: 400, body: { error: { code: 'MALFORMED_URL', message: expect.any(String) } } });
    expect(await send('POST', '/api/samples/%zz/result', { result: 'negative', resultAt: '2026-11-30 10:00' })).toEqual({ status: 400, code: 'MALFORMED_URL' });
    expect(await send('GET', `/api/persons/${'9'.repeat(500)}`)).toEqual({ status: 400, code: 'MALFORMED_URL' });
  });

  it('answers three GET /api/persons/:id/code at once (each writes the code in a transaction) with 200 each', async () => {
    const answers = await Promise.all([1, 2, 3].map((id) => app.inject({ method: 'GET', url: `/api/persons/${id}/code` })));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  });
});
