/**
 * Corrections of cases and contacts: a case's outcome (recovered, discharged, died), isolation time, severity,
 * hospital, times and classification (asymptomatic to confirmed and back); a case withdrawn as not a case; a
 * contact's status through its life. Each keeps who, when, why, the values before and after and its source, and is
 * written with its event in one transaction, so everything derived (contacts, codes, chains) follows it through the
 * event flow before the use case returns.
 */
import type { Services } from '../../app/container.ts';
import { changesAnything, diff, type Changes } from '../../domain/corrections.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Case, CaseKind, CaseOutcome, Contact, ContactStatus, DetectionRoute, Severity } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { transitionProblem } from '../../domain/rules/contactStatus.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { Repositories } from '../../storage/store.ts';
import { assertPlausibleTimes } from '../times.ts';

/** What a correction of a case may change (times in epoch seconds). */
export interface CaseFix {
  kind?: CaseKind;
  onsetAt?: number | null;
  sampledAt?: number;
  confirmedAt?: number;
  isolatedAt?: number | null;
  severity?: Severity;
  hospitalPlaceId?: number | null;
  outcome?: CaseOutcome;
  /**
   * When the outcome was reached; the server's now when an outcome is set without it. Only an outcome other than
   * in_treatment has a time: one given for a case in treatment is refused, as is taking away a final outcome's time.
   */
  outcomeAt?: number | null;
  detectedBy?: DetectionRoute | null;
}

/** Fields that move a case's infectious window or isolation: changing one retraces the case. */
const WINDOW_FIELDS: readonly (keyof CaseFix)[] = ['kind', 'onsetAt', 'sampledAt', 'confirmedAt', 'isolatedAt', 'detectedBy'];

/**
 * Applies a correction to a case inside the caller's transaction (a use case's, or an import's): checks it, writes
 * the new values, the correction (with `source`) and the `case.corrected` event. Returns the changes (empty when the
 * values were already so).
 */
export async function applyCaseFix(tx: Repositories, ctx: Ctx, edition: ProtocolEdition, c: Case, fix: CaseFix, reason: string | null, source: string): Promise<Changes> {
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn; it cannot be corrected`);
  const now = ctx.clock.now();
  const issues: { field: string; reason: string }[] = [];
  if (fix.outcomeAt != null && (fix.outcome ?? c.outcome) === 'in_treatment') issues.push({ field: 'outcomeAt', reason: 'an outcome time needs an outcome other than in_treatment' });
  const next: CaseFix = { ...fix };
  if (fix.outcome !== undefined && fix.outcome !== c.outcome) {
    next.outcomeAt = fix.outcome === 'in_treatment' ? null : fix.outcomeAt ?? now;
  }
  if (next.kind === 'asymptomatic' && c.kind !== 'asymptomatic' && next.onsetAt === undefined) next.onsetAt = null;
  assertPlausibleTimes(ctx, edition, { onsetAt: next.onsetAt, sampledAt: next.sampledAt, confirmedAt: next.confirmedAt, isolatedAt: next.isolatedAt, outcomeAt: next.outcomeAt });
  const after = { ...c, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) } as Case;
  if (after.outcome !== 'in_treatment' && after.outcomeAt === null) issues.push({ field: 'outcomeAt', reason: `a ${after.outcome} case keeps the time of its outcome` });
  if (after.confirmedAt < after.sampledAt) issues.push({ field: 'confirmedAt', reason: 'confirmed before the sample was taken' });
  if (after.kind === 'asymptomatic' && after.onsetAt !== null) issues.push({ field: 'onsetAt', reason: 'an asymptomatic infection has no onset' });
  if (after.outcomeAt !== null && after.outcomeAt < after.confirmedAt) issues.push({ field: 'outcomeAt', reason: 'the outcome is before the confirmation' });
  if (after.hospitalPlaceId !== null && after.hospitalPlaceId !== c.hospitalPlaceId && !(await tx.places.get(after.hospitalPlaceId))) {
    throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no place with id ${after.hospitalPlaceId}`);
  }
  if (issues.length) throw new DomainError('invalid', 'VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), issues);
  const changes = diff(c, next);
  if (!changesAnything(changes)) return changes;
  await tx.cases.update(c.id, next);
  await tx.corrections.record([{ entity: 'case', entityKey: String(c.id), changes, reason, actor: actorName(ctx.actor), at: now, source }]);
  const fields = Object.keys(changes);
  await tx.events.append([{ kind: 'case.corrected', payload: { caseId: c.id, personId: c.personId, fields, retrace: fields.some((f) => WINDOW_FIELDS.includes(f as keyof CaseFix)) } }], actorName(ctx.actor), now);
  return changes;
}

/** The case, if it exists under the actor's region (ctx.scope); NOT_FOUND otherwise. */
async function caseOf(ctx: Ctx, s: Pick<Services, 'store'>, caseId: number): Promise<Case> {
  const c = await s.store.cases.get(caseId, ctx.scope);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  return c;
}

/** Corrects a case (see applyCaseFix) and waits for what follows; returns the case as it is now and the changes. */
export async function correctCase(ctx: Ctx, s: Services, props: { caseId: number; fix: CaseFix; reason: string }): Promise<{ case: Case; changes: Changes }> {
  const c = await caseOf(ctx, s, props.caseId);
  const changes = await s.store.transaction((tx) => applyCaseFix(tx, ctx, s.edition, c, props.fix, props.reason, ctx.actor.kind));
  await s.events.settle();
  return { case: (await s.store.cases.get(c.id))!, changes };
}

/**
 * Withdraws a case as not a case (a false positive, a duplicate report): it stays on record with the reason, its
 * contacts are released, its person's contact records no longer say they became a case, and codes follow.
 */
export async function withdrawCase(ctx: Ctx, s: Services, props: { caseId: number; reason: string }): Promise<Case> {
  const c = await caseOf(ctx, s, props.caseId);
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was already withdrawn`);
  const now = ctx.clock.now();
  await s.store.transaction(async (tx) => {
    await tx.cases.update(c.id, { withdrawnAt: now, withdrawalReason: props.reason });
    await tx.corrections.record([{ entity: 'case', entityKey: String(c.id), changes: { withdrawnAt: [null, now], withdrawalReason: [null, props.reason] }, reason: props.reason, actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    await tx.events.append([{ kind: 'case.withdrawn', payload: { caseId: c.id, personId: c.personId } }], actorName(ctx.actor), now);
  });
  await s.events.settle();
  return (await s.store.cases.get(c.id))!;
}

/**
 * Moves a contact to another status of its life (see CONTACT_TRANSITIONS), with the reason; its person's code follows.
 * Errors: NOT_FOUND, INVALID_TRANSITION, ASSIGNMENT_REQUIRED (in quarantine without being held: quarantine is an
 * assignment), RELEASE_REQUIRED (a record held sent to home monitoring by hand: the release checks the edition).
 */
export async function setContactStatus(ctx: Ctx, s: Services, props: { contactId: number; status: ContactStatus; reason: string }): Promise<Contact> {
  const k = await s.store.cases.contact(props.contactId, ctx.scope);
  if (!k) throw new DomainError('not_found', 'NOT_FOUND', `No contact with id ${props.contactId}.`);
  const problem = transitionProblem(k.status, props.status);
  if (problem) throw new DomainError('conflict', 'INVALID_TRANSITION', problem);
  // Quarantine is held at a site or at home by an assignment: a contact is in quarantine once their person is held.
  // A record released by hand (not a contact after all) or lost ends the person's quarantine when no other record keeps
  // them there (quarantineFromEvent); the normal way out is the release, which checks the edition.
  const held = await s.store.quarantine.openAssignmentOf(k.personId);
  if (props.status === 'in_quarantine' && !held) {
    throw new DomainError('conflict', 'ASSIGNMENT_REQUIRED', 'put the person in quarantine at a site or at home (POST /api/quarantine/assignments, or complete their transfer task): the contact\'s status follows');
  }
  // Home monitoring follows a release, which checks the days served and the negatives: a record held is not sent home
  // by hand (that skipped the edition's conditions). Released by hand (not a contact after all) or lost, it still may.
  if (props.status === 'home_monitoring' && k.status === 'in_quarantine' && held) {
    throw new DomainError('conflict', 'RELEASE_REQUIRED', `person ${k.personId} is held in ${held.kind.replace(/_/g, ' ')} (assignment ${held.id}): release them (POST /api/quarantine/assignments/${held.id}/release), which checks the edition's conditions; their records then move on to home monitoring`);
  }
  const now = ctx.clock.now();
  await s.store.transaction((tx) => setContactStatusIn(tx, k, props.status, { reason: props.reason, actor: actorName(ctx.actor), source: ctx.actor.kind, at: now }));
  await s.events.settle();
  return (await s.store.cases.contact(k.id))!;
}

/**
 * The same inside a transaction the caller holds (the transition already checked): the contact's new status, the
 * correction that keeps who, when, why, before and after, and the event its person's code and tasks follow.
 */
export async function setContactStatusIn(tx: Repositories, k: Contact, status: ContactStatus, why: { reason: string; actor: string; source: string; at: number }): Promise<void> {
  await tx.cases.updateContact(k.id, { status, statusAt: why.at });
  await tx.corrections.record([{ entity: 'contact', entityKey: String(k.id), changes: { status: [k.status, status] }, reason: why.reason, actor: why.actor, at: why.at, source: why.source }]);
  await tx.events.append([{ kind: 'contact.status_changed', payload: { contactId: k.id, personId: k.personId, status } }], why.actor, why.at);
}
