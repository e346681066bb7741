import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';

describeEachEngine('api: chains', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    const c = (no: string, person: number, day: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: 1_627_776_000 + day * 86400, sampledAt: 1_627_776_000 + (day + 1) * 86400,
      confirmedAt: 1_627_776_000 + (day + 2) * 86400, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('A-1', 1, 0), c('A-2', 2, 5)]);
    await store.cases.insertContacts([{
      personId: 2, kind: 'close', indexCaseId: 1, viaContactId: null, firstExposure: 1_627_776_000, lastExposure: 1_627_780_000, status: 'identified', identifiedAt: 1_627_950_000,
      evidence: [{ setting: 'household', rule: 'r', placeId: null, overlapStart: 1_627_776_000, overlapEnd: 1_627_780_000, minutes: 60, seatDistance: null, sources: ['household'] }],
    }]);
  })));
  afterAll(async () => { await close?.(); });

  it('serves the chains with indicators, exports them in three formats, and takes an investigator\'s verdict', async () => {
    const r = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-10%2012:00' })).json();
    expect(r.chains[0]).toMatchObject({ caseNos: ['A-1', 'A-2'], generations: 2, active: true, name: 'A-1 cluster (household)' });
    expect(r.indicators).toMatchObject({ cases: 2, clusters: 1, casesThatWereKnownContacts: 1 });
    // R(t) by onset day (2021-08-01 and 08-06, China time) to the day of `at`: weekly windows ending 08-08, 08-09, 08-10.
    expect(r.reproduction).toMatchObject({ method: 'Cori et al. 2013', windowDays: 7, serialInterval: { mean: app.cordon.edition.naturalHistory.serialInterval.mean } });
    expect(r.reproduction.windows.map((w: { start: string; cases: number }) => [w.start.slice(0, 10), w.cases])).toEqual([['2021-08-02', 1], ['2021-08-03', 1], ['2021-08-04', 1]]);
    for (const w of r.reproduction.windows) {
      expect(w.lower).toBeLessThan(w.mean);
      expect(w.mean).toBeLessThan(w.upper);
    }
    // As they stood before A-2 was confirmed: one case, no chain of two.
    const earlier = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-05%2012:00' })).json();
    expect(earlier.indicators).toMatchObject({ cases: 1, clusters: 0 });
    expect(earlier.chains.flatMap((x: { caseNos: string[] }) => x.caseNos)).toEqual(['A-1']);
    const csv = await app.inject({ method: 'GET', url: '/api/chains/export?format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[1]).toMatch(/^A-1,A-2,/);
    const xml = await app.inject({ method: 'GET', url: '/api/chains/export?format=graphml' });
    expect(xml.body).toContain('<edge source="c1" target="c2">');
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?format=json' })).json().chains).toHaveLength(1);
    const rejected = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'rejected' } });
    expect(rejected.statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/api/chains' })).json().indicators.clusters).toBe(0);
    expect((await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 9, verdict: 'confirmed' } })).json().error.code).toBe('UNKNOWN_REFERENCE');
    expect((await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 1, verdict: 'confirmed' } })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ method: 'GET', url: '/api/reports/efficacy' })).json()).toMatchObject({ cases: 2, alreadyContactsWhenConfirmed: 0.5 });
  });
});

describeEachEngine('api: chains export of the field case export-csv-escaping', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2].map((i) => personRow(i)));
    const c = (no: string, person: number, day: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: 1_627_776_000 + day * 86400, sampledAt: 1_627_776_000 + (day + 1) * 86400,
      confirmedAt: 1_627_776_000 + (day + 2) * 86400, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('BH-A', 1, 0), c('BH-E,7', 2, 5)]);
    await store.cases.insertContacts([{
      personId: 2, kind: 'close', indexCaseId: 1, viaContactId: null, firstExposure: 1_627_776_000, lastExposure: 1_627_780_000, status: 'identified', identifiedAt: 1_627_950_000,
      evidence: [{ setting: 'household', rule: 'r', placeId: null, overlapStart: 1_627_776_000, overlapEnd: 1_627_780_000, minutes: 60, seatDistance: null, sources: ['household'] }],
    }]);
  })));
  afterAll(async () => { await close?.(); });

  it('export-csv-escaping: GET /api/chains/export?format=csv quotes the case number BH-E,7 and keeps six columns', async () => {
    const csv = (await app.inject({ method: 'GET', url: '/api/chains/export?format=csv' })).body;
    expect(csv.split('\n')[1]).toMatch(/^BH-A,"BH-E,7",\d+,BH-A cluster \(household\),-?[\d.]+,false$/);
    const rows = parse(csv) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(0, 2)).toEqual(['BH-A', 'BH-E,7']);
    expect(rows.every((r) => r.length === 6)).toBe(true);
  });
});
