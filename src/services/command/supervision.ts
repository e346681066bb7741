/**
 * Supervision (PROTOCOL.md, "Command and coordination": supervision teams check that measures are carried out, and
 * problems found become rectification tasks). An inspection of a unit, or of a place (its unit is the place's), records
 * its findings; each finding is a rectification task for the unit, held by the role at its level, due in the hours the
 * inspector gives or the edition's `command.taskWithinHours.rectification`. The holder accepts and works it; only a
 * re-inspection closes it: passed, the task is done; not passed, it stays open with the finding of the re-inspection
 * and, when given, a new deadline. Open rectifications by level: GET /api/tasks/summary?kind=rectification.
 */
import { DomainError } from '../../domain/errors.ts';
import { assertInScope, levelOfCode } from '../../domain/access.ts';
import type { Task } from '../../domain/model/index.ts';
import { OWNER_ROLE_BY_LEVEL } from '../../domain/rules/command.ts';
import { HOUR } from '../../domain/time.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { Finding, Inspection } from '../../storage/sql/supervision.ts';
import { assertPlausibleTimes } from '../times.ts';
import { recordTaskChange, type CommandDeps } from './tasks.ts';

export const RECTIFICATION = 'rectification';

/**
 * Records an inspection of `regionCode` or of the place `placeId` (one of them; a place's unit is its region) with its
 * findings (`withinHours`: hours to put each right, default the edition's), and a rectification task per finding, in
 * one transaction. Errors: VALIDATION_FAILED (neither or both of unit and place), NOT_FOUND (a place or unit not in the
 * actor's scope: nothing is told of other regions), UNKNOWN_REFERENCE (no such region).
 */
export async function recordInspection(ctx: Ctx, deps: CommandDeps, props: { regionCode?: string; placeId?: number; summary: string; findings: { text: string; withinHours?: number }[] }): Promise<{ inspection: Inspection; tasks: Task[] }> {
  const { store, edition } = deps;
  if ((props.regionCode === undefined) === (props.placeId === undefined)) {
    const reason = props.regionCode === undefined ? 'name the unit (regionCode) or the place (placeId) inspected' : 'name the unit or the place, not both';
    throw new DomainError('invalid', 'VALIDATION_FAILED', `an inspection is of a unit or of a place: ${reason}`, [{ field: 'regionCode', reason }]);
  }
  let unit = props.regionCode;
  if (props.placeId !== undefined) {
    const place = await store.places.get(props.placeId, ctx.scope);
    if (!place) throw new DomainError('not_found', 'NOT_FOUND', `No place with id ${props.placeId}.`);
    unit = place.regionCode;
  }
  assertInScope(ctx.scope, unit!, props.placeId !== undefined ? 'placeId' : 'regionCode');
  if (!(await store.regions.get(unit!))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No region with code ${unit}.`, [{ field: 'regionCode', reason: 'no such region' }]);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  const level = levelOfCode(unit!) ?? 'grid';
  const hours = props.findings.map((f) => f.withinHours ?? edition.command.taskWithinHours.rectification);
  assertPlausibleTimes(ctx, edition, Object.fromEntries(hours.map((h, i) => [`findings[${i}].withinHours`, now + h * HOUR])), { whatIf: true });
  const id = await store.transaction(async (tx) => {
    const inspectionId = await tx.supervision.insert({ regionCode: unit!, placeId: props.placeId ?? null, kind: 'inspection', taskId: null, passed: null, summary: props.summary, findings: [], inspector: actor, inspectedAt: now });
    await tx.command.insertTasks(props.findings.map((f, i) => ({
      parentId: null, directiveId: null, title: f.text, kind: RECTIFICATION, level, regionCode: unit!, ownerUserId: null, ownerRole: OWNER_ROLE_BY_LEVEL[level],
      dueAt: now + hours[i] * HOUR, status: 'assigned' as const, subjectPersonId: null, subjectKey: `inspection:${inspectionId}`, sourceKey: `finding:${inspectionId}:${i}`, createdAt: now,
    })));
    const made = await tx.command.openTasksAbout(RECTIFICATION, [`inspection:${inspectionId}`]);
    const bySource = new Map(made.map((t) => [t.sourceKey, t.id]));
    const findings: Finding[] = props.findings.map((f, i) => ({ text: f.text, withinHours: hours[i], taskId: bySource.get(`finding:${inspectionId}:${i}`) ?? null }));
    await tx.supervision.setFindings(inspectionId, findings);
    if (made.length > 0) await tx.events.append(made.map((t) => ({ kind: 'task.changed' as const, payload: { taskId: t.id, status: t.status } })), actor, now);
    return inspectionId;
  });
  await deps.events.settle();
  const inspection = (await store.supervision.get(id))!;
  const tasks = await Promise.all(inspection.findings.map(async (f) => (await store.command.task(f.taskId!))!));
  return { inspection, tasks };
}

/**
 * Re-inspects the rectification `taskId`: recorded as an inspection of its unit; `passed` makes the task done (with the
 * note as its evidence), else it stays open with the note and, when given, the new deadline `dueAt` (epoch seconds).
 * Errors: NOT_FOUND (no such task in scope, or not a rectification), INVALID_TRANSITION (done or cancelled already),
 * VALIDATION_FAILED (a deadline with a pass, or a deadline in the past).
 */
export async function reinspect(ctx: Ctx, deps: CommandDeps, props: { taskId: number; passed: boolean; note: string; dueAt?: number }): Promise<{ inspection: Inspection; task: Task }> {
  const { store, edition } = deps;
  const t = await store.command.task(props.taskId, ctx.scope);
  if (!t || t.kind !== RECTIFICATION) throw new DomainError('not_found', 'NOT_FOUND', `No rectification task with id ${props.taskId}.`);
  if (t.status === 'done' || t.status === 'cancelled') throw new DomainError('conflict', 'INVALID_TRANSITION', `the rectification is ${t.status} and can no longer change`);
  if (props.passed && props.dueAt !== undefined) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a rectification that passed needs no new deadline', [{ field: 'dueAt', reason: 'only when it did not pass' }]);
  const now = ctx.clock.now();
  if (props.dueAt !== undefined) {
    if (props.dueAt <= now) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the new deadline is in the past', [{ field: 'dueAt', reason: 'not in the future' }]);
    assertPlausibleTimes(ctx, edition, { dueAt: props.dueAt }, { whatIf: true });
  }
  const actor = actorName(ctx.actor);
  const id = await store.transaction(async (tx) => {
    const inspectionId = await tx.supervision.insert({ regionCode: t.regionCode, placeId: null, kind: 're-inspection', taskId: t.id, passed: props.passed, summary: props.note, findings: [], inspector: actor, inspectedAt: now });
    const note = `${props.passed ? 're-inspection passed' : 're-inspection not passed'} (inspection ${inspectionId}): ${props.note}`;
    if (props.passed) {
      await tx.command.updateTask(t.id, { status: 'done', statusAt: now, note });
      await recordTaskChange(tx, t, { status: [t.status, 'done'], note: [t.note, note] }, note, actor, now, ctx.actor.kind);
    } else {
      // Not put right: it stays open; a new deadline starts its lateness afresh (escalated once more if missed again).
      await tx.command.updateTask(t.id, { note, ...(props.dueAt !== undefined ? { dueAt: props.dueAt, lateAt: null } : {}) });
      await recordTaskChange(tx, t, { note: [t.note, note], ...(props.dueAt !== undefined ? { dueAt: [t.dueAt, props.dueAt] } : {}) }, note, actor, now, ctx.actor.kind);
    }
    await tx.events.append([{ kind: 'task.changed', payload: { taskId: t.id, status: props.passed ? 'done' : t.status } }], actor, now);
    return inspectionId;
  });
  await deps.events.settle();
  return { inspection: (await store.supervision.get(id))!, task: (await store.command.task(t.id))! };
}
