/**
 * A contact an investigator enters by judgement (the protocol's setting 9: "anyone else the investigators judge to
 * qualify"), with the reason as its evidence; written with its `contacts.written` event, so the person's code follows.
 * Tracing never releases such a record: only a person can.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Contact } from '../../domain/model/index.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import { assertPlausibleTimes } from '../times.ts';

export interface ManualContact {
  caseId: number;
  personId: number;
  kind: 'close' | 'secondary';
  reason: string;
  /** When the exposure was (epoch seconds). */
  firstExposure: number;
  lastExposure: number;
  /** Where, if at a known place. */
  placeId: number | null;
}

export async function addManualContact(ctx: Ctx, s: Services, m: ManualContact): Promise<Contact> {
  assertPlausibleTimes(ctx, s.edition, { firstExposure: m.firstExposure, lastExposure: m.lastExposure });
  if (m.lastExposure < m.firstExposure) throw new DomainError('invalid', 'VALIDATION_FAILED', 'lastExposure is before firstExposure', [{ field: 'lastExposure', reason: 'before firstExposure' }]);
  const c = await s.store.cases.get(m.caseId);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${m.caseId}.`);
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`);
  if (c.personId === m.personId) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a case is not its own contact', [{ field: 'personId', reason: 'the case\'s own person' }]);
  if (!(await s.store.persons.get(m.personId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No person with id ${m.personId}.`);
  if (m.placeId !== null && !(await s.store.places.get(m.placeId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No place with id ${m.placeId}.`);
  const now = ctx.clock.now();
  const id = await s.store.transaction(async (tx) => {
    const inserted = await tx.cases.insertContacts([{
      personId: m.personId, kind: m.kind, indexCaseId: c.id, viaContactId: null, firstExposure: m.firstExposure, lastExposure: m.lastExposure, status: 'identified', identifiedAt: now, origin: 'investigator',
      evidence: [{
        setting: 'manual', rule: `investigators' judgement (protocol setting 9, ${s.edition.id})`, placeId: m.placeId, overlapStart: m.firstExposure, overlapEnd: m.lastExposure,
        minutes: (m.lastExposure - m.firstExposure) / 60, seatDistance: null, sources: ['investigation'], note: m.reason,
      }],
    }]);
    if (inserted === 0) throw new DomainError('conflict', 'CONFLICT', `person ${m.personId} is already a ${m.kind} contact of case ${c.caseNo}`);
    await tx.events.append([{ kind: 'contacts.written', payload: { caseId: c.id, personIds: [m.personId], path: 'investigator' } }], actorName(ctx.actor), now);
    return (await tx.cases.contactIds(c.id, m.kind)).get(m.personId)!;
  });
  await s.events.settle();
  return (await s.store.cases.contact(id))!;
}
