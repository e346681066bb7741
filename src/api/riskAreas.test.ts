/**
 * Risk areas follow the cases without anyone asking (issue "Live state stays true"): a case confirmed through the
 * API lists its community at once; a second case there keeps the level and its start but moves the review time and
 * the count; withdrawn cases stop counting and a unit left without a case goes back to low; an import of several
 * cases is graded once, after the last.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { FIELD_NOW, fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { formatTime } from '../domain/time.ts';

const text = (t: number) => formatTime(t).slice(0, 16).replace('T', ' ');
const H = 3600;
const UNIT = '430102001001';

interface Listed { regionCode: string; level: string; since: string; reviewAt: string | null; reason: string }

describeEachEngine('api: risk areas follow the cases', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeEach(async () => { w = await fieldWorld(engine); app = await fieldApp(w); });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const post = async (url: string, payload: unknown) => { const r = await app.inject({ method: 'POST', url, payload: payload as object }); return { status: r.statusCode, body: r.json() }; };
  const listed = async (): Promise<Listed[]> => (await app.inject({ method: 'GET', url: '/api/risk-areas' })).json().items;
  const confirm = async (caseNo: string, label: string, hoursAgo: number) => {
    const r = await post('/api/cases', { caseNo, personId: await w.id(label), kind: 'confirmed', sampledAt: text(FIELD_NOW - (hoursAgo + 12) * H), confirmedAt: text(FIELD_NOW - hoursAgo * H), detectedBy: 'symptoms' });
    expect(r.status).toBe(201);
    return r.body.case?.id ?? r.body.id as number;
  };

  it('lists a case\'s community as soon as the case is confirmed, moves the review time with a second case, and steps down when both are withdrawn', async () => {
    expect(await listed()).toEqual([]);
    const first = await confirm('RA-1', 'E5', 48);
    const one = await listed();
    expect(one.map((a) => [a.regionCode, a.level])).toEqual([[UNIT, 'medium']]);
    expect(one[0].reason).toBe('1 new case(s) within 14 days, 1 cumulative');

    w.clock.set(FIELD_NOW + 2 * H);
    const second = await confirm('RA-2', 'E6', 1);
    const two = await listed();
    expect(two.map((a) => [a.regionCode, a.level])).toEqual([[UNIT, 'medium']]);
    expect(two[0].since).toBe(one[0].since);
    expect(two[0].reason).toBe('2 new case(s) within 14 days, 2 cumulative');
    expect(Date.parse(two[0].reviewAt!) - Date.parse(one[0].reviewAt!)).toBe(47 * H * 1000); // the review counts from the last case: confirmed 47 hours after the first

    expect((await post(`/api/cases/${second}/withdraw`, { reason: 'false positive on retest' })).status).toBe(200);
    expect((await listed())[0].reason).toBe('1 new case(s) within 14 days, 1 cumulative');
    expect((await post(`/api/cases/${first}/withdraw`, { reason: 'false positive on retest' })).status).toBe(200);
    expect(await listed()).toEqual([]);
    expect((await w.s.store.control.riskHistory(UNIT)).map((r) => r.level)).toEqual(['medium', 'medium', 'medium', 'low']);
  });

  it('answers ?at= for a moment still to come from the cases that stand now (levels stepped down by then), stored nowhere; for a past moment, as it was stored', async () => {
    await confirm('RA-1', 'E5', 48);
    const [now] = await listed();
    const at = async (t: number): Promise<Listed[]> => (await app.inject({ method: 'GET', url: `/api/risk-areas?at=${encodeURIComponent(formatTime(t))}` })).json().items;
    const review = Date.parse(now.reviewAt!) / 1000;
    expect((await at(review - 1)).map((a) => [a.regionCode, a.level])).toEqual([[UNIT, 'medium']]);
    expect(await at(review)).toEqual([]);
    expect(await at(review + 86400)).toEqual([]);
    expect(await at(FIELD_NOW - 1)).toEqual([]); // before the grading was stored
    expect((await w.s.store.control.riskHistory(UNIT)).map((r) => r.level)).toEqual(['medium']);
    expect(await listed()).toEqual([now]);
  });

  it('grades an import of several cases once, after the last of them', async () => {
    const at = (h: number) => text(FIELD_NOW - h * H);
    await w.feed('cases', ['case_no,id_number,kind,sampled_at,confirmed_at',
      `IM-1,${w.idNumber('E5')},confirmed,${at(60)},${at(50)}`,
      `IM-2,${w.idNumber('E6')},confirmed,${at(40)},${at(30)}`,
      `IM-3,${w.idNumber('E7')},asymptomatic,${at(20)},${at(10)}`]);
    expect((await listed()).map((a) => [a.regionCode, a.level, a.reason])).toEqual([[UNIT, 'medium', '3 new case(s) within 14 days, 3 cumulative']]);
    expect(await w.s.store.control.riskHistory(UNIT)).toHaveLength(1);
  });
});
