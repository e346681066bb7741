/**
 * Designated hospitals (issue "Quarantine"; PROTOCOL.md, "People under management": cases go to a designated hospital
 * or, under the ninth edition, a shelter hospital): designating a hospital with its beds; admitting a case; its
 * severity over time (mild, moderate, severe, critical); treatments, each flagged when it is traditional Chinese
 * medicine (TCM), and the TCM participation rate by hospital and province; discharge (or death, or transfer) with the
 * follow-up after discharge the edition gives (`caseManagement.afterDischarge`); expert teams dispatched to hospitals.
 * A case's severity and outcome follow through the case's own correction (`applyCaseFix`: recorded, `case.corrected`),
 * so its code (post-discharge management) and the bulletin follow.
 */
import { assertInScope, inScope } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { labelProblem } from '../../domain/rules/quarantine.ts';
import { normalizeLabel } from '../../domain/text.ts';
import { DAY } from '../../domain/time.ts';
import type { DischargeOutcome, HospitalKind, Severity, TreatmentKind } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { Admission, ExpertMember, ExpertTeam, Hospital } from '../../storage/sql/hospitals.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import { applyCaseFix } from '../cases/corrections.ts';
import type { EventDispatcher } from '../events/dispatcher.ts';
import { assertPlausibleTimes } from '../times.ts';

/** What the hospital use cases work with. */
export interface HospitalDeps { store: Store; edition: ProtocolEdition; events: EventDispatcher }

/**
 * Designates a hospital of `regionCode` (inside the actor's scope) with its beds. Errors: OUT_OF_SCOPE,
 * UNKNOWN_REFERENCE (no such region), NAME_TAKEN (a hospital of that name there already), VALIDATION_FAILED (a name that
 * cannot be stored, more intensive-care beds than beds).
 */
export async function designateHospital(ctx: Ctx, deps: HospitalDeps, props: { name: string; kind: HospitalKind; regionCode: string; address?: string; beds: number; icuBeds?: number }): Promise<Hospital> {
  const { store } = deps;
  const name = normalizeLabel(props.name);
  const bad = labelProblem(name, 'site', 100);
  if (bad) throw new DomainError('invalid', 'VALIDATION_FAILED', `the hospital's name: ${bad}`, [{ field: 'name', reason: bad }]);
  const icuBeds = props.icuBeds ?? 0;
  if (icuBeds > props.beds) throw new DomainError('invalid', 'VALIDATION_FAILED', 'more intensive-care beds than beds', [{ field: 'icuBeds', reason: `more than the ${props.beds} beds` }]);
  assertInScope(ctx.scope, props.regionCode, 'regionCode');
  if (!(await store.regions.get(props.regionCode))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no region ${props.regionCode}`, [{ field: 'regionCode', reason: `no region ${props.regionCode}` }]);
  if (await store.hospitals.hospitalByName(props.regionCode, name)) throw new DomainError('conflict', 'NAME_TAKEN', `a hospital named ${name} in ${props.regionCode} already`, [{ field: 'name', reason: 'taken in this region' }]);
  const now = ctx.clock.now();
  const h: Omit<Hospital, 'id'> = { name, kind: props.kind, regionCode: props.regionCode, address: props.address ?? null, beds: props.beds, icuBeds, designatedAt: now };
  const id = await store.transaction(async (tx) => {
    const hospitalId = await tx.hospitals.insertHospital(h);
    await tx.corrections.record([{ entity: 'hospital', entityKey: String(hospitalId), changes: { designated: [null, name] }, reason: 'hospital designated', actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    return hospitalId;
  });
  return { id, ...h };
}

/** A hospital within the actor's reach (its region, or one containing the actor's); UNKNOWN_REFERENCE otherwise. */
async function hospitalWithinReach(ctx: Ctx, store: Store, hospitalId: number): Promise<Hospital> {
  const h = await store.hospitals.hospital(hospitalId, ctx.scope);
  if (!h) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no hospital ${hospitalId}`, [{ field: 'hospitalId', reason: `no hospital ${hospitalId} within your reach` }]);
  return h;
}

/** An open admission within the actor's reach: NOT_FOUND when there is none, INVALID_TRANSITION when it has ended. */
async function openAdmission(ctx: Ctx, store: Store, admissionId: number): Promise<Admission & { personId: number; caseNo: string }> {
  const a = await store.hospitals.admission(admissionId, ctx.scope);
  if (!a) throw new DomainError('not_found', 'NOT_FOUND', `No admission with id ${admissionId}.`);
  if (a.dischargedAt !== null) throw new DomainError('conflict', 'INVALID_TRANSITION', `the admission ended already (${a.outcome ?? 'discharged'})`);
  return a;
}

/** Sets the case's severity (and outcome) through its correction, in the caller's transaction. */
async function fixCase(tx: Repositories, ctx: Ctx, edition: ProtocolEdition, caseId: number, fix: { severity?: Severity; outcome?: 'in_treatment' | 'discharged' | 'died'; outcomeAt?: number }, reason: string): Promise<void> {
  const c = (await tx.cases.get(caseId))!;
  await applyCaseFix(tx, ctx, edition, c, fix, reason, ctx.actor.kind);
}

/**
 * Admits a case (by `caseId` or `caseNo`; a case standing, in the actor's reach) to hospital `hospitalId` at the
 * server's now with its severity; the case's severity follows (and its outcome is in treatment again after an earlier discharge). Errors:
 * NOT_FOUND (no such case), UNKNOWN_REFERENCE (no such hospital within reach), CASE_WITHDRAWN, ALREADY_ADMITTED,
 * HOSPITAL_FULL (every bed taken), CASE_DECEASED (the case died).
 */
export async function admitCase(ctx: Ctx, deps: HospitalDeps, props: ({ caseId: number } | { caseNo: string }) & { hospitalId: number; severity: Severity; note?: string }): Promise<Admission> {
  const { store, edition } = deps;
  // By number: one out of reach is answered as one that does not exist.
  const caseId = 'caseId' in props ? props.caseId : (await store.cases.byCaseNo(props.caseNo))?.id;
  const c = caseId === undefined ? undefined : await store.cases.get(caseId, ctx.scope);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', 'caseId' in props ? `No case with id ${props.caseId}.` : `No case numbered ${props.caseNo}.`);
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`);
  if (c.outcome === 'died') throw new DomainError('conflict', 'CASE_DECEASED', `case ${c.caseNo} died: there is no one to admit`);
  const h = await hospitalWithinReach(ctx, store, props.hospitalId);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  const a: Omit<Admission, 'id'> = {
    caseId: c.id, hospitalId: h.id, admittedAt: now, severity: props.severity, dischargedAt: null, outcome: null, followUpUntil: null, admittedBy: actor, note: props.note ?? null,
  };
  const id = await store.transaction(async (tx) => {
    await tx.hospitals.lockHospital(h.id);
    if (await tx.hospitals.openAdmissionOf(c.id)) throw new DomainError('conflict', 'ALREADY_ADMITTED', `case ${c.caseNo} is in hospital already`);
    const used = await tx.hospitals.inHospital(h.id);
    if (used >= h.beds) throw new DomainError('conflict', 'HOSPITAL_FULL', `all ${h.beds} beds of ${h.name} are taken`);
    const admissionId = await tx.hospitals.insertAdmission(a);
    await tx.hospitals.insertSeverityChange({ admissionId, severity: props.severity, at: now, recordedBy: actor, note: 'on admission' });
    await tx.corrections.record([{ entity: 'admission', entityKey: String(admissionId), changes: { admitted: [null, `${h.name} ${c.caseNo}`] }, reason: props.note ?? 'admitted', actor, at: now, source: ctx.actor.kind }]);
    await fixCase(tx, ctx, edition, c.id, { severity: props.severity, ...(c.outcome !== 'in_treatment' ? { outcome: 'in_treatment' as const } : {}) }, `admitted to ${h.name}`);
    return admissionId;
  });
  await deps.events.settle();
  return { id, ...a };
}

/** Records the severity of an admitted case now (the case's severity follows). Errors: NOT_FOUND, INVALID_TRANSITION. */
export async function changeSeverity(ctx: Ctx, deps: HospitalDeps, props: { admissionId: number; severity: Severity; note?: string }): Promise<void> {
  const { store, edition } = deps;
  const a = await openAdmission(ctx, store, props.admissionId);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  await store.transaction(async (tx) => {
    await tx.hospitals.insertSeverityChange({ admissionId: a.id, severity: props.severity, at: now, recordedBy: actor, note: props.note ?? null });
    if (props.severity === a.severity) return;
    await tx.hospitals.setSeverity(a.id, props.severity);
    await fixCase(tx, ctx, edition, a.caseId, { severity: props.severity }, props.note ?? `severity ${props.severity} at admission ${a.id}`);
  });
  await deps.events.settle();
}

/**
 * Records a treatment of an admitted case, started at `startedAt` (the server's now by default; not after it, not
 * before the admission), flagged `tcm` when it is traditional Chinese medicine (a TCM kind always is: `tcm: false`
 * with one is refused; `tcm: true` is for a TCM kind or `other`, refused with a named Western kind). Errors:
 * NOT_FOUND, INVALID_TRANSITION, VALIDATION_FAILED, TIME_IMPLAUSIBLE.
 */
export async function recordTreatment(ctx: Ctx, deps: HospitalDeps, props: { admissionId: number; kind: TreatmentKind; tcm?: boolean; startedAt?: number; note?: string }): Promise<number> {
  const { store, edition } = deps;
  const a = await openAdmission(ctx, store, props.admissionId);
  const now = ctx.clock.now();
  const startedAt = props.startedAt ?? now;
  assertPlausibleTimes(ctx, edition, { startedAt });
  if (startedAt < a.admittedAt) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a treatment starts after the admission', [{ field: 'startedAt', reason: 'before the admission' }]);
  const tcmKind = props.kind.startsWith('tcm_');
  if (tcmKind && props.tcm === false) throw new DomainError('invalid', 'VALIDATION_FAILED', `${props.kind} is traditional Chinese medicine: tcm cannot be false`, [{ field: 'tcm', reason: `${props.kind} is a TCM kind` }]);
  // A named kind of Western treatment (an antiviral, oxygen ...) is not TCM; only a TCM kind or `other` may be.
  if (!tcmKind && props.kind !== 'other' && props.tcm === true) throw new DomainError('invalid', 'VALIDATION_FAILED', `${props.kind} is not traditional Chinese medicine: record a TCM kind, or other with tcm: true`, [{ field: 'tcm', reason: `${props.kind} is not a TCM kind` }]);
  const tcm = tcmKind || props.tcm === true;
  return store.transaction((tx) => tx.hospitals.insertTreatment({ admissionId: a.id, kind: props.kind, tcm, startedAt, recordedBy: actorName(ctx.actor), note: props.note ?? null }));
}

/**
 * Ends an admission at the server's now: discharged (the case's outcome discharged, then under management after
 * discharge for the edition's `caseManagement.afterDischarge.days`, listed as follow-up after discharge), died, or
 * transferred out (to another hospital: the case stays in treatment, to be admitted there). Errors: NOT_FOUND,
 * INVALID_TRANSITION.
 */
export async function dischargeCase(ctx: Ctx, deps: HospitalDeps, props: { admissionId: number; outcome: DischargeOutcome; note: string }): Promise<void> {
  const { store, edition } = deps;
  const a = await openAdmission(ctx, store, props.admissionId);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  const followUpUntil = props.outcome === 'discharged' ? now + edition.caseManagement.afterDischarge.days * DAY : null;
  await store.transaction(async (tx) => {
    if (!(await tx.hospitals.discharge(a.id, now, props.outcome, followUpUntil))) throw new DomainError('conflict', 'INVALID_TRANSITION', 'the admission ended already');
    await tx.corrections.record([{ entity: 'admission', entityKey: String(a.id), changes: { dischargedAt: [null, now], outcome: [null, props.outcome] }, reason: props.note, actor, at: now, source: ctx.actor.kind }]);
    if (props.outcome !== 'transferred_out') await fixCase(tx, ctx, edition, a.caseId, { outcome: props.outcome, outcomeAt: now }, props.note);
  });
  await deps.events.settle();
}

/**
 * Dispatches an expert team to a hospital of the actor's region (the command of the hospital's region or one above
 * dispatches to it), from `fromAt` (the server's now by default) until `toAt` (open while unknown). Errors:
 * UNKNOWN_REFERENCE, OUT_OF_SCOPE (a hospital of a region containing the actor's), VALIDATION_FAILED (the end before
 * the start), ALREADY_DISPATCHED (a team of that name at that hospital over the same days: a second click, or the same
 * team entered twice), TIME_IMPLAUSIBLE.
 */
export async function dispatchTeam(ctx: Ctx, deps: HospitalDeps, props: { name: string; specialty: string; members: ExpertMember[]; hospitalId: number; fromAt?: number; toAt?: number | null }): Promise<ExpertTeam> {
  const { store, edition } = deps;
  const h = await hospitalWithinReach(ctx, store, props.hospitalId);
  const fromAt = props.fromAt ?? ctx.clock.now();
  const toAt = props.toAt ?? null;
  assertPlausibleTimes(ctx, edition, { fromAt, toAt }, { whatIf: true });
  if (toAt !== null && toAt <= fromAt) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the team leaves before it arrives', [{ field: 'toAt', reason: 'not after fromAt' }]);
  if (ctx.scope && !inScope(ctx.scope, h.regionCode)) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `${h.name} lies outside your region (${ctx.scope}): its region's command dispatches teams to it`, [{ field: 'hospitalId', reason: `outside ${ctx.scope}` }]);
  const name = normalizeLabel(props.name);
  const there = await store.hospitals.teams({ hospitalId: h.id }, { limit: 1000 });
  const same = there.items.find((t) => t.name === name && (t.toAt === null || t.toAt > fromAt) && (toAt === null || toAt > t.fromAt));
  if (same) throw new DomainError('conflict', 'ALREADY_DISPATCHED', `${name} is at ${h.name} over those days already (team ${same.id})`, [{ field: 'name', reason: `team ${same.id} there already` }]);
  const team: Omit<ExpertTeam, 'id'> = { name, specialty: props.specialty.trim(), members: props.members, hospitalId: h.id, fromAt, toAt, dispatchedBy: actorName(ctx.actor) };
  const id = await store.transaction((tx) => tx.hospitals.insertTeam(team));
  return { id, ...team };
}

/** The TCM participation rate (cases with a TCM treatment / cases admitted) by hospital within reach, and the province's. */
export async function tcmRates(ctx: Ctx, deps: HospitalDeps) {
  const { store } = deps;
  const rate = (withTcm: number, admitted: number) => (admitted === 0 ? null : withTcm / admitted);
  const byHospital = (await store.hospitals.tcmByHospital(ctx.scope)).map((h) => ({ ...h, rate: rate(h.withTcm, h.admitted) }));
  const p = await store.hospitals.tcmProvince();
  return { byHospital, province: { ...p, rate: rate(p.withTcm, p.admitted) } };
}
