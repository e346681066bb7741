/**
 * A case's trajectory entered by the investigators (PROTOCOL.md, epidemiological investigation: the case's movements in
 * the window before isolation, day by day): rows of a stay or a ride, each with its place found in the register (a
 * venue by code, or a train, flight or coach by its number and service date with the seat), or the place as typed when
 * the register does not hold it; what the case did there, a mask, the people met, notes. Saving rows writes, in one
 * transaction, the rows and a presence record of source `investigation` for each row with a place, then retraces the
 * case at once, so that the persons there become contacts with their evidence and their codes follow before the
 * answer. A typed place is kept but not traced (tracing needs a place in the register).
 */
import type { Services } from '../../app/container.ts';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { actorName } from '../../platform/context.ts';
import type { MaskWorn, NoticeItem, TrajectoryNotice, TrajectoryRow } from '../../storage/sql/trajectory.ts';
import { searchTrips } from '../search/search.ts';
import { traceCase, type TraceResult } from '../tracing/traceCase.ts';

/** The longest one row may span (seconds): a row is one stay or ride of a day; a longer stay is entered day by day. */
export const TRAJECTORY_ROW_MAX_SECONDS = 24 * 3600;
/** At most this many rows per request. */
export const TRAJECTORY_ROWS_MAX = 200;

export interface TrajectoryInput {
  /** Epoch seconds (the server's reading of the times typed). */
  start: number;
  end: number;
  /** Exactly one of: a place by its code, a vehicle by number and service date (YYYY-MM-DD), or a place as typed. */
  placeCode?: string;
  vehicle?: { number: string; date: string; seat?: string | null; carriage?: string | null };
  placeText?: string;
  activity?: string | null;
  mask?: MaskWorn | null;
  peopleMet?: string | null;
  notes?: string | null;
}

/**
 * Adds `rows` to the case's trajectory (see the module's comment). Throws NOT_FOUND for a case outside the actor's
 * scope; VALIDATION_FAILED naming `rows.N.field` for a row that ends before it starts, lasts more than a day, ends
 * after the server's now or names no place or two; UNKNOWN_REFERENCE for a place code or a trip the register does
 * not hold. Nothing is written unless every row is good. A row the case has already (the same times and place) is
 * not added again (`added` counts the new ones); a presence record stored already (the same place and start from the
 * investigation) is not written twice. `traced` is the retrace, null when no row was new.
 */
export async function addTrajectory(ctx: Ctx, s: Services, caseId: number, rows: readonly TrajectoryInput[]): Promise<{ rows: TrajectoryRow[]; added: number; traced: TraceResult | null }> {
  const found = await s.store.cases.get(caseId, ctx.scope);
  if (!found) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  const now = ctx.clock.now();
  const issues: FieldIssue[] = [];
  const unknown: FieldIssue[] = [];
  const resolved: { placeId: number | null; seat: string | null; carriage: string | null }[] = [];
  if (rows.length === 0) issues.push({ field: 'rows', reason: 'no rows' });
  if (rows.length > TRAJECTORY_ROWS_MAX) issues.push({ field: 'rows', reason: `at most ${TRAJECTORY_ROWS_MAX} rows at a time` });
  for (const [i, r] of rows.entries()) {
    const at = (f: string) => `rows.${i}.${f}`;
    if (r.end <= r.start) issues.push({ field: at('end'), reason: 'must be after the start' });
    else if (r.end - r.start > TRAJECTORY_ROW_MAX_SECONDS) issues.push({ field: at('end'), reason: 'a row spans at most a day: enter a longer stay day by day' });
    if (r.end > now) issues.push({ field: at('end'), reason: 'is in the future' });
    const given = [r.placeCode, r.vehicle, r.placeText].filter((x) => x !== undefined).length;
    if (given !== 1) { issues.push({ field: at('placeCode'), reason: 'give one of placeCode, vehicle or placeText' }); resolved.push({ placeId: null, seat: null, carriage: null }); continue; }
    if (r.placeCode !== undefined) {
      const place = await s.store.places.byCode(r.placeCode);
      if (!place) unknown.push({ field: at('placeCode'), reason: `no place with code ${r.placeCode}` });
      else if (place.category === 'vehicle') issues.push({ field: at('placeCode'), reason: 'a vehicle is given by its number and date (vehicle), with the seat' });
      resolved.push({ placeId: place?.id ?? null, seat: null, carriage: null });
    } else if (r.vehicle !== undefined) {
      const trips = await searchTrips(s.store, r.vehicle.number, r.vehicle.date);
      if (trips.length !== 1) unknown.push({ field: at('vehicle'), reason: trips.length === 0 ? `no train, flight or coach ${r.vehicle.number} on ${r.vehicle.date}` : `${trips.length} vehicles of ${r.vehicle.number} on ${r.vehicle.date}: give the place code` });
      resolved.push({ placeId: trips.length === 1 ? trips[0].id : null, seat: r.vehicle.seat ?? null, carriage: r.vehicle.carriage ?? null });
    } else {
      resolved.push({ placeId: null, seat: null, carriage: null });
    }
  }
  if (issues.length > 0) throw new DomainError('invalid', 'VALIDATION_FAILED', `trajectory rows: ${issues.map((x) => `${x.field} ${x.reason}`).join('; ')}`, issues);
  if (unknown.length > 0) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `trajectory rows: ${unknown.map((x) => `${x.field}: ${x.reason}`).join('; ')}`, unknown);

  const by = actorName(ctx.actor);
  let added = 0;
  await s.store.transaction(async (tx) => {
    const stored = await tx.trajectory.ofCase(caseId);
    const same = (a: { start: number; end: number; placeId: number | null; placeText: string | null }) => `${a.start}|${a.end}|${a.placeId ?? ''}|${a.placeText ?? ''}`;
    const seen = new Set(stored.map(same));
    for (const [i, r] of rows.entries()) {
      const { placeId, seat, carriage } = resolved[i];
      // The same stay sent again (a retried request) is not a second row.
      const key = same({ start: r.start, end: r.end, placeId, placeText: r.placeText ?? null });
      if (seen.has(key)) continue;
      seen.add(key);
      added++;
      let presenceId: number | null = null;
      if (placeId !== null) {
        const record = { personId: found.personId, placeId, start: r.start, end: r.end, source: 'investigation' as const, seat, carriage };
        await tx.presence.insertMany([record]);
        presenceId = [...(await tx.presence.byKeys([record])).values()][0]?.id ?? null;
      }
      await tx.trajectory.insert({
        caseId, start: r.start, end: r.end, placeId, placeText: r.placeText ?? null, seat, carriage, activity: r.activity ?? null, mask: r.mask ?? null,
        peopleMet: r.peopleMet ?? null, notes: r.notes ?? null, presenceId, createdAt: now, createdBy: by,
      });
    }
  });
  // Nothing new (a retried request): nothing to retrace.
  const traced = added === 0 ? null : await traceCase({ ctx, store: s.store, engine: await s.tracing(), edition: s.edition, caseId, path: 'retrace' });
  if (traced) await s.events.settle();
  return { rows: await s.store.trajectory.ofCase(caseId), added, traced };
}

/**
 * Publishes a nameless trajectory notice from the case's trajectory: its rows (all, or those of `rowIds`), each as the
 * place's name (a registered place's, or the place as typed), its category, a vehicle's carriage, and the time window;
 * nothing of the person or the case. `title` is the investigators' (e.g. the county and the date). The notice belongs
 * to the county the case lives in. Throws NOT_FOUND for a case out of scope, VALIDATION_FAILED for a row id that is
 * not the case's, NO_TRAJECTORY when there is no row to publish.
 */
export async function publishNotice(ctx: Ctx, s: Services, caseId: number, opts: { title: string; rowIds?: readonly number[] }): Promise<TrajectoryNotice> {
  const found = await s.store.cases.get(caseId, ctx.scope);
  if (!found) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  const rows = await s.store.trajectory.ofCase(caseId);
  const foreign = (opts.rowIds ?? []).filter((id) => !rows.some((r) => r.id === id));
  if (foreign.length > 0) throw new DomainError('invalid', 'VALIDATION_FAILED', `rows ${foreign.join(', ')} are not this case's`, [{ field: 'rowIds', reason: `not rows of case ${caseId}: ${foreign.join(', ')}` }]);
  const chosen = opts.rowIds ? rows.filter((r) => opts.rowIds!.includes(r.id)) : rows;
  if (chosen.length === 0) throw new DomainError('conflict', 'NO_TRAJECTORY', `Case ${caseId} has no trajectory rows to publish.`);
  const items: NoticeItem[] = [];
  for (const r of chosen) {
    const place = r.placeId === null ? undefined : await s.store.places.get(r.placeId);
    items.push({ place: place?.name ?? r.placeText ?? '', category: place?.category ?? null, ...(r.carriage ? { carriage: r.carriage } : {}), start: r.start, end: r.end });
  }
  const person = await s.store.persons.get(found.personId);
  const n = { caseId, regionCode: (person?.communityCode ?? '43').slice(0, 6), title: opts.title, items, publishedAt: ctx.clock.now(), publishedBy: actorName(ctx.actor) };
  const id = await s.store.notices.insert(n);
  return { id, ...n, withdrawnAt: null };
}

/** At most this many notices are read (the newest), and searched. */
export const NOTICES_SHOWN = 100;

/** Notices in force, newest first; with `q`, those whose title or a place (a venue, a train or flight) contains it, in any letter case. */
export async function noticesInForce(store: Store, q?: string): Promise<TrajectoryNotice[]> {
  const up = q?.toUpperCase();
  return (await store.notices.published(NOTICES_SHOWN)).filter((n) => !up || n.title.toUpperCase().includes(up) || n.items.some((x) => x.place.toUpperCase().includes(up)));
}
