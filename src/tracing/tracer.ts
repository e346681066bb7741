/**
 * Tracing queries over the presence index: close contacts of a case inside its window, secondary contacts through
 * each close contact until that contact's isolation, and spatiotemporal companions in telecom cells. Every contact
 * comes with its evidence (setting, rule, place, overlap, seat distance, feeds). Rules come from the edition.
 */
import type { Evidence } from '../domain/model/index.ts';
import { CONTACT_SETTINGS, PRESENCE_SOURCES, type ContactKind } from '../domain/vocab.ts';
import { CREW_ROW, NO_SEAT, seatCarriage, seatRow } from './columns.ts';
import type { PresenceIndex } from './presenceIndex.ts';
import { COMPANION, GENERAL, VEHICLE_SCOPES, type CompiledRules } from './rules.ts';

/** Category and vehicle setting of every place id (255 = not a vehicle / unknown place). */
export interface PlaceKinds {
  category: Uint8Array;
  vehicle: Uint8Array;
}

/** A contact found by tracing, before it is stored. */
export interface Found {
  personId: number;
  kind: ContactKind;
  /** For secondary contacts: the close contact through whom they were exposed. */
  viaPersonId: number | null;
  firstExposure: number;
  lastExposure: number;
  evidence: Evidence[];
}

/** The case to trace from: its person and infectious window, and when it was confirmed (tracing time). */
export interface TraceInput {
  personId: number;
  from: number;
  to: number;
  confirmedAt: number;
}

const [ROWS, CARRIAGE, COMPARTMENT, ADJACENT, ALL, CABIN] = VEHICLE_SCOPES.map((_, i) => i);
const VEHICLE_SETTING = CONTACT_SETTINGS.indexOf('vehicle');
const NOT_VEHICLE = 255;

/** Accumulates evidence per contact person and per place (one evidence line per place, intervals merged). */
class Collector {
  readonly byPerson = new Map<number, { found: Found; byPlace: Map<number, Evidence> }>();
  constructor(private readonly kind: ContactKind) {}

  add(person: number, via: number | null, place: number, s: number, e: number, setting: string, rule: string, seatDistance: number | null, srcA: number, srcB: number): void {
    let acc = this.byPerson.get(person);
    if (!acc) {
      acc = { found: { personId: person, kind: this.kind, viaPersonId: via, firstExposure: s, lastExposure: e, evidence: [] }, byPlace: new Map() };
      this.byPerson.set(person, acc);
    }
    const f = acc.found;
    if (s < f.firstExposure) f.firstExposure = s;
    if (e > f.lastExposure) f.lastExposure = e;
    const ev = acc.byPlace.get(place);
    const sources = srcA === srcB ? [PRESENCE_SOURCES[srcA]] : [PRESENCE_SOURCES[srcA], PRESENCE_SOURCES[srcB]];
    if (!ev) {
      const fresh: Evidence = { setting: setting as Evidence['setting'], rule, placeId: place, overlapStart: s, overlapEnd: e, minutes: (e - s) / 60, seatDistance, sources };
      acc.byPlace.set(place, fresh);
      f.evidence.push(fresh);
    } else {
      if (s < ev.overlapStart) ev.overlapStart = s;
      if (e > ev.overlapEnd) ev.overlapEnd = e;
      ev.minutes += (e - s) / 60;
      if (seatDistance !== null && (ev.seatDistance === null || seatDistance < ev.seatDistance)) ev.seatDistance = seatDistance;
      for (const src of sources) if (!ev.sources.includes(src)) ev.sources.push(src);
    }
  }

  has(person: number): boolean {
    return this.byPerson.has(person);
  }

  results(): Found[] {
    return [...this.byPerson.values()].map((a) => a.found).sort((x, y) => x.personId - y.personId);
  }
}

export class Tracer {
  constructor(readonly index: PresenceIndex, readonly places: PlaceKinds, readonly rules: CompiledRules) {}

  /**
   * Seat distance if the vehicle rule makes the pair contacts, else -1. Unknown seats are treated as contacts
   * (conservative: the case may have sat anywhere), with distance null (-2).
   */
  private vehicleDistance(vehicle: number, a: number, b: number): number {
    if (vehicle === NOT_VEHICLE) return -2;
    const scope = this.rules.vehicleScope[vehicle];
    if (a === NO_SEAT || b === NO_SEAT || scope === ALL) return -2;
    const ra = seatRow(a), rb = seatRow(b);
    if ((ra === CREW_ROW || rb === CREW_ROW) && this.rules.vehicleCrew[vehicle]) return -2;
    const ca = seatCarriage(a), cb = seatCarriage(b);
    const d = Math.abs(ra - rb);
    switch (scope) {
      case ROWS: return ca === cb && d <= this.rules.vehicleRows[vehicle] ? d : -1;
      case CARRIAGE: case CABIN: return ca === cb ? d : -1;
      case COMPARTMENT: return ca === cb && d === 0 ? 0 : -1;
      case ADJACENT: return ca === cb && d <= 1 ? d : -1;
      default: return -1;
    }
  }

  /**
   * Everyone who shared a close-contact setting with `source` inside [from, to), except `exclude(person)`.
   * The scan of each place starts at the first record that could still overlap (start >= s - longest stay there).
   */
  private sharedSettings(source: number, from: number, to: number, out: Collector, via: number | null, exclude: (p: number) => boolean): void {
    const ix = this.index;
    const { settingOf, minOverlapOf, ruleText, vehicleRuleText } = this.rules;
    if (source >= ix.persons) return;
    for (let k = ix.personOffsets[source]; k < ix.personOffsets[source + 1]; k++) {
      const i = ix.personRecs[k];
      const s = Math.max(ix.start[i], from), e = Math.min(ix.end[i], to);
      if (e <= s) continue;
      const place = ix.placeOf(i);
      const cat = this.places.category[place];
      const setting = settingOf[cat];
      if (setting === GENERAL || setting === COMPANION) continue;
      const vehicle = setting === VEHICLE_SETTING ? this.places.vehicle[place] : NOT_VEHICLE;
      const minOv = Math.max(minOverlapOf[cat], 1);
      const hi = ix.placeOffsets[place + 1];
      const lowest = s > ix.placeMaxDur[place] ? s - ix.placeMaxDur[place] : 0;
      for (let j = ix.firstAtOrAfter(ix.placeOffsets[place], hi, lowest); j < hi && ix.start[j] < e; j++) {
        const other = ix.person[j];
        if (other === source || exclude(other)) continue;
        const os = ix.start[j] > s ? ix.start[j] : s;
        const oe = ix.end[j] < e ? ix.end[j] : e;
        if (oe - os < minOv) continue;
        let dist: number | null = null;
        if (vehicle !== NOT_VEHICLE) {
          const d = this.vehicleDistance(vehicle, ix.seat[i], ix.seat[j]);
          if (d === -1) continue;
          dist = d >= 0 ? d : null;
        }
        const rule = vehicle !== NOT_VEHICLE ? vehicleRuleText[vehicle] : ruleText[cat];
        out.add(other, via, place, os, oe, CONTACT_SETTINGS[setting], rule, dist, ix.source[i], ix.source[j]);
      }
    }
  }

  /** Close contacts of a case: everyone sharing a close-contact setting with the case inside its window. */
  close(c: TraceInput): Found[] {
    const out = new Collector('close');
    this.sharedSettings(c.personId, c.from, c.to, out, null, () => false);
    return out.results();
  }

  /**
   * Secondary contacts: everyone sharing a close-contact setting with a close contact from that contact's first
   * exposure until `isolatedBy(contact)`, except the case and its close contacts.
   */
  secondary(c: TraceInput, close: Found[], isolatedBy: (contact: Found) => number): Found[] {
    const out = new Collector('secondary');
    const closeSet = new Set(close.map((f) => f.personId));
    const exclude = (p: number) => p === c.personId || closeSet.has(p);
    for (const k of close) this.sharedSettings(k.personId, k.firstExposure, isolatedBy(k), out, k.personId, exclude);
    return out.results();
  }

  /** Seconds `person` spent in `cell` within [from, to). */
  private cumulative(person: number, cell: number, from: number, to: number): number {
    const ix = this.index;
    let sum = 0;
    for (let k = ix.personOffsets[person]; k < ix.personOffsets[person + 1]; k++) {
      const i = ix.personRecs[k];
      if (i < ix.placeOffsets[cell] || i >= ix.placeOffsets[cell + 1]) continue;
      const s = Math.max(ix.start[i], from), e = Math.min(ix.end[i], to);
      if (e > s) sum += e - s;
    }
    return sum;
  }

  /**
   * Spatiotemporal companions: in the same telecom cell as the case for more than the edition's minutes, in the
   * look-back period before confirmation, where either of the two stayed more than the edition's hours in total in
   * that cell over the period. Persons in `exclude` (close contacts, say) are left out.
   */
  companions(c: TraceInput, exclude: (p: number) => boolean = () => false): Found[] {
    const ix = this.index;
    const { minOverlapSec, minCumulativeSec, lookBackSec } = this.rules.companion;
    const from = c.confirmedAt - lookBackSec, to = c.confirmedAt;
    const out = new Collector('companion');
    if (c.personId >= ix.persons) return [];
    const caseCum = new Map<number, number>();
    const rule = `same ${this.rules.companion.minOverlapSec / 60}+ min in a cell, one of the two > ${minCumulativeSec / 3600} h there in ${lookBackSec / 86400} days`;
    for (let k = ix.personOffsets[c.personId]; k < ix.personOffsets[c.personId + 1]; k++) {
      const i = ix.personRecs[k];
      const s = Math.max(ix.start[i], from), e = Math.min(ix.end[i], to);
      if (e <= s) continue;
      const cell = ix.placeOf(i);
      if (this.rules.settingOf[this.places.category[cell]] !== COMPANION) continue;
      let mine = caseCum.get(cell);
      if (mine === undefined) { mine = this.cumulative(c.personId, cell, from, to); caseCum.set(cell, mine); }
      const hi = ix.placeOffsets[cell + 1];
      const lowest = s > ix.placeMaxDur[cell] ? s - ix.placeMaxDur[cell] : 0;
      for (let j = ix.firstAtOrAfter(ix.placeOffsets[cell], hi, lowest); j < hi && ix.start[j] < e; j++) {
        const other = ix.person[j];
        if (other === c.personId || exclude(other)) continue;
        const os = ix.start[j] > s ? ix.start[j] : s;
        const oe = ix.end[j] < e ? ix.end[j] : e;
        if (oe - os <= minOverlapSec) continue;
        if (mine <= minCumulativeSec && this.cumulative(other, cell, from, to) <= minCumulativeSec) continue;
        out.add(other, null, cell, os, oe, 'companion_cell', rule, null, ix.source[i], ix.source[j]);
      }
    }
    return out.results();
  }

  /**
   * Cases present at `place` during [from, to) while infectious: `windows` maps each case's person to its window.
   * One row per overlapping record (nameless: the caller shows the case number, place and times).
   */
  casesAt(place: number, from: number, to: number, windows: ReadonlyMap<number, { from: number; to: number }>): Exposure[] {
    const ix = this.index;
    const out: Exposure[] = [];
    if (place >= ix.places) return out;
    const hi = ix.placeOffsets[place + 1];
    const lowest = from > ix.placeMaxDur[place] ? from - ix.placeMaxDur[place] : 0;
    for (let j = ix.firstAtOrAfter(ix.placeOffsets[place], hi, lowest); j < hi && ix.start[j] < to; j++) {
      const w = windows.get(ix.person[j]);
      if (!w) continue;
      const s = Math.max(ix.start[j], from, w.from), e = Math.min(ix.end[j], to, w.to);
      if (e > s) out.push({ casePersonId: ix.person[j], placeId: place, overlapStart: s, overlapEnd: e });
    }
    return out;
  }

  /** Every overlap of `person`'s records with a case's records while that case was infectious (the "was I there?" look-up). */
  exposuresOf(person: number, windows: ReadonlyMap<number, { from: number; to: number }>): Exposure[] {
    const ix = this.index;
    const out: Exposure[] = [];
    if (person >= ix.persons) return out;
    for (let k = ix.personOffsets[person]; k < ix.personOffsets[person + 1]; k++) {
      const i = ix.personRecs[k];
      for (const x of this.casesAt(ix.placeOf(i), ix.start[i], ix.end[i], windows)) if (x.casePersonId !== person) out.push(x);
    }
    return out.sort((a, b) => a.overlapStart - b.overlapStart);
  }
}

/** A case's presence overlapping a place and time (same-trip look-ups). */
export interface Exposure {
  casePersonId: number;
  placeId: number;
  overlapStart: number;
  overlapEnd: number;
}
