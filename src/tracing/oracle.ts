/**
 * Brute-force tracing straight from the protocol's words over a plain list of records: every pair compared, no
 * index, no encoded seats. Slow and obviously right; the index's answers must equal it (tests and validation).
 */
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { PlaceCategory, VehicleSetting } from '../domain/vocab.ts';

export interface PlainRecord { person: number; place: number; start: number; end: number; seat: string | null; carriage: string | null }
export interface PlainPlace { category: PlaceCategory; vehicle: VehicleSetting | null }

/**
 * Person id -> the places where they met the rule, first and last exposure, and (secondary contacts) the lowest
 * person id of the close contacts they met.
 */
export type OracleResult = Map<number, { places: Set<number>; first: number; last: number; via: number | null }>;

const row = (seat: string | null) => (seat === null ? null : /^crew/i.test(seat) ? 'crew' : Number.parseInt(seat, 10) || 0);

function vehicleContact(e: ProtocolEdition, v: VehicleSetting, a: PlainRecord, b: PlainRecord): boolean {
  const rule = e.closeContact.vehicles[v];
  if (rule.scope === 'all_on_board') return true;
  if ((a.seat === null && a.carriage === null) || (b.seat === null && b.carriage === null)) return true;
  const ra = row(a.seat), rb = row(b.seat);
  if (rule.crew && (ra === 'crew' || rb === 'crew')) return true;
  const ca = Number.parseInt(a.carriage ?? '0', 10) || 0, cb = Number.parseInt(b.carriage ?? '0', 10) || 0;
  const d = Math.abs(Number(ra ?? 0) - Number(rb ?? 0));
  if (ca !== cb) return false;
  if (rule.scope === 'rows') return d <= (rule.rowsEachSide ?? 0);
  if (rule.scope === 'compartment') return d === 0;
  if (rule.scope === 'compartment_or_adjacent_bays') return d <= 1;
  return true;
}

function note(out: OracleResult, person: number, place: number, s: number, e: number, via: number | null = null): void {
  const r = out.get(person) ?? { places: new Set<number>(), first: s, last: e, via };
  r.places.add(place);
  r.first = Math.min(r.first, s);
  r.last = Math.max(r.last, e);
  if (via !== null && (r.via === null || via < r.via)) r.via = via;
  out.set(person, r);
}

function shared(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], source: number, from: number, to: number, out: OracleResult, exclude: (p: number) => boolean, via: number | null = null): void {
  for (const a of recs) {
    if (a.person !== source) continue;
    const s = Math.max(a.start, from), en = Math.min(a.end, to);
    if (en <= s) continue;
    const pl = places[a.place];
    const setting = e.closeContact.settingByCategory[pl.category];
    if (setting === 'general' || setting === 'companion') continue;
    const min = Math.max((e.closeContact.minOverlapMinutes[setting] ?? 0) * 60, 1);
    for (const b of recs) {
      if (b.place !== a.place || b.person === source || exclude(b.person)) continue;
      const os = Math.max(b.start, s), oe = Math.min(b.end, en);
      if (oe - os < min) continue;
      if (setting === 'vehicle' && pl.vehicle && !vehicleContact(e, pl.vehicle, a, b)) continue;
      note(out, b.person, a.place, os, oe, via);
    }
  }
}

export function oracleClose(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, from: number, to: number): OracleResult {
  const out: OracleResult = new Map();
  shared(e, recs, places, person, from, to, out, () => false);
  return out;
}

export function oracleSecondary(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, close: OracleResult, until: number): OracleResult {
  const out: OracleResult = new Map();
  for (const [k, r] of close) shared(e, recs, places, k, r.first, until, out, (p) => p === person || close.has(p), k);
  return out;
}

export function oracleCompanions(e: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], person: number, confirmedAt: number, exclude: (p: number) => boolean): OracleResult {
  const from = confirmedAt - e.companion.lookBackDays * 86400, to = confirmedAt;
  const cum = (p: number, cell: number) => recs.filter((r) => r.person === p && r.place === cell)
    .reduce((sum, r) => sum + Math.max(0, Math.min(r.end, to) - Math.max(r.start, from)), 0);
  const out: OracleResult = new Map();
  for (const a of recs) {
    if (a.person !== person || e.closeContact.settingByCategory[places[a.place].category] !== 'companion') continue;
    const s = Math.max(a.start, from), en = Math.min(a.end, to);
    if (en <= s) continue;
    for (const b of recs) {
      if (b.place !== a.place || b.person === person || exclude(b.person)) continue;
      const os = Math.max(b.start, s), oe = Math.min(b.end, en);
      if (oe - os <= e.companion.minOverlapMinutes * 60) continue;
      const limit = e.companion.minCumulativeHours * 3600;
      if (cum(person, a.place) <= limit && cum(b.person, a.place) <= limit) continue;
      note(out, b.person, a.place, os, oe);
    }
  }
  return out;
}
