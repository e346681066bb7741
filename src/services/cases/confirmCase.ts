/**
 * Confirms a case, as the command centre does when a positive is confirmed: the case is recorded with a
 * `case.recorded` event in one transaction, and the event's handlers trace it (contacts with evidence), mark its
 * person's contact records as having become a case, and change the health codes of the case and everyone traced
 * from it, before this returns. A process killed after the write leaves the event pending; the next start handles it.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import { caseWindow, type Window } from '../../domain/rules/caseWindow.ts';
import type { Case, CaseKind, DetectionRoute, Severity } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { Repositories } from '../../storage/store.ts';
import { assertPlausibleTimes } from '../times.ts';
import type { CodeColour } from '../../domain/vocab.ts';

/** A case as an investigator or a lab reports it (times in epoch seconds). */
export interface CaseReport {
  caseNo: string;
  personId: number;
  kind: CaseKind;
  onsetAt: number | null;
  sampledAt: number;
  confirmedAt: number;
  isolatedAt: number | null;
  severity: Severity;
  hospitalPlaceId: number | null;
  detectedBy: DetectionRoute | null;
}

/**
 * What confirming did: the case, its tracing, and its people's codes now (`evaluated` and `colours`: the case's person
 * and its contacts; `changed`: every code the confirmation changed, arrivals from a risk area it graded included).
 */
export interface ConfirmResult {
  case: Case;
  trace: { caseId: number; window: Window; contacts: { close: number; secondary: number; companion: number }; written: number; elapsedMs: number };
  codes: { evaluated: number; changed: number; colours: Record<CodeColour, number> };
}

/**
 * Checks that a case can be recorded for the person: known person and hospital, plausible times, a case number not
 * used, and the person not already a case in treatment (a reinfection after recovery is a new case; a death is final).
 */
export async function checkNewCaseIn(repos: Repositories, ctx: Ctx, edition: ProtocolEdition, r: CaseReport): Promise<void> {
  assertPlausibleTimes(ctx, edition, { onsetAt: r.onsetAt, sampledAt: r.sampledAt, confirmedAt: r.confirmedAt, isolatedAt: r.isolatedAt });
  if (r.confirmedAt < r.sampledAt) throw new DomainError('invalid', 'VALIDATION_FAILED', 'confirmed before the sample was taken', [{ field: 'confirmedAt', reason: 'before sampledAt' }]);
  if (r.kind === 'asymptomatic' && r.onsetAt !== null) throw new DomainError('invalid', 'VALIDATION_FAILED', 'an asymptomatic infection has no onset', [{ field: 'onsetAt', reason: 'asymptomatic' }]);
  if (await repos.cases.byCaseNo(r.caseNo)) throw new DomainError('conflict', 'CONFLICT', `case number ${r.caseNo} is already recorded`);
  // The person must live under the actor's region; one outside it is answered as unknown (nothing leaks).
  if (!(await repos.persons.get(r.personId, ctx.scope))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no person with id ${r.personId}`);
  if (r.hospitalPlaceId !== null && !(await repos.places.get(r.hospitalPlaceId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no place with id ${r.hospitalPlaceId}`);
  for (const earlier of await repos.cases.ofPerson(r.personId)) {
    if (earlier.withdrawnAt !== null) continue;
    if (earlier.outcome === 'in_treatment') throw new DomainError('conflict', 'PERSON_ALREADY_CASE', `person ${r.personId} is already case ${earlier.caseNo}, in treatment`);
    if (earlier.outcome === 'died') throw new DomainError('conflict', 'PERSON_ALREADY_CASE', `person ${r.personId} (case ${earlier.caseNo}) died`);
    if (earlier.outcomeAt !== null && r.confirmedAt <= earlier.outcomeAt) throw new DomainError('conflict', 'PERSON_ALREADY_CASE', `a reinfection must be confirmed after case ${earlier.caseNo} ended`);
  }
}

/** Records the case and waits for what it causes (see the file's comment). */
export async function confirmCase(ctx: Ctx, s: Services, r: CaseReport): Promise<ConfirmResult> {
  await checkNewCaseIn(s.store, ctx, s.edition, r);
  const t0 = performance.now();
  const writeAt = ctx.clock.now();
  const { id, eventIds } = await s.store.transaction(async (tx) => {
    if ((await tx.cases.insertMany([{ ...r, outcome: 'in_treatment' }])) === 0) throw new DomainError('conflict', 'CONFLICT', `case number ${r.caseNo} is already recorded`);
    const stored = (await tx.cases.byCaseNo(r.caseNo))!;
    const ids = await tx.events.append([{ kind: 'case.recorded', payload: { caseId: stored.id, personId: stored.personId, traceAs: 'now' } }], actorName(ctx.actor), writeAt);
    return { id: stored.id, eventIds: ids };
  });
  await s.events.settle();
  const c = (await s.store.cases.get(id))!;
  const counts = await s.store.cases.contactCounts(id);
  const colours = await s.store.codes.coloursOfCase(id);
  const changed = await s.store.events.codeChangesCausedBy(eventIds);
  return {
    case: c,
    trace: {
      caseId: id, window: caseWindow(c, s.edition), contacts: { close: counts.close, secondary: counts.secondary, companion: counts.companion },
      written: counts.close + counts.secondary + counts.companion, elapsedMs: performance.now() - t0,
    },
    codes: { evaluated: colours.green + colours.yellow + colours.red, changed, colours },
  };
}
