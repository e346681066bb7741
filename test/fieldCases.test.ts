/**
 * The field cases of ../shared/cases as tests, each with its right value (see that folder's README): what real
 * contact-tracing systems got wrong, and Cordon must not. The inputs are copied into test/fieldCases.ts; the clock is
 * the one they were tried at (2026-11-30 about 19:45 CST) unless a case says otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from './engines.ts';
import { phoneToken } from './apps.ts';
import { FIELD_NOW, fieldApp, fieldWorld, type FieldWorld } from './fieldCases.ts';
import { importFile, ImportRejectedError } from '../src/services/import/importFile.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { formatTime, parseTime } from '../src/domain/time.ts';
import { TEST_KEY } from './services.ts';

const t = (s: string) => parseTime(s)!;

describeEachEngine('field cases', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeEach(async () => { w = await fieldWorld(engine); app = await fieldApp(w); });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const post = async (url: string, payload: object) => { const r = await app.inject({ method: 'POST', url, payload }); return { status: r.statusCode, body: r.json() }; };
  const get = async (url: string) => { const r = await app.inject({ method: 'GET', url }); return { status: r.statusCode, body: r.json() }; };
  const confirm = async (body: Record<string, unknown>, label: string) => post('/api/cases', { ...body, personId: await w.id(label) });
  const caseA = { caseNo: 'BH-A', kind: 'confirmed', onsetAt: '2021-09-20 10:00', sampledAt: '2021-09-21 09:00', confirmedAt: '2021-09-22 08:00', isolatedAt: '2021-09-22 08:00', detectedBy: 'symptoms' };

  it('trace-window: confirming A through the API finds B, E7, D and U as close contacts and C as secondary (via B), nobody else', async () => {
    const r = await confirm(caseA, 'A');
    expect(r.status).toBe(201);
    const contacts = (await get(`/api/cases/${r.body.case.id}/contacts?limit=50`)).body.items as { personId: number; kind: string; viaContactId: number | null; id: number; evidence: { minutes: number }[] }[];
    const label = async (id: number) => { for (const l of ['B', 'E7', 'D', 'U', 'C', 'E5', 'E6', 'Z', 'L']) if ((await w.id(l)) === id) return l; return String(id); };
    const close = await Promise.all(contacts.filter((c) => c.kind === 'close').map(async (c) => [await label(c.personId), c.evidence.reduce((s, e) => s + e.minutes, 0)]));
    expect(close.sort()).toEqual([['B', 80], ['D', 60], ['E7', 50], ['U', 60]]);
    const secondary = contacts.filter((c) => c.kind === 'secondary');
    expect(await Promise.all(secondary.map((c) => label(c.personId)))).toEqual(['C']);
    expect(secondary[0].viaContactId).toBe(contacts.find((c) => c.kind === 'close' && c.personId === (contacts.find((x) => x.kind === 'close' && x.evidence.some((e) => e.minutes === 80))!.personId))!.id);
  });

  it('contact-becomes-case: when B is confirmed, B\'s record as a contact of A says became_case, and the history says why', async () => {
    const a = await confirm(caseA, 'A');
    const b = await confirm({ caseNo: 'BH-B', kind: 'confirmed', onsetAt: '2021-09-23 10:00', sampledAt: '2021-09-23 12:00', confirmedAt: '2021-09-24 08:00', detectedBy: 'symptoms' }, 'B');
    expect(b.status).toBe(201);
    const ofA = (await get(`/api/cases/${a.body.case.id}/contacts?kind=close`)).body.items as { id: number; personId: number; status: string }[];
    const recordOfB = ofA.find((c) => c.personId === b.body.case.personId)!;
    expect(recordOfB.status).toBe('became_case');
    const detail = (await get(`/api/contacts/${recordOfB.id}`)).body;
    expect(detail.history).toEqual([expect.objectContaining({ changes: { status: ['identified', 'became_case'] }, reason: 'became case BH-B', actor: 'system:contact-status' })]);
    // The others stay identified.
    expect(ofA.filter((c) => c.personId !== b.body.case.personId).every((c) => c.status === 'identified')).toBe(true);
  });

  it('case-outcome: a re-imported case with outcome=recovered is an update with its correction kept, and the case\'s code follows the protocol for a discharged case', async () => {
    await confirm(caseA, 'A');
    const personA = await w.id('A');
    expect((await get(`/api/persons/${personA}/code`)).body.colour).toBe('red');
    const contactColours = async () => Promise.all(['B', 'E7', 'D', 'U', 'C'].map(async (l) => (await get(`/api/persons/${await w.id(l)}/code`)).body.colour));
    const before = await contactColours();
    const r = await w.feed('cases', ['case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at,outcome',
      'BH-A,430102198604120316,confirmed,2021-09-20 10:00,2021-09-21 09:00,2021-09-22 08:00,2021-09-22 08:00,recovered'], 'cases_discharge.csv');
    expect(r).toMatchObject({ rows: 1, inserted: 0, updated: 1, unchanged: 0 });
    const c = (await w.s.store.cases.byCaseNo('BH-A'))!;
    expect(c).toMatchObject({ outcome: 'recovered', outcomeAt: FIELD_NOW });
    const history = (await get(`/api/cases/${c.id}/history`)).body.items;
    expect(history).toEqual([expect.objectContaining({ changes: { outcome: ['in_treatment', 'recovered'], outcomeAt: [null, formatTime(FIELD_NOW)] }, source: 'import:cases_discharge.csv:2' })]);
    const code = (await get(`/api/persons/${personA}/code`)).body;
    const days = loadEdition('ed8-delta-2021').caseManagement.afterDischarge.days;
    expect(code).toMatchObject({ colour: 'yellow', reasons: [expect.objectContaining({ condition: 'post_discharge_management', untilAt: formatTime(FIELD_NOW + days * 86400) })] });
    // Importing the same file again changes nothing.
    expect(await w.feed('cases', ['case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at,outcome',
      'BH-A,430102198604120316,confirmed,2021-09-20 10:00,2021-09-21 09:00,2021-09-22 08:00,2021-09-22 08:00,recovered'], 'cases_discharge.csv')).toMatchObject({ updated: 0, unchanged: 1 });
    // The contacts' codes follow their own schedules (counted from their exposure or quarantine), not the case's discharge.
    expect(await contactColours()).toEqual(before);
  });

  it('reimport-update: a corrected re-import of persons updates the garbled names and says "2 updated", with each change recorded from file and line', async () => {
    const garbled = ['id_number,name,community_code,phone', '430102198503112018,å¼ ä¼Ÿæ˜Ž,430102001001,13907310000', '430102198503112122,æŽç§€è‹±,430102001001,13907310001'];
    expect(await w.feed('persons', garbled, 'persons_garbled.csv')).toMatchObject({ inserted: 2 });
    const corrected = ['id_number,name,community_code,phone', '430102198503112018,张伟明,430102001001,13907310000', '430102198503112122,李秀英,430102001001,13907310001'];
    expect(await w.feed('persons', corrected, 'persons_corrected_utf8.csv')).toMatchObject({ rows: 2, inserted: 0, updated: 2, unchanged: 0 });
    const ids = await w.s.store.persons.idsByHash([...(await import('../src/domain/identity.ts')).hashIdNumber('430102198503112018', TEST_KEY)].length ? [(await import('../src/domain/identity.ts')).hashIdNumber('430102198503112018', TEST_KEY)] : []);
    const id = [...ids.values()][0];
    expect((await w.s.store.persons.get(id))!.name).toBe('张伟明');
    const fix = await w.s.store.corrections.of('person', String(id));
    expect(fix).toEqual([expect.objectContaining({ changes: { name: ['å¼ ä¼Ÿæ˜Ž', '张伟明'] }, source: 'import:persons_corrected_utf8.csv:2' })]);
    // Through the API the history names the field, not the values (personal data stays masked).
    expect((await get(`/api/persons/${id}/history`)).body.items).toEqual([expect.objectContaining({ fields: ['name'], source: 'import:persons_corrected_utf8.csv:2' })]);
    expect(await w.feed('persons', corrected, 'persons_corrected_utf8.csv')).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('followup-overdue: no "test of day 1 not taken" at identification for a day already over; a negative sample taken now leaves no overdue reason', async () => {
    await w.feed('presence', ['id_number,place_code,start,end,source', '430102198705240712,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan', '430102198806160228,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan'], 'presence_recent.csv');
    const ra = await confirm({ caseNo: 'BH-RA', kind: 'confirmed', onsetAt: '2026-11-28 10:00', sampledAt: '2026-11-29 09:00', confirmedAt: '2026-11-30 08:00', isolatedAt: '2026-11-30 08:00', detectedBy: 'symptoms' }, 'RA');
    expect(ra.status).toBe(201);
    const l = await w.id('L');
    const before = (await get(`/api/persons/${l}/code`)).body;
    expect(before.colour).toBe('red');
    expect(before.reasons.map((r: { condition: string }) => r.condition)).toEqual(['close_contact_in_centralized_quarantine']);
    w.clock.set(t('2026-11-30 19:46'));
    const sample = await post('/api/samples', { sampleNo: 'BH-S-0001', personId: l, method: 'single', sampledAt: '2026-11-30 19:46', result: 'negative', resultAt: '2026-11-30 19:46', lab: 'BH lab' });
    expect(sample.status).toBe(201);
    // A day later (day 1 overdue from identification plus the grace) and later still: no overdue test.
    for (const at of ['2026-12-01 20:00', '2026-12-02 20:00']) {
      w.clock.set(t(at));
      expect((await get(`/api/persons/${l}/code`)).body.reasons.map((r: { condition: string }) => r.condition), at).not.toContain('overdue_required_test');
    }
  });

  it('at-query-ignored: what-if reads are computed for their moment and stored nowhere; the live code stays red and its token is denied', async () => {
    await w.feed('presence', ['id_number,place_code,start,end,source', '430102198705240712,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan', '430102198806160228,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan'], 'presence_recent.csv');
    await confirm({ caseNo: 'BH-RA', kind: 'confirmed', onsetAt: '2026-11-28 10:00', sampledAt: '2026-11-29 09:00', confirmedAt: '2026-11-30 08:00', isolatedAt: '2026-11-30 08:00', detectedBy: 'symptoms' }, 'RA');
    const l = await w.id('L');
    const live = async () => (await get(`/api/persons/${l}/code`)).body;
    const first = await live();
    expect(first).toMatchObject({ colour: 'red', whatIf: false, reasons: [expect.objectContaining({ condition: 'close_contact_in_centralized_quarantine', untilAt: '2026-12-11T19:30:00+08:00' })] });
    const whatIf = async (at: string) => (await get(`/api/persons/${l}/code?at=${encodeURIComponent(at)}`)).body;
    // Past the period's end with no test taken, the contact is not released: the period stands (red, until a release)
    // beside the home monitoring that follows it.
    const future = await whatIf('2026-12-13 12:00');
    expect(future).toMatchObject({ colour: 'red', whatIf: true, since: '2026-12-13T12:00:00+08:00' });
    expect(future.reasons).toContainEqual(expect.objectContaining({ condition: 'close_contact_in_centralized_quarantine', untilAt: null }));
    expect(future.reasons.map((r: { condition: string }) => r.condition)).toContain('home_monitoring');
    expect(await live()).toMatchObject({ colour: 'red', since: first.since, validUntil: first.validUntil });
    expect(await whatIf('2026-11-28 12:00')).toMatchObject({ colour: 'green', whatIf: true });
    expect(await whatIf('2027-01-30 12:00')).toMatchObject({ colour: 'red', whatIf: true, reasons: [expect.objectContaining({ condition: 'close_contact_in_centralized_quarantine', untilAt: null })] });
    const now = await live();
    expect(now).toMatchObject({ colour: 'red', since: first.since });
    expect(await w.s.store.codes.transitionsOf(l)).toHaveLength(1);
    const v = await post('/api/codes/verify', { token: await phoneToken(app, l) });
    expect(v.body).toMatchObject({ verdict: 'deny', colour: 'red' });
    // A what-if beyond the edition's look-ahead, or a client time on a verification, is refused.
    expect((await get(`/api/persons/${l}/code?at=2099-01-01 00:00`)).body.error.code).toBe('TIME_IMPLAUSIBLE');
    expect((await post('/api/codes/verify', { token: await phoneToken(app, l), at: 1_900_000_000 })).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('two-digit-year: presence in the year 0021 or 2201 is refused with file:line, field and reason, and nothing is stored', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-years-'));
    try {
      const before = (await w.s.store.stats.totals()).presence;
      for (const [name, year, reason] of [['presence_year0021.csv', '0021', /is before 2019-12-01, the earliest plausible date/], ['presence_year2201.csv', '2201', /is after 2026-12-01 19:45, the latest plausible time/]] as const) {
        const file = path.join(dir, name);
        fs.writeFileSync(file, `id_number,place_code,start,end,source\n430102198604120316,BH-R3,${year}-09-10 12:00,${year}-09-10 13:00,venue_scan\n`);
        const e = await importFile({ ctx: w.ctx, store: w.s.store, edition: w.s.edition, kind: 'presence', file, idHashKey: TEST_KEY }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(ImportRejectedError);
        const problems = (e as ImportRejectedError).problems;
        expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([[name, 2, 'start'], [name, 2, 'end']]);
        expect(problems[0].reason).toMatch(reason);
      }
      expect((await w.s.store.stats.totals()).presence).toBe(before);
      // The same through the API: a case sampled in the year 0000 is refused, not traced from 1899.
      const r = await confirm({ ...caseA, caseNo: 'BH-Y', sampledAt: '0000-01-01 00:00' }, 'A');
      expect(r).toMatchObject({ status: 422, body: { error: { code: 'TIME_IMPLAUSIBLE', details: [expect.objectContaining({ field: 'sampledAt' })] } } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
