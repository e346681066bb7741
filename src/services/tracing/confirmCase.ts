/**
 * Confirms a case (records it) and traces it at once, as the command centre does when a positive is confirmed:
 * the case and its contacts are stored before the call returns.
 */
import type { Case } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import type { Store } from '../../storage/store.ts';
import type { NewCase } from '../../storage/sql/cases.ts';
import type { HealthCodeService, RecomputeResult } from '../codes/healthCodes.ts';
import type { TracingEngine } from './engine.ts';
import { traceCase, type TraceResult } from './traceCase.ts';
import { nowSeconds } from '../../domain/time.ts';

/** Why a case could not be recorded: its number or person is already a case, or the person or hospital is unknown. */
export class ConfirmCaseError extends Error {
  constructor(readonly reason: 'duplicate_case_no' | 'person_already_case' | 'unknown_person' | 'unknown_hospital', message: string) {
    super(message);
    this.name = 'ConfirmCaseError';
  }
}

/**
 * Records the case, traces it, and (given the code service) evaluates the codes of the case and of everyone traced
 * from it at once, so their colours change with the confirmation.
 */
export async function confirmCase(props: { store: Store; engine: TracingEngine; edition: ProtocolEdition; case: NewCase; codes?: HealthCodeService; now?: number }): Promise<{ case: Case; trace: TraceResult; codes: RecomputeResult | null }> {
  const { store, case: c } = props;
  if (await store.cases.byCaseNo(c.caseNo)) throw new ConfirmCaseError('duplicate_case_no', `case number ${c.caseNo} is already recorded`);
  if (!(await store.persons.get(c.personId))) throw new ConfirmCaseError('unknown_person', `no person with id ${c.personId}`);
  if (c.hospitalPlaceId !== null && !(await store.places.get(c.hospitalPlaceId))) throw new ConfirmCaseError('unknown_hospital', `no place with id ${c.hospitalPlaceId}`);
  if ((await store.cases.insertMany([c])) === 0) throw new ConfirmCaseError('person_already_case', `person ${c.personId} is already a case`);
  const stored = (await store.cases.byCaseNo(c.caseNo))!;
  const now = props.now ?? nowSeconds();
  const trace = await traceCase({ ...props, caseId: stored.id, now });
  const persons = [stored.personId, ...[...trace.found.close, ...trace.found.secondary, ...trace.found.companion].map((f) => f.personId)];
  const codes = props.codes ? await props.codes.recompute(persons, `case ${stored.caseNo} confirmed`, now) : null;
  return { case: stored, trace, codes };
}
