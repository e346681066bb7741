/**
 * Growable columns of presence records (person, place, start, end, source, seat), the raw material of the index:
 * filled from storage or from ingest, then sorted into a PresenceIndex. Times are epoch seconds in Uint32 (to 2106).
 */
import { PRESENCE_SOURCES, type PresenceSource } from '../domain/vocab.ts';

/** Seat code for a record without a seat. */
export const NO_SEAT = 0xffff;
/** Row number that marks a crew member (serves everyone in the rule's scope). */
export const CREW_ROW = 1023;

/**
 * Packs a carriage (or cabin) number and a row into 16 bits: 6 bits of carriage (0-62), 10 bits of row (0-1022).
 * Seats like "12C" give row 12; "CREW" gives the crew row. Returns NO_SEAT when neither is known.
 */
export function encodeSeat(seat: string | null, carriage: string | null): number {
  if (seat === null && carriage === null) return NO_SEAT;
  // Stryker disable next-line ConditionalExpression: equivalent, parseInt of null is NaN, which gives 0 too
  const c = carriage === null ? 0 : Math.min(62, Number.parseInt(carriage, 10) || 0);
  let row = 0;
  // Stryker disable next-line ConditionalExpression: equivalent, a null seat is not "crew" and parses to NaN, which gives row 0 too
  if (seat !== null) row = /^crew/i.test(seat) ? CREW_ROW : Math.min(1022, Number.parseInt(seat, 10) || 0);
  return (c << 10) | row;
}

export const seatRow = (code: number) => code & 0x3ff;
export const seatCarriage = (code: number) => code >>> 10;

const SOURCE_INDEX = new Map(PRESENCE_SOURCES.map((s, i) => [s, i]));
/** Index of a feed in PRESENCE_SOURCES, which is also its entry in every table of source masks (see below). */
export const sourceIndex = (s: PresenceSource): number => SOURCE_INDEX.get(s)!;

/**
 * Entries a table of source masks can hold: a record's source is a Uint8 index into its table. A table starts with
 * one entry per feed (entry i is the mask 1 << i, so a plain record's source index is its feed's index); the index
 * appends a mask for each mix of feeds that merging records produces.
 */
export const MAX_SOURCE_MASKS = 256;

/** The table every set of columns starts with: one single-feed mask per feed, in PRESENCE_SOURCES order. */
export const singleSourceMasks = (): number[] => PRESENCE_SOURCES.map((_, i) => 1 << i);

export class PresenceColumns {
  length = 0;
  person: Uint32Array;
  place: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  /** Per record: an index into `sourceMasks`. */
  source: Uint8Array;
  seat: Uint16Array;
  /** Bit masks of feeds (bit i: PRESENCE_SOURCES[i]) that `source` indexes; see MAX_SOURCE_MASKS. */
  sourceMasks: number[] = singleSourceMasks();

  constructor(capacity = 1024) {
    this.person = new Uint32Array(capacity);
    this.place = new Uint32Array(capacity);
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.source = new Uint8Array(capacity);
    this.seat = new Uint16Array(capacity);
  }

  private grow(min: number): void {
    const cap = Math.max(min, Math.ceil(this.person.length * 1.5));
    const copy = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(cap); b.set(a.subarray(0, this.length)); return b; };
    this.person = copy(this.person, (n) => new Uint32Array(n));
    this.place = copy(this.place, (n) => new Uint32Array(n));
    this.start = copy(this.start, (n) => new Uint32Array(n));
    this.end = copy(this.end, (n) => new Uint32Array(n));
    this.source = copy(this.source, (n) => new Uint8Array(n));
    this.seat = copy(this.seat, (n) => new Uint16Array(n));
  }

  /**
   * Appends one record; `source` is an index into `sourceMasks` (for a plain record, its feed's index in
   * PRESENCE_SOURCES), `seat` an encoded seat.
   */
  push(person: number, place: number, start: number, end: number, source: number, seat = NO_SEAT): void {
    if (this.length === this.person.length) this.grow(this.length + 1);
    const i = this.length++;
    this.person[i] = person; this.place[i] = place; this.start[i] = start; this.end[i] = end; this.source[i] = source; this.seat[i] = seat;
  }

  /** Appends every record of `from` (its sources index the same mask table: plain feeds, as pushed from storage). */
  append(from: PresenceColumns): void {
    const n = from.length, at = this.length;
    if (at + n > this.person.length) this.grow(at + n);
    this.person.set(from.person.subarray(0, n), at); this.place.set(from.place.subarray(0, n), at); this.start.set(from.start.subarray(0, n), at);
    this.end.set(from.end.subarray(0, n), at); this.source.set(from.source.subarray(0, n), at); this.seat.set(from.seat.subarray(0, n), at);
    this.length = at + n;
  }
}

/**
 * Groups positions 0..n-1 by a key in [0, buckets): `offsets` (buckets + 1) and `positions` such that the positions
 * with key k are positions[offsets[k] .. offsets[k + 1]), in ascending order (a stable counting sort).
 */
export function groupByKey(keys: ArrayLike<number>, n: number, buckets: number): { offsets: Uint32Array; positions: Uint32Array } {
  const offsets = new Uint32Array(buckets + 1);
  for (let i = 0; i < n; i++) offsets[keys[i] + 1]++;
  // Stryker disable next-line EqualityOperator: equivalent: offsets has buckets + 1 entries; a write at buckets + 1 is dropped
  for (let k = 0; k < buckets; k++) offsets[k + 1] += offsets[k];
  const fill = offsets.slice(0, buckets);
  const positions = new Uint32Array(n);
  for (let i = 0; i < n; i++) positions[fill[keys[i]]++] = i;
  return { offsets, positions };
}
