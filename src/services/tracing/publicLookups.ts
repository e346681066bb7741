/**
 * The public's look-ups, without names: was a case at this place (a venue, a flight or train) during this time, and
 * which case trajectories overlap a person's own, while the case was infectious. Answers carry the case number,
 * the place and the overlap, nothing about the case's person.
 */
import type { PlaceCategory } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { caseWindow } from '../../domain/rules/caseWindow.ts';
import type { Store } from '../../storage/store.ts';
import type { CaseWindow, Exposure } from '../../tracing/tracer.ts';
import type { TracingEngine } from './engine.ts';
import { parseTime } from '../../domain/time.ts';
import { searchTrips } from '../search/search.ts';

/** One overlap with a case, as the public sees it. */
export interface PublicExposure {
  caseNo: string;
  place: { code: string; name: string; category: PlaceCategory };
  overlapStart: number;
  overlapEnd: number;
}

interface Props { store: Store; engine: TracingEngine; edition: ProtocolEdition }

/**
 * Infectious windows of every case by person (a reinfected person's cases each with its own), and the case numbers
 * (cases number in the thousands).
 */
async function caseWindows(p: Props) {
  const cases = await p.store.cases.standing();
  const windows = new Map<number, CaseWindow[]>();
  for (const c of cases) windows.set(c.personId, [...(windows.get(c.personId) ?? []), { caseId: c.id, ...caseWindow(c, p.edition) }]);
  return { windows, caseNo: new Map(cases.map((c) => [c.id, c.caseNo])) };
}

async function present(store: Store, xs: Exposure[], caseNo: Map<number, string>): Promise<PublicExposure[]> {
  const places = new Map<number, PublicExposure['place']>();
  for (const x of xs) {
    if (places.has(x.placeId)) continue;
    const p = await store.places.get(x.placeId);
    if (p) places.set(x.placeId, { code: p.code, name: p.name, category: p.category });
  }
  return xs.map((x) => ({ caseNo: caseNo.get(x.caseId) ?? '', place: places.get(x.placeId)!, overlapStart: x.overlapStart, overlapEnd: x.overlapEnd }));
}

/** Cases present at the place with this code during [from, to); undefined when there is no such place. */
export async function sameTrip(p: Props & { placeCode: string; from: number; to: number }) {
  const place = await p.store.places.byCode(p.placeCode);
  if (!place) return undefined;
  await p.engine.ingestNew();
  const { windows, caseNo } = await caseWindows(p);
  const xs = (await p.engine.tracer()).casesAt(place.id, p.from, p.to, windows);
  return {
    place: { code: place.code, name: place.name, category: place.category },
    casesPresent: new Set(xs.map((x) => x.caseId)).size,
    exposures: await present(p.store, xs, caseNo),
  };
}

/** How long after its service date's midnight a trip is looked at (seconds): that day and the next, for an overnight train. */
export const TRIP_SPAN_SECONDS = 2 * 86_400;

/**
 * Cases aboard the train, flight or coach `number` on its service `date` (YYYY-MM-DD), over that day and the next;
 * undefined when no such trip is on record (see `searchTrips`).
 */
export async function sameTripByNumber(p: Props & { number: string; date: string }) {
  const trips = await searchTrips(p.store, p.number, p.date);
  if (trips.length === 0) return undefined;
  const from = parseTime(p.date)!;
  return sameTrip({ ...p, placeCode: trips[0].code, from, to: from + TRIP_SPAN_SECONDS });
}

/** Every overlap of the person's records with a case's while it was infectious. */
export async function exposuresOfPerson(p: Props & { personId: number }): Promise<PublicExposure[]> {
  await p.engine.ingestNew();
  const { windows, caseNo } = await caseWindows(p);
  return present(p.store, (await p.engine.tracer()).exposuresOf(p.personId, windows), caseNo);
}
