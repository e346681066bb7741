import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { formatTime } from '../domain/time.ts';
import type { Store } from '../storage/store.ts';

const H = 3600;
const now = Math.floor(Date.now() / 1000);
const text = (t: number) => formatTime(t).slice(0, 19).replace('T', ' ');

describeEachEngine('api: test results change codes at once', (engine) => {
  let app: FastifyInstance;
  let store: Store;
  let close: () => Promise<void>;
  // A fresh app for each test (each starts from the seeded store, whatever order the tests run in).
  beforeEach(async () => ({ app, store, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3, 4].map((i) => personRow(i)));
    await store.cases.insertMany([{ caseNo: 'T-1', personId: 3, kind: 'confirmed', onsetAt: now - 72 * H, sampledAt: now - 60 * H, confirmedAt: now - 48 * H, isolatedAt: now - 48 * H, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    await store.cases.insertContacts([{ personId: 1, kind: 'companion', indexCaseId: 1, viaContactId: null, firstExposure: now - 80 * H, lastExposure: now - 79 * H, evidence: [], status: 'identified', identifiedAt: now - 30 * H }]);
  })));
  afterEach(async () => { await close?.(); });
  const post = async (url: string, payload: object) => { const r = await app.inject({ method: 'POST', url, payload }); return { status: r.statusCode, body: r.json() }; };
  const colour = async (id: number) => (await app.inject({ method: 'GET', url: `/api/persons/${id}/code` })).json().colour as string;

  it('brings a companion back to green with two negatives 24 h apart', async () => {
    expect(await colour(1)).toBe('yellow');
    expect((await post('/api/samples', { sampleNo: 'S1', personId: 1, method: 'single', sampledAt: text(now - 29 * H), result: 'negative', resultAt: text(now - 25 * H) })).status).toBe(201);
    expect(await colour(1)).toBe('yellow');
    const r = await post('/api/samples', { sampleNo: 'S2', personId: 1, method: 'single', sampledAt: text(now - 3 * H) });
    expect(r.body).toEqual({ persons: 1, codesChanged: 0 }); // pending: no change yet
    expect((await post('/api/samples/S2/result', { result: 'negative', resultAt: text(now - H) })).body).toEqual({ persons: 1, codesChanged: 1 });
    expect(await colour(1)).toBe('green');
  });

  it('turns the members of a positive pooled tube yellow, and a negative single-tube retest green again', async () => {
    expect(await colour(2)).toBe('green');
    expect((await post('/api/samples', { sampleNo: 'S3', personId: 2, method: 'pooled', poolNo: 'POOL-7', sampledAt: text(now - 10 * H) })).status).toBe(201);
    expect((await post('/api/samples', { sampleNo: 'S4', personId: 4, method: 'pooled', poolNo: 'POOL-7', sampledAt: text(now - 10 * H) })).status).toBe(201);
    expect((await post('/api/pools/POOL-7/result', { result: 'positive', resultAt: text(now - 8 * H) })).body).toEqual({ persons: 2, codesChanged: 2 });
    expect([await colour(2), await colour(4)]).toEqual(['yellow', 'yellow']);
    await post('/api/samples', { sampleNo: 'S5', personId: 2, method: 'single', sampledAt: text(now - 6 * H), result: 'negative', resultAt: text(now - 2 * H) });
    expect([await colour(2), await colour(4)]).toEqual(['green', 'yellow']);
  });

  it('a pooled tube takes one sample of each person and one result; a single tube takes no pool size: each refused with its code, changing nothing', async () => {
    // A pool size on a single tube is a mistake, not something to ignore.
    const single = await post('/api/samples', { sampleNo: 'S6', personId: 2, method: 'single', poolSize: 10, sampledAt: text(now - 10 * H) });
    expect(single).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'poolSize' })] } } });
    expect(await store.samples.bySampleNo('S6')).toBeUndefined();
    // The same person twice in one tube.
    expect((await post('/api/samples', { sampleNo: 'S7', personId: 2, method: 'pooled', poolNo: 'POOL-8', sampledAt: text(now - 10 * H) })).status).toBe(201);
    const twice = await post('/api/samples', { sampleNo: 'S8', personId: 2, method: 'pooled', poolNo: 'POOL-8', sampledAt: text(now - 9 * H) });
    expect({ status: twice.status, code: twice.body.error.code }).toEqual({ status: 409, code: 'POOL_DUPLICATE_PERSON' });
    expect(await store.samples.bySampleNo('S8')).toBeUndefined();
    expect((await post('/api/samples', { sampleNo: 'S9', personId: 4, method: 'pooled', poolNo: 'POOL-8', sampledAt: text(now - 10 * H) })).status).toBe(201);
    expect(await store.samples.membersOf((await store.samples.poolByNo('POOL-8'))!.id)).toBe(2);
    // One result: a second, the same or another, is refused; the first stands, and so do the codes that followed it.
    expect((await post('/api/pools/POOL-8/result', { result: 'positive', resultAt: text(now - 8 * H) })).body).toEqual({ persons: 2, codesChanged: 2 });
    for (const result of ['negative', 'positive']) {
      const again = await post('/api/pools/POOL-8/result', { result, resultAt: text(now - 7 * H) });
      expect({ status: again.status, code: again.body.error.code }, result).toEqual({ status: 409, code: 'POOL_CLOSED' });
    }
    expect(await store.samples.poolByNo('POOL-8')).toMatchObject({ result: 'positive', resultAt: now - 8 * H });
    expect(await store.corrections.of('pool', 'POOL-8')).toEqual([]);
    expect([await colour(2), await colour(4)]).toEqual(['yellow', 'yellow']);
  });

  it('refuses bad results with stable codes and changes nothing', async () => {
    expect(await colour(1)).toBe('yellow');
    expect((await post('/api/samples', { sampleNo: 'S1', personId: 1, method: 'single', sampledAt: text(now - 29 * H), result: 'negative', resultAt: text(now - 25 * H) })).status).toBe(201);
    expect((await post('/api/samples', { sampleNo: 'S1', personId: 1, method: 'single', sampledAt: text(now) })).body.error.code).toBe('CONFLICT');
    expect((await post('/api/samples', { sampleNo: 'S9', personId: 99, method: 'single', sampledAt: text(now) })).body.error.code).toBe('UNKNOWN_REFERENCE');
    expect((await post('/api/samples', { sampleNo: 'S9', personId: 1, method: 'pooled', sampledAt: text(now) })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await post('/api/samples/NOPE/result', { result: 'negative', resultAt: text(now) })).body.error.code).toBe('NOT_FOUND');
    expect((await post('/api/pools/NOPE/result', { result: 'negative', resultAt: text(now) })).body.error.code).toBe('NOT_FOUND');
    // One negative of the two a companion needs: still yellow, and none of the refused requests changed that.
    expect(await colour(1)).toBe('yellow');
    expect((await post('/api/samples', { sampleNo: 'S10', personId: 1, method: 'single', sampledAt: text(now - H), resultAt: text(now - 2 * H), result: 'negative' })).body.error.code).toBe('VALIDATION_FAILED');
    expect(await colour(1)).toBe('yellow');
  });
});
