/**
 * Brute-force tracing straight from the protocol's words over a plain list of records: every pair compared, no
 * index, no encoded seats, no bit sets. Slow and obviously right; the index's answers must equal it (tests and
 * validation). The rules it spells out:
 * - a person's records at one place in one seat that overlap or touch are one stay (their union, every feed kept);
 * - an overlap counts only outside both persons' isolation intervals, part by part, and each part only if it lasts
 *   the setting's minimum (at least a second; companions: more than the edition's minutes);
 * - a case's registered co-residents are close contacts over the case's window outside both persons' isolation,
 *   with the household registry as evidence (place null), when the edition lists the household setting;
 * - a close contact exposes others from their first exposure until the earlier of the given deadline and the start
 *   of their first isolation that ends after that first exposure;
 * - a contact's time at a place is the union of their overlaps there (a minute with two stays, or two close contacts,
 *   counts once);
 * - a secondary contact is reached via the close contact with the lowest person id among those they met, and their
 *   evidence is the time with that close contact only (their first and last exposure, with any close contact);
 * - on a vehicle, the seat distance of a place's evidence is the fewest rows between the two seats over its overlaps,
 *   where both rows are known (a crew member, an unknown seat or an all-on-board rule gives none).
 */
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { PlaceCategory, PresenceSource, VehicleSetting } from '../domain/vocab.ts';
import { OPEN, type IsolationInterval } from './isolation.ts';

export interface PlainRecord {
  person: number; place: number; start: number; end: number; seat: string | null; carriage: string | null;
  /** The feed (venue_scan when not given). */
  source?: PresenceSource;
}
export interface PlainPlace { category: PlaceCategory; vehicle: VehicleSetting | null }

/** Facts beside presence: isolation intervals, and the case's co-residents in the household registry. */
export interface OracleFacts { isolation?: IsolationInterval[]; coResidents?: number[] }

/** What one person's exposure at one place (null: the household registry) adds up to. */
export interface OraclePlace {
  first: number; last: number; seconds: number; sources: Set<PresenceSource>;
  /** The setting the overlaps were found in (household for the registry, companion_cell for companions). */
  setting: string;
  /** Fewest rows between the two seats (null: never known). */
  seatDistance: number | null;
}

/**
 * Person id -> per place (null for the registry) the first and last exposure, seconds and feeds; the contact's
 * first and last exposure; and (secondary contacts) the lowest person id of the close contacts they met.
 */
export type OracleResult = Map<number, { places: Map<number | null, OraclePlace>; first: number; last: number; via: number | null }>;

/** One overlap found, before overlaps are put together into a result. */
interface Hit { person: number; place: number | null; s: number; e: number; sources: Iterable<PresenceSource>; via: number | null; setting: string; seatDistance: number | null }

interface Stay { person: number; place: number; start: number; end: number; seat: string | null; carriage: string | null; sources: Set<PresenceSource> }

const row = (seat: string | null) => (seat === null ? null : /^crew/i.test(seat) ? 'crew' : Number.parseInt(seat, 10) || 0);
const carriageOf = (r: { carriage: string | null }) => Number.parseInt(r.carriage ?? '0', 10) || 0;
/** Where a record sits (equal keys: the same seat). */
const seatKey = (r: PlainRecord) => (r.seat === null && r.carriage === null ? 'none' : `${carriageOf(r)}|${row(r.seat)}`);

/** Every person's records at one place in one seat, as the union of their intervals (overlapping or touching joined). */
export function mergeStays(recs: PlainRecord[]): Stay[] {
  const groups = new Map<string, PlainRecord[]>();
  for (const r of recs) {
    const k = `${r.person}|${r.place}|${seatKey(r)}`;
    const list = groups.get(k);
    if (list) list.push(r); else groups.set(k, [r]);
  }
  const out: Stay[] = [];
  for (const list of groups.values()) {
    let cur: Stay | undefined;
    for (const r of [...list].sort((a, b) => a.start - b.start)) {
      if (cur && r.start <= cur.end) {
        cur.end = Math.max(cur.end, r.end);
        cur.sources.add(r.source ?? 'venue_scan');
      } else {
        if (cur) out.push(cur);
        cur = { person: r.person, place: r.place, start: r.start, end: r.end, seat: r.seat, carriage: r.carriage, sources: new Set([r.source ?? 'venue_scan']) };
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** The parts of [s, e) outside `person`'s isolation intervals. */
export function free(facts: OracleFacts, person: number, s: number, e: number): [number, number][] {
  let parts: [number, number][] = e > s ? [[s, e]] : [];
  for (const x of facts.isolation ?? []) {
    const a = x.start, b = x.end ?? OPEN;
    // An interval that ends where it starts isolates no one (and splits nothing).
    if (x.personId !== person || b <= a) continue;
    parts = parts.flatMap(([u, v]): [number, number][] => [[u, Math.min(v, a)], [Math.max(u, b), v]]).filter(([u, v]) => v > u) as [number, number][];
  }
  return parts;
}

/** Whether the vehicle rule makes two stays contacts, and their seat distance (null: not known). */
function vehicleContact(e: ProtocolEdition, v: VehicleSetting, a: Stay, b: Stay): { contact: boolean; seatDistance: number | null } {
  const rule = e.closeContact.vehicles[v];
  const yes = (seatDistance: number | null = null) => ({ contact: true, seatDistance }), no = { contact: false, seatDistance: null };
  if (rule.scope === 'all_on_board') return yes();
  if ((a.seat === null && a.carriage === null) || (b.seat === null && b.carriage === null)) return yes();
  const ra = row(a.seat), rb = row(b.seat);
  if (rule.crew && (ra === 'crew' || rb === 'crew')) return yes();
  const crew = ra === 'crew' || rb === 'crew';
  const d = crew ? Number.NaN : Math.abs(Number(ra ?? 0) - Number(rb ?? 0));
  const known = crew ? null : d;
  if (carriageOf(a) !== carriageOf(b)) return no;
  if (rule.scope === 'rows') return d <= (rule.rowsEachSide ?? 0) ? yes(known) : no;
  if (rule.scope === 'compartment') return d === 0 ? yes(known) : no;
  if (rule.scope === 'compartment_or_adjacent_bays') return d <= 1 ? yes(known) : no;
  return yes(known);
}

/**
 * The result of the overlaps found: per person the lowest via, the first and last exposure of every overlap; per place
 * the overlaps with that via only, their union's seconds, first and last, and their feeds.
 */
function result(hits: Hit[]): OracleResult {
  const out: OracleResult = new Map();
  const byPerson = new Map<number, Hit[]>();
  for (const h of hits) byPerson.set(h.person, [...(byPerson.get(h.person) ?? []), h]);
  for (const [person, hs] of byPerson) {
    const via = hs.reduce<number | null>((v, h) => (h.via !== null && (v === null || h.via < v) ? h.via : v), null);
    const parts = new Map<number | null, Hit[]>();
    for (const h of hs) if (h.via === via) parts.set(h.place, [...(parts.get(h.place) ?? []), h]);
    const places = new Map<number | null, OraclePlace>();
    for (const [place, list] of parts) {
      let seconds = 0, end = -Infinity;
      for (const h of [...list].sort((a, b) => a.s - b.s)) { seconds += Math.max(0, h.e - Math.max(h.s, end)); end = Math.max(end, h.e); }
      const distances = list.map((h) => h.seatDistance).filter((d): d is number => d !== null);
      places.set(place, {
        first: Math.min(...list.map((h) => h.s)), last: Math.max(...list.map((h) => h.e)), seconds, sources: new Set(list.flatMap((h) => [...h.sources])),
        setting: list[0].setting, seatDistance: distances.length > 0 ? Math.min(...distances) : null,
      });
    }
    out.set(person, { places, first: Math.min(...hs.map((h) => h.s)), last: Math.max(...hs.map((h) => h.e)), via });
  }
  return out;
}

/** Everyone sharing a close-contact setting with `source` inside `windows` (parts), outside their own isolation. */
function shared(e: ProtocolEdition, stays: Stay[], places: PlainPlace[], facts: OracleFacts, source: number, windows: [number, number][], out: Hit[], exclude: (p: number) => boolean, via: number | null = null): void {
  for (const a of stays) {
    if (a.person !== source) continue;
    const pl = places[a.place];
    const setting = e.closeContact.settingByCategory[pl.category];
    if (setting === 'general' || setting === 'companion') continue;
    const min = Math.max((e.closeContact.minOverlapMinutes[setting] ?? 0) * 60, 1);
    for (const [from, to] of windows) {
      const s = Math.max(a.start, from), en = Math.min(a.end, to);
      if (en <= s) continue;
      for (const b of stays) {
        if (b.place !== a.place || b.person === source || exclude(b.person)) continue;
        const seats = setting === 'vehicle' && pl.vehicle ? vehicleContact(e, pl.vehicle, a, b) : { contact: true, seatDistance: null };
        if (!seats.contact) continue;
        for (const [os, oe] of free(facts, b.person, Math.max(b.start, s), Math.min(b.end, en))) {
          if (oe - os >= min) out.push({ person: b.person, place: a.place, s: os, e: oe, sources: [...a.sources, ...b.sources], via, setting, seatDistance: seats.seatDistance });
        }
      }
    }
  }
}

/** Close contacts of the case `person` infectious in [from, to). */
export function oracleClose(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, from: number, to: number, facts: OracleFacts = {}): OracleResult {
  const out: Hit[] = [];
  const windows = free(facts, person, from, to);
  shared(e, mergeStays(recs), places, facts, person, windows, out, () => false);
  if (facts.coResidents && e.closeContact.settings.includes('household')) {
    const min = Math.max((e.closeContact.minOverlapMinutes.household ?? 0) * 60, 1);
    for (const r of new Set(facts.coResidents)) {
      if (r === person) continue;
      for (const [ws, we] of windows) for (const [s, en] of free(facts, r, ws, we)) if (en - s >= min) out.push({ person: r, place: null, s, e: en, sources: ['household'], via: null, setting: 'household', seatDistance: null });
    }
  }
  return result(out);
}

/**
 * Secondary contacts through the close contacts `close` of the case `person`: each close contact from their first
 * exposure until the earlier of `until` and the start of their first isolation ending after that exposure.
 */
export function oracleSecondary(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, close: OracleResult, until: number, facts: OracleFacts = {}): OracleResult {
  const out: Hit[] = [];
  const stays = mergeStays(recs);
  for (const [k, r] of close) {
    let limit = until;
    for (const x of facts.isolation ?? []) if (x.personId === k && (x.end ?? OPEN) > r.first) limit = Math.min(limit, x.start);
    shared(e, stays, places, facts, k, free(facts, k, r.first, limit), out, (p) => p === person || close.has(p), k);
  }
  return result(out);
}

/** Spatiotemporal companions of the case `person` confirmed at `confirmedAt`, except persons `exclude` names. */
export function oracleCompanions(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, confirmedAt: number, exclude: (p: number) => boolean, facts: OracleFacts = {}): OracleResult {
  const from = confirmedAt - e.companion.lookBackDays * 86400, to = confirmedAt;
  const stays = mergeStays(recs);
  const cum = (p: number, cell: number) => stays.filter((r) => r.person === p && r.place === cell)
    .reduce((sum, r) => sum + Math.max(0, Math.min(r.end, to) - Math.max(r.start, from)), 0);
  const limit = e.companion.minCumulativeHours * 3600, min = e.companion.minOverlapMinutes * 60;
  const out: Hit[] = [];
  for (const a of stays) {
    if (a.person !== person || e.closeContact.settingByCategory[places[a.place].category] !== 'companion') continue;
    for (const [ws, we] of free(facts, person, from, to)) {
      const s = Math.max(a.start, ws), en = Math.min(a.end, we);
      if (en <= s) continue;
      for (const b of stays) {
        if (b.place !== a.place || b.person === person || exclude(b.person)) continue;
        if (cum(person, a.place) <= limit && cum(b.person, a.place) <= limit) continue;
        for (const [os, oe] of free(facts, b.person, Math.max(b.start, s), Math.min(b.end, en))) {
          if (oe - os > min) out.push({ person: b.person, place: a.place, s: os, e: oe, sources: [...a.sources, ...b.sources], via: null, setting: 'companion_cell', seatDistance: null });
        }
      }
    }
  }
  return result(out);
}
