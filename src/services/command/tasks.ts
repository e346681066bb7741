/**
 * The command mechanism's use cases (PROTOCOL.md, "Command and coordination"; issue "Command centre"): a directive
 * issued at a unit is decomposed into a task per unit below it, level by level down to the grids, each held by the
 * role at that unit (or a named user) with a deadline no later than its parent's; tasks are accepted, worked and done
 * with evidence, reassigned or cancelled with a reason (kept in the corrections); a parent is done when every child
 * is; an open task past its deadline is escalated to the unit above. The event flow makes tasks from facts
 * (`tasksFromEvent`). Every change of a task is recorded (who, when, why, before and after).
 */
import { assertInScope, inScope, levelOfCode, mayAct, type Role } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { StoredEvent } from '../../domain/events.ts';
import type { Directive, Task } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { awaitsTransfer, countyOf, deadlineProblem, OWNER_ROLE_BY_LEVEL, taskTransitionProblem, unitAbove } from '../../domain/rules/command.ts';
import { DAY, formatTime, HOUR } from '../../domain/time.ts';
import { normalizeRoom, quarantineSchedule } from '../../domain/rules/quarantine.ts';
import { CODE_LENGTH, type DirectiveKind, type RegionLevel, type TaskStatus } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import { HUNAN } from '../divisions.ts';
import { assertPlausibleTimes } from '../times.ts';
import type { NewTask } from '../../storage/sql/command.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import { setContactStatusIn } from '../cases/corrections.ts';
import { assignIn, siteWithinReach } from '../quarantine/quarantine.ts';
import type { HealthCodeService, RecomputeResult } from '../codes/healthCodes.ts';
import type { EventDispatcher } from '../events/dispatcher.ts';

/** What the command use cases work with. */
export interface CommandDeps { store: Store; edition: ProtocolEdition; events: EventDispatcher }

/** Who acts on a task besides the context: their user id (null: an API key, the CLI, the system) and role. */
export interface TaskActor { userId: number | null; role: Role | null }

/** Roles that direct work in their region: they may work, reassign, cancel and re-time any task inside it. */
const DIRECTING_ROLES: readonly Role[] = ['provincial_command', 'city_command', 'county_command'];

const levelOf = (code: string): RegionLevel => levelOfCode(code) ?? 'grid';

/** The unit a person's task goes to: their grid when they have one, else their community. */
const homeUnit = (p: { communityCode: string; gridCode: string | null }) => p.gridCode ?? p.communityCode;

/**
 * Issues a directive at `regionCode` (the actor's own unit by default; it must lie in the actor's scope) covering
 * `units` (default: the whole unit; each inside it and a known region), due at `dueAt` (default: now plus the edition's
 * hours for its kind; not in the past). Stores the directive and its tasks in one transaction: one at the issuing
 * unit, one at each unit between it and a covered unit, and one at every unit inside a covered unit down to the grids,
 * each child under the task of the unit above it. Errors: OUT_OF_SCOPE (the unit or one covered outside the actor's
 * region), UNKNOWN_REFERENCE (a unit that is no region),
 * VALIDATION_FAILED (a unit not inside the issuing unit, a deadline in the past).
 */
export async function issueDirective(ctx: Ctx, deps: CommandDeps, props: { kind: DirectiveKind; text: string; regionCode?: string; units?: string[]; dueAt?: number }): Promise<{ directive: Directive; tasks: number }> {
  const { store, edition } = deps;
  const now = ctx.clock.now();
  const at = props.regionCode ?? ctx.scope ?? HUNAN;
  assertInScope(ctx.scope, at, 'regionCode');
  const units = [...new Set(props.units ?? [at])];
  // A unit outside the actor's region is refused as the region itself would be; one inside it but not inside the
  // issuing unit is a directive that does not hold together.
  const beyond = ctx.scope ? units.filter((u) => !inScope(ctx.scope!, u)) : [];
  if (beyond.length > 0) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `units outside your region (${ctx.scope}): ${beyond.join(', ')}`, beyond.map((u) => ({ field: 'units', reason: `${u} is outside ${ctx.scope}` })));
  const outside = units.filter((u) => !u.startsWith(at));
  if (outside.length > 0) throw new DomainError('invalid', 'VALIDATION_FAILED', `units not inside ${at}: ${outside.join(', ')}`, outside.map((u) => ({ field: 'units', reason: `${u} is not inside ${at}` })));
  const unknown: { field: string; reason: string }[] = [];
  if (!(await store.regions.get(at))) unknown.push({ field: 'regionCode', reason: `no region ${at}` });
  for (const code of units) if (code !== at && !(await store.regions.get(code))) unknown.push({ field: 'units', reason: `no region ${code}` });
  if (unknown.length > 0) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', unknown.map((u) => u.reason).join('; '), unknown);
  const dueAt = props.dueAt ?? now + edition.command.directiveWithinHours[props.kind] * HOUR;
  assertPlausibleTimes(ctx, edition, { dueAt }, { whatIf: true });
  if (dueAt <= now) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the deadline has passed', [{ field: 'dueAt', reason: 'not after now' }]);

  // The units that get a task: the issuing unit, the units on the way down to each covered unit, and all inside them.
  const codes = new Set<string>([at]);
  for (const u of units) {
    for (let c: string | null = u; c && c.length > at.length; c = unitAbove(c)) codes.add(c);
    for (const r of await store.regions.inside(u)) codes.add(r.code);
  }
  const byLevel = new Map<RegionLevel, string[]>();
  for (const c of codes) {
    const here = byLevel.get(levelOf(c));
    if (here) here.push(c);
    else byLevel.set(levelOf(c), [c]);
  }
  const directive: Omit<Directive, 'id' | 'cancelledAt'> = { kind: props.kind, text: props.text, level: levelOf(at), regionCode: at, units, dueAt, issuedBy: actorName(ctx.actor), issuedAt: now };
  const id = await store.transaction(async (tx) => {
    const directiveId = await tx.command.insertDirective(directive);
    let above = new Map<string, { id: number; dueAt: number }>();
    for (const level of ['province', 'city', 'county', 'township', 'community', 'grid'] as const) {
      const here = byLevel.get(level);
      if (!here) continue;
      await tx.command.insertTasks(here.map((code) => ({
        parentId: code === at ? null : nearestTask(above, code), directiveId, title: props.text, kind: props.kind, level, regionCode: code, ownerUserId: null,
        ownerRole: OWNER_ROLE_BY_LEVEL[level], dueAt, status: 'assigned', subjectPersonId: null, subjectKey: null, sourceKey: null, createdAt: now,
      })));
      above = new Map([...above, ...(await tx.command.directiveTaskIds(directiveId, level))]);
    }
    await tx.events.append([{ kind: 'directive.issued', payload: { directiveId, tasks: codes.size } }], actorName(ctx.actor), now);
    return directiveId;
  });
  await deps.events.settle();
  return { directive: (await store.command.directive(id))!, tasks: codes.size };
}

/** The task of the nearest unit above `code` among `tasks` (by unit code). */
function nearestTask(tasks: Map<string, { id: number }>, code: string): number | null {
  for (let c = unitAbove(code); c; c = unitAbove(c)) {
    const t = tasks.get(c);
    if (t) return t.id;
  }
  return null;
}

/**
 * A task the actor may act on: inside their scope (else NOT_FOUND, as for a read: nothing about other regions' tasks
 * leaks), and theirs to work: a command centre over its unit works any task there; anyone else only a task named to
 * them, or, when none is named, one held by their role (a grid worker a grid's or community's task).
 */
async function taskFor(ctx: Ctx, store: Store, who: TaskActor, taskId: number, directing = false): Promise<Task> {
  const t = await store.command.task(taskId, ctx.scope);
  if (!t) throw new DomainError('not_found', 'NOT_FOUND', `No task with id ${taskId}.`);
  const directs = who.role === null || DIRECTING_ROLES.includes(who.role);
  if (directing && !directs) throw new DomainError('forbidden', 'FORBIDDEN', 'only a command centre reassigns, cancels or re-times tasks');
  const holds = t.ownerUserId !== null ? t.ownerUserId === who.userId : who.role === t.ownerRole;
  if (!directs && !holds) throw new DomainError('forbidden', 'NOT_TASK_OWNER', t.ownerUserId !== null ? `task ${taskId} is held by another user` : `task ${taskId} is held by the ${t.ownerRole.replace(/_/g, ' ')} of its unit`);
  return t;
}

/** Records a task's change (who, when, why, before and after). */
export async function recordTaskChange(tx: Repositories, t: Task, changes: Record<string, [unknown, unknown]>, reason: string, actor: string, at: number, source: string): Promise<void> {
  await tx.corrections.record([{ entity: 'task', entityKey: String(t.id), changes, reason, actor, at, source }]);
}

/**
 * Moves a task on: accepted, in progress, or done with evidence (`note`, required); a transfer to quarantine done
 * names the quarantine site (`siteId`, within the actor's reach) and the room (`room`), and puts the contact in
 * quarantine there on the edition's schedule (quarantine.ts's `assignIn`, in the same transaction; their code and
 * other tasks follow through the event flow). A parent whose children are all done or cancelled (one at least done)
 * is done in the same transaction. Errors: NOT_FOUND, OUT_OF_SCOPE, NOT_TASK_OWNER, INVALID_TRANSITION,
 * VALIDATION_FAILED (no evidence, no site or room), UNKNOWN_REFERENCE (no such site within reach), REINSPECTION_REQUIRED
 * (a rectification is done by a re-inspection, `reinspect` in supervision.ts), and those of `assignIn` (SITE_FULL,
 * ROOM_FULL, SITE_CLOSED, NOT_UNDER_MANAGEMENT ...).
 */
export async function workOnTask(ctx: Ctx, deps: CommandDeps, who: TaskActor, props: { taskId: number; status: 'accepted' | 'in_progress' | 'done'; note?: string; siteId?: number; room?: string }): Promise<Task> {
  const { store } = deps;
  const t = await taskFor(ctx, store, who, props.taskId);
  const problem = taskTransitionProblem(t.status, props.status);
  if (problem) throw new DomainError('conflict', 'INVALID_TRANSITION', problem);
  const note = props.note?.trim() || null;
  if (props.status === 'done' && !note) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a task is done with evidence: say what was done', [{ field: 'note', reason: 'required to complete a task' }]);
  const room = props.room?.trim() || null;
  const transferDone = props.status === 'done' && t.kind === 'transfer_to_quarantine';
  if ((props.siteId !== undefined || room) && !transferDone) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', 'a site and room are named only when a transfer to quarantine is done', [{ field: props.siteId !== undefined ? 'siteId' : 'room', reason: 'only for a transfer done' }]);
  }
  if (props.status === 'done' && t.kind === 'rectification') throw new DomainError('conflict', 'REINSPECTION_REQUIRED', 'a rectification is done when a re-inspection passes it (POST /api/tasks/:id/reinspect)');
  const centralized = deps.edition.closeContact.management.kind === 'centralized';
  if (transferDone && centralized && (props.siteId === undefined || !room)) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', 'a transfer is done at a quarantine site\'s room: name both', [
      ...(props.siteId === undefined ? [{ field: 'siteId', reason: 'required to complete a transfer' }] : []), ...(room ? [] : [{ field: 'room', reason: 'required to complete a transfer' }]),
    ]);
  }
  if (props.status === 'done' && t.directiveId !== null) {
    const below = (await store.command.openBelow(t.directiveId, t.regionCode)).length;
    if (below > 0) throw new DomainError('conflict', 'SUBTASKS_OPEN', `${below} task(s) below this one are still open: it is done when they are`);
  }
  const site = transferDone && props.siteId !== undefined ? await siteWithinReach(ctx, store, props.siteId) : null;
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  await store.transaction(async (tx) => {
    const evidence = note;
    if (transferDone && t.subjectPersonId !== null) {
      const where = site ? `${site.name}, room ${normalizeRoom(room ?? '')}` : deps.edition.closeContact.management.kind.replace(/_/g, ' ');
      await assignIn(tx, deps.edition, { personId: t.subjectPersonId, site, room, reason: `transferred to ${where} (task ${t.id})`, taskId: t.id, actor, source: 'task', now, only: 'close' });
    }
    await tx.command.updateTask(t.id, { status: props.status, statusAt: now, ...(evidence ? { note: evidence } : {}) });
    await recordTaskChange(tx, t, { status: [t.status, props.status], ...(evidence ? { note: [t.note, evidence] } : {}) }, evidence ?? props.status, actor, now, ctx.actor.kind);
    if (props.status === 'done') await rollUp(tx, t, actor, now);
    await tx.events.append([{ kind: 'task.changed', payload: { taskId: t.id, status: props.status } }], actor, now);
  });
  await deps.events.settle();
  return (await store.command.task(t.id))!;
}

/** A finished task's parent is done once none of its children is open and one at least is done; and so on up. */
async function rollUp(tx: Repositories, t: Task, actor: string, now: number): Promise<void> {
  for (let parentId = t.parentId; parentId !== null;) {
    const statuses = await tx.command.childStatuses(parentId);
    if (statuses.some((s) => s !== 'done' && s !== 'cancelled') || !statuses.includes('done')) return;
    const parent = (await tx.command.task(parentId))!;
    if (parent.status === 'done' || parent.status === 'cancelled') return;
    const done = statuses.filter((s) => s === 'done').length;
    const note = done === statuses.length ? `all ${done} units below done` : `all units below done or cancelled (${done} done, ${statuses.length - done} cancelled)`;
    await tx.command.updateTask(parent.id, { status: 'done', statusAt: now, note });
    await recordTaskChange(tx, parent, { status: [parent.status, 'done'] }, note, actor, now, 'roll-up');
    parentId = parent.parentId;
  }
}

/** Gives a task to a user (inside whose region the task's unit lies, of a role that works tasks), with the reason. */
export async function reassignTask(ctx: Ctx, deps: CommandDeps, who: TaskActor, props: { taskId: number; userId: number; reason: string }): Promise<Task> {
  const { store } = deps;
  const t = await taskFor(ctx, store, who, props.taskId, true);
  if (t.status === 'done' || t.status === 'cancelled') throw new DomainError('conflict', 'INVALID_TRANSITION', `the task is ${t.status} and can no longer change`);
  const user = await store.accounts.userById(props.userId);
  // One answer for every user who cannot hold it (unknown, disabled, of a role that works no tasks, of another
  // region): nothing is told about users the actor does not oversee.
  if (!user || user.disabledAt !== null || !mayAct(user.role as Role, 'tasks:work') || !user.regionCode || !inScope(user.regionCode, t.regionCode)) {
    throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No active user with id ${props.userId} who works tasks in ${t.regionCode}.`, [{ field: 'userId', reason: 'no such user for this unit' }]);
  }
  const now = ctx.clock.now();
  await store.transaction(async (tx) => {
    await tx.command.updateTask(t.id, { ownerUserId: user.id });
    await recordTaskChange(tx, t, { ownerUserId: [t.ownerUserId, user.id] }, props.reason, actorName(ctx.actor), now, ctx.actor.kind);
    await tx.events.append([{ kind: 'task.changed', payload: { taskId: t.id, status: t.status } }], actorName(ctx.actor), now);
  });
  await deps.events.settle();
  return (await store.command.task(t.id))!;
}

/** Cancels a task and every open task below it, with the reason; its parent may then be done. */
export async function cancelTask(ctx: Ctx, deps: CommandDeps, who: TaskActor, props: { taskId: number; reason: string }): Promise<Task> {
  const { store } = deps;
  const t = await taskFor(ctx, store, who, props.taskId, true);
  const problem = taskTransitionProblem(t.status, 'cancelled');
  if (problem) throw new DomainError('conflict', 'INVALID_TRANSITION', problem);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  await store.transaction(async (tx) => {
    const below = t.directiveId === null ? [] : await tx.command.openBelow(t.directiveId, t.regionCode);
    await tx.command.updateTasks([t.id, ...below.map((x) => x.id)], { status: 'cancelled', statusAt: now });
    await tx.corrections.record([t, ...below].map((x) => ({
      entity: 'task' as const, entityKey: String(x.id), changes: { status: [x.status, 'cancelled'] }, reason: x.id === t.id ? props.reason : `task ${t.id} above cancelled: ${props.reason}`,
      actor, at: now, source: ctx.actor.kind,
    })));
    await rollUp(tx, t, actor, now);
    // The root task of a directive cancelled: the directive is.
    if (t.directiveId !== null && t.parentId === null) await tx.command.updateDirective(t.directiveId, { cancelledAt: now });
    await tx.events.append([{ kind: 'task.changed', payload: { taskId: t.id, status: 'cancelled' } }], actor, now);
  });
  await deps.events.settle();
  return (await store.command.task(t.id))!;
}

/**
 * Moves a task's deadline, with the reason: not in the past, not after its parent's (DEADLINE_AFTER_PARENT); open
 * tasks below it due later are brought forward to it (recorded).
 */
export async function setTaskDeadline(ctx: Ctx, deps: CommandDeps, who: TaskActor, props: { taskId: number; dueAt: number; reason: string }): Promise<Task> {
  const { store } = deps;
  const t = await taskFor(ctx, store, who, props.taskId, true);
  if (t.status === 'done' || t.status === 'cancelled') throw new DomainError('conflict', 'INVALID_TRANSITION', `the task is ${t.status} and can no longer change`);
  const now = ctx.clock.now();
  assertPlausibleTimes(ctx, deps.edition, { dueAt: props.dueAt }, { whatIf: true });
  if (props.dueAt <= now) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the deadline has passed', [{ field: 'dueAt', reason: 'not after now' }]);
  const parent = t.parentId === null ? null : await store.command.task(t.parentId);
  const problem = deadlineProblem(props.dueAt, parent?.dueAt ?? null);
  if (problem) throw new DomainError('invalid', 'DEADLINE_AFTER_PARENT', problem, [{ field: 'dueAt', reason: problem }]);
  const actor = actorName(ctx.actor);
  await store.transaction(async (tx) => {
    await tx.command.updateTask(t.id, { dueAt: props.dueAt });
    await recordTaskChange(tx, t, { dueAt: [t.dueAt, props.dueAt] }, props.reason, actor, now, ctx.actor.kind);
    // A directive is due when its root task is.
    if (t.directiveId !== null && t.parentId === null) await tx.command.updateDirective(t.directiveId, { dueAt: props.dueAt });
    const later = t.directiveId === null ? [] : (await tx.command.openBelow(t.directiveId, t.regionCode)).filter((x) => x.dueAt > props.dueAt);
    await tx.command.updateTasks(later.map((x) => x.id), { dueAt: props.dueAt });
    await tx.corrections.record(later.map((x) => ({
      entity: 'task' as const, entityKey: String(x.id), changes: { dueAt: [x.dueAt, props.dueAt] }, reason: `task ${t.id} above brought forward: ${props.reason}`, actor, at: now, source: ctx.actor.kind,
    })));
    await tx.events.append([{ kind: 'task.changed', payload: { taskId: t.id, status: t.status } }], actor, now);
  });
  await deps.events.settle();
  return (await store.command.task(t.id))!;
}

/**
 * Escalates every open task whose deadline has passed at the clock's now: to the unit above (status escalated, where
 * that unit's lists show it), or overdue at the province (no level above). Recorded; returns how many.
 */
export async function escalateOverdue(ctx: Ctx, store: Store): Promise<number> {
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  let n = 0;
  for (;;) {
    // In batches, each its own transaction: the server answers other requests between them.
    const late = await store.command.pastDeadline(now, 500);
    if (late.length === 0) return n;
    await store.transaction(async (tx) => {
      // One statement per level: the unit above is a prefix of the task's unit code.
      const byAbove = new Map<number | null, number[]>();
      for (const t of late) {
        const len = unitAbove(t.regionCode)?.length ?? null;
        const ids = byAbove.get(len);
        if (ids) ids.push(t.id);
        else byAbove.set(len, [t.id]);
      }
      for (const [len, ids] of byAbove) await tx.command.markLate(ids, len, now);
      await tx.corrections.record(late.map((t) => {
        const to = unitAbove(t.regionCode);
        const status: TaskStatus = to ? 'escalated' : 'overdue';
        return {
          entity: 'task' as const, entityKey: String(t.id), changes: { status: [t.status, status], ...(to ? { escalatedTo: [t.escalatedTo, to] } : {}) },
          reason: `deadline ${formatTime(t.dueAt)} passed${to ? `: escalated to ${to}` : ''}`, actor, at: now, source: 'deadline',
        };
      }));
      await tx.events.append([{ kind: 'tasks.escalated', payload: { taskIds: late.map((t) => t.id) } }], actor, now);
    });
    n += late.length;
  }
}

/**
 * The tasks an event calls for, made in the event's transaction (idempotent: each keyed by the fact it comes from):
 * - a case's new close contacts (`contacts.to_route`, which the tasks handler emits for `contacts.written`): one
 *   transfer to centralized quarantine per person, due in the edition's `closeContact.transferWithinHours`, for the
 *   grid (else community) where they live; none for a person in quarantine already, whose new record is put in
 *   quarantine instead;
 * - a person's transfer follows all their close-contact records (settleTransfers, after `contacts.to_route`,
 *   `case.recorded` and `contact.status_changed`): done once they are in quarantine, cancelled once none awaits
 *   transfer (released, home monitoring, become a case);
 * - a contact released or in home monitoring: a follow-up task once no record keeps them under quarantine (one open per
 *   person, whatever the number of records; cancelled if they become a case); a close contact awaiting transfer again
 *   (found after being lost): a new transfer;
 * - members of a positive pooled tube (`test.recorded`): a single-tube retest each; a single-tube result since: done;
 * - a sample recorded for a person with an open door-to-door task (their overdue test): done;
 * - a positive single-tube sample of a person held in quarantine (`test.recorded`): their county confirms or rules out a
 *   case (`confirm_positive`, one open per person), done when they are recorded as a case (`case.recorded`);
 * - units graded medium or high risk (`risk_areas.graded`): seal and manage the unit; graded low again: called off;
 * - a venue order (`venue_order.changed`): inspect its venues, one task per county it covers;
 * - a case discharged or recovered (`case.corrected` of its outcome) while the edition's management after discharge
 *   runs: a follow-up task for where they live (one open per person);
 * - a daily follow-up report with a fever or a symptom (`follow_up.reported`): a fever check for where the person lives
 *   (one open per person), due in the edition's `command.taskWithinHours.fever_check`; done once a single-tube sample
 *   is recorded for them.
 */
export async function tasksFromEvent(tx: Repositories, edition: ProtocolEdition, ev: StoredEvent, now: number, actor: string): Promise<void> {
  const within = edition.command.taskWithinHours;
  const base = { parentId: null, directiveId: null, ownerUserId: null, status: 'assigned' as const, createdAt: now };
  const at = (code: string) => ({ level: levelOf(code), regionCode: code, ownerRole: OWNER_ROLE_BY_LEVEL[levelOf(code)] });
  /** A close contact's transfer to centralized quarantine, for where they live, due in the edition's hours. */
  const transfer = (k: { contactId: number; personId: number; home: string }, sourceKey: string): NewTask => ({
    ...base, ...at(k.home), title: 'Transfer a close contact to centralized quarantine', kind: 'transfer_to_quarantine',
    dueAt: now + edition.closeContact.transferWithinHours * HOUR, subjectPersonId: k.personId, subjectKey: String(k.contactId), sourceKey,
  });
  switch (ev.kind) {
    case 'contacts.to_route': {
      const contacts = await tx.command.contactsWithHomes(ev.payload.caseId, ev.payload.personIds);
      // One transfer per person: a person who is a close contact of several cases already has one open for another case.
      // None for a contact whose quarantine, counted as the edition says, is over already (an outbreak's records imported
      // late): there is nothing to transfer them to, and the task could never be done.
      const candidates = contacts.filter((k) => k.kind === 'close' && awaitsTransfer(k.status)
        && quarantineSchedule(edition, 'close', { lastExposure: k.lastExposure, startedAt: now }).stages[0].end > now);
      // Nor one for a person in quarantine already (for another case): they are where the transfer would take them.
      const pending = new Set((await tx.command.openTasksOfPersons('transfer_to_quarantine', candidates.map((k) => k.personId))).map((x) => x.subjectPersonId));
      const quarantined = await tx.command.personsInQuarantine(candidates.map((k) => k.personId));
      const fresh = candidates.filter((k) => !pending.has(k.personId) && !quarantined.has(k.personId));
      await tx.command.insertTasks(fresh.map((k) => transfer(k, `transfer:${k.contactId}`)));
      // The new record of a person in quarantine already says so too (recorded, with the event their code follows),
      // rather than awaiting a transfer that will not come.
      for (const k of candidates.filter((x) => quarantined.has(x.personId))) {
        const record = await tx.cases.contact(k.contactId);
        if (record && awaitsTransfer(record.status)) await setContactStatusIn(tx, record, 'in_quarantine', { reason: 'already in centralized quarantine as a contact of another case', actor, source: 'event', at: now });
      }
      await settleTransfers(tx, contacts.filter((k) => !awaitsTransfer(k.status)).map((k) => k.personId), actor, now);
      return;
    }
    case 'case.recorded': {
      // The person is a case now: taken to hospital, not to quarantine, and no longer followed up as a released contact.
      await settleTransfers(tx, [ev.payload.personId], actor, now);
      for (const t of await tx.command.openTasksOfPersons('follow_up', [ev.payload.personId])) await closeTask(tx, t, 'cancelled', 'became a case', actor, now);
      for (const t of await tx.command.openTasksOfPersons('confirm_positive', [ev.payload.personId])) await closeTask(tx, t, 'done', 'recorded as a case', actor, now);
      return;
    }
    case 'contact.status_changed': {
      const key = String(ev.payload.contactId);
      const status = ev.payload.status;
      await settleTransfers(tx, [ev.payload.personId], actor, now);
      const records = (await tx.cases.contactsOfPerson(ev.payload.personId)).filter((k) => k.kind === 'close' || k.kind === 'secondary');
      // A close contact awaiting transfer again (found after being lost, or named again after a release) whose period
      // still runs: a new transfer, unless one is open or they are held centrally already.
      const back = records.find((k) => k.id === ev.payload.contactId && k.kind === 'close' && awaitsTransfer(k.status));
      if (back && quarantineSchedule(edition, 'close', { lastExposure: back.lastExposure, startedAt: now }).stages[0].end > now) {
        const pending = await tx.command.openTasksOfPersons('transfer_to_quarantine', [back.personId]);
        const held = await tx.command.personsInQuarantine([back.personId]);
        const k = await tx.command.contactWithHome(back.id);
        if (k && pending.length === 0 && !held.has(k.personId)) await tx.command.insertTasks([transfer(k, `transfer:${k.contactId}:${ev.id}`)]);
      }
      // Followed up once no record keeps them under quarantine (one per case that met them may move on at once).
      const stillManaged = records.some((k) => awaitsTransfer(k.status) || k.status === 'in_quarantine');
      if ((status === 'released' || status === 'home_monitoring') && !stillManaged) {
        const k = await tx.command.contactWithHome(ev.payload.contactId);
        // One follow-up per person however many of their records (one per case that met them) move on together.
        const open = k ? await tx.command.openTasksOfPersons('follow_up', [k.personId]) : [];
        if (k && open.length === 0) {
          await tx.command.insertTasks([{
            ...base, ...at(k.home), title: 'Follow up a released contact', kind: 'follow_up', dueAt: now + within.follow_up * HOUR,
            subjectPersonId: k.personId, subjectKey: key, sourceKey: `follow_up:${k.contactId}:${status}`,
          }]);
        }
      }
      return;
    }
    case 'case.corrected': {
      // Discharged or recovered: followed up at home for the edition's management after discharge (one open per person).
      if (!ev.payload.fields.includes('outcome')) return;
      const c = await tx.cases.get(ev.payload.caseId);
      // Back in treatment (admitted again): no longer followed up at home.
      if (c && c.outcome === 'in_treatment') {
        for (const kind of ['follow_up', 'fever_check'] as const) {
          for (const t of await tx.command.openTasksOfPersons(kind, [c.personId])) await closeTask(tx, t, 'cancelled', `case ${c.caseNo} in treatment again`, actor, now);
        }
        return;
      }
      const after = edition.caseManagement.afterDischarge;
      if (!c || c.withdrawnAt !== null || (c.outcome !== 'discharged' && c.outcome !== 'recovered') || c.outcomeAt === null || c.outcomeAt + after.days * DAY <= now) return;
      if ((await tx.command.openTasksOfPersons('follow_up', [c.personId])).length > 0) return;
      const home = (await tx.command.homesOf([c.personId])).get(c.personId);
      if (!home) return;
      await tx.command.insertTasks([{
        ...base, ...at(homeUnit(home)), title: `Follow up case ${c.caseNo} after discharge`, kind: 'follow_up', dueAt: now + within.follow_up * HOUR,
        subjectPersonId: c.personId, subjectKey: String(c.personId), sourceKey: `follow_up:case:${c.id}:${c.outcomeAt}`,
      }]);
      return;
    }
    case 'follow_up.reported': {
      // A fever or a symptom in a daily report: checked (a single-tube sample, the fever clinic), one open check per person.
      const { fever, symptoms, personId, reportId } = ev.payload;
      if (!fever && symptoms.length === 0) return;
      if ((await tx.command.openTasksOfPersons('fever_check', [personId])).length > 0) return;
      const home = (await tx.command.homesOf([personId])).get(personId);
      if (!home) return;
      const what = [fever ? 'fever' : null, ...symptoms.map((x) => x.replace(/_/g, ' '))].filter(Boolean).join(', ');
      await tx.command.insertTasks([{
        ...base, ...at(homeUnit(home)), title: `Check a person under follow-up who reported ${what}`, kind: 'fever_check',
        dueAt: now + within.fever_check * HOUR, subjectPersonId: personId, subjectKey: String(personId), sourceKey: `fever_check:${reportId}`,
      }]);
      return;
    }
    case 'test.recorded': {
      const members = await tx.command.positivePoolMembers(ev.payload.personIds);
      await tx.command.insertTasks(members.map((m): NewTask => ({
        ...base, ...at(homeUnit(m)), title: `Single-tube retest of a member of positive pool ${m.poolNo}`, kind: 'single_tube_retest',
        dueAt: now + within.single_tube_retest * HOUR, subjectPersonId: m.personId, subjectKey: String(m.personId), sourceKey: `retest:${m.poolNo}:${m.personId}`,
      })));
      await closeTasksAbout(tx, 'door_to_door', ev.payload.personIds.map((p) => ({ key: String(p), to: 'done' as const, reason: 'a sample was recorded' })), actor, now);
      await closeTasksAbout(tx, 'fever_check', ev.payload.personIds.map((p) => ({ key: String(p), to: 'done' as const, reason: 'a sample was recorded' })), actor, now);
      // A person held who tests positive in a single tube: their county confirms (or rules out) a case; one task per
      // person while it is open, whatever the number of positive tubes.
      const positives = await tx.command.positivesOfHeld(ev.payload.personIds);
      const confirming = new Set((await tx.command.openTasksOfPersons('confirm_positive', positives.map((x) => x.personId))).map((x) => x.subjectPersonId));
      const first = new Map<number, (typeof positives)[number]>();
      for (const x of positives) if (!confirming.has(x.personId) && !first.has(x.personId)) first.set(x.personId, x);
      await tx.command.insertTasks([...first.values()].map((x): NewTask => ({
        ...base, ...at(x.communityCode.slice(0, CODE_LENGTH.county)), title: `Confirm or rule out a case: single-tube sample ${x.sampleNo} of a person in quarantine is positive`, kind: 'confirm_positive',
        dueAt: now + within.confirm_positive * HOUR, subjectPersonId: x.personId, subjectKey: String(x.personId), sourceKey: `confirm_positive:${x.sampleNo}`,
      })));
      const open = await tx.command.openTasksAbout('single_tube_retest', ev.payload.personIds.map(String));
      if (open.length > 0) {
        const since = Math.min(...open.map((t) => t.createdAt));
        const results = await tx.command.singleResultsSince(open.map((t) => t.subjectPersonId!), since);
        await closeTasksAbout(tx, 'single_tube_retest', open.filter((t) => results.has(t.subjectPersonId!)).map((t) => ({ key: t.subjectKey!, to: 'done' as const, reason: `single-tube sample ${results.get(t.subjectPersonId!)} has its result` })), actor, now);
      }
      return;
    }
    case 'risk_areas.graded': {
      // A unit no longer a risk area (stepped down, or its cases withdrawn): its sealing is called off.
      await closeTasksAbout(tx, 'seal_and_manage', ev.payload.units.filter((u) => u.level === 'low').map((u) => ({ key: u.regionCode, to: 'cancelled' as const, reason: 'no longer a risk area' })), actor, now);
      const graded = ev.payload.units.filter((u) => u.level !== 'low');
      await tx.command.insertTasks(graded.map((u): NewTask => ({
        ...base, ...at(u.regionCode), title: `Seal and manage a ${u.level}-risk area`, kind: 'seal_and_manage', dueAt: now + within.seal_and_manage * HOUR,
        subjectPersonId: null, subjectKey: u.regionCode, sourceKey: `seal:${u.regionCode}:${u.level}:${ev.id}`,
      })));
      return;
    }
    case 'venue_order.changed': {
      const order = await tx.control.orderByNo(ev.payload.orderNo);
      if (!order || (order.endsAt !== null && order.endsAt <= now)) return;
      const counties = new Set<string>();
      for (const code of order.regionCodes) {
        const county = countyOf(code);
        if (county) counties.add(county);
        else for (const r of await tx.regions.inside(code)) if (r.level === 'county') counties.add(r.code);
      }
      await tx.command.insertTasks([...counties].map((c): NewTask => ({
        ...base, ...at(c), title: `Inspect the venues under order ${order.orderNo} (${order.action})`, kind: 'inspect_venues', dueAt: now + within.inspect_venues * HOUR,
        subjectPersonId: null, subjectKey: order.orderNo, sourceKey: `inspect:${order.orderNo}:${c}`,
      })));
      return;
    }
    default:
  }
}

/**
 * The server's minute timer for codes: re-evaluates the codes whose validity ran out (at most `limit`), and in the same
 * transaction gives each person whose code now says a required test was not taken a door-to-door task for their grid
 * (else community), due in the edition's `command.taskWithinHours.door_to_door`; a sample recorded for them closes it.
 */
export async function refreshExpiringCodes(ctx: Ctx, deps: { store: Store; edition: ProtocolEdition; codes: HealthCodeService }, limit = 10_000): Promise<RecomputeResult> {
  const now = ctx.clock.now();
  const ids = await deps.store.codes.expiring(now, limit);
  return deps.store.transaction(async (tx) => {
    const r = await deps.codes.recomputeIn(tx, ids, 'validity ran out', now);
    await doorToDoorTasksIn(tx, deps.edition, r.newlyOverdueTest, now);
    return r;
  });
}

/** Door-to-door tasks for persons whose required test is overdue (one per person and moment it became so). */
export async function doorToDoorTasksIn(tx: Repositories, edition: ProtocolEdition, personIds: readonly number[], now: number): Promise<number> {
  if (personIds.length === 0) return 0;
  const homes = await tx.command.homesOf(personIds);
  return tx.command.insertTasks([...homes].map(([personId, home]): NewTask => ({
    parentId: null, directiveId: null, ownerUserId: null, status: 'assigned', createdAt: now, level: levelOf(homeUnit(home)), regionCode: homeUnit(home),
    ownerRole: OWNER_ROLE_BY_LEVEL[levelOf(homeUnit(home))], title: 'Visit door to door: a required test was not taken', kind: 'door_to_door',
    dueAt: now + edition.command.taskWithinHours.door_to_door * HOUR, subjectPersonId: personId, subjectKey: String(personId), sourceKey: `door_to_door:${personId}:${now}`,
  })));
}

/**
 * A person's open transfer follows all their close-contact records (one per case that met them): open while one still
 * awaits transfer (identified or notified); otherwise done when one is in quarantine, else cancelled (released, in
 * home monitoring, become a case, lost to follow-up).
 */
async function settleTransfers(tx: Repositories, personIds: readonly number[], actor: string, now: number): Promise<void> {
  for (const t of await tx.command.openTasksOfPersons('transfer_to_quarantine', personIds)) {
    const records = (await tx.cases.contactsOfPerson(t.subjectPersonId!)).filter((k) => k.kind === 'close');
    if (records.some((k) => awaitsTransfer(k.status))) continue;
    const inQuarantine = records.some((k) => k.status === 'in_quarantine');
    const reason = inQuarantine ? 'contact in quarantine' : `no record awaits transfer (${[...new Set(records.map((k) => k.status.replace(/_/g, ' ')))].join(', ')})`;
    await closeTask(tx, t, inQuarantine ? 'done' : 'cancelled', reason, actor, now);
  }
}

/** Closes an open task the event flow settles (done or cancelled), recorded with the reason. */
async function closeTask(tx: Repositories, t: Task, to: 'done' | 'cancelled', reason: string, actor: string, now: number): Promise<void> {
  await tx.command.updateTask(t.id, { status: to, statusAt: now, note: reason });
  await recordTaskChange(tx, t, { status: [t.status, to] }, reason, actor, now, 'event');
}

/** Closes the open tasks of a kind about these subjects (done or cancelled), recorded with the reason. */
async function closeTasksAbout(tx: Repositories, kind: string, items: { key: string; to: 'done' | 'cancelled'; reason: string }[], actor: string, now: number): Promise<void> {
  if (items.length === 0) return;
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const t of await tx.command.openTasksAbout(kind, [...byKey.keys()])) {
    const i = byKey.get(t.subjectKey!)!;
    await closeTask(tx, t, i.to, i.reason, actor, now);
  }
}
