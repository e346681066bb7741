/**
 * Tracing queries over the presence index: close contacts of a case inside its window (and its co-residents in the
 * household registry), secondary contacts through each close contact until that contact's isolation, and
 * spatiotemporal companions in telecom cells. Every contact comes with its evidence (setting, rule, place, overlap,
 * seat distance, feeds). Rules come from the edition. Known isolation intervals bound exposure everywhere: an
 * overlap counts only outside both persons' intervals (clipped, and dropped when what remains is shorter than the
 * rule's minimum).
 */
import type { Evidence } from '../domain/model/index.ts';
import { CONTACT_SETTINGS, PRESENCE_SOURCES, type ContactKind } from '../domain/vocab.ts';
import { CREW_ROW, NO_SEAT, seatCarriage, seatRow } from './columns.ts';
import { IsolationTable } from './isolation.ts';
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

/** The case to trace from: its person and infectious window, and when it was confirmed (tracing time); epoch seconds. */
export interface TraceInput {
  personId: number;
  from: number;
  to: number;
  confirmedAt: number;
}

const [ROWS, CARRIAGE, COMPARTMENT, ADJACENT, ALL, CABIN] = VEHICLE_SCOPES.map((_, i) => i);
const VEHICLE_SETTING = CONTACT_SETTINGS.indexOf('vehicle');
const NOT_VEHICLE = 255;
/** Place of an evidence line that rests on a registry, not on presence at a place (shown as placeId null). */
const NO_PLACE = 0xffffffff;

/**
 * Contacts found by one query, held in typed arrays: per contact its person, via, first and last exposure and a
 * linked list of evidence, one evidence line per place (first start, last end, the seconds of the union of the
 * overlaps there, feeds as a bit mask). A secondary contact's evidence is its time with its via only: the close
 * contact with the lowest person id it met (a hit through a lower via replaces the evidence so far, one through a
 * higher via only widens the contact's first and last exposure).
 * While a set is built, a hash table (open addressing, linear probing, [person + 1, line] pairs, at most half
 * full) finds a person's line. It is sized to the set rather than to the population, so it stays in the processor's
 * cache: a table per person would cost a miss to main memory for every person met (measured: it was half the time
 * of a secondary-contact query). Each line is 8 consecutive uint32s (one cache line).
 *   contact: [person, via + 1, first, last, head evidence + 1, -, -, -]
 *   evidence: [place (NO_PLACE: the registry), start, end, seconds, seat distance + 1, source bits, GAPPED | setting << 8 | rule, next + 1]
 * A line's seconds are those of the union of its hits: while its hits overlap or touch (the usual case), its span
 * [start, end). Once a hit leaves a gap, the line is GAPPED and its intervals are kept ([line, start, end] triples,
 * the span so far first): a later hit that overlaps the span may cover seconds counted already, and the seconds of
 * such lines are summed again over the union of their intervals when the set is sealed.
 */
export class ContactSet {
  count = 0;
  evCount = 0;
  private cache: Found[] | undefined;
  private sortedIds: Uint32Array | undefined;

  private shift: number;

  /**
   * `c` and `ev` are the buffers to build in; `table` an empty hash table of a power-of-two number of pairs (the
   * tracer lends it for the build and takes it back, cleared, when the set is sealed).
   */
  /** Intervals of the hits, [line, start, end] (see the class comment), and the lines some hit overlapped. */
  private iv: Uint32Array;
  private ivCount = 0;
  private readonly overlapped = new Set<number>();

  constructor(
    readonly kind: ContactKind, private readonly ruleText: (rule: number) => string, private table: Uint32Array,
    public c: Uint32Array, public ev: Uint32Array, iv: Uint32Array = new Uint32Array(0),
  ) {
    // Stryker disable next-line ArithmeticOperator,MethodExpression: equivalent: the shift only picks the slot a probe starts at; every probe is masked into the table and finds its key (speed only)
    this.shift = 32 - Math.log2(Math.max(1, table.length >>> 1));
    this.iv = iv;
  }

  /** Twice the hash table, every contact entered again. */
  private growTable(): void {
    const tab = this.table = new Uint32Array(this.table.length * 2);
    // Stryker disable next-line UpdateOperator: equivalent: the shift only picks the slot a probe starts at; every probe is masked into the table and finds its key (speed only)
    this.shift--;
    const mask = (tab.length >>> 1) - 1;
    for (let k = 0; k < this.count; k++) {
      const key = this.c[k * 8] + 1;
      let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (tab[h * 2] !== 0) h = (h + 1) & mask;
      tab[h * 2] = key; tab[h * 2 + 1] = k;
    }
  }

  /** Person of contact k. */
  personAt(k: number): number { return this.c[k * 8]; }
  /** First exposure of contact k. */
  firstAt(k: number): number { return this.c[k * 8 + 2]; }

  /**
   * Records one overlap [s, e) of `person` (reached via `via`, or -1) at `place`; `seat` is a seat distance or -1. A
   * new contact gets a line; a known one widens its exposure (to [first, last) when given wider). The overlap is
   * evidence unless the contact is reached through a lower via; through a lower via than so far, it
   * replaces the evidence. Evidence at the place of the contact's latest evidence line is merged into that line,
   * otherwise a new evidence line is linked in. Callers add a set's hits one place at a time (every scan reads one
   * place's records before the next's), so one evidence line per person and place.
   */
  addHit(person: number, via: number, place: number, s: number, e: number, setting: number, rule: number, seat: number, sources: number, first = s, last = e): void {
    let c = this.c, q: number;
    const tab = this.table, mask = (tab.length >>> 1) - 1, key = person + 1;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (tab[h * 2] !== key && tab[h * 2] !== 0) h = (h + 1) & mask;
    if (tab[h * 2] === 0) {
      tab[h * 2] = key; tab[h * 2 + 1] = this.count;
      // Stryker disable next-line EqualityOperator: equivalent: grows the buffer one line early (room only)
      if ((this.count + 1) * 8 > c.length) { const b = new Uint32Array(c.length * 2); b.set(c); this.c = c = b; }
      q = this.count++ * 8;
      c[q] = person; c[q + 1] = via + 1; c[q + 2] = first; c[q + 3] = last; c[q + 4] = 0;
      // Stryker disable next-line EqualityOperator: equivalent: grows the table one entry early (room only)
      if (this.count * 2 > mask) this.growTable();
    } else {
      q = tab[h * 2 + 1] * 8;
      // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
      if (first < c[q + 2]) c[q + 2] = first;
      // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
      if (last > c[q + 3]) c[q + 3] = last;
      if (via + 1 > c[q + 1]) return;
      if (via + 1 < c[q + 1]) { c[q + 1] = via + 1; c[q + 4] = 0; }
    }
    // Hits arrive place by place (a scan reads one place's records before the next), so an earlier line for this
    // place, if any, is the head of the person's list.
    let ev = this.ev;
    const head = c[q + 4];
    // Stryker disable next-line ConditionalExpression: equivalent (head !== 0 as `true`): ev[-8] is undefined, never a place
    if (head !== 0 && ev[(head - 1) * 8] === place) {
      const line = head - 1, r = line * 8;
      const S = ev[r + 1], E = ev[r + 2];
      if ((ev[r + 6] & GAPPED) === 0) {
        // Stryker disable next-line EqualityOperator: equivalent (s < E, e > S): a hit touching the span takes the gapped path, which adds its seconds to the span's (the same union) and keeps both intervals for any later recount
        if (s <= E && e >= S) {
          // Overlapping or touching the span, which it covers: the union is the wider span.
          // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
          if (s < S) ev[r + 1] = s;
          // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
          if (e > E) ev[r + 2] = e;
          ev[r + 3] = ev[r + 2] - ev[r + 1];
        } else {
          ev[r + 6] |= GAPPED;
          this.keep(line, S, E);
          this.keep(line, s, e);
          ev[r + 3] += e - s;
          // Stryker disable next-line EqualityOperator: equivalent (s <= S): a hit apart from the span never starts where the span starts
          if (s < S) ev[r + 1] = s; else ev[r + 2] = e;
        }
      } else {
        this.keep(line, s, e);
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent: a line marked overlapped has its seconds summed again, exactly, over the union of its intervals; marking more lines costs time only
        if (s < E && e > S) this.overlapped.add(line);
        else ev[r + 3] += e - s;
        // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
        if (s < S) ev[r + 1] = s;
        // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
        if (e > E) ev[r + 2] = e;
      }
      // Stryker disable next-line EqualityOperator: equivalent (seat + 1 <= ev[r + 4] only; seat > 0 is pinned by a test): on equality the value set is the value held
      if (seat >= 0 && (ev[r + 4] === 0 || seat + 1 < ev[r + 4])) ev[r + 4] = seat + 1;
      ev[r + 5] |= sources;
      return;
    }
    // Stryker disable next-line EqualityOperator: equivalent: grows the buffer one line early (room only)
    if ((this.evCount + 1) * 8 > ev.length) { const b = new Uint32Array(ev.length * 2); b.set(ev); this.ev = ev = b; }
    const x = this.evCount++, r = x * 8;
    ev[r] = place; ev[r + 1] = s; ev[r + 2] = e; ev[r + 3] = e - s; ev[r + 4] = seat + 1; ev[r + 5] = sources; ev[r + 6] = (setting << 8) | rule;
    ev[r + 7] = c[q + 4]; c[q + 4] = x + 1;
  }

  /** Keeps an interval of a GAPPED line. */
  private keep(line: number, s: number, e: number): void {
    // Stryker disable next-line EqualityOperator: equivalent: grows the buffer one interval early (room only)
    if ((this.ivCount + 1) * 3 > this.iv.length) { const b = new Uint32Array(Math.max(3 * 256, this.iv.length * 2)); b.set(this.iv); this.iv = b; }
    const k = this.ivCount++ * 3;
    this.iv[k] = line; this.iv[k + 1] = s; this.iv[k + 2] = e;
  }

  /** The seconds of every line a hit overlapped, summed again over the union of its intervals. */
  private unionOverlapped(): void {
    // Stryker disable next-line ConditionalExpression: equivalent (`false`): with no line overlapped the loops below do nothing (speed only)
    if (this.overlapped.size === 0) return;
    const parts = new Map<number, number[]>();
    for (let k = 0; k < this.ivCount * 3; k += 3) {
      const line = this.iv[k];
      // Stryker disable next-line ConditionalExpression: equivalent (`false`): a gapped line no hit overlapped has disjoint intervals, whose union is the sum already held; summing it again gives the same
      if (!this.overlapped.has(line)) continue;
      const list = parts.get(line);
      if (list) list.push(this.iv[k + 1], this.iv[k + 2]); else parts.set(line, [this.iv[k + 1], this.iv[k + 2]]);
    }
    for (const [line, list] of parts) {
      // Stryker disable next-line ArithmeticOperator: equivalent (length * 2) on V8: the indices past the list compare as NaN, which its stable sort treats as equal, so the real ones still come sorted (checked on 220,000 random lines of 2 to 200 intervals), and they add no seconds below
      const order = Array.from({ length: list.length / 2 }, (_, i) => i).sort((a, b) => list[a * 2] - list[b * 2]);
      let seconds = 0, end = 0;
      for (const i of order) {
        // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
        const s = list[i * 2] > end ? list[i * 2] : end, e = list[i * 2 + 1];
        // Stryker disable next-line EqualityOperator: equivalent: on equality the seconds added are 0
        if (e > s) seconds += e - s;
        // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
        if (e > end) end = e;
      }
      this.ev[line * 8 + 3] = seconds;
    }
    this.overlapped.clear();
  }

  /**
   * Ends building: the set keeps copies of exactly the lines it used and gives back what it was lent (the build
   * buffers, perhaps grown, and the hash table, its entries cleared) for the next set. Building in buffers used
   * again and again, still in the processor's cache, and copying out once was measured faster than building in
   * fresh memory.
   */
  seal(): Scratch {
    this.unionOverlapped();
    const tab = this.table, mask = (tab.length >>> 1) - 1;
    // Stryker disable next-line all: equivalent: chooses between two ways to clear the table (all of it, or each key entered); both leave it empty (speed only)
    if (this.count * 8 > mask) tab.fill(0);
    else for (let k = 0; k < this.count; k++) {
      const key = this.c[k * 8] + 1;
      let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (tab[h * 2] !== key) h = (h + 1) & mask;
      tab[h * 2] = 0;
    }
    const lent = { table: tab, c: this.c, ev: this.ev, iv: this.iv };
    this.table = new Uint32Array(0);
    this.iv = new Uint32Array(0);
    this.ivCount = 0;
    this.c = this.c.slice(0, this.count * 8);
    this.ev = this.ev.slice(0, this.evCount * 8);
    return lent;
  }

  /** The sealed arrays, to cross a thread boundary. */
  sealed(): { kind: ContactKind; count: number; evCount: number; c: Uint32Array; ev: Uint32Array } {
    return { kind: this.kind, count: this.count, evCount: this.evCount, c: this.c, ev: this.ev };
  }

  /** A set from sealed arrays (built on another thread). */
  static fromSealed(s: { kind: ContactKind; count: number; evCount: number; c: Uint32Array; ev: Uint32Array }, ruleText: (rule: number) => string): ContactSet {
    const set = new ContactSet(s.kind, ruleText, new Uint32Array(0), s.c, s.ev);
    set.count = s.count;
    set.evCount = s.evCount;
    return set;
  }

  /** Person ids of the contacts, ascending. */
  personIds(): Uint32Array {
    // Stryker disable next-line ConditionalExpression: equivalent (`true`): sorts the same ids again instead of using the cached ones (speed only)
    if (!this.sortedIds) {
      const ids = new Uint32Array(this.count);
      // Stryker disable next-line EqualityOperator: equivalent: ids has count entries; a write at count is dropped
      for (let k = 0; k < this.count; k++) ids[k] = this.c[k * 8];
      this.sortedIds = ids.sort();
    }
    return this.sortedIds;
  }

  /** Whether `person` is among the contacts. */
  has(person: number): boolean {
    const ids = this.personIds();
    let lo = 0, hi = ids.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (ids[m] < person) lo = m + 1; else hi = m; }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: ids[ids.length] is undefined, never a person
    return lo < ids.length && ids[lo] === person;
  }

  /** The contacts as objects with their evidence, by person id. */
  found(): Found[] {
    // Stryker disable next-line ConditionalExpression: equivalent (`false`): builds the same contacts again instead of using the cached ones (speed only)
    if (this.cache) return this.cache;
    const out: Found[] = [];
    const c = this.c, ev = this.ev;
    for (let k = 0; k < this.count; k++) {
      const o = k * 8;
      const evidence: Evidence[] = [];
      for (let x = c[o + 4]; x !== 0; x = ev[(x - 1) * 8 + 7]) {
        const q = (x - 1) * 8;
        evidence.unshift({
          setting: SETTING_NAMES[(ev[q + 6] >>> 8) & 0xff], rule: this.ruleText(ev[q + 6] & 0xff), placeId: ev[q] === NO_PLACE ? null : ev[q], overlapStart: ev[q + 1], overlapEnd: ev[q + 2],
          minutes: ev[q + 3] / 60, seatDistance: ev[q + 4] === 0 ? null : ev[q + 4] - 1, sources: PRESENCE_SOURCES.filter((_, b) => ev[q + 5] & (1 << b)),
        });
      }
      evidence.sort((a, b) => a.overlapStart - b.overlapStart || (a.placeId ?? 0) - (b.placeId ?? 0));
      out.push({ personId: c[o], kind: this.kind, viaPersonId: c[o + 1] === 0 ? null : c[o + 1] - 1, firstExposure: c[o + 2], lastExposure: c[o + 3], evidence });
    }
    this.cache = out.sort((a, b) => a.personId - b.personId);
    return this.cache;
  }
}

/** Setting names by index: the close-contact settings, then the companion cell. */
const SETTING_NAMES = [...CONTACT_SETTINGS] as Evidence['setting'][];
const COMPANION_SETTING = CONTACT_SETTINGS.indexOf('companion_cell');
const HOUSEHOLD_SETTING = CONTACT_SETTINGS.indexOf('household');
const HOUSEHOLD_SOURCE = 1 << PRESENCE_SOURCES.indexOf('household');
const VEHICLE_RULE = 64, COMPANION_RULE = 128, REGISTRY_RULE = 192;
/** The flag of an evidence line whose hits left a gap (see ContactSet), beside its setting and rule. */
const GAPPED = 0x80000000;

/** What close() takes besides the case: its co-residents in the household registry (person ids). */
export interface CloseOptions { coResidents?: ArrayLike<number> }

export class Tracer {
  /** What this tracer lends the sets it builds (see ContactSet), one per kind of set. */
  private readonly scratch = new Map<ContactKind, Scratch>();

  /** Known isolation intervals (see setIsolation). */
  private iso = IsolationTable.EMPTY;
  /** The table's bits, padded to every person of the index (a bit per person; the hot paths read only this). */
  private isoBits: Uint8Array;
  /** Scratch for the parts of one overlap outside a person's intervals ([start, end) pairs). */
  private clipped = new Uint32Array(4);

  constructor(readonly index: PresenceIndex, readonly places: PlaceKinds, readonly rules: CompiledRules, isolation = IsolationTable.EMPTY) {
    this.excludedBits = new Uint8Array((index.persons >>> 3) + 1);
    this.isoBits = this.excludedBits;
    this.setIsolation(isolation);
    this.closeSettingBits = new Uint8Array((index.length >>> 3) + 1);
    // Stryker disable next-line EqualityOperator: equivalent: at p = places, placeOffsets[p + 1] is undefined and no record is marked
    for (let p = 0; p < index.places; p++) {
      const setting = rules.settingOf[places.category[p] ?? 0];
      if (setting === GENERAL || setting === COMPANION
        ||
        // Stryker disable next-line ConditionalExpression,EqualityOperator: unreachable from consistent input: the loader gives every place of the index its category (PlaceKinds is built from the same places)
        p >= places.category.length) continue;
      for (let i = index.placeOffsets[p]; i < index.placeOffsets[p + 1]; i++) this.closeSettingBits[i >>> 3] |= 1 << (i & 7);
    }
  }

  /** The isolation intervals the queries respect. */
  get isolation(): IsolationTable {
    return this.iso;
  }

  /** Replaces the isolation intervals (the engine refreshes them from storage before a trace). */
  setIsolation(table: IsolationTable): void {
    this.iso = table;
    // Stryker disable next-line ArithmeticOperator: equivalent: the padding only keeps reads inside the array; a read past the table's bits is undefined, & gives 0 (not isolated), and every person with an interval is inside the table
    const need = (this.index.persons >>> 3) + 1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the table's bits or a padded copy of them; a read past the table's bits is undefined, & gives 0 (not isolated), as the padding would
    if (table.bits.length >= need) this.isoBits = table.bits;
    else { this.isoBits = new Uint8Array(need); this.isoBits.set(table.bits); }
    this.clipped = new Uint32Array(2 * (table.maxIntervals + 1));
  }

  /** A window of a person never isolated (scratch: reused by the next call, so a caller that nests copies it). */
  private readonly whole = new Uint32Array(2);

  /** The parts of [from, to) outside `person`'s isolation intervals, as [start, end) pairs. */
  private partsOutside(person: number, from: number, to: number): Uint32Array {
    // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent: clipping a window of a person without intervals gives the window itself, or nothing when it is empty (the shortcut saves an allocation)
    if (!this.iso.has(person)) {
      if (to <= from) return this.whole.subarray(0, 0);
      this.whole[0] = from; this.whole[1] = to;
      return this.whole;
    }
    const out = new Uint32Array(2 * (this.iso.maxIntervals + 1));
    return out.subarray(0, 2 * this.iso.clip(person, from, to, out));
  }

  /**
   * Adds the parts of the overlap [os, oe) of `other` outside their isolation intervals that last at least `minOv`
   * (the slow path, for the few persons with intervals).
   */
  private hitOutside(out: ContactSet, other: number, via: number, place: number, os: number, oe: number, minOv: number, setting: number, rule: number, dist: number, sources: number): void {
    const cl = this.clipped;
    for (let x = 0, n = this.iso.clip(other, os, oe, cl); x < n; x++) {
      if (cl[x * 2 + 1] - cl[x * 2] >= minOv) out.addHit(other, via, place, cl[x * 2], cl[x * 2 + 1], setting, rule, dist, sources);
    }
  }

  /** Rule text by rule index (for sets built on other threads). */
  get ruleTextFn(): (rule: number) => string {
    return this.ruleText;
  }

  private ruleText = (rule: number): string => {
    if (rule === REGISTRY_RULE) return this.rules.registry.ruleText;
    if (rule === COMPANION_RULE) {
      const c = this.rules.companion;
      return `same ${c.minOverlapSec / 60}+ min in a cell, one of the two > ${c.minCumulativeSec / 3600} h there in ${c.lookBackSec / 86400} days`;
    }
    return rule >= VEHICLE_RULE ? this.rules.vehicleRuleText[rule - VEHICLE_RULE] : this.rules.ruleText[rule];
  };

  /**
   * Persons excluded from the set being built, one bit each (most candidates a secondary scan meets are the case's
   * other close contacts: a bit per person keeps that test inside the processor's cache), and the list to clear.
   */
  private readonly excludedBits: Uint8Array;
  // Stryker disable next-line ArrayDeclaration: equivalent: the stray entry makes finish clear byte 0 of the bits, which only exclusions (all cleared by finish) ever set
  private excludedList: number[] = [];
  /**
   * One bit per index position: whether the record is at a place whose category can make close contacts. Most of
   * a person's records are telecom stays; the bit lets a scan skip them with one read instead of finding their place
   * (0.125 bytes per record).
   */
  private readonly closeSettingBits: Uint8Array;

  /** Marks `person` as excluded from the set being built (until `finish`). */
  private exclude(person: number): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a bit for a person past the index (in the last byte or dropped past the end) matches no record, and finish clears it
    if (person >= this.index.persons) return;
    this.excludedBits[person >>> 3] |= 1 << (person & 7);
    this.excludedList.push(person);
  }

  /** Whether `person` is excluded from the set being built. */
  private isExcluded(person: number): boolean {
    return (this.excludedBits[person >>> 3] & (1 << (person & 7))) !== 0;
  }

  /**
   * Contacts the last set of each kind held, to size the next one's hash table: a table sized to the set stays in
   * the cache. A table is kept while it is large enough and at most 16 times too large, so that sets of varying
   * size rarely grow or reallocate it.
   */
  private readonly sizeHint = new Map<ContactKind, number>();

  /** Starts a set in the buffers lent for its kind. */
  private begin(kind: ContactKind): ContactSet {
    let pairs = 1024;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,LogicalOperator: equivalent: only sizes the hash table (any power of two; it grows when half full): speed only
    while (pairs < (this.sizeHint.get(kind) ?? 0) * 2) pairs *= 2;
    // Stryker disable next-line ArithmeticOperator: equivalent: a first interval buffer of any size; keep() grows it to at least 3 * 256 (room only)
    const lent = this.scratch.get(kind) ?? { table: new Uint32Array(0), c: new Uint32Array(8 * 256), ev: new Uint32Array(8 * 512), iv: new Uint32Array(3 * 512) };
    const have = lent.table.length >>> 1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent: keeps or replaces an empty hash table of a power-of-two size (it grows when half full): speed only
    if (have < pairs || have > pairs * 16) lent.table = new Uint32Array(pairs * 2);
    return new ContactSet(kind, this.ruleText, lent.table, lent.c, lent.ev, lent.iv);
  }

  /** Ends a set: clears the exclusions, remembers its size, seals it. */
  private finish(set: ContactSet): ContactSet {
    for (const p of this.excludedList) this.excludedBits[p >>> 3] = 0;
    // Stryker disable next-line ArrayDeclaration: equivalent: the stray entry makes finish clear byte 0 of the bits, which only exclusions (all cleared by finish) ever set
    this.excludedList = [];
    this.sizeHint.set(set.kind, set.count);
    this.scratch.set(set.kind, set.seal());
    return set;
  }

  /**
   * Seat distance if the vehicle rule makes the pair contacts, else -1. Unknown seats are treated as contacts
   * (conservative: the case may have sat anywhere), with distance null (-2); so are crew (see below).
   */
  private vehicleDistance(vehicle: number, a: number, b: number): number {
    const scope = this.rules.vehicleScope[vehicle];
    if (a === NO_SEAT || b === NO_SEAT || scope === ALL) return -2;
    const ra = seatRow(a), rb = seatRow(b);
    const ca = seatCarriage(a), cb = seatCarriage(b);
    if (ra === CREW_ROW || rb === CREW_ROW) {
      // Crew serve everyone in the rule's scope when the rule says so; otherwise they have no row: they share a
      // carriage or cabin with its passengers, and no rows, compartment or bays; no seat distance either way.
      if (this.rules.vehicleCrew[vehicle]) return -2;
      return ca === cb && (scope === CARRIAGE || scope === CABIN) ? -2 : -1;
    }
    const d = Math.abs(ra - rb);
    switch (scope) {
      case ROWS: return ca === cb && d <= this.rules.vehicleRows[vehicle] ? d : -1;
      case CARRIAGE: case CABIN: return ca === cb ? d : -1;
      case COMPARTMENT: return ca === cb && d === 0 ? 0 : -1;
      case ADJACENT: return ca === cb && d <= 1 ? d : -1;
      // Stryker disable next-line ConditionalExpression,UnaryOperator: equivalent: unreachable: every scope but ALL has its case, and ALL returned above
      default: return -1;
    }
  }

  /**
   * Everyone who shared a close-contact setting with `source` inside `parts` (the case's window outside its
   * isolation, as [start, end) pairs), except persons excluded from the set being built. The scan of each place
   * starts at the first record that could still overlap (start >= s - the longest stay there).
   */
  private sharedSettings(source: number, parts: Uint32Array, out: ContactSet, via: number): void {
    const ix = this.index;
    const { settingOf, minOverlapOf } = this.rules;
    const { person, start, end, placeOffsets, placeMaxDur, personRecs, seat, source: src, sourceMasks: masks } = ix;
    const excluded = this.excludedBits, closeBits = this.closeSettingBits, isoBits = this.isoBits;
    // Stryker disable next-line all: equivalent: a person past the index has no records (personOffsets[source + 1] is undefined) and no parts give no hit below: speed only
    if (source >= ix.persons || parts.length === 0) return;
    for (let k = ix.personOffsets[source]; k < ix.personOffsets[source + 1]; k++) {
      const i = personRecs[k];
      // Stryker disable next-line ConditionalExpression: equivalent as false: a record at a place of another setting is skipped by the setting check below (as true, disabled with it, it is killed)
      if ((closeBits[i >>> 3] & (1 << (i & 7))) === 0) continue;
// Stryker disable next-line all: equivalent: a record outside the parts' span is clipped to nothing by every part below (e <= s): speed only
      if (end[i] <= parts[0] || start[i] >= parts[parts.length - 1]) continue;
      const place = ix.placeOf(i);
      const cat = this.places.category[place];
      const setting = settingOf[cat];
// Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: closeSettingBits (checked above) marks only records at places of other settings
      if (setting === GENERAL || setting === COMPANION) continue;
      // Stryker disable next-line ConditionalExpression: equivalent as true for consistent input: a place that is no vehicle has no vehicle setting (imports refuse one: "only vehicles have a vehicle setting"); as false, disabled with it, it is killed
      const vehicle = setting === VEHICLE_SETTING ? this.places.vehicle[place] : NOT_VEHICLE;
      const rule = vehicle !== NOT_VEHICLE ? VEHICLE_RULE + vehicle : cat;
// Stryker disable next-line EqualityOperator: equivalent (>=): a minimum of exactly 1 gives 1 either way
      const minOv = minOverlapOf[cat] > 1 ? minOverlapOf[cat] : 1;
      const hi = placeOffsets[place + 1];
      const srcBits = masks[src[i]];
      // Usually one part: the case's window (more when the case was isolated for a while inside it).
// Stryker disable next-line EqualityOperator: equivalent: at w = parts.length the part is undefined: s and e are undefined and the scan below reads nothing
      for (let w = 0; w < parts.length; w += 2) {
// Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
        const s = start[i] > parts[w] ? start[i] : parts[w], e = end[i] < parts[w + 1] ? end[i] : parts[w + 1];
// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: an empty part gives overlaps of no length, which the minimum (at least 1 s) drops: speed only
        if (e <= s) continue;
// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the scan may only start earlier (at 0 or a negative bound), and records ending by s give overlaps the minimum drops: speed only
        const lowest = s > placeMaxDur[place] ? s - placeMaxDur[place] : 0;
// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (start[j] < e as `true` or <=): a record starting at or after e gives an overlap of no length, which the minimum drops (j < hi still bounds the scan): speed only
        for (let j = ix.firstAtOrAfter(placeOffsets[place], hi, lowest); j < hi && start[j] < e; j++) {
// Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
          const os = start[j] > s ? start[j] : s;
// Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
          const oe = end[j] < e ? end[j] : e;
          if (oe - os < minOv) continue;
          const other = person[j];
// Stryker disable next-line ConditionalExpression: equivalent (the exclusion test as `false`): close(), the only caller, excludes no one
          if (other === source || (excluded[other >>> 3] & (1 << (other & 7))) !== 0) continue;
          let dist = -1;
          if (vehicle !== NOT_VEHICLE) {
            const d = this.vehicleDistance(vehicle, seat[i], seat[j]);
            if (d === -1) continue;
            dist = d >= 0 ? d : -1;
          }
          // One bit read for the many never isolated; the others' overlaps are clipped to their free time.
// Stryker disable next-line ConditionalExpression: equivalent (`false`): clipping a person without intervals gives the whole overlap, which already passed the minimum (the bit saves the clip)
          if ((isoBits[other >>> 3] & (1 << (other & 7))) === 0) out.addHit(other, via, place, os, oe, setting, rule, dist, srcBits | masks[src[j]]);
          else this.hitOutside(out, other, via, place, os, oe, minOv, setting, rule, dist, srcBits | masks[src[j]]);
        }
      }
    }
  }

  /**
   * Close contacts of a case: everyone sharing a close-contact setting with the case inside its window, outside both
   * persons' isolation; and, when the edition lists the household setting, the case's co-residents in the household
   * registry (`coResidents`), exposed over the case's window outside both persons' isolation, with the registry as
   * their evidence (placeId null), beside any evidence from presence.
   */
  close(c: TraceInput, opts: CloseOptions = {}): ContactSet {
    const out = this.begin('close');
    const parts = this.partsOutside(c.personId, c.from, c.to);
    this.sharedSettings(c.personId, parts, out, -1);
    if (opts.coResidents && this.rules.registry.household) this.registryHits(c.personId, parts, opts.coResidents, out);
    return this.finish(out);
  }

  /** Co-residents' exposure: each part of the case's free window, clipped to theirs, at least the household minimum. */
  private registryHits(casePerson: number, parts: Uint32Array, residents: ArrayLike<number>, out: ContactSet): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (`true`, >=): clip never gives a part of no length, so a minimum of 0 or 1 s keeps the same parts (as `false` and <=, disabled with them, they are killed)
    const min = this.rules.registry.minOverlapSec > 1 ? this.rules.registry.minOverlapSec : 1;
    const cl = this.clipped;
    for (const r of new Set(Array.from(residents))) {
      if (r === casePerson) continue;
// Stryker disable next-line EqualityOperator: equivalent: at w = parts.length the part is undefined, and clip gives nothing or one part of no length, which the minimum (at least 1 s) drops
      for (let w = 0; w < parts.length; w += 2) {
        for (let x = 0, n = this.iso.clip(r, parts[w], parts[w + 1], cl); x < n; x++) {
          if (cl[x * 2 + 1] - cl[x * 2] >= min) out.addHit(r, -1, NO_PLACE, cl[x * 2], cl[x * 2 + 1], HOUSEHOLD_SETTING, REGISTRY_RULE, -1, HOUSEHOLD_SOURCE);
        }
      }
    }
  }

  /**
   * Secondary contacts: everyone sharing a close-contact setting with a close contact from that contact's first
   * exposure until the earlier of `isolatedBy(contact)` (the edition's transfer deadline, say) and the start of the
   * contact's first known isolation that ends after that first exposure, outside the secondary contact's own
   * isolation; except the case and its close contacts. The contact is reached via the close contact with the lowest
   * person id among those they met.
   *
   * Close contacts of one case often share places (a household, an office, a classroom, a hall): scanned one
   * close contact at a time, each such place would be read once per close contact, and each time it would meet
   * the others, who are excluded. Instead the close contacts' stays are grouped by place, each place is read once
   * in the windows around its stays, and only records of persons not excluded are matched against the stays.
   */
  secondary(c: TraceInput, close: ContactSet, isolatedBy: (contactPerson: number) => number): ContactSet {
    const out = this.begin('secondary');
    this.exclude(c.personId);
    for (let k = 0; k < close.count; k++) this.exclude(close.personAt(k));
    const stays = this.staysOf(close, isolatedBy);
    const ix = this.index;
    const { settingOf, minOverlapOf } = this.rules;
    const { person, start, end, placeOffsets, placeMaxDur, seat, source: src, sourceMasks: masks } = ix;
    const excluded = this.excludedBits, isoBits = this.isoBits;
    const { place: sPlace, recStart, start: sStart, end: sEnd, rec: sRec, via: sVia, sources: sSrc, count } = stays;
    for (let g = 0; g < count;) {
      // One group: the stays at one place, in index order (by the start of their records).
      const place = sPlace[g];
      let h = g + 1;
      // Stryker disable next-line ConditionalExpression: equivalent (`false`): each stay scanned as its own group meets the same records; the set combines the hits per person and place (lowest via's evidence, widest exposure) as one group's scan does: speed only
      while (h < count && sPlace[h] === place) h++;
      const cat = this.places.category[place];
      const setting = settingOf[cat];
      // Stryker disable next-line ConditionalExpression: equivalent as true for consistent input: a place that is no vehicle has no vehicle setting (imports refuse one: "only vehicles have a vehicle setting"); as false, disabled with it, it is killed
      const vehicle = setting === VEHICLE_SETTING ? this.places.vehicle[place] : NOT_VEHICLE;
      const rule = vehicle !== NOT_VEHICLE ? VEHICLE_RULE + vehicle : cat;
// Stryker disable next-line EqualityOperator: equivalent (>=): a minimum of exactly 1 gives 1 either way
      const minOv = minOverlapOf[cat] > 1 ? minOverlapOf[cat] : 1;
      const maxDur = placeMaxDur[place], hi = placeOffsets[place + 1];
      // Runs of stays whose scan windows [record start - the longest stay here, end) meet are scanned together;
      // the place's records between runs (the nights between one contact's visits, say) are not read at all. A
      // record in a run's window cannot overlap a stay of another run.
      let j = placeOffsets[place];
      for (let a = g; a < h;) {
        let b = a + 1, runEnd = sEnd[a];
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: runs may only join more stays (a wider window, scanned together); every record that overlaps a stay is still matched with all the run's stays: speed only
        while (b < h && recStart[b] < runEnd + maxDur) { if (sEnd[b] > runEnd) runEnd = sEnd[b]; b++; }
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the run's scan may only start earlier; records before the true bound end before the run's first stay: speed only
        const runLo = recStart[a] > maxDur ? recStart[a] - maxDur : 0;
        // Stryker disable next-line all: equivalent: the skip only moves j forward to runLo (firstAtOrAfter leaves a j at or after runLo, or at hi, where it is); records before runLo end before every stay of the run: speed only
        if (j < hi && start[j] < runLo) j = ix.firstAtOrAfter(j, hi, runLo);
        // Stryker disable next-line EqualityOperator: equivalent (start[j] <= runEnd only; j <= hi is pinned by a test): a record starting at runEnd gives overlaps of no length, which the minimum drops
        for (; j < hi && start[j] < runEnd; j++) {
          const other = person[j];
          if ((excluded[other >>> 3] & (1 << (other & 7))) !== 0) continue;
          const sj = start[j], ej = end[j];
          // A stay can overlap this record only if its record starts after sj - the longest stay here (it ends by
          // then otherwise) and before ej (a stay starts no earlier than its record).
          let lo = a, up = b;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the bound may only come out lower; stays whose records start by sj - the longest stay end by sj, and the minimum drops their overlaps: speed only
          const bound = sj > maxDur ? sj - maxDur : 0;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: lo may only stay lower (down to a); those stays end by sj and the minimum drops their overlaps: speed only
          while (lo < up) { const m = (lo + up) >>> 1; if (recStart[m] <= bound) lo = m + 1; else up = m; }
          // One bit read for the many never isolated; the others' overlaps are clipped to their free time.
          // Stryker disable next-line ConditionalExpression: equivalent (`true`): with nothing to clip the slow path adds each overlap through its own close contact, and the set keeps the lowest via's union, nearest seat, feeds and the widest exposure, as the fast path does
          if ((isoBits[other >>> 3] & (1 << (other & 7))) !== 0) { this.secondaryHitOutside(out, j, lo, b, vehicle, minOv, place, setting, rule); continue; }
          // The record's overlaps with the stays: the earliest start and latest end of all (exposure to any close
          // contact), and the union of those with the lowest via (the evidence: time with that close contact only),
          // added piece by piece with its nearest seat and feeds. One via's stays come in order of their start, so
          // its union runs with one open piece [ps, pe); a lower via met later starts the evidence again.
          // Stryker disable next-line UnaryOperator: equivalent: dist is set to -1 again at the first stay counted (every via is below 0xffffffff) before any use
          let hs = 0xffffffff, he = 0, via = 0xffffffff, ps = 0, pe = 0, dist = -1, sources = 0;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (recStart[t] < ej as `true` or <=): a stay starting at or after ej gives an overlap of no length, which the minimum drops: speed only
          for (let t = lo; t < b && recStart[t] < ej; t++) {
            const ts = sStart[t], te = sEnd[t];
            // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
            const os = ts > sj ? ts : sj, oe = te < ej ? te : ej;
            if (oe - os < minOv) continue;
            let d = -1;
            if (vehicle !== NOT_VEHICLE) {
              d = this.vehicleDistance(vehicle, seat[sRec[t]], seat[j]);
              if (d === -1) continue;
            }
            // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
            if (os < hs) hs = os;
            // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
            if (oe > he) he = oe;
            const v = sVia[t];
            if (v > via) continue;
            // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (os > pe as `true` or >=): a piece of the same via added as its own hit joins the same evidence line, whose seconds are the union, seat the nearest and feeds all of them
            if (v < via) { via = v; ps = os; pe = oe; dist = -1; sources = 0; } else if (os > pe) {
              out.addHit(other, via, place, ps, pe, setting, rule, dist, sources | masks[src[j]]);
              ps = os; pe = oe; dist = -1; sources = 0;
            } else {
              // Stryker disable next-line EqualityOperator: equivalent: on equality the value set is the value held
              if (oe > pe) pe = oe;
            }
            // Stryker disable next-line EqualityOperator: equivalent (d <= dist only; dist < 0 is pinned by a test): on equality the value set is the value held
            if (d >= 0 && (dist < 0 || d < dist)) dist = d;
            sources |= sSrc[t];
          }
          if (he === 0) continue;
          out.addHit(other, via, place, ps, pe, setting, rule, dist, sources | masks[src[j]], hs, he);
        }
        a = b;
      }
      g = h;
    }
    return this.finish(out);
  }

  /**
   * secondary()'s hits of record j (of a person with isolation intervals) over the stays [lo, up) of one run: each
   * overlap clipped to the person's time outside isolation, parts shorter than the minimum dropped, every part a hit
   * through its stay's close contact (the set keeps the lowest via's as evidence, and their union; the slow path).
   */
  private secondaryHitOutside(out: ContactSet, j: number, lo: number, up: number, vehicle: number, minOv: number, place: number, setting: number, rule: number): void {
    const ix = this.index, { recStart, start: sStart, end: sEnd, rec: sRec, via: sVia, sources: sSrc } = this.staySorted, cl = this.clipped;
    const other = ix.person[j], sj = ix.start[j], ej = ix.end[j], own = ix.sourceMasks[ix.source[j]];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (recStart[t] < ej as `true` or <=): a stay starting at or after ej gives an overlap of no length, which the minimum drops: speed only
    for (let t = lo; t < up && recStart[t] < ej; t++) {
      // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
      const os = sStart[t] > sj ? sStart[t] : sj, oe = sEnd[t] < ej ? sEnd[t] : ej;
// Stryker disable next-line ConditionalExpression,ArithmeticOperator: equivalent (`false`, oe + os): every part of a shorter overlap is shorter still, and the part test below drops it: speed only
      if (oe - os < minOv) continue;
      let d = -1;
      if (vehicle !== NOT_VEHICLE) {
        d = this.vehicleDistance(vehicle, ix.seat[sRec[t]], ix.seat[j]);
        if (d === -1) continue;
      }
      for (let x = 0, n = this.iso.clip(other, os, oe, cl); x < n; x++) {
        const ps = cl[x * 2], pe = cl[x * 2 + 1];
        if (pe - ps >= minOv) out.addHit(other, sVia[t], place, ps, pe, setting, rule, d >= 0 ? d : -1, sSrc[t] | own);
      }
    }
  }

  /** Scratch columns for the close contacts' stays, as collected and in index order (reused; grown as needed). */
  private stayCols = stayColumns(1024);
  private staySorted = stayColumns(1024);
  private stayKeys = new Float64Array(1024);

  /**
   * The stays of every close contact at places that can make close contacts, clipped to [their first exposure,
   * their isolation) (the earlier of `isolatedBy` and their known isolation), in index order (by place, then the
   * start of their record), each with its record's start.
   */
  private staysOf(close: ContactSet, isolatedBy: (contactPerson: number) => number): StayColumns & { count: number } {
    const ix = this.index, closeBits = this.closeSettingBits;
    let cols = this.stayCols, count = 0;
    // Stryker disable next-line EqualityOperator: equivalent: the entry past the last has no person (undefined), who has no records below
    for (let k = 0; k < close.count; k++) {
      const p = close.personAt(k);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a person past the index (a co-resident with no presence) has no records below (personOffsets past the end are undefined): the check saves the look-ups
      if (p >= ix.persons) continue;
      const from = close.firstAt(k), deadline = isolatedBy(p), known = this.iso.startAfter(p, from);
      // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
      const to = known < deadline ? known : deadline;
      for (let r = ix.personOffsets[p]; r < ix.personOffsets[p + 1]; r++) {
        const i = ix.personRecs[r];
        if ((closeBits[i >>> 3] & (1 << (i & 7))) === 0) continue;
        // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
        const s = ix.start[i] > from ? ix.start[i] : from, e = ix.end[i] < to ? ix.end[i] : to;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a stay of no (or negative) length overlaps no record by the minimum (at least 1 s) in the scan: speed only
        if (e <= s) continue;
        if (count === cols.place.length) cols = this.stayCols = growStays(cols, count);
        cols.start[count] = s; cols.end[count] = e; cols.rec[count] = i; cols.via[count] = p;
        count++;
      }
    }
    // Index order is record position order: sort (position, stay) pairs packed in one float (exact below 2^53),
    // then lay the columns out in that order, so the scan reads them contiguously.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (`true`, <=): growing the scratch when it is big enough changes room only (as `false` and >=, disabled with them, the more-than-1,024-stays test kills them)
    if (this.stayKeys.length < count) this.stayKeys = new Float64Array(cols.place.length);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: as above
    if (this.staySorted.place.length < count) this.staySorted = stayColumns(cols.place.length);
    const keys = this.stayKeys.subarray(0, count), out = this.staySorted;
    let scale = 1;
    // Stryker disable next-line EqualityOperator: equivalent: a scale twice as large keeps the keys exact and decodable (x < scale); it could only trip the 2^53 guard below at index sizes far past memory
    while (scale < count) scale *= 2;
    // Stryker disable next-line all: unreachable within memory: the index's records times the stays rounded up to a power of 2 reach 2^53 only past 2^26 stays on an index of 2^27 records
    if (ix.length * scale >= 2 ** 53) throw new RangeError(`${count} stays of close contacts: more than one query sorts`);
    // Stryker disable next-line EqualityOperator: equivalent: keys is a view of count entries; a write at count is dropped
    for (let x = 0; x < count; x++) keys[x] = cols.rec[x] * scale + x;
    keys.sort();
    // Stryker disable next-line EqualityOperator: equivalent: the extra row is written at position count of the scratch columns, past every row the scan reads
    for (let y = 0; y < count; y++) {
      const x = keys[y] % scale, i = cols.rec[x];
      out.place[y] = ix.placeOf(i); out.recStart[y] = ix.start[i]; out.sources[y] = ix.sourceMasks[ix.source[i]]; out.start[y] = cols.start[x]; out.end[y] = cols.end[x]; out.rec[y] = i; out.via[y] = cols.via[x];
    }
    return { ...out, count };
  }

  /** Seconds `person` spent in `cell` within [from, to). */
  private cumulative(person: number, cell: number, from: number, to: number): number {
    const ix = this.index;
    let sum = 0;
    for (let k = ix.personOffsets[person]; k < ix.personOffsets[person + 1]; k++) {
      const i = ix.personRecs[k];
      if (i < ix.placeOffsets[cell] || i >= ix.placeOffsets[cell + 1]) continue;
      const s = Math.max(ix.start[i], from), e = Math.min(ix.end[i], to);
      // Stryker disable next-line EqualityOperator: equivalent (>=): on equality the sum grows by 0
      if (e > s) sum += e - s;
    }
    return sum;
  }

  /**
   * Spatiotemporal companions: in the same telecom cell as the case for more than the edition's minutes, in the
   * look-back period before confirmation and outside both persons' isolation, where either of the two stayed more
   * than the edition's hours in total in that cell over the period (presence, isolated or not: the rule asks where
   * a phone lives). Persons in `exclude` (the case's close contacts, say) are left out.
   */
  companions(c: TraceInput, exclude?: ContactSet): ContactSet {
    const ix = this.index;
    const { minOverlapSec, minCumulativeSec, lookBackSec } = this.rules.companion;
    const out = this.begin('companion');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a person past the index has no records (personOffsets is undefined there), so the scan finds nothing: speed only
    if (c.personId >= ix.persons) return this.finish(out);
    const parts = this.partsOutside(c.personId, c.confirmedAt - lookBackSec, c.confirmedAt);
    // Stryker disable next-line ConditionalExpression: equivalent (`false`): with no parts every record is clipped to nothing below: speed only
    if (parts.length === 0) return this.finish(out);
    const from = c.confirmedAt - lookBackSec, to = c.confirmedAt, masks = ix.sourceMasks, isoBits = this.isoBits, cl = this.clipped;
    if (exclude) for (let k = 0; k < exclude.count; k++) this.exclude(exclude.personAt(k));
    for (let k = ix.personOffsets[c.personId]; k < ix.personOffsets[c.personId + 1]; k++) {
      const i = ix.personRecs[k];
      // Stryker disable next-line all: equivalent: a record outside the parts' span is clipped to nothing by every part below (e <= s): speed only
      if (ix.end[i] <= parts[0] || ix.start[i] >= parts[parts.length - 1]) continue;
      const cell = ix.placeOf(i);
      if (this.rules.settingOf[this.places.category[cell]] !== COMPANION) continue;
      const mine = this.cumulative(c.personId, cell, from, to);
      const hi = ix.placeOffsets[cell + 1];
// Stryker disable next-line EqualityOperator: equivalent: at w = parts.length the part is undefined: s and e are NaN and the scan below reads nothing
      for (let w = 0; w < parts.length; w += 2) {
        const s = Math.max(ix.start[i], parts[w]), e = Math.min(ix.end[i], parts[w + 1]);
// Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: an empty part gives overlaps of no length, which the minimum drops: speed only
        if (e <= s) continue;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the scan may only start earlier (at 0 or a negative bound), and records ending by s give overlaps the minimum drops: speed only
        const lowest = s > ix.placeMaxDur[cell] ? s - ix.placeMaxDur[cell] : 0;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (ix.start[j] < e as `true` or <= only; j <= hi is pinned by a test): a record starting at or after e gives an overlap of no length, which the minimum drops
        for (let j = ix.firstAtOrAfter(ix.placeOffsets[cell], hi, lowest); j < hi && ix.start[j] < e; j++) {
          // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
          const os = ix.start[j] > s ? ix.start[j] : s;
          // Stryker disable next-line EqualityOperator: equivalent: on equality both choices are the same value
          const oe = ix.end[j] < e ? ix.end[j] : e;
          if (oe - os <= minOverlapSec) continue;
          const other = ix.person[j];
          if (other === c.personId || this.isExcluded(other)) continue;
          if (mine <= minCumulativeSec && this.cumulative(other, cell, from, to) <= minCumulativeSec) continue;
          const sources = masks[ix.source[i]] | masks[ix.source[j]];
// Stryker disable next-line ConditionalExpression,BlockStatement: equivalent: clipping a person without intervals gives the whole overlap, which already passed the minutes (the bit saves the clip)
          if ((isoBits[other >>> 3] & (1 << (other & 7))) === 0) {
            out.addHit(other, -1, cell, os, oe, COMPANION_SETTING, COMPANION_RULE, -1, sources);
            continue;
          }
          // Strictly more than the minimum, as the rule says.
          for (let x = 0, n = this.iso.clip(other, os, oe, cl); x < n; x++) {
            if (cl[x * 2 + 1] - cl[x * 2] > minOverlapSec) out.addHit(other, -1, cell, cl[x * 2], cl[x * 2 + 1], COMPANION_SETTING, COMPANION_RULE, -1, sources);
          }
        }
      }
    }
    return this.finish(out);
  }

  /**
   * Cases present at `place` during [from, to) while infectious and not isolated: `windows` maps each case's person
   * to the infectious windows of their cases (a reinfected person has one per case). One row per overlapping record,
   * case and part outside the case's isolation (nameless: the caller shows the case number, place and times).
   */
  casesAt(place: number, from: number, to: number, windows: ReadonlyMap<number, readonly CaseWindow[]>): Exposure[] {
    const ix = this.index;
    const out: Exposure[] = [];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a place past the index has no records (placeOffsets[place + 1] is undefined), so the scan finds nothing: speed only
    if (place >= ix.places) return out;
    const hi = ix.placeOffsets[place + 1];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the scan may only start earlier; records ending by from clip to nothing: speed only
    const lowest = from > ix.placeMaxDur[place] ? from - ix.placeMaxDur[place] : 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (ix.start[j] < to as `true` or <= only; j <= hi is pinned by a test): a record starting at or after to clips to nothing
    for (let j = ix.firstAtOrAfter(ix.placeOffsets[place], hi, lowest); j < hi && ix.start[j] < to; j++) {
      for (const w of windows.get(ix.person[j]) ?? []) {
        const s = Math.max(ix.start[j], from, w.from), e = Math.min(ix.end[j], to, w.to);
        const parts = this.partsOutside(ix.person[j], s, e);
        for (let x = 0; x < parts.length; x += 2) out.push({ casePersonId: ix.person[j], caseId: w.caseId, placeId: place, overlapStart: parts[x], overlapEnd: parts[x + 1] });
      }
    }
    return out;
  }

  /**
   * Every overlap of `person`'s records with a case's records while that case was infectious, outside both persons'
   * isolation (the "was I there?" look-up).
   */
  exposuresOf(person: number, windows: ReadonlyMap<number, readonly CaseWindow[]>): Exposure[] {
    const ix = this.index;
    const out: Exposure[] = [];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a person past the index has no records (personOffsets is undefined there): speed only
    if (person >= ix.persons) return out;
    for (let k = ix.personOffsets[person]; k < ix.personOffsets[person + 1]; k++) {
      const i = ix.personRecs[k];
      const parts = Array.from(this.partsOutside(person, ix.start[i], ix.end[i])); // a copy: casesAt reuses the scratch
      // Stryker disable next-line EqualityOperator: equivalent: at x = parts.length the part is undefined, and casesAt scans no record before an undefined end
      for (let x = 0; x < parts.length; x += 2) {
        for (const c of this.casesAt(ix.placeOf(i), parts[x], parts[x + 1], windows)) if (c.casePersonId !== person) out.push(c);
      }
    }
    return out.sort((a, b) => a.overlapStart - b.overlapStart);
  }
}

/** The buffers a set is built in and its hash table, lent by the tracer. */
interface Scratch { table: Uint32Array; c: Uint32Array; ev: Uint32Array; iv: Uint32Array }

/**
 * Stays of close contacts: place, start of the record, clipped start and end, record position, close contact, the
 * record's feeds as bits.
 */
interface StayColumns { place: Uint32Array; recStart: Uint32Array; start: Uint32Array; end: Uint32Array; rec: Uint32Array; via: Uint32Array; sources: Uint32Array }

function stayColumns(n: number): StayColumns {
  return {
    place: new Uint32Array(n), recStart: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n), rec: new Uint32Array(n), via: new Uint32Array(n),
    sources: new Uint32Array(n),
  };
}

/** The columns with twice the room, the first `used` entries kept. */
function growStays(cols: StayColumns, used: number): StayColumns {
  const out = stayColumns(cols.place.length * 2);
  for (const name of Object.keys(cols) as (keyof StayColumns)[]) out[name].set(cols[name].subarray(0, used));
  return out;
}

/** A case's infectious window (epoch seconds). */
export interface CaseWindow { caseId: number; from: number; to: number }

/** A case's presence overlapping a place and time (same-trip look-ups). */
export interface Exposure {
  casePersonId: number;
  caseId: number;
  placeId: number;
  overlapStart: number;
  overlapEnd: number;
}
