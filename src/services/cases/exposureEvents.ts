/**
 * An investigator's exposure event: a place (known to Cordon, or named) and a time window, the cases known to have
 * been infectious there and the cases exposed there. The chains make the exposed cases one cluster named after it
 * (`domain/chains/events.ts`). Refused, changing nothing: an event without a window or whose end is before its start
 * (or at it: 400 VALIDATION_FAILED), a time outside the edition's bounds or an end after now (422 TIME_IMPLAUSIBLE), an
 * exposed case whose onset (its sampling when asymptomatic) is not after the event's start (422 TIME_IMPLAUSIBLE), a
 * source case not infectious at any time of the event (its window ends before the event or starts after it: 422
 * EXPOSURE_OUTSIDE_WINDOW), a window
 * longer than the source investigation's look-back (400 VALIDATION_FAILED), a case or place that does not exist (422
 * UNKNOWN_REFERENCE), a withdrawn case (409 CASE_WITHDRAWN), a case both source and exposed (400 VALIDATION_FAILED),
 * the same event entered again (409 CONFLICT). A case listed twice is kept once.
 */
import type { Services } from '../../app/container.ts';
import { assertPlausibleTimes } from '../times.ts';
import { DomainError } from '../../domain/errors.ts';
import { caseWindow } from '../../domain/rules/caseWindow.ts';
import { formatTime } from '../../domain/time.ts';
import type { ContactSetting } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';

/** An event as entered (seconds; case and place ids); without a name, it takes its place's (one of the two is needed). */
export interface NewExposureEvent { name: string | null; setting: ContactSetting; placeId: number | null; start: number; end: number; sourceCaseIds: number[]; exposedCaseIds: number[]; note: string | null }

export async function recordExposureEvent(ctx: Ctx, s: Pick<Services, 'store' | 'events' | 'edition'>, input: NewExposureEvent): Promise<NewExposureEvent & { id: number; name: string }> {
  // One case listed twice is one case.
  const e = { ...input, sourceCaseIds: [...new Set(input.sourceCaseIds)], exposedCaseIds: [...new Set(input.exposedCaseIds)] };
  if (!(Number.isFinite(e.start) && Number.isFinite(e.end))) throw new DomainError('invalid', 'VALIDATION_FAILED', 'an exposure event needs its time window', [{ field: 'start', reason: 'missing' }]);
  if (e.end <= e.start) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the event ends before it starts, or when it starts', [{ field: 'end', reason: 'not after start' }]);
  // Within the edition's time bounds and over by now (the server's time: an event is a finding about the past); and no
  // longer than the source investigation looks back.
  assertPlausibleTimes(ctx, s.edition, { start: e.start, end: e.end });
  if (e.end > ctx.clock.now()) throw new DomainError('invalid', 'TIME_IMPLAUSIBLE', 'end: an exposure event is over when it is entered', [{ field: 'end', reason: 'after now' }]);
  const longest = s.edition.investigation.lookBackDaysBeforeOnset * 86400;
  if (e.end - e.start > longest) throw new DomainError('invalid', 'VALIDATION_FAILED', `an exposure event spans at most ${s.edition.investigation.lookBackDaysBeforeOnset} days (the source investigation's look-back)`, [{ field: 'end', reason: 'window too long' }]);
  const both = e.sourceCaseIds.filter((id) => e.exposedCaseIds.includes(id));
  if (both.length) throw new DomainError('invalid', 'VALIDATION_FAILED', `case ${both[0]} is listed both as a source and as exposed`, [{ field: 'exposedCaseIds', reason: 'also a source' }]);
  if (e.name === null && e.placeId === null) throw new DomainError('invalid', 'VALIDATION_FAILED', 'an exposure event needs a name or a place', [{ field: 'name', reason: 'required without a place' }]);
  const named = [...new Set([...e.sourceCaseIds, ...e.exposedCaseIds])];
  const found = new Map((await s.store.cases.byIds(named, ctx.scope)).map((c) => [c.id, c]));
  for (const id of named) {
    // Each refusal names its case (`details`), so that a page can say which one in its own words.
    const c = found.get(id);
    if (!c) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No case with id ${id}.`, { caseId: id });
    if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`, { caseId: id, caseNo: c.caseNo });
    // A case exposed there was infected there: before its onset (its sampling when asymptomatic).
    const onset = c.onsetAt ?? c.sampledAt;
    if (e.exposedCaseIds.includes(id) && onset <= e.start) {
      throw new DomainError('invalid', 'TIME_IMPLAUSIBLE', `exposedCaseIds: case ${c.caseNo} fell ill (or was sampled) before the event: it was not infected there`, [{ field: 'exposedCaseIds', reason: `case ${c.caseNo}: onset before the event` }]);
    }
    // A case infectious there was so at some time of the event: within its infectious window (the edition's days
    // before onset, or sampling, until isolation; `caseWindow`), as a manual contact's exposure must be.
    const w = caseWindow(c, s.edition);
    if (e.sourceCaseIds.includes(id) && !(e.start < w.to && e.end > w.from)) {
      const why = e.end <= w.from ? `not yet infectious (from ${formatTime(w.from)})` : `isolated before the event (${formatTime(w.to)})`;
      throw new DomainError('invalid', 'EXPOSURE_OUTSIDE_WINDOW', `sourceCaseIds: case ${c.caseNo} was ${why}: it was not infectious there`, { caseId: id, caseNo: c.caseNo, field: 'sourceCaseIds', reason: why });
    }
  }
  const place = e.placeId === null ? undefined : await s.store.places.get(e.placeId, ctx.scope);
  if (e.placeId !== null && !place) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No place with id ${e.placeId}.`, { placeId: e.placeId });
  const name = e.name ?? place!.name;
  const now = ctx.clock.now();
  const same = (a: number[], b: number[]) => a.length === b.length && [...a].sort((x, y) => x - y).every((x, i) => x === [...b].sort((p, q) => p - q)[i]);
  const id = await s.store.transaction(async (tx) => {
    // The same event entered again (a double submit, a retry) is refused: it would count its cases twice.
    const twin = (await tx.chains.events()).find((o) => o.name === name && o.placeId === e.placeId && o.start === e.start && o.end === e.end && same(o.sources, e.sourceCaseIds) && same(o.exposed, e.exposedCaseIds));
    if (twin) throw new DomainError('conflict', 'CONFLICT', `the same exposure event was entered already (id ${twin.id})`);
    const eventId = await tx.chains.insertEvent({ name, setting: e.setting, placeId: e.placeId, start: e.start, end: e.end, sources: e.sourceCaseIds, exposed: e.exposedCaseIds, note: e.note, enteredBy: actorName(ctx.actor), enteredAt: now });
    await tx.events.append([{ kind: 'exposure_event.entered', payload: { eventId } }], actorName(ctx.actor), now);
    return eventId;
  });
  await s.events.settle();
  return { id, ...e, name };
}

/**
 * Withdraws an exposure event entered by mistake, with the reason: it leaves the chains (its cases are clustered as
 * the evidence and the other events say); its row stays, marked withdrawn, and the withdrawal is kept in the corrections. Refused: an event that does not
 * exist, or none of whose cases the actor may see (404 NOT_FOUND: as for a case out of scope); one withdrawn already
 * (409 EVENT_WITHDRAWN).
 */
export async function withdrawExposureEvent(ctx: Ctx, s: Pick<Services, 'store' | 'events'>, props: { eventId: number; reason: string }): Promise<{ id: number; name: string }> {
  const now = ctx.clock.now();
  const withdrawn = await s.store.transaction(async (tx) => {
    const e = await tx.chains.event(props.eventId);
    const cases = e ? [...new Set([...e.sources, ...e.exposed])] : [];
    const inScope = (await tx.cases.byIds(cases, ctx.scope)).length;
    if (!e || inScope === 0) throw new DomainError('not_found', 'NOT_FOUND', `No exposure event with id ${props.eventId}.`);
    // As it could be entered only by one whose region holds all its cases, so it is withdrawn (it changes their chains).
    if (inScope < cases.length) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `The exposure event ${e.id} names cases outside your region: it is withdrawn by a user whose region holds them all.`);
    if (e.withdrawnAt !== null) throw new DomainError('conflict', 'EVENT_WITHDRAWN', `The exposure event ${e.id} was withdrawn already (${formatTime(e.withdrawnAt)}).`, { withdrawnAt: formatTime(e.withdrawnAt) });
    await tx.chains.withdrawEvent(e.id, now, props.reason);
    await tx.corrections.record([{ entity: 'exposure_event', entityKey: String(e.id), changes: { withdrawnAt: [null, now] }, reason: props.reason, actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    await tx.events.append([{ kind: 'exposure_event.withdrawn', payload: { eventId: e.id } }], actorName(ctx.actor), now);
    return { id: e.id, name: e.name };
  });
  await s.events.settle();
  return withdrawn;
}
