/**
 * The command routes on both engines, as the roles that use them: a provincial command issues a directive and reads
 * its completion level by level; a grid worker lists their grid's tasks only (with `total`), completes one with
 * evidence, and is refused another grid's task (404, as if it did not exist); a deadline after the parent's is 422
 * DEADLINE_AFTER_PARENT; a case confirmed through the API gives its close contacts transfer tasks, listed at once.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { FIELD_NOW, fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import type { Role } from '../domain/access.ts';
import { formatTime, HOUR, parseTime } from '../domain/time.ts';
import { escalateOverdue } from '../services/command/tasks.ts';

const GRID = '43010200100101';
const GRID2 = '43010200100102';

describeEachEngine('api: command centre', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  const as = actors.as;

  beforeEach(async () => {
    w = await fieldWorld(engine);
    await w.s.store.regions.insertMany([{ code: GRID2, name: '识字里社区居委会第2网格', level: 'grid', parentCode: '430102001001', functionalZone: false }]);
    app = await fieldApp(w);
    await actors.enter(w.s.store, [['provincial_command', '43'], ['county_command', '430102'], ['grid_worker', GRID], ['grid_worker', GRID2], ['checkpoint_staff', '43'], ['cdc_investigator', '43']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('decomposes a directive, shows each level only its part, lets a grid worker complete their task, and refuses another grid\'s', async () => {
    const issued = await as('provincial_command', '43', 'POST', '/api/directives', { kind: 'door_to_door', text: '全面排查近14天来自中高风险地区人员', dueAt: formatTime(FIELD_NOW + 12 * HOUR) });
    expect(issued.statusCode).toBe(201);
    const { directive, tasks } = issued.json() as { directive: { id: number; level: string; units: string[] }; tasks: number };
    expect([directive.level, directive.units, tasks]).toEqual(['province', ['43'], 8]);
    // The province sees all 8; the county the 6 from the county down; a grid worker their grid's one.
    const list = async (role: Role, scope: string, q = '') => (await as(role, scope, 'GET', `/api/tasks?directiveId=${directive.id}${q}`)).json() as { items: { id: number; regionCode: string; level: string }[]; total: number };
    expect((await list('provincial_command', '43')).total).toBe(8);
    expect((await list('county_command', '430102')).items.map((t) => t.regionCode)).toEqual(['430102', '430102001', '430102001001', '430102001002', GRID, GRID2]);
    const mine = await list('grid_worker', GRID);
    expect([mine.total, mine.items.map((t) => t.regionCode)]).toEqual([1, [GRID]]);
    const paged = await list('provincial_command', '43', '&limit=3');
    expect([paged.items.length, paged.total]).toEqual([3, 8]);
    const theirs = (await list('grid_worker', GRID2)).items[0].id;
    // Another grid's task: unknown here, as for a read (nothing told about where it is), and it is unchanged.
    const refused = await as('grid_worker', GRID, 'POST', `/api/tasks/${theirs}/complete`, { note: '已完成' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect(refused.body).not.toContain(GRID2);
    expect((await as('grid_worker', GRID2, 'GET', `/api/tasks/${theirs}`)).json().task.status).toBe('assigned');
    // Completing without evidence is a 400; with it, done, and the history says who and why.
    expect((await as('grid_worker', GRID, 'POST', `/api/tasks/${mine.items[0].id}/complete`, {})).statusCode).toBe(400);
    const done = await as('grid_worker', GRID, 'POST', `/api/tasks/${mine.items[0].id}/complete`, { note: '入户排查 112 户，发现 2 人已报备' });
    expect([done.statusCode, done.json().status]).toEqual([200, 'done']);
    const one = (await as('grid_worker', GRID, 'GET', `/api/tasks/${mine.items[0].id}`)).json() as { history: { changes: Record<string, unknown>; actor: string }[] };
    expect(one.history[0]).toMatchObject({ changes: { status: ['assigned', 'done'] }, actor: expect.stringMatching(/^api:key:test-grid_worker-/) as string });
    // Completion by level, as the province sees it.
    const dr = await as('provincial_command', '43', 'GET', `/api/directives/${directive.id}`);
    expect(dr.statusCode, dr.body).toBe(200);
    const levels = dr.json().levels as { level: string; total: number; counts: Record<string, number>; doneShare: number }[];
    expect(levels.find((l) => l.level === 'grid')).toEqual({ level: 'grid', total: 2, counts: { done: 1, assigned: 1 }, doneShare: 0.5 });
    // A grid worker may not issue directives, nor move deadlines; a checkpoint sees no tasks.
    expect((await as('grid_worker', GRID, 'POST', '/api/directives', { kind: 'other', text: 'x' })).statusCode).toBe(403);
    expect((await as('checkpoint_staff', '43', 'GET', '/api/tasks')).statusCode).toBe(403);
  });

  it('refuses a deadline after the parent\'s and a directive outside the issuer\'s region, writing nothing', async () => {
    const { directive } = (await as('county_command', '430102', 'POST', '/api/directives', { kind: 'mass_testing', text: '全员核酸', units: [GRID] })).json() as { directive: { id: number; dueAt: string } };
    const items = (await as('county_command', '430102', 'GET', `/api/tasks?directiveId=${directive.id}&level=grid`)).json().items as { id: number; dueAt: string }[];
    const late = await as('county_command', '430102', 'POST', `/api/tasks/${items[0].id}/deadline`, { dueAt: formatTime(FIELD_NOW + 72 * HOUR), reason: '延后' });
    expect([late.statusCode, late.json().error.code]).toEqual([422, 'DEADLINE_AFTER_PARENT']);
    expect((await as('county_command', '430102', 'GET', `/api/tasks/${items[0].id}`)).json().task.dueAt).toBe(items[0].dueAt);
    const outside = await as('county_command', '430102', 'POST', '/api/directives', { kind: 'other', text: '越权', regionCode: '4302' });
    expect([outside.statusCode, outside.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await as('provincial_command', '43', 'GET', '/api/directives')).json().items).toHaveLength(1);
  });

  it('gives a confirmed case\'s close contacts transfer tasks at once, and shows an overdue one escalated to the unit above', async () => {
    // The day after the confirmation: the contacts' quarantine still runs (none is made for a period over already).
    w.clock.set(parseTime('2021-09-22 10:00')!);
    const a = await w.id('A');
    const confirmed = await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: a, kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    const transfers = (await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json() as { items: { id: number; regionCode: string; subjectPersonId: number; late: boolean }[]; total: number };
    expect(transfers.total).toBeGreaterThan(1);
    expect(transfers.items.every((t) => t.regionCode === '430102001001' && !t.late)).toBe(true);
    w.clock.advance((w.s.edition.closeContact.transferWithinHours + 1) * HOUR);
    await escalateOverdue(w.ctx, w.s.store);
    const escalated = (await as('county_command', '430102', 'GET', '/api/tasks?escalatedTo=430102001&status=escalated')).json() as { items: { late: boolean }[]; total: number };
    expect([escalated.total, escalated.items.every((t) => t.late)]).toEqual([transfers.total, true]);
    const outside = await as('grid_worker', GRID, 'GET', '/api/tasks?escalatedTo=430102001');
    expect([outside.statusCode, outside.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
  });

  it('records a county\'s inspection of a grid with a finding, which the grid worker works but only a re-inspection closes', async () => {
    // A grid worker inspects nothing; a county command inspects its grid.
    expect((await as('grid_worker', GRID, 'POST', '/api/inspections', { regionCode: GRID, summary: '自查', findings: [] })).statusCode).toBe(403);
    const made = await as('county_command', '430102', 'POST', '/api/inspections', { regionCode: GRID, summary: '督查组入户抽查', findings: [{ text: '居家隔离人员门磁未安装', withinHours: 12 }] });
    expect(made.statusCode).toBe(201);
    const { inspection, tasks } = made.json() as { inspection: { id: number; findings: { taskId: number }[] }; tasks: { id: number; kind: string; regionCode: string; dueAt: string }[] };
    expect(tasks).toEqual([expect.objectContaining({ kind: 'rectification', regionCode: GRID })]);
    expect(Date.parse(tasks[0].dueAt) / 1000).toBe(FIELD_NOW + 12 * HOUR);
    expect(inspection.findings[0].taskId).toBe(tasks[0].id);
    const done = await as('grid_worker', GRID, 'POST', `/api/tasks/${tasks[0].id}/complete`, { note: '已安装' });
    expect([done.statusCode, done.json().error.code]).toEqual([409, 'REINSPECTION_REQUIRED']);
    // Open rectifications by level, then the re-inspection that passes it.
    const open = (await as('provincial_command', '43', 'GET', '/api/tasks/summary?kind=rectification')).json() as { levels: { level: string; total: number }[] };
    expect(open.levels).toEqual([expect.objectContaining({ level: 'grid', total: 1 })]);
    // Listed among the grid's open tasks, with its unit's name; done, it is no longer.
    const openList = async () => (await as('grid_worker', GRID, 'GET', '/api/tasks?open=true')).json() as { items: { id: number; regionName: string }[]; total: number };
    expect((await openList()).items).toEqual([expect.objectContaining({ id: tasks[0].id, regionName: '识字里社区居委会第1网格' })]);
    const passed = await as('county_command', '430102', 'POST', `/api/tasks/${tasks[0].id}/reinspect`, { passed: true, note: '复查已安装' });
    expect((await openList()).total).toBe(0);
    expect([passed.statusCode, passed.json().task.status]).toEqual([200, 'done']);
    expect((await as('county_command', '430102', 'GET', `/api/inspections/${inspection.id}`)).json().tasks[0].status).toBe('done');
    expect((await as('county_command', '430102', 'GET', `/api/inspections?taskId=${tasks[0].id}`)).json().items).toEqual([expect.objectContaining({ kind: 're-inspection', passed: true })]);
  });

  it('refuses a directive, a finding, a note, a reason or a site with nothing to read (zero-width spaces only), naming the field; nothing is written', async () => {
    const blank = '\u200b\u200b \ufeff';
    const d = await as('provincial_command', '43', 'POST', '/api/directives', { kind: 'other', text: blank });
    expect([d.statusCode, d.json().error.code, d.json().error.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'text']);
    const i = await as('county_command', '430102', 'POST', '/api/inspections', { regionCode: GRID, summary: '抽查', findings: [{ text: blank }] });
    expect([i.statusCode, i.json().error.details[0].field]).toEqual([400, 'findings.0.text']);
    expect((await w.s.store.command.directives(undefined, { limit: 10 })).items).toEqual([]);
    expect((await w.s.store.supervision.list({}, { limit: 10 })).items).toEqual([]);
    // Nor a reason to cancel, re-time or reassign a task, a transfer's site, a contact's or a venue order's reason.
    const issued = await as('provincial_command', '43', 'POST', '/api/directives', { kind: 'other', text: '排查', units: [GRID] });
    expect(issued.statusCode, issued.body).toBe(201);
    const task = (await w.s.store.command.tasks({ directiveId: issued.json().directive.id, regionCode: GRID }, { limit: 5 })).items[0];
    for (const [path, body, field] of [
      ['cancel', { reason: blank }, 'reason'], ['deadline', { dueAt: '2026-12-01 08:00', reason: '\u200b\u2060' }, 'reason'], ['reassign', { userId: 1, reason: blank }, 'reason'],
      ['complete', { note: '已转运', site: '\u200b' }, 'site'],
      // Invisible characters of other kinds: direction marks, invisible operators, a Mongolian separator, a grapheme joiner.
      ['cancel', { reason: '\u200c\u200d\u200e\u200f\u2061\u2062\u2063\u2064\u180e\u034f' }, 'reason'],
    ] as const) {
      const r = await as('provincial_command', '43', 'POST', `/api/tasks/${task.id}/${path}`, body);
      expect([path, r.statusCode, r.json().error.code, r.json().error.details[0].field]).toEqual([path, 400, 'VALIDATION_FAILED', field]);
    }
    expect(await w.s.store.command.task(task.id)).toEqual(task);
    expect(await w.s.store.corrections.of('task', String(task.id))).toEqual([]);
    for (const reason of [blank, '\u3164']) {
      const status = await as('grid_worker', GRID, 'POST', '/api/contacts/1/status', { status: 'notified', reason });
      expect([status.statusCode, status.json().error.details[0].field]).toEqual([400, 'reason']);
    }
    // A past day that is no date is said to be no date.
    const day = await as('provincial_command', '43', 'GET', '/api/dashboard?day=2021-02-30');
    expect([day.statusCode, day.json().error.message]).toEqual([400, '2021-02-30 is not a real date (YYYY-MM-DD)']);
  });
});
