/**
 * Supervision on both engines: an inspection's findings become rectification tasks for the unit inspected (a place's
 * unit is its region), due in the inspector's hours or the edition's; the holder cannot close one, a re-inspection
 * does (passed: done; not passed: open, with the new deadline, late afresh); the open ones counted by level; refusals
 * change nothing.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { FIELD_NOW, fieldWorld, type FieldWorld } from '../../../test/fieldCases.ts';
import { DomainError } from '../../domain/errors.ts';
import { HOUR } from '../../domain/time.ts';
import { recordInspection, reinspect } from './supervision.ts';
import { escalateOverdue, workOnTask } from './tasks.ts';

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
const COMMUNITY = '430102001001';

describeEachEngine('supervision: inspections, rectifications, re-inspections', (engine) => {
  let w: FieldWorld;
  beforeEach(async () => { w = await fieldWorld(engine); });
  afterEach(async () => { await w?.close(); });

  it('turns each finding into a rectification for the unit, closed only by a re-inspection that passes it', async () => {
    const place = (await w.s.store.places.byCode('BH-K1'))!;
    const r = await recordInspection(w.ctx, w.s, {
      placeId: place.id, summary: '督查组检查星光KTV', findings: [{ text: '未查验健康码', withinHours: 6 }, { text: '未落实通风消毒' }],
    });
    expect(r.inspection).toMatchObject({ regionCode: COMMUNITY, placeId: place.id, kind: 'inspection', inspectedAt: FIELD_NOW });
    expect(r.tasks.map((t) => [t.title, t.kind, t.regionCode, t.level, t.ownerRole, t.dueAt - FIELD_NOW, t.status])).toEqual([
      ['未查验健康码', 'rectification', COMMUNITY, 'community', 'grid_worker', 6 * HOUR, 'assigned'],
      ['未落实通风消毒', 'rectification', COMMUNITY, 'community', 'grid_worker', w.s.edition.command.taskWithinHours.rectification * HOUR, 'assigned'],
    ]);
    expect(r.inspection.findings.map((f) => f.taskId)).toEqual(r.tasks.map((t) => t.id));
    const [first, second] = r.tasks;
    // The holder works on it but cannot close it.
    const worker = { ...w.ctx, scope: COMMUNITY };
    await workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: first.id, status: 'accepted' });
    expect(await code(workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: first.id, status: 'done', note: '已整改' }))).toBe('REINSPECTION_REQUIRED');
    // Counted open at its level.
    const open = (await w.s.store.command.counts({ kind: 'rectification' })).filter((c) => c.status !== 'done');
    expect(open.reduce((n, c) => n + c.count, 0)).toBe(2);
    // Re-inspected and not passed: open, with a new deadline; passed: done, with the re-inspection as evidence.
    const again = await reinspect(w.ctx, w.s, { taskId: first.id, passed: false, note: '仍未设置查验岗', dueAt: FIELD_NOW + 3 * HOUR });
    expect(again.task).toMatchObject({ status: 'accepted', dueAt: FIELD_NOW + 3 * HOUR });
    expect(again.inspection).toMatchObject({ kind: 're-inspection', taskId: first.id, passed: false });
    const passed = await reinspect(w.ctx, w.s, { taskId: first.id, passed: true, note: '已设置查验岗' });
    expect(passed.task.status).toBe('done');
    expect(passed.task.note).toBe(`re-inspection passed (inspection ${passed.inspection.id}): 已设置查验岗`);
    expect((await w.s.store.corrections.of('task', String(first.id))).map((c) => c.changes.status?.[1] ?? null)).toEqual(['accepted', null, 'done']);
    expect(await code(reinspect(w.ctx, w.s, { taskId: first.id, passed: true, note: '再次' }))).toBe('INVALID_TRANSITION');
    // Past its deadline, the other is escalated like any task.
    w.clock.set(second.dueAt + 60);
    await escalateOverdue(w.ctx, w.s.store);
    expect(await w.s.store.command.task(second.id)).toMatchObject({ status: 'escalated', escalatedTo: '430102001' });
    expect((await w.s.store.supervision.list({ taskId: first.id }, { limit: 10 })).items.map((i) => i.passed)).toEqual([false, true]);
  });

  it('refuses an inspection of neither or both, outside the region, of an unknown unit, and a re-inspection of a task that is no rectification; nothing is written', async () => {
    const county = { ...w.ctx, scope: '430103' };
    expect(await code(recordInspection(w.ctx, w.s, { summary: 'x', findings: [] }))).toBe('VALIDATION_FAILED');
    expect(await code(recordInspection(w.ctx, w.s, { regionCode: COMMUNITY, placeId: 1, summary: 'x', findings: [] }))).toBe('VALIDATION_FAILED');
    expect(await code(recordInspection(county, w.s, { regionCode: COMMUNITY, summary: 'x', findings: [{ text: 'y' }] }))).toBe('OUT_OF_SCOPE');
    expect(await code(recordInspection(county, w.s, { placeId: (await w.s.store.places.byCode('BH-K1'))!.id, summary: 'x', findings: [{ text: 'y' }] }))).toBe('NOT_FOUND');
    expect(await code(recordInspection(w.ctx, w.s, { regionCode: '430102009999', summary: 'x', findings: [{ text: 'y' }] }))).toBe('UNKNOWN_REFERENCE');
    expect(await code(recordInspection(w.ctx, w.s, { regionCode: COMMUNITY, summary: 'x', findings: [{ text: 'y', withinHours: 24 * 400 }] }))).toBe('TIME_IMPLAUSIBLE');
    expect((await w.s.store.supervision.list({}, { limit: 10 })).items).toEqual([]);
    expect((await w.s.store.command.tasks({ kind: 'rectification' }, { limit: 10 })).items).toEqual([]);
    // An inspection that found nothing is recorded, with no task.
    const clean = await recordInspection(w.ctx, w.s, { regionCode: COMMUNITY, summary: '检查未发现问题', findings: [] });
    expect(clean.tasks).toEqual([]);
    const { directive } = await import('./tasks.ts').then((m) => m.issueDirective(w.ctx, w.s, { kind: 'publicity', text: '宣传', regionCode: COMMUNITY }));
    const other = (await w.s.store.command.tasks({ directiveId: directive.id }, { limit: 10 })).items[0];
    expect(await code(reinspect(w.ctx, w.s, { taskId: other.id, passed: true, note: 'x' }))).toBe('NOT_FOUND');
    const r = await recordInspection(w.ctx, w.s, { regionCode: COMMUNITY, summary: 'x', findings: [{ text: 'y' }] });
    expect(await code(reinspect(w.ctx, w.s, { taskId: r.tasks[0].id, passed: true, note: 'x', dueAt: FIELD_NOW + HOUR }))).toBe('VALIDATION_FAILED');
    expect(await code(reinspect(w.ctx, w.s, { taskId: r.tasks[0].id, passed: false, note: 'x', dueAt: FIELD_NOW - HOUR }))).toBe('VALIDATION_FAILED');
    expect(await code(reinspect(county, w.s, { taskId: r.tasks[0].id, passed: true, note: 'x' }))).toBe('NOT_FOUND');
    expect((await w.s.store.command.task(r.tasks[0].id))!.status).toBe('assigned');
  });
});
