/**
 * An investigator's exposure event: a place (known to Cordon, or named) and a time window, the cases known to have
 * been infectious there and the cases exposed there. The chains make the exposed cases one cluster named after it
 * (`domain/chains/events.ts`). Refused, changing nothing: an event without a window or whose end is before its start
 * (400 VALIDATION_FAILED), a case or place that does not exist (422 UNKNOWN_REFERENCE), a withdrawn case (409
 * CASE_WITHDRAWN), a case both source and exposed (400 VALIDATION_FAILED).
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ContactSetting } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';

/** An event as entered (seconds; case and place ids). */
export interface NewExposureEvent { name: string; setting: ContactSetting; placeId: number | null; start: number; end: number; sourceCaseIds: number[]; exposedCaseIds: number[]; note: string | null }

export async function recordExposureEvent(ctx: Ctx, s: Pick<Services, 'store' | 'events'>, e: NewExposureEvent): Promise<NewExposureEvent & { id: number }> {
  if (!(Number.isFinite(e.start) && Number.isFinite(e.end))) throw new DomainError('invalid', 'VALIDATION_FAILED', 'an exposure event needs its time window', [{ field: 'start', reason: 'missing' }]);
  if (e.end < e.start) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the event ends before it starts', [{ field: 'end', reason: 'before start' }]);
  const both = e.sourceCaseIds.filter((id) => e.exposedCaseIds.includes(id));
  if (both.length) throw new DomainError('invalid', 'VALIDATION_FAILED', `case ${both[0]} is listed both as a source and as exposed`, [{ field: 'exposedCaseIds', reason: 'also a source' }]);
  for (const id of [...new Set([...e.sourceCaseIds, ...e.exposedCaseIds])]) {
    const c = await s.store.cases.get(id, ctx.scope);
    if (!c) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No case with id ${id}.`);
    if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`);
  }
  if (e.placeId !== null && !(await s.store.places.get(e.placeId, ctx.scope))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No place with id ${e.placeId}.`);
  const now = ctx.clock.now();
  const id = await s.store.transaction(async (tx) => {
    const eventId = await tx.chains.insertEvent({ name: e.name, setting: e.setting, placeId: e.placeId, start: e.start, end: e.end, sources: e.sourceCaseIds, exposed: e.exposedCaseIds, note: e.note, enteredBy: actorName(ctx.actor), enteredAt: now });
    await tx.events.append([{ kind: 'exposure_event.entered', payload: { eventId } }], actorName(ctx.actor), now);
    return eventId;
  });
  await s.events.settle();
  return { id, ...e };
}
