/**
 * The cases, contacts and persons lists as files (GET /api/cases/export, /api/contacts/export, /api/persons/export),
 * on both engines, on the field cases' world with case A confirmed: each file holds exactly the rows its list holds
 * under the same filter (region, status, kind), masked the same way, read page after page; Chinese by default,
 * English when asked; each export audited with its filter; a region-scoped actor's file holds only its region; roles
 * without the action are refused; a list longer than an export may hold is refused whole (EXPORT_TOO_LARGE, 422),
 * nothing audited.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { worldWithCaseA, type FieldWorld } from '../../test/fieldCases.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { toAppError } from './errors.ts';
import { exportList } from '../services/exports/lists.ts';
import { DomainError } from '../domain/errors.ts';

const csvRows = (payload: Buffer): string[][] => {
  expect(payload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  return parse(payload.subarray(3).toString('utf8')) as string[][];
};

describeEachEngine('api: lists exported', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeEach(async () => { ({ w, app } = await worldWithCaseA(engine)); });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const get = (url: string) => app.inject({ method: 'GET', url });
  /** Every item of a list, page after page (3 a page). */
  const listAll = async <T extends { id: number }>(url: string): Promise<T[]> => {
    const out: T[] = [];
    for (let after = 0; ;) {
      const r = await get(`${url}${url.includes('?') ? '&' : '?'}limit=3&after=${after}`);
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json() as { items: T[]; nextAfter: number | null };
      out.push(...page.items);
      if (page.nextAfter === null) return out;
      after = page.nextAfter;
    }
  };
  const audits = async (action: string) => (await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.filter((e) => e.action === action);

  it('exports the cases list as CSV in Chinese: the listed cases, their persons masked, and audits it with its filter', async () => {
    const listed = await listAll<{ id: number; caseNo: string; personId: number }>('/api/cases?region=430102&outcome=in_treatment');
    expect(listed.length).toBe(1);
    const r = await get('/api/cases/export?format=csv&region=430102&outcome=in_treatment');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toBe('attachment; filename="cases.csv"');
    const rows = csvRows(r.rawPayload);
    expect(rows[0]).toEqual(['病例编号', '类型', '人员编号', '姓名', '身份证号', '发病时间', '确诊时间', '病情', '转归', '发现途径', '所属社区']);
    expect(rows.slice(1).map((x) => [x[0], Number(x[2])])).toEqual(listed.map((c) => [c.caseNo, c.personId]));
    const person = (await w.s.store.persons.get(listed[0].personId))!;
    expect(rows[1][3]).toBe([...person.name][0] + '*'.repeat([...person.name].length - 1));
    expect(rows[1][4]).toMatch(/^430\*{13}[0-9X]{2}$/);
    expect(rows[1][8]).toBe('治疗中');
    expect(rows[1][10]).toMatch(/ 430102001001$/);
    expect(await audits('cases:export')).toMatchObject([{ subject: 'list:cases', detail: 'format=csv; filter=outcome=in_treatment, regionCode=430102; rows=1' }]);
    // Another region's cases: a file with the header only.
    expect(csvRows((await get('/api/cases/export?format=csv&region=4302')).rawPayload)).toHaveLength(1);
  });

  it('exports the contacts list by status and kind as XLSX in English, the rows the list holds, with their case', async () => {
    const listed = await listAll<{ id: number; kind: string; personId: number; person: { name: string; idMasked: string } }>('/api/contacts?status=identified&kind=close&region=430102001001');
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const r = await get('/api/contacts/export?format=xlsx&lang=en&status=identified&kind=close&region=430102001001');
    expect(r.statusCode, r.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const values = book.getWorksheet('Contacts')!.getSheetValues().slice(1).map((row) => (row as ExcelJS.CellValue[]).slice(1));
    expect(values[0]).toEqual(['Contact id', 'Kind', 'Case no.', 'Person id', 'Name', 'ID number', 'Last exposure', 'Status', 'Community']);
    expect(values.slice(1).map((x) => [x[0], x[1], x[2], x[3], x[4], x[5], x[7]])).toEqual(
      listed.map((k) => [k.id, 'Close contacts', 'BH-A', k.personId, k.person.name, k.person.idMasked, 'Identified']));
    // A status no contact has: header only; released contacts are not among the identified.
    const none = csvRows((await get('/api/contacts/export?format=csv&status=released')).rawPayload);
    expect(none).toHaveLength(1);
    expect(await audits('contacts:export')).toHaveLength(2);
  });

  it('exports the persons list of a region, masked, page after page, and within a scoped actor\'s region only', async () => {
    const listed = await listAll<{ id: number; name: string; idMasked: string; phone: string; communityName: string | null }>('/api/persons?region=430102001001');
    expect(listed.length).toBe(11);
    // Each listed with their community's name, as the regions hold it.
    const communityName = (await w.s.store.regions.names(['430102001001'])).get('430102001001');
    expect(communityName).toBeTruthy();
    expect(listed.every((p) => p.communityName === communityName)).toBe(true);
    const rows = csvRows((await get('/api/persons/export?format=csv&region=430102001001')).rawPayload);
    expect(rows[0]).toEqual(['人员编号', '姓名', '身份证号', '性别', '出生年代', '手机号', '健康码', '所属社区', '网格']);
    expect(rows.slice(1).map((x) => [Number(x[0]), x[1], x[2], x[5]])).toEqual(listed.map((p) => [p.id, p.name, p.idMasked, p.phone]));
    expect(rows.slice(1).every((x) => /^19[0-9]0$/.test(x[4]) && ['男', '女'].includes(x[3]))).toBe(true);
    // Read 2 rows at a time, the file is the same.
    const ctx = { actor: { kind: 'system' as const, name: 'test' }, clock: w.s.clock };
    const small = await exportList(ctx, w.s, { list: 'persons', filter: { regionCode: '430102001001' } }, 'csv', 'zh', null, { max: 100, pageSize: 2 });
    expect(csvRows(small.body)).toEqual(rows);
    // A grid worker may export their own region's persons but not the cases list; elsewhere, nothing of ours.
    const keys = await roleKeys(w.s.store, '430102001001', ['grid_worker', 'checkpoint_staff']);
    const elsewhere = await roleKeys(w.s.store, '430103', ['county_command']);
    const as = (key: string, url: string) => injectAsGiven(app)({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    expect(csvRows((await as(keys.get('grid_worker')!, '/api/persons/export?format=csv')).rawPayload)).toHaveLength(12);
    expect(csvRows((await as(elsewhere.get('county_command')!, '/api/persons/export?format=csv')).rawPayload)).toHaveLength(1);
    expect(csvRows((await as(elsewhere.get('county_command')!, '/api/contacts/export?format=csv')).rawPayload)).toHaveLength(1);
    for (const url of ['/api/persons/export', '/api/cases/export', '/api/contacts/export']) expect((await as(keys.get('checkpoint_staff')!, url)).statusCode).toBe(403);
    expect((await as(keys.get('grid_worker')!, '/api/cases/export')).statusCode).toBe(403);
    const bad = await get('/api/persons/export?format=pdf');
    expect({ status: bad.statusCode, code: bad.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const paged = await get('/api/persons/export?limit=5');
    expect({ status: paged.statusCode, code: paged.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('lists and exports persons by the colour of their code now: each colour the persons whose current code has it, no current code green', async () => {
    let all = await listAll<{ id: number; codeColour: string }>('/api/persons?region=4301');
    // Case A's world has red codes and green ones; two persons without a code are given a green and a yellow one as
    // the code service writes them, so that every colour and a person with no code at all are there.
    const uncoded = all.filter((p) => p.codeColour === 'green').map((p) => p.id);
    const withCode = await w.s.store.codes.currentOf(uncoded);
    const [g, y] = uncoded.filter((id) => !withCode.has(id));
    const now = w.s.clock.now();
    await w.s.store.codes.write([{ personId: g, colour: 'green', reasons: [], since: now, validUntil: now + 86_400 },
      { personId: y, colour: 'yellow', reasons: [], since: now, validUntil: now + 86_400 }], []);
    all = await listAll<{ id: number; codeColour: string }>('/api/persons?region=4301');
    const truth = new Map(all.map((p) => [p.id, 'green']));
    for (const [id, code] of await w.s.store.codes.currentOf(all.map((p) => p.id))) truth.set(id, code.colour);
    // The world holds every colour, and persons with no current code at all (counted green).
    const held = await w.s.store.codes.currentOf(all.map((p) => p.id));
    expect(new Set(truth.values())).toEqual(new Set(['green', 'yellow', 'red']));
    expect(all.some((p) => !held.has(p.id))).toBe(true);
    expect(all.map((p) => [p.id, p.codeColour])).toEqual([...truth]);
    // Each region width has a query shape of its own (the province and a city, a county, a community): the same answer.
    const homes = new Map((await w.s.store.persons.byIds(all.map((p) => p.id))).entries());
    for (const region of ['43', '4301', '430102', '430102001001']) {
      for (const colour of ['green', 'yellow', 'red']) {
        const listed = await listAll<{ id: number }>(`/api/persons?region=${region}&colour=${colour}`);
        expect(listed.map((p) => p.id), `${region} ${colour}`).toEqual([...truth].filter(([id, c]) => c === colour && homes.get(id)!.communityCode.startsWith(region)).map(([id]) => id));
      }
    }
    const seen: number[] = [];
    for (const colour of ['green', 'yellow', 'red']) {
      const listed = await listAll<{ id: number; codeColour: string }>(`/api/persons?region=4301&colour=${colour}`);
      expect(listed.map((p) => p.id), colour).toEqual([...truth].filter(([, c]) => c === colour).map(([id]) => id));
      expect(listed.every((p) => p.codeColour === colour)).toBe(true);
      seen.push(...listed.map((p) => p.id));
      // The export of one colour: the same persons, the colour named in the page's language.
      const rows = csvRows((await get(`/api/persons/export?format=csv&region=4301&colour=${colour}`)).rawPayload);
      expect(rows.slice(1).map((x) => [Number(x[0]), x[6]])).toEqual(listed.map((p) => [p.id, { green: '绿码', yellow: '黄码', red: '红码' }[colour]]));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all.map((p) => p.id));
    // A county's user, asking without a region: their county's persons of the colour.
    const county = (await roleKeys(w.s.store, '430102', ['county_command'])).get('county_command')!;
    for (const colour of ['green', 'red']) {
      const r = await injectAsGiven(app)({ method: 'GET', url: `/api/persons?colour=${colour}&limit=500`, headers: { authorization: `Bearer ${county}` } });
      expect((r.json() as { items: { id: number }[] }).items.map((p) => p.id), colour)
        .toEqual([...truth].filter(([id, c]) => c === colour && homes.get(id)!.communityCode.startsWith('430102')).map(([id]) => id));
    }
    // Another region's red codes are not ours; an unknown colour is refused.
    expect(await listAll('/api/persons?region=4302&colour=red')).toEqual([]);
    const bad = await get('/api/persons?colour=orange');
    expect({ status: bad.statusCode, code: bad.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses a list longer than an export may hold, whole (EXPORT_TOO_LARGE, 422), and audits nothing', async () => {
    const ctx = { actor: { kind: 'system' as const, name: 'test' }, clock: w.s.clock };
    const before = (await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.length;
    const err = await exportList(ctx, w.s, { list: 'persons', filter: {} }, 'xlsx', 'zh', null, { max: 10, pageSize: 4 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    const app422 = toAppError(err);
    expect([app422.code, app422.status, app422.details]).toEqual(['EXPORT_TOO_LARGE', 422, { limit: 10 }]);
    // Exactly the limit is fine.
    const ok = await exportList(ctx, w.s, { list: 'persons', filter: {} }, 'csv', 'zh', null, { max: 11, pageSize: 4 });
    expect(ok.rows).toBe(11);
    expect((await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.length).toBe(before + 1);
  });
});
