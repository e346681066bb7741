/**
 * Quarantine's use cases (PROTOCOL.md, "People under management"; issue "Quarantine"): opening a site, putting a
 * close or secondary contact in quarantine (at a site's room, or at home, as the edition says) on the edition's
 * schedule, and releasing them once its conditions hold. A transfer task done (tasks.ts) puts its contact in
 * quarantine through `assignIn`, in the task's transaction. Each change is recorded with who, when and why, and emits
 * the events the person's code and tasks follow (`contact.status_changed`, `quarantine.changed`).
 */
import { normalizeLabel } from '../../domain/text.ts';
import { assertInScope, inScope } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Contact, QuarantineAssignment, QuarantineSite } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { awaitsTransfer } from '../../domain/rules/command.ts';
import { arrivalSchedule, dueOn, occupancyByDay, OVERDUE_REMEMBERED, governingSchedule, heldRules, keepsInQuarantine, labelProblem, normalizeRoom, quarantineSchedule, releaseRefusal, roomProblem, type ArrivalFrom, type HeldAs, type ManagedAs } from '../../domain/rules/quarantine.ts';
import { dayBounds, dayOf } from '../../domain/bulletin.ts';
import { assertPlausibleTimes } from '../times.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import { setContactStatusIn } from '../cases/corrections.ts';
import type { EventDispatcher } from '../events/dispatcher.ts';
import type { NewEvent, StoredEvent } from '../../domain/events.ts';
import { DAY, formatTime } from '../../domain/time.ts';
import type { QuarantineKind } from '../../domain/vocab.ts';
import { publishedRiskAreas } from '../control.ts';

/** What the quarantine use cases work with. */
export interface QuarantineDeps { store: Store; edition: ProtocolEdition; events: EventDispatcher }

/**
 * Opens a quarantine site serving `regionCode` (a known region inside the actor's scope), its name stored as
 * `normalizeLabel` gives it. Errors: OUT_OF_SCOPE, UNKNOWN_REFERENCE (no such region), NAME_TAKEN (a site of that name in
 * that region already, invisible characters and full-width forms aside).
 */
export async function openSite(ctx: Ctx, deps: QuarantineDeps, props: Pick<QuarantineSite, 'name' | 'kind' | 'regionCode' | 'rooms'> & Partial<Pick<QuarantineSite, 'address' | 'personsPerRoom' | 'staff'>>): Promise<QuarantineSite> {
  const { store } = deps;
  const name = normalizeLabel(props.name);
  const bad = labelProblem(name, 'site', 100);
  if (bad) throw new DomainError('invalid', 'VALIDATION_FAILED', `the site's name: ${bad}`, [{ field: 'name', reason: bad }]);
  assertInScope(ctx.scope, props.regionCode, 'regionCode');
  if (!(await store.regions.get(props.regionCode))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no region ${props.regionCode}`, [{ field: 'regionCode', reason: `no region ${props.regionCode}` }]);
  if (await store.quarantine.siteByName(props.regionCode, name)) throw new DomainError('conflict', 'NAME_TAKEN', `a site named ${name} serves ${props.regionCode} already`, [{ field: 'name', reason: 'taken in this region' }]);
  const now = ctx.clock.now();
  const site: Omit<QuarantineSite, 'id'> = {
    name, kind: props.kind, placeId: null, regionCode: props.regionCode, address: props.address ?? null, rooms: props.rooms,
    personsPerRoom: props.personsPerRoom ?? 1, staff: props.staff ?? 0, openedAt: now, closedAt: null,
  };
  const id = await store.transaction(async (tx) => {
    const siteId = await tx.quarantine.insertSite(site);
    await tx.corrections.record([{ entity: 'quarantine_site', entityKey: String(siteId), changes: { opened: [null, site.name] }, reason: 'site opened', actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    return siteId;
  });
  return (await store.quarantine.site(id))!;
}

/**
 * Changes a site of the actor's region: its rooms (not below the rooms in use), persons per room (not below the most
 * held in one room now), staff; closes it (no new arrivals from now; those held stay until released) or reopens it.
 * Recorded. Errors: NOT_FOUND (no such site within reach), OUT_OF_SCOPE (a site of a region containing the actor's:
 * theirs to change), SITE_IN_USE (fewer rooms, or fewer persons per room, than are in use).
 */
export async function changeSite(ctx: Ctx, deps: QuarantineDeps, props: { siteId: number; rooms?: number; personsPerRoom?: number; staff?: number; closed?: boolean }): Promise<QuarantineSite> {
  const { store } = deps;
  const site = await store.quarantine.site(props.siteId, ctx.scope);
  if (!site) throw new DomainError('not_found', 'NOT_FOUND', `No quarantine site with id ${props.siteId}.`);
  if (ctx.scope && !inScope(ctx.scope, site.regionCode)) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `${site.name} serves ${site.regionCode}, outside your region (${ctx.scope}): its command changes it`);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  await store.transaction(async (tx) => {
    await tx.quarantine.lockSite(site.id);
    const use = await tx.quarantine.occupancy(site.id);
    const problems: { field: string; reason: string }[] = [];
    if (props.rooms !== undefined && props.rooms < use.roomsInUse) problems.push({ field: 'rooms', reason: `${use.roomsInUse} rooms are in use` });
    if (props.personsPerRoom !== undefined && props.personsPerRoom < use.mostInRoom) problems.push({ field: 'personsPerRoom', reason: `a room holds ${use.mostInRoom} persons now` });
    if (problems.length > 0) throw new DomainError('conflict', 'SITE_IN_USE', problems.map((p) => `${p.field}: ${p.reason}`).join('; '), problems);
    const closedAt = props.closed === undefined ? undefined : props.closed ? site.closedAt ?? now : null;
    const changes = { rooms: props.rooms, personsPerRoom: props.personsPerRoom, staff: props.staff, closedAt };
    const changed = Object.fromEntries(Object.entries(changes).filter(([k, v]) => v !== undefined && v !== site[k as keyof typeof changes])) as Partial<typeof changes>;
    if (Object.keys(changed).length === 0) return;
    await tx.quarantine.updateSite(site.id, changed);
    await tx.corrections.record([{
      entity: 'quarantine_site', entityKey: String(site.id), changes: Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, [site[k as keyof typeof changes], v]])),
      reason: closedAt === undefined ? 'site changed' : closedAt === null ? 'site reopened' : 'site closed to new arrivals', actor, at: now, source: ctx.actor.kind,
    }]);
  });
  return (await store.quarantine.site(site.id))!;
}

/** The contact records that put a person under management: close ones first, then secondary, the latest exposure first. */
function managingRecords(records: readonly Contact[]): Contact[] {
  return records.filter(keepsInQuarantine)
    .sort((a, b) => (a.kind === b.kind ? b.lastExposure - a.lastExposure : a.kind === 'close' ? -1 : 1));
}

/** The record that governs a person's quarantine of `kind` since `startedAt` (`governingSchedule` over their standing records). */
const governingOf = (edition: ProtocolEdition, records: readonly Contact[], startedAt: number, kind: QuarantineAssignment['kind']) =>
  governingSchedule(edition, managingRecords(records), startedAt, kind);

/** Ends an open assignment at `at` with the reason, recorded; false when it had ended already (nothing written). */
async function endIn(tx: Repositories, a: QuarantineAssignment, reason: string, who: { actor: string; at: number; source: string }): Promise<boolean> {
  if (!(await tx.quarantine.endAssignment(a.id, who.at, reason))) return false;
  await tx.corrections.record([{ entity: 'quarantine_assignment', entityKey: String(a.id), changes: { endedAt: [null, who.at] }, reason, ...who }]);
  return true;
}

/**
 * Whether person `personId` can be held in quarantine of `kind` at `site`'s `room` (`who` says whom, in messages): the
 * site serves where they live; centralized quarantine names a site and a room that can take them now (the site locked
 * for the caller's transaction); home quarantine names neither. Errors: VALIDATION_FAILED, SITE_CLOSED, ROOM_FULL,
 * SITE_FULL.
 */
async function checkPlace(tx: Repositories, p: { personId: number; site: QuarantineSite | null; room: string | null; kind: QuarantineKind; who: string; now: number }): Promise<void> {
  const { site, room } = p;
  if (site) {
    const home = await tx.persons.get(p.personId);
    if (home && !(home.gridCode ?? home.communityCode).startsWith(site.regionCode)) {
      throw new DomainError('invalid', 'VALIDATION_FAILED', `${site.name} serves ${site.regionCode}, not where the person lives`, [{ field: 'siteId', reason: `does not serve ${home.gridCode ?? home.communityCode}` }]);
    }
  }
  if (p.kind === 'centralized') {
    if (!site || !room) throw new DomainError('invalid', 'VALIDATION_FAILED', 'centralized quarantine is at a site\'s room: name both', [...(site ? [] : [{ field: 'siteId', reason: 'required for centralized quarantine' }]), ...(room ? [] : [{ field: 'room', reason: 'required for centralized quarantine' }])]);
    await tx.quarantine.lockSite(site.id);
    const problem = roomProblem(site, room, await tx.quarantine.occupancy(site.id, room), p.now);
    if (problem) throw new DomainError('conflict', problem.code, problem.message);
  } else if (site || room) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', `the edition puts ${p.who} in ${p.kind.replace(/_/g, ' ')}: no site or room`, [{ field: site ? 'siteId' : 'room', reason: `not for ${p.kind.replace(/_/g, ' ')}` }]);
  }
}

/**
 * Puts person `personId` in quarantine at `now` inside the caller's transaction: of the kind the edition gives their
 * contact record (a close contact's before a secondary contact's; `only` one kind), at room `room` (as `normalizeRoom`
 * gives it: "ａ-２０３" is room A-203) of site `site` for centralized
 * quarantine, until the end of the edition's first stage counted as it says (from the last exposure, or from now).
 * Their records awaiting transfer move to in quarantine (recorded). Errors: NOT_UNDER_MANAGEMENT (no close or
 * secondary record awaiting or in quarantine), ALREADY_IN_QUARANTINE, VALIDATION_FAILED (a site and room missing for
 * centralized quarantine, or given for home quarantine; a site that does not serve where the person lives; a room's
 * label that cannot be stored), SITE_CLOSED, ROOM_FULL, SITE_FULL, PERIOD_ENDED.
 */
export async function assignIn(tx: Repositories, edition: ProtocolEdition, props: {
  personId: number; site: QuarantineSite | null; room: string | null; reason: string; taskId: number | null; actor: string; source: string; now: number;
  /** Only as this kind of contact (a transfer task's close contact). */
  only?: ManagedAs;
}): Promise<QuarantineAssignment> {
  const { personId, site, now } = props;
  const room = props.room === null ? null : normalizeRoom(props.room) || null;
  const badRoom = room === null ? null : labelProblem(room, 'room', 40);
  if (badRoom) throw new DomainError('invalid', 'VALIDATION_FAILED', `the room: ${badRoom}`, [{ field: 'room', reason: badRoom }]);
  const records = await tx.cases.contactsOfPerson(personId);
  const managing = managingRecords(records).filter((k) => !props.only || k.kind === props.only);
  if (managing.length === 0) {
    const statuses = [...new Set(records.filter((k) => k.kind !== 'general').map((k) => `${k.kind} ${k.status.replace(/_/g, ' ')}`))];
    throw new DomainError('conflict', 'NOT_UNDER_MANAGEMENT', `person ${personId} is ${statuses.join(', ') || 'no close or secondary contact'}: there is no one to hold in quarantine`);
  }
  const record = managing[0];
  const as: ManagedAs = record.kind === 'close' ? 'close' : 'secondary';
  const schedule = quarantineSchedule(edition, as, { lastExposure: record.lastExposure, startedAt: now });
  const stage = schedule.stages[0];
  // Held already: refused when in the same kind of quarantine as a contact; moved otherwise (a secondary contact at home
  // who is now a close contact goes to centralized quarantine; an arrival who is now a contact is held as one: the
  // open assignment ends as the new one begins).
  const open = await tx.quarantine.openAssignmentOf(personId);
  if (open && open.kind === stage.kind && open.arrivalFrom === null) throw new DomainError('conflict', 'ALREADY_IN_QUARANTINE', `person ${personId} is in ${open.kind.replace(/_/g, ' ')} already (assignment ${open.id})`);
  await checkPlace(tx, { personId, site, room, kind: stage.kind, who: `a ${as} contact`, now });
  // `record` is among them, so one governs.
  const governing = governingOf(edition, records, now, stage.kind)!;
  const plannedEnd = governing.end;
  if (plannedEnd <= now) throw new DomainError('conflict', 'PERIOD_ENDED', `counted from the last exposure, the ${as} contact's ${stage.kind.replace(/_/g, ' ')} ended already`);
  if (open) await endIn(tx, open, `moved to ${stage.kind.replace(/_/g, ' ')}: ${props.reason}`, { actor: props.actor, at: now, source: props.source });
  const assignment: Omit<QuarantineAssignment, 'id'> = {
    personId, kind: stage.kind, siteId: site?.id ?? null, room: site ? room : null, countedFrom: governing.countedFrom, startedAt: now, plannedEnd,
    endedAt: null, reason: props.reason, endReason: null, contactId: governing.record.id, taskId: props.taskId, assignedBy: props.actor, arrivalFrom: null, fromRegionCode: null,
  };
  const id = await tx.quarantine.insertAssignment(assignment);
  for (const k of records.filter((x) => (x.kind === 'close' || x.kind === 'secondary') && awaitsTransfer(x.status))) {
    await setContactStatusIn(tx, k, 'in_quarantine', { reason: props.reason, actor: props.actor, source: props.source, at: now });
  }
  await tx.corrections.record([{ entity: 'quarantine_assignment', entityKey: String(id), changes: { assigned: [null, site ? `${site.name} ${room}` : stage.kind] }, reason: props.reason, actor: props.actor, at: now, source: props.source }]);
  await tx.events.append([{ kind: 'quarantine.changed', payload: { assignmentId: id, personId, change: 'assigned' } }], props.actor, now);
  return { id, ...assignment };
}

/**
 * A site the actor may send a person to: within their reach (their region, or one containing it). UNKNOWN_REFERENCE
 * otherwise. A transfer task (tasks.ts) names its site through it too.
 */
export async function siteWithinReach(ctx: Ctx, store: Store | Repositories, siteId: number): Promise<QuarantineSite> {
  const site = await store.quarantine.site(siteId, ctx.scope);
  if (!site) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no quarantine site ${siteId}`, [{ field: 'siteId', reason: `no site ${siteId} within your reach` }]);
  return site;
}

/**
 * Puts a person under the actor's scope in quarantine (`assignIn`), in a transaction of its own. Errors: NOT_FOUND
 * (no such person in scope), UNKNOWN_REFERENCE (no such site within reach), and those of `assignIn`.
 */
export async function assignQuarantine(ctx: Ctx, deps: QuarantineDeps, props: { personId: number; siteId?: number; room?: string; reason: string }): Promise<QuarantineAssignment> {
  const { store } = deps;
  if (!(await store.persons.get(props.personId, ctx.scope))) throw new DomainError('not_found', 'NOT_FOUND', `No person with id ${props.personId}.`);
  const site = props.siteId === undefined ? null : await siteWithinReach(ctx, store, props.siteId);
  const now = ctx.clock.now();
  const a = await store.transaction((tx) => assignIn(tx, deps.edition, {
    personId: props.personId, site, room: props.room?.trim() || null, reason: props.reason, taskId: null, actor: actorName(ctx.actor), source: ctx.actor.kind, now,
  }));
  await deps.events.settle();
  return a;
}

/**
 * Puts an arrival from a risk area, a person of the actor's region, in quarantine (PROTOCOL.md, "Risk areas"; the
 * edition's `riskAreas.arrivalsFromHigh` and `arrivalsFromMedium`: where, for how many days, the tests, the release's
 * negatives), in a transaction of its own. The area and the departure are what Cordon knows: the person's stays (any
 * feed) in a unit graded medium or high now, within the edition's days, and seen outside it since (the stays the health
 * code reads for `arrival_from_risk_area_untested`), a high-risk area's before a medium-risk area's, the latest
 * departure of those; `fromRegionCode` names the area when it is not on record (a person arriving at a checkpoint, or
 * found by a door-to-door check): a unit inside one graded medium or high now, the days then counted from now (the
 * departure unknown, the longer count). The days count from the departure; the stage ends `days` later.
 * Errors: NOT_FOUND (no such person in scope), UNKNOWN_REFERENCE (no such site within reach), NOT_AN_ARRIVAL (no stay
 * in a risk area on record and none named, the area named not graded now, or the edition holds no arrival from such
 * an area), MANAGED_AS_CONTACT (a close or secondary contact awaiting transfer or held: their schedule governs),
 * ALREADY_IN_QUARANTINE, PERIOD_ENDED, and those of the site and room (VALIDATION_FAILED, SITE_CLOSED, ROOM_FULL,
 * SITE_FULL).
 */
export async function assignArrival(ctx: Ctx, deps: QuarantineDeps, props: { personId: number; fromRegionCode?: string; siteId?: number; room?: string; reason: string }): Promise<QuarantineAssignment> {
  const { store, edition } = deps;
  if (!(await store.persons.get(props.personId, ctx.scope))) throw new DomainError('not_found', 'NOT_FOUND', `No person with id ${props.personId}.`);
  const site = props.siteId === undefined ? null : await siteWithinReach(ctx, store, props.siteId);
  const room = props.room === undefined ? null : normalizeRoom(props.room) || null;
  const badRoom = room === null ? null : labelProblem(room, 'room', 40);
  if (badRoom) throw new DomainError('invalid', 'VALIDATION_FAILED', `the room: ${badRoom}`, [{ field: 'room', reason: badRoom }]);
  const now = ctx.clock.now();
  const asContact = async (repos: Repositories | Store) => {
    if (managingRecords(await repos.cases.contactsOfPerson(props.personId)).length > 0) {
      throw new DomainError('conflict', 'MANAGED_AS_CONTACT', `person ${props.personId} is a close or secondary contact awaiting transfer or held: put them in quarantine as one (their schedule governs)`);
    }
  };
  // A contact's schedule governs, whatever area they came from.
  await asContact(store);
  const lookBack = Math.max(edition.riskAreas.arrivalsFromHigh.days, edition.riskAreas.arrivalsFromMedium.days) * DAY;
  const [facts] = await store.codes.factsOf([props.personId], now, lookBack);
  const rank = (level: ArrivalFrom) => (level === 'high' ? 1 : 0);
  const within = facts.riskVisits.filter((v) => now - v.leftAt <= heldRules(edition, v.level === 'high' ? 'arrival_from_high' : 'arrival_from_medium').days * DAY);
  let from: { level: ArrivalFrom; regionCode: string; leftAt: number } | undefined;
  if (props.fromRegionCode !== undefined) {
    const code = props.fromRegionCode;
    const graded = (await publishedRiskAreas(store, now)).filter((a) => (a.level === 'high' || a.level === 'medium') && code.startsWith(a.regionCode))
      .sort((a, b) => rank(b.level as ArrivalFrom) - rank(a.level as ArrivalFrom))[0];
    if (!graded) throw new DomainError('conflict', 'NOT_AN_ARRIVAL', `${code} lies in no medium- or high-risk area now`, [{ field: 'fromRegionCode', reason: 'not in a risk area now' }]);
    const known = within.filter((v) => v.regionCode === graded.regionCode).sort((a, b) => b.leftAt - a.leftAt)[0];
    from = { level: graded.level as ArrivalFrom, regionCode: graded.regionCode, leftAt: known?.leftAt ?? now };
  } else {
    const v = [...within].sort((a, b) => rank(b.level) - rank(a.level) || b.leftAt - a.leftAt)[0];
    if (!v) {
      throw new DomainError('conflict', 'NOT_AN_ARRIVAL', `no stay of person ${props.personId} in a medium- or high-risk area within the edition's days is on record: name the area they came from`, [{ field: 'fromRegionCode', reason: 'required: no stay in a risk area on record' }]);
    }
    from = { level: v.level, regionCode: v.regionCode, leftAt: v.leftAt };
  }
  const stage = arrivalSchedule(edition, from.level, from.leftAt);
  if (!stage) throw new DomainError('conflict', 'NOT_AN_ARRIVAL', `the edition holds no arrival from a ${from.level}-risk area in quarantine`);
  if (stage.end <= now) throw new DomainError('conflict', 'PERIOD_ENDED', `counted from the departure from ${from.regionCode}, the ${stage.kind.replace(/_/g, ' ')} ended already`);
  const actor = actorName(ctx.actor);
  const a = await store.transaction(async (tx) => {
    await asContact(tx);
    const open = await tx.quarantine.openAssignmentOf(props.personId);
    if (open) throw new DomainError('conflict', 'ALREADY_IN_QUARANTINE', `person ${props.personId} is in ${open.kind.replace(/_/g, ' ')} already (assignment ${open.id})`);
    await checkPlace(tx, { personId: props.personId, site, room, kind: stage.kind, who: `an arrival from a ${from.level}-risk area`, now });
    const assignment: Omit<QuarantineAssignment, 'id'> = {
      personId: props.personId, kind: stage.kind, siteId: site?.id ?? null, room: site ? room : null, countedFrom: stage.start, startedAt: now, plannedEnd: stage.end,
      endedAt: null, reason: props.reason, endReason: null, contactId: null, taskId: null, assignedBy: actor, arrivalFrom: from.level, fromRegionCode: from.regionCode,
    };
    const id = await tx.quarantine.insertAssignment(assignment);
    await tx.corrections.record([{
      entity: 'quarantine_assignment', entityKey: String(id), changes: { assigned: [null, site ? `${site.name} ${room}` : stage.kind], arrivalFrom: [null, `${from.level} ${from.regionCode}`] },
      reason: props.reason, actor, at: now, source: ctx.actor.kind,
    }]);
    await tx.events.append([{ kind: 'quarantine.changed', payload: { assignmentId: id, personId: props.personId, change: 'assigned' } }], actor, now);
    return { id, ...assignment };
  });
  await deps.events.settle();
  return a;
}

/**
 * Releases the person of an open assignment when the edition's conditions hold (`releaseRefusal`): the assignment
 * ends, and their records in quarantine move on to home monitoring (when the edition follows quarantine with it) or
 * to released, recorded, with the events their code and follow-up tasks follow. Errors: NOT_FOUND, INVALID_TRANSITION
 * (ended already), RELEASE_CONDITIONS_NOT_MET.
 */
export async function releaseFromQuarantine(ctx: Ctx, deps: QuarantineDeps, props: { assignmentId: number; note: string }): Promise<QuarantineAssignment> {
  const { store, edition } = deps;
  const a = await store.quarantine.assignment(props.assignmentId, ctx.scope);
  if (!a) throw new DomainError('not_found', 'NOT_FOUND', `No quarantine assignment with id ${props.assignmentId}.`);
  if (a.endedAt !== null) throw new DomainError('conflict', 'INVALID_TRANSITION', `the assignment ended already (${a.endReason ?? 'ended'})`);
  const now = ctx.clock.now();
  const record = a.contactId === null ? undefined : await store.cases.contact(a.contactId);
  const as: HeldAs = a.arrivalFrom !== null ? `arrival_from_${a.arrivalFrom}` : record?.kind === 'secondary' ? 'secondary' : 'close';
  const refusal = releaseRefusal(edition, as, a, await store.samples.ofPerson(a.personId), now);
  if (refusal) {
    const { message, ...why } = refusal;
    throw new DomainError('conflict', 'RELEASE_CONDITIONS_NOT_MET', message, { ...why, ...('endsAt' in why ? { endsAt: formatTime(why.endsAt) } : {}) });
  }
  // An arrival has no contact record to move on; a contact's records move on as their schedule says.
  const m = as === 'secondary' ? edition.secondaryContact.management : edition.closeContact.management;
  const next = m.followedBy?.kind === 'home_monitoring' ? 'home_monitoring' as const : 'released' as const;
  const actor = actorName(ctx.actor);
  const reason = `released from ${a.kind.replace(/_/g, ' ')}: ${props.note}`;
  await store.transaction(async (tx) => {
    if (!(await endIn(tx, a, reason, { actor, at: now, source: ctx.actor.kind }))) throw new DomainError('conflict', 'INVALID_TRANSITION', 'the assignment ended already');
    for (const k of a.arrivalFrom !== null ? [] : (await tx.cases.contactsOfPerson(a.personId)).filter((x) => x.status === 'in_quarantine')) {
      await setContactStatusIn(tx, k, next, { reason, actor, source: ctx.actor.kind, at: now });
    }
    await tx.events.append([{ kind: 'quarantine.changed', payload: { assignmentId: a.id, personId: a.personId, change: 'released' } }], actor, now);
  });
  await deps.events.settle();
  return (await store.quarantine.assignment(a.id))!;
}

/**
 * What the persons held now within the actor's reach (optionally at one site) owe on `date` (`YYYY-MM-DD`, China
 * Standard Time; the server's today by default): the edition's tests whose day overlaps it, taken or not (not taken
 * first, then by deadline), the tests overdue (missed within the week before it, the earliest first), and the releases
 * due by its end (earliest first), with each person held by assignment id.
 * Errors: TIME_IMPLAUSIBLE (a day the edition's times cannot hold), NOT_FOUND (a site out of reach).
 */
export async function dueAt(ctx: Ctx, deps: QuarantineDeps, props: { date?: string; siteId?: number }) {
  const { store, edition } = deps;
  const date = props.date ?? dayOf(ctx.clock.now());
  const day = dayBounds(date);
  if (!day) throw new DomainError('invalid', 'VALIDATION_FAILED', `not a real date: ${date}`, [{ field: 'date', reason: 'not a real date YYYY-MM-DD' }]);
  assertPlausibleTimes(ctx, edition, { date: day.from }, { whatIf: true });
  if (props.siteId !== undefined && !(await store.quarantine.site(props.siteId, ctx.scope))) throw new DomainError('not_found', 'NOT_FOUND', `No quarantine site with id ${props.siteId}.`);
  const filter = { siteId: props.siteId };
  const held = await store.quarantine.heldNow(filter, ctx.scope);
  // A test's day overlapping the day asked for may begin the day before or end the day after it; one overdue ended
  // within the week before it.
  const samples = await store.quarantine.sampleTimesOfHeld(day.from - OVERDUE_REMEMBERED - DAY, day.to + DAY, filter);
  const due = dueOn(edition, held, (p) => samples.get(p) ?? [], day.from, day.to);
  return {
    date, held: new Map(held.map((h) => [h.assignmentId, h])),
    tests: due.tests.sort((a, b) => Number(a.taken) - Number(b.taken) || a.dueBy - b.dueBy || a.assignmentId - b.assignmentId),
    // The earliest missed first.
    overdue: due.overdue.sort((a, b) => a.dueBy - b.dueBy || a.assignmentId - b.assignmentId),
    releases: due.releases.sort((a, b) => a.plannedEnd - b.plannedEnd || a.assignmentId - b.assignmentId),
    // The day's arrivals: those held now whose quarantine began that day, the first first.
    arrivals: held.filter((h) => h.startedAt >= day.from && h.startedAt < day.to).sort((a, b) => a.startedAt - b.startedAt || a.assignmentId - b.assignmentId),
  };
}

/** The most days an occupancy series may span (a quarter). */
export const OCCUPANCY_MAX_DAYS = 92;

/**
 * A site within the actor's reach, its occupancy by day from `from` to `to` (`YYYY-MM-DD`, China Standard Time, both
 * included; the 14 days to the server's today by default): persons there at each day's end (held and stranded visitors
 * lodged), arrivals and departures. Errors: NOT_FOUND (no such site within reach), VALIDATION_FAILED (not a real date,
 * `to` after today or before `from`, more than OCCUPANCY_MAX_DAYS days), TIME_IMPLAUSIBLE.
 */
export async function siteOccupancy(ctx: Ctx, deps: QuarantineDeps, props: { siteId: number; from?: string; to?: string }) {
  const { store, edition } = deps;
  const site = await store.quarantine.site(props.siteId, ctx.scope);
  if (!site) throw new DomainError('not_found', 'NOT_FOUND', `No quarantine site with id ${props.siteId}.`);
  const today = dayOf(ctx.clock.now());
  const to = props.to ?? today;
  const last = dayBounds(to);
  if (!last) throw new DomainError('invalid', 'VALIDATION_FAILED', `not a real date: ${to}`, [{ field: 'to', reason: 'not a real date YYYY-MM-DD' }]);
  // A day not begun has no occupancy yet (who will be there is not known).
  if (to > today) throw new DomainError('invalid', 'VALIDATION_FAILED', `${to} has not begun (today is ${today})`, [{ field: 'to', reason: `after today, ${today}` }]);
  const from = props.from ?? dayOf(last.from - 13 * DAY);
  const first = dayBounds(from);
  if (!first) throw new DomainError('invalid', 'VALIDATION_FAILED', `not a real date: ${from}`, [{ field: 'from', reason: 'not a real date YYYY-MM-DD' }]);
  const n = Math.round((last.from - first.from) / DAY) + 1;
  if (n < 1) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the last day is before the first', [{ field: 'to', reason: `before ${from}` }]);
  if (n > OCCUPANCY_MAX_DAYS) throw new DomainError('invalid', 'VALIDATION_FAILED', `at most ${OCCUPANCY_MAX_DAYS} days at once`, [{ field: 'from', reason: `more than ${OCCUPANCY_MAX_DAYS} days before ${to}` }]);
  assertPlausibleTimes(ctx, edition, { from: first.from, to: last.to }, { whatIf: true });
  const days = Array.from({ length: n }, (_x, i) => { const d = dayOf(first.from + i * DAY + 12 * 3600); return { date: d, ...dayBounds(d)! }; });
  return { site, days: occupancyByDay(await store.quarantine.siteStays(site.id, first.from, last.to), days) };
}

/**
 * What quarantine follows in the event flow (idempotent), inside the event's transaction:
 * - a close contact who became a case (`case.recorded`): their secondary contacts become close contacts of the new case
 *   (`upgradeSecondaries`), so they are transferred and held for the close contact's full period;
 * - a person who became a case (`case.recorded`) leaves quarantine: their open assignment ends (they go to hospital);
 * - a person none of whose records keeps them in quarantine any more (`contact.status_changed`: released by hand as not
 *   a contact, sent home, lost; `case.withdrawn`: the index case was not a case) leaves it;
 * - a person still held is held until the latest end the edition gives their standing records of the same kind of
 *   quarantine (`governingOf`): later after a new exposure (`contacts.written`), earlier when the record that set it
 *   is gone (released by hand, its index case withdrawn);
 * - an arrival held who becomes a contact held in the same kind of quarantine is held as that contact from then on
 *   (to the later of the two ends; one held at home is transferred like any close contact, and moved by `assignIn`).
 * Each change is recorded and emits `quarantine.changed`, which their code follows.
 */
export async function quarantineFromEvent(tx: Repositories, edition: ProtocolEdition, ev: StoredEvent, now: number, actor: string): Promise<NewEvent[]> {
  const out: NewEvent[] = [];
  if (ev.kind === 'case.recorded') {
    out.push(...(await upgradeSecondaries(tx, ev.payload.caseId, ev.payload.personId, now)));
    const a = await tx.quarantine.openAssignmentOf(ev.payload.personId);
    if (!a) return out;
    const c = await tx.cases.get(ev.payload.caseId);
    if (!(await endIn(tx, a, `became case ${c?.caseNo ?? ev.payload.caseId}`, { actor, at: now, source: `event:${ev.id}` }))) return out;
    out.push({ kind: 'quarantine.changed', payload: { assignmentId: a.id, personId: a.personId, change: 'ended' } });
    return out;
  }
  // No record keeps the person in quarantine any more (released by hand as not a contact, sent home, lost; the index
  // case withdrawn): the quarantine ends with the reason.
  const endUnmanaged = async (personIds: readonly number[], reason: (personId: number) => Promise<string>) => {
    for (const a of (await tx.quarantine.openAssignmentsOf(personIds)).values()) {
      // An arrival is held for the area they left, not for a contact record.
      if (a.arrivalFrom !== null || managingRecords(await tx.cases.contactsOfPerson(a.personId)).length > 0) continue;
      if (!(await endIn(tx, a, await reason(a.personId), { actor, at: now, source: `event:${ev.id}` }))) continue;
      out.push({ kind: 'quarantine.changed', payload: { assignmentId: a.id, personId: a.personId, change: 'ended' } });
    }
  };
  // Held still: the schedule follows the record that governs it (`governingOf`): the planned end, the moment the test
  // days count from and the record the release's conditions follow; later with a new exposure, earlier when the record
  // that set it is gone. Recorded with what moved it.
  const replan = async (personIds: readonly number[], because: string) => {
    for (const a of (await tx.quarantine.openAssignmentsOf(personIds)).values()) {
      if (a.arrivalFrom !== null) {
        // An arrival held who is now a contact held in the same kind of quarantine (no transfer: they are where it
        // would take them) is held as that contact from now, to the later of the two ends.
        const g = governingOf(edition, await tx.cases.contactsOfPerson(a.personId), a.startedAt, a.kind);
        if (g === null) continue;
        const end = Math.max(g.end, a.plannedEnd);
        await tx.quarantine.setSchedule(a.id, { plannedEnd: end, countedFrom: g.countedFrom, contactId: g.record.id, asContact: true });
        await tx.corrections.record([{
          entity: 'quarantine_assignment', entityKey: String(a.id), reason: `held as a ${g.record.kind} contact from now: ${because}`, actor, at: now, source: `event:${ev.id}`,
          changes: { arrivalFrom: [a.arrivalFrom, null], contactId: [null, g.record.id], countedFrom: [a.countedFrom, g.countedFrom], ...(end !== a.plannedEnd ? { plannedEnd: [a.plannedEnd, end] } : {}) },
        }]);
        out.push({ kind: 'quarantine.changed', payload: { assignmentId: a.id, personId: a.personId, change: 'rescheduled' } });
        continue;
      }
      const g = governingOf(edition, await tx.cases.contactsOfPerson(a.personId), a.startedAt, a.kind);
      if (g === null || (g.end === a.plannedEnd && g.record.id === a.contactId && g.countedFrom === a.countedFrom)) continue;
      const reason = `planned end moved to ${formatTime(g.end)}: ${because}`;
      await tx.quarantine.setSchedule(a.id, { plannedEnd: g.end, countedFrom: g.countedFrom, contactId: g.record.id });
      await tx.corrections.record([{
        entity: 'quarantine_assignment', entityKey: String(a.id), reason, actor, at: now, source: `event:${ev.id}`,
        changes: { plannedEnd: [a.plannedEnd, g.end], ...(g.countedFrom !== a.countedFrom ? { countedFrom: [a.countedFrom, g.countedFrom] } : {}), ...(g.record.id !== a.contactId ? { contactId: [a.contactId, g.record.id] } : {}) },
      }]);
      out.push({ kind: 'quarantine.changed', payload: { assignmentId: a.id, personId: a.personId, change: 'rescheduled' } });
    }
  };
  if (ev.kind === 'contact.status_changed') {
    const { contactId, status } = ev.payload;
    const why = (await tx.corrections.of('contact', String(contactId))).at(-1)?.reason;
    const what = `${status.replace(/_/g, ' ')}${why ? `: ${why}` : ''}`;
    await endUnmanaged([ev.payload.personId], async () => `no record keeps them in quarantine (${what})`);
    await replan([ev.payload.personId], `contact ${contactId} ${what}`);
    return out;
  }
  if (ev.kind === 'case.withdrawn') {
    const c = await tx.cases.get(ev.payload.caseId);
    const persons = (await tx.cases.contactsOfCase(ev.payload.caseId)).map((k) => k.personId);
    await endUnmanaged(persons, async () => `index case ${c?.caseNo ?? ev.payload.caseId} withdrawn`);
    await replan(persons, `index case ${c?.caseNo ?? ev.payload.caseId} withdrawn`);
    return out;
  }
  if (ev.kind !== 'contacts.written') return out;
  await replan(ev.payload.personIds, 'a new exposure');
  return out;
}

/** Statuses of a secondary contact still managed as one: the upgrade rule applies to them. */
const UPGRADABLE = ['identified', 'notified', 'in_quarantine', 'home_monitoring'] as const;

/**
 * PROTOCOL.md (secondary close contacts): "if the close contact turns positive, they become close contacts (full
 * period)". When person `personId`, a close contact of some case, becomes case `caseId`, each person managed as a
 * secondary contact through one of their close-contact records becomes a close contact of the new case, with the same
 * exposure (recorded with origin `upgrade` and evidence naming the secondary record), unless already one. Emits
 * `contacts.written` (path `upgrade`), after which transfer tasks, codes and quarantine follow. Idempotent.
 */
export async function upgradeSecondaries(tx: Repositories, caseId: number, personId: number, now: number): Promise<NewEvent[]> {
  const closeRecords = (await tx.cases.contactsOfPerson(personId)).filter((k) => k.kind === 'close');
  if (closeRecords.length === 0) return [];
  const via = new Set(closeRecords.map((k) => k.id));
  const secondaries: Contact[] = [];
  for (const k of closeRecords) {
    for (const x of await tx.cases.contactsOfCase(k.indexCaseId)) {
      if (x.kind === 'secondary' && x.viaContactId !== null && via.has(x.viaContactId) && x.personId !== personId && (UPGRADABLE as readonly string[]).includes(x.status)) secondaries.push(x);
    }
  }
  if (secondaries.length === 0) return [];
  const already = await tx.cases.contactIds(caseId, 'close');
  const c = await tx.cases.get(caseId);
  const fresh = new Map<number, Contact>();
  for (const x of secondaries) if (!already.has(x.personId) && (!fresh.has(x.personId) || x.lastExposure > fresh.get(x.personId)!.lastExposure)) fresh.set(x.personId, x);
  if (fresh.size === 0) return [];
  await tx.cases.insertContacts([...fresh.values()].map((x) => ({
    personId: x.personId, kind: 'close' as const, indexCaseId: caseId, viaContactId: null, firstExposure: x.firstExposure, lastExposure: x.lastExposure,
    status: 'identified' as const, identifiedAt: now, origin: 'upgrade' as const,
    evidence: x.evidence.map((e) => ({ ...e, note: `secondary contact ${x.id} upgraded: their close contact became case ${c?.caseNo ?? caseId} (PROTOCOL.md, secondary close contacts)` })),
  })));
  return [{ kind: 'contacts.written', payload: { caseId, personIds: [...fresh.keys()], path: 'upgrade' } }];
}
