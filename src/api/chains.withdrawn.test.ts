/**
 * Verdicts on links that name a case the chains do not hold: a withdrawn case, or one not yet confirmed at the view's
 * time. Such a verdict says nothing of the chains (no link to a case that is not there, no contradiction with a new
 * verdict), may still be cleared, and no new verdict may name a withdrawn case. Each verdict keeps its author.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { formatTime } from '../domain/time.ts';
import type { Store } from '../storage/store.ts';

const DAY = 86400;
const T0 = 1_627_776_000; // 2021-08-01 08:00 China time

describeEachEngine('api: link verdicts naming a case outside the chains', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let store: Store;
  beforeAll(async () => ({ app, close, store } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    // A-1 and A-2 confirmed on 08-03 and 08-08; A-3 fell ill first but was confirmed only on 08-14.
    const c = (no: string, person: number, onsetDay: number, confirmedDay: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: T0 + onsetDay * DAY, sampledAt: T0 + (confirmedDay - 1) * DAY,
      confirmedAt: T0 + confirmedDay * DAY, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('A-1', 1, 0, 2), c('A-2', 2, 5, 7), c('A-3', 3, 1, 13)]);
  })));
  afterAll(async () => { await close?.(); });

  const link = (infectorCaseId: number, infecteeCaseId: number, verdict: 'confirmed' | 'rejected' | 'cleared') =>
    app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId, infecteeCaseId, verdict } });
  const chainsAt = async (at?: number) => (await app.inject({ method: 'GET', url: `/api/chains${at === undefined ? '' : `?at=${encodeURIComponent(formatTime(at))}`}` })).json() as {
    chains: { caseNos: string[]; links: { infectorNo: string; infecteeNo: string }[] }[]; inferences: { caseNo: string; infector: number | null; sourceUnknown: boolean }[];
  };
  const inferenceOf = (r: Awaited<ReturnType<typeof chainsAt>>, no: string) => r.inferences.find((i) => i.caseNo === no)!;

  it('leaves out a verdict whose infector was not yet confirmed at the view\'s time or is withdrawn; such a verdict contradicts none, may be cleared, and no new one names a withdrawn case; each keeps who entered it', async () => {
    expect((await link(3, 2, 'confirmed')).statusCode).toBe(201);
    const [stored] = await store.chains.links();
    expect(stored).toMatchObject({ infectorCaseId: 3, infecteeCaseId: 2, verdict: 'confirmed' });
    expect(stored.enteredBy).toMatch(/\S/);
    // Now, A-3 is a case: A-2's infector is A-3, by the investigator, in one chain.
    const now = await chainsAt();
    expect(inferenceOf(now, 'A-2')).toMatchObject({ infector: 3 });
    expect(now.chains.find((c) => c.caseNos.includes('A-2'))!.links).toEqual([expect.objectContaining({ infectorNo: 'A-3', infecteeNo: 'A-2' })]);
    // On 08-10, A-3 was not a case yet: A-2 had no known source, and no link names A-3.
    const then = await chainsAt(T0 + 9 * DAY);
    expect(inferenceOf(then, 'A-2')).toMatchObject({ infector: null, sourceUnknown: true });
    expect(then.chains.flatMap((c) => c.links.map((l) => l.infectorNo))).not.toContain('A-3');

    // A-3 then withdrawn (one story, in order: the tests of a file run shuffled): its verdict leaves the chains,
    // another infector may be confirmed, the old verdict cleared, none added.
    const w = await app.inject({ method: 'POST', url: '/api/cases/3/withdraw', payload: { reason: '复核阴性，订正' } });
    expect(w.statusCode).toBe(200);
    const after = await chainsAt();
    expect(inferenceOf(after, 'A-2')).toMatchObject({ infector: null, sourceUnknown: true });
    expect(after.chains.flatMap((c) => [...c.caseNos, ...c.links.map((l) => l.infectorNo)])).not.toContain('A-3');
    // The withdrawn case's confirmed link contradicts nothing: A-1 may be confirmed as A-2's infector.
    const other = await link(1, 2, 'confirmed');
    expect(other.statusCode).toBe(201);
    expect(inferenceOf(await chainsAt(), 'A-2')).toMatchObject({ infector: 1 });
    // No new verdict names the withdrawn case; its old one may be cleared.
    const refused = await link(3, 1, 'rejected');
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'CASE_WITHDRAWN']);
    expect((await link(3, 2, 'cleared')).statusCode).toBe(201);
    expect((await store.chains.links()).map((l) => [l.infectorCaseId, l.infecteeCaseId, l.verdict])).toEqual([[1, 2, 'confirmed']]);
  });
});
