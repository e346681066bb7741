/**
 * A case's contacts as lists show them (with the person, masked) and as a file taken away (GET
 * /api/cases/:id/contacts/export, CSV or XLSX), on both engines, on the field cases' trace-window world with case A
 * confirmed: the file holds exactly the contacts the list holds, with the same masked persons (an astral first
 * character kept whole), in Chinese by default and in English when asked; each export is audited; a case outside the
 * actor's scope is a 404 and leaves no audit entry; roles without the action are refused.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { LABELS, worldWithCaseA, type FieldWorld } from '../../test/fieldCases.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { minutesTogether } from '../services/cases/contactsExport.ts';

interface Listed { id: number; personId: number; kind: string; status: string; person: { name: string; idMasked: string } | null }

describeEachEngine('api: a case\'s contacts listed and exported', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  let caseId: number;
  let listed: Listed[];
  beforeEach(async () => {
    ({ w, app, caseId } = await worldWithCaseA(engine));
    listed = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}/contacts?limit=500` })).json().items;
  });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const exportOf = (query: string) => app.inject({ method: 'GET', url: `/api/cases/${caseId}/contacts/export?${query}` });

  it('lists each contact with its person masked: the first character (whole, even outside the BMP) and the ID number\'s first 3 and last 2', async () => {
    expect(listed.length).toBeGreaterThanOrEqual(3);
    for (const k of listed) {
      const p = (await w.s.store.persons.get(k.personId))!;
      expect(k.person).toEqual({ name: [...p.name][0] + '*'.repeat([...p.name].length - 1), idMasked: expect.stringMatching(/^430\*{13}[0-9X]{2}$/) });
      expect(k.person!.idMasked.slice(-2)).toBe(p.idMasked.slice(-2));
    }
    const byLabel = new Map(await Promise.all(LABELS.map(async (l) => [await w.id(l), l] as const)));
    const named = listed.map((k) => [byLabel.get(k.personId), k.person!.name]).sort();
    expect(named).toEqual([['B', '吴**'], ['C', '朱*'], ['D', '𪚥'], ['E7', '阿*******'], ['U', '𠮷*']]);
    // The same on the list of every case's contacts.
    const all = (await app.inject({ method: 'GET', url: '/api/contacts?limit=500' })).json().items as Listed[];
    expect(all.map((k) => [k.id, k.person])).toEqual(listed.map((k) => [k.id, k.person]));
  });

  it('exports CSV with a byte-order mark, Chinese headers and words, one line per listed contact, and audits it', async () => {
    const r = await exportOf('format=csv');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="contacts-BH-A.csv"');
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(r.rawPayload.subarray(3).toString('utf8')) as string[][];
    expect(rows[0]).toEqual(['接触者编号', '类别', '人员编号', '姓名', '身份证号', '首次暴露', '末次暴露', '接触方式', '共处分钟', '数据来源', '状态', '判定方式']);
    const body = rows.slice(1);
    expect(body.map((x) => [Number(x[0]), Number(x[2]), x[3], x[4]])).toEqual(listed.map((k) => [k.id, k.personId, k.person!.name, k.person!.idMasked]));
    const kinds: Record<string, string> = { close: '密切接触者', secondary: '密接的密接', companion: '时空伴随者' };
    expect(body.map((x) => x[1])).toEqual(listed.map((k) => kinds[k.kind]));
    for (const x of body) {
      expect(x[5]).toMatch(/^2021-09-\d\d \d\d:\d\d$/);
      expect(x[5] <= x[6]).toBe(true);
      expect(x[10]).toBe('已判定');
      expect(x[11]).toBe('系统研判');
      expect(Number(x[8])).toBeGreaterThan(0);
      // Never more than the exposure window.
      expect(Number(x[8])).toBeLessThanOrEqual((Date.parse(x[6].replace(' ', 'T') + ':00+08:00') - Date.parse(x[5].replace(' ', 'T') + ':00+08:00')) / 60_000 + 1);
    }
    const audit = (await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.filter((e) => e.action === 'contacts:export');
    expect(audit).toMatchObject([{ subject: `case:${caseId}`, detail: `format=csv; contacts=${listed.length}` }]);
  });

  it('exports XLSX, in English when asked, with the same contacts as the list', async () => {
    const r = await exportOf('format=xlsx&lang=en');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Contacts')!;
    const values = sheet.getSheetValues().slice(1).map((row) => (row as ExcelJS.CellValue[]).slice(1));
    expect(values[0].slice(0, 5)).toEqual(['Contact id', 'Kind', 'Person id', 'Name', 'ID number']);
    expect(values.slice(1).map((x) => [x[0], x[2], x[3], x[10]])).toEqual(listed.map((k) => [k.id, k.personId, k.person!.name, 'Identified']));
    expect(typeof values[1][8]).toBe('number');
  });

  it('exports only the kind and setting the case page shows, when it asks, and says the filter in the audit', async () => {
    const close = listed.filter((k) => k.kind === 'close');
    expect(close.length).toBeGreaterThan(0);
    expect(close.length).toBeLessThan(listed.length);
    const rows = (parse((await exportOf('format=csv&kind=close')).rawPayload.subarray(3).toString('utf8')) as string[][]).slice(1);
    expect(rows.map((x) => Number(x[0]))).toEqual(close.map((k) => k.id));
    const full = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}/contacts?limit=500` })).json().items as { id: number; evidence: { setting: string }[] }[];
    const setting = full[0].evidence[0].setting;
    const inSetting = full.filter((k) => k.evidence.some((e) => e.setting === setting)).map((k) => k.id);
    const bySetting = (parse((await exportOf(`format=csv&setting=${setting}`)).rawPayload.subarray(3).toString('utf8')) as string[][]).slice(1);
    expect(bySetting.map((x) => Number(x[0]))).toEqual(inSetting);
    const audit = (await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.filter((e) => e.action === 'contacts:export');
    expect(audit.map((e) => e.detail)).toEqual([`format=csv; kind=close; setting=all; contacts=${close.length}`, `format=csv; kind=all; setting=${setting}; contacts=${inSetting.length}`]);
    expect((await exportOf('format=csv&setting=nowhere')).statusCode).toBe(400);
  });

  it('refuses a case outside the actor\'s scope (404, no audit), roles without the action (403), and an unknown format (400)', async () => {
    const keys = await roleKeys(w.s.store, '4301', ['cdc_investigator', 'checkpoint_staff']);
    const elsewhere = await roleKeys(w.s.store, '4302', ['cdc_investigator']);
    const as = (key: string, q = 'format=csv') => injectAsGiven(app)({ method: 'GET', url: `/api/cases/${caseId}/contacts/export?${q}`, headers: { authorization: `Bearer ${key}` } });
    expect((await as(keys.get('cdc_investigator')!)).statusCode).toBe(200);
    const outside = await as(elsewhere.get('cdc_investigator')!);
    expect({ status: outside.statusCode, code: outside.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await as(keys.get('checkpoint_staff')!)).statusCode).toBe(403);
    const bad = await as(keys.get('cdc_investigator')!, 'format=pdf');
    expect({ status: bad.statusCode, code: bad.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const audit = (await w.s.store.audit.list({}, { after: 0, limit: 500 })).items.filter((e) => e.action === 'contacts:export');
    expect(audit).toHaveLength(1);
  });
});

describe('minutes together', () => {
  it('counts overlapping evidence once, and separate evidence in full', () => {
    const e = (a: number, b: number) => ({ overlapStart: a * 60, overlapEnd: b * 60 });
    expect(minutesTogether([])).toBe(0);
    expect(minutesTogether([e(0, 8338), e(100, 5223)])).toBe(8338);
    expect(minutesTogether([e(0, 30), e(60, 90)])).toBe(60);
    expect(minutesTogether([e(60, 90), e(0, 30), e(20, 70)])).toBe(90);
    expect(minutesTogether([e(10, 10), e(0, 5)])).toBe(5);
  });
});
