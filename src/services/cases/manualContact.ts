/**
 * A contact an investigator enters by judgement (the protocol's setting 9: "anyone else the investigators judge to
 * qualify"), with the reason as its evidence; written with its `contacts.written` event, so the person's code follows.
 * Tracing never releases such a record: only a person can.
 *
 * The exposure must fall where tracing would look for it: a close contact's within the case's infectious window
 * (`caseWindow`), a secondary contact's from the first exposure of the close contact it came through (`viaContactId`,
 * a close contact of the same case) until close contacts are isolated (`contactIsolationDeadline`). A person is one
 * kind of contact of a case: not close and secondary both.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Contact } from '../../domain/model/index.ts';
import { caseWindow, contactIsolationDeadline } from '../../domain/rules/caseWindow.ts';
import { formatTime } from '../../domain/time.ts';
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
  /** For a secondary contact: the close contact of the same case through whom (a contact id); null for a close contact. */
  viaContactId: number | null;
}

export async function addManualContact(ctx: Ctx, s: Services, m: ManualContact): Promise<Contact> {
  assertPlausibleTimes(ctx, s.edition, { firstExposure: m.firstExposure, lastExposure: m.lastExposure });
  if (m.lastExposure < m.firstExposure) throw new DomainError('invalid', 'VALIDATION_FAILED', 'lastExposure is before firstExposure', [{ field: 'lastExposure', reason: 'before firstExposure' }]);
  const c = await s.store.cases.get(m.caseId, ctx.scope);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${m.caseId}.`);
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`);
  if (c.personId === m.personId) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a case is not its own contact', [{ field: 'personId', reason: 'the case\'s own person' }]);
  if (!(await s.store.persons.get(m.personId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No person with id ${m.personId}.`);
  if (m.placeId !== null && !(await s.store.places.get(m.placeId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No place with id ${m.placeId}.`);
  if ((m.kind === 'secondary') !== (m.viaContactId !== null)) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', 'a secondary contact names the close contact it came through (viaContactId); a close contact names none', [{ field: 'viaContactId', reason: m.kind === 'secondary' ? 'required for a secondary contact' : 'only for a secondary contact' }]);
  }
  let window = caseWindow(c, s.edition);
  let whose = `case ${c.caseNo}'s infectious window`;
  if (m.viaContactId !== null) {
    const via = await s.store.cases.contact(m.viaContactId);
    if (!via || via.indexCaseId !== c.id || via.kind !== 'close') {
      throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No close contact of case ${c.caseNo} with id ${m.viaContactId}.`, [{ field: 'viaContactId', reason: `not a close contact of case ${c.caseNo}` }]);
    }
    window = { from: via.firstExposure, to: contactIsolationDeadline(c.confirmedAt, s.edition) };
    whose = `close contact ${via.id}'s exposure to case ${c.caseNo} until close contacts are isolated`;
  }
  const outside = [
    ...(m.firstExposure < window.from ? [{ field: 'firstExposure', reason: `before ${formatTime(window.from)}, the start of ${whose}` }] : []),
    ...(m.lastExposure > window.to ? [{ field: 'lastExposure', reason: `after ${formatTime(window.to)}, the end of ${whose}` }] : []),
  ];
  if (outside.length) throw new DomainError('invalid', 'EXPOSURE_OUTSIDE_WINDOW', `The exposure is outside ${whose} (${formatTime(window.from)} to ${formatTime(window.to)}).`, outside);
  const now = ctx.clock.now();
  const id = await s.store.transaction(async (tx) => {
    // Close and secondary both would be two records of one person under one case, each driving the code.
    const other = m.kind === 'close' ? 'secondary' : 'close';
    if ((await tx.cases.contactIds(c.id, other)).has(m.personId)) throw new DomainError('conflict', 'CONFLICT', `person ${m.personId} is already a ${other} contact of case ${c.caseNo}`);
    const inserted = await tx.cases.insertContacts([{
      personId: m.personId, kind: m.kind, indexCaseId: c.id, viaContactId: m.viaContactId, firstExposure: m.firstExposure, lastExposure: m.lastExposure, status: 'identified', identifiedAt: now, origin: 'investigator',
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
