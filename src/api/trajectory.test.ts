/**
 * A case's trajectory entered by investigators (POST/GET /api/cases/:id/trajectory), on both engines, on the field
 * cases' trace-window world: case A (onset 2021-09-20 10:00, isolated 09-22 08:00, so infectious from 09-18 10:00).
 * L was at the restaurant BH-R1 on 09-18 from 10:20 to 11:20, where no feed places A then; the interview places A
 * there from 10:00 to 11:30, and L becomes A's close contact at once, with the investigation as evidence, and L's
 * code turns. Bad rows are refused with the row and field named, and write nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rowCounts } from '../../test/counts.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { worldWithCaseA, type FieldWorld } from '../../test/fieldCases.ts';
import { injectAsGiven } from '../../test/credentials.ts';

describeEachEngine('api: a case\'s trajectory from the interview', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  let caseId: number;
  beforeEach(async () => {
    ({ w, app, caseId } = await worldWithCaseA(engine));
  });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const post = async (rows: object[], id = caseId) => {
    const r = await app.inject({ method: 'POST', url: `/api/cases/${id}/trajectory`, payload: { rows } });
    return { status: r.statusCode, body: r.json() };
  };
  const contactOf = async (label: string) => {
    const items = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}/contacts?limit=500` })).json().items as { personId: number; kind: string; evidence: { sources: string[]; placeId: number | null; minutes: number }[] }[];
    const id = await w.id(label);
    return items.filter((k) => k.personId === id);
  };
  const breakfast = { start: '2021-09-18 10:00', end: '2021-09-18 11:30', placeCode: 'BH-R1', activity: '吃早餐', mask: 'no', peopleMet: '店主和两位食客' };

  it('writes a row with a place as presence from the investigation and retraces at once: the person there becomes a close contact with that evidence, and their code turns', async () => {
    expect(await contactOf('L')).toEqual([]);
    const codeOfL = async () => (await app.inject({ method: 'GET', url: `/api/persons/${await w.id('L')}/code` })).json().colour as string;
    expect(await codeOfL()).toBe('green');
    const r = await post([breakfast, { start: '2021-09-19 15:00', end: '2021-09-19 16:00', placeText: '小区门口菜摊', activity: '买菜', mask: 'yes' }]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.added).toBe(2);
    expect(r.body.trace.written).toBeGreaterThanOrEqual(1);
    expect(r.body.items).toMatchObject([
      { start: '2021-09-18T10:00:00+08:00', end: '2021-09-18T11:30:00+08:00', place: { code: 'BH-R1', name: '臭豆腐小馆', category: 'restaurant' }, traced: true, activity: '吃早餐', mask: 'no', peopleMet: '店主和两位食客' },
      { place: null, placeText: '小区门口菜摊', traced: false, mask: 'yes' },
    ]);
    const [l] = await contactOf('L');
    expect(l.kind).toBe('close');
    const r1 = (await w.s.store.places.byCode('BH-R1'))!.id;
    expect(l.evidence).toEqual([expect.objectContaining({ placeId: r1, minutes: 60, sources: expect.arrayContaining(['investigation']) })]);
    expect(await codeOfL()).not.toBe('green');
    // The rows read back in time order; the same rows sent again add nothing.
    expect((await app.inject({ method: 'GET', url: `/api/cases/${caseId}/trajectory` })).json().items.map((x: { start: string }) => x.start)).toEqual(['2021-09-18T10:00:00+08:00', '2021-09-19T15:00:00+08:00']);
    const before = await rowCounts(w.s.store);
    expect((await post([breakfast])).body).toMatchObject({ added: 0, trace: { written: 0 } });
    expect(await rowCounts(w.s.store)).toEqual(before);
  });

  it('refuses a bad row naming the row and field, and writes nothing of any row', async () => {
    const before = await rowCounts(w.s.store);
    const refused = async (rows: object[], status: number, code: string, field: string) => {
      const r = await post(rows);
      expect({ status: r.status, code: r.body.error?.code }, JSON.stringify(rows)).toEqual({ status, code });
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await rowCounts(w.s.store)).toEqual(before);
    };
    await refused([breakfast, { ...breakfast, start: '2021-09-18 12:00', end: '2021-09-18 11:00' }], 400, 'VALIDATION_FAILED', 'rows.1.end');
    await refused([{ ...breakfast, end: '2021-09-19 11:00' }], 400, 'VALIDATION_FAILED', 'rows.0.end');
    await refused([{ ...breakfast, start: '2021-09-22 11:00', end: '2021-09-22 12:30' }], 400, 'VALIDATION_FAILED', 'rows.0.end');
    await refused([{ ...breakfast, placeText: '臭豆腐小馆' }], 400, 'VALIDATION_FAILED', 'rows.0.placeCode');
    const { placeCode: _, ...noPlace } = breakfast;
    await refused([noPlace], 400, 'VALIDATION_FAILED', 'rows.0.placeCode');
    await refused([breakfast, { ...breakfast, placeCode: 'NOPE' }], 422, 'UNKNOWN_REFERENCE', 'rows.1.placeCode');
    await refused([{ ...noPlace, vehicle: { number: 'G4301', date: '2021-09-18', seat: '5A' } }], 422, 'UNKNOWN_REFERENCE', 'rows.0.vehicle');
    await refused([{ ...breakfast, mask: 'maybe' }], 400, 'VALIDATION_FAILED', 'rows.0.mask');
    await refused([], 400, 'VALIDATION_FAILED', 'rows');
    expect((await post([breakfast], 9999)).status).toBe(404);
  });

  it('publishes a nameless notice of the places and times, which anyone reads without signing in and finds by a place', async () => {
    const none = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/notices`, payload: { title: '芙蓉区病例活动轨迹' } });
    expect(none.json().error.code).toBe('NO_TRAJECTORY');
    const added = (await post([breakfast, { start: '2021-09-19 15:00', end: '2021-09-19 16:00', placeText: '小区门口菜摊' }])).body.items as { id: number }[];
    const foreign = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/notices`, payload: { title: 'x', rowIds: [added[0].id, 999] } });
    expect(foreign.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'rowIds' }] } });
    const r = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/notices`, payload: { title: '芙蓉区病例活动轨迹（9月22日）' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      regionCode: '430102', regionName: '芙蓉区', title: '芙蓉区病例活动轨迹（9月22日）',
      items: [
        { place: '臭豆腐小馆', category: 'restaurant', start: '2021-09-18T10:00:00+08:00', end: '2021-09-18T11:30:00+08:00' },
        { place: '小区门口菜摊', category: null, start: '2021-09-19T15:00:00+08:00', end: '2021-09-19T16:00:00+08:00' },
      ],
    });
    // Nothing of the person or the case: no name, ID, phone, case number, activity or people met.
    for (const secret of ['周建国', w.idNumber('A'), '13907390000', 'BH-A', '吃早餐', '店主']) expect(r.body).not.toContain(secret);
    const open = (q = '') => injectAsGiven(app)({ method: 'GET', url: `/api/public/notices${q}` });
    expect((await open()).statusCode).toBe(200);
    expect((await open()).json().items.map((n: { title: string }) => n.title)).toEqual(['芙蓉区病例活动轨迹（9月22日）']);
    expect((await open(`?q=${encodeURIComponent('臭豆腐')}`)).json().items).toHaveLength(1);
    expect((await open('?q=G4301')).json().items).toEqual([]);
    // Only the rows named, when some are.
    const one = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/notices`, payload: { title: '更正', rowIds: [added[1].id] } });
    expect(one.json().items.map((x: { place: string }) => x.place)).toEqual(['小区门口菜摊']);
    expect((await injectAsGiven(app)({ method: 'POST', url: `/api/cases/${caseId}/notices`, payload: { title: 'x' } })).statusCode).toBe(401);
  });
});
