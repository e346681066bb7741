/**
 * The presence index: every presence record in memory as parallel typed arrays sorted by (place, start), with
 * per-place offsets and the longest stay at each place (so a query can bound where overlapping records begin), and
 * a per-person list of record positions. A query touches contiguous memory and allocates nothing per record.
 *
 * Layout, n records, P places, N persons:
 *   person, start, end : Uint32Array(n)   sorted by place, then start
 *   source : Uint8Array(n), seat : Uint16Array(n)
 *   placeOffsets : Uint32Array(P + 1)    records of place p are [placeOffsets[p], placeOffsets[p + 1])
 *   placeMaxDur : Uint32Array(P)         longest (end - start) at place p
 *   personOffsets : Uint32Array(N + 1), personRecs : Uint32Array(n)   positions of person q's records
 */
import { groupByKey, PresenceColumns } from './columns.ts';

/** The columns of an index under construction, and scratch space for sorting a segment. */
interface Building {
  person: Uint32Array; start: Uint32Array; end: Uint32Array; source: Uint8Array; seat: Uint16Array;
  keys: Float64Array; order: Uint32Array; tmp32: Uint32Array; tmp8: Uint8Array; tmp16: Uint16Array;
}

/**
 * Sorts positions lo..hi of every column by start, stably. Segments are usually short or already in order; long
 * ones are sorted as packed keys (start offset * 2^21 + rank) in a Float64Array, exact below 2^53, then every
 * column is permuted within the segment (contiguous memory).
 */
function sortSegment(b: Building, lo: number, hi: number): void {
  const st = b.start;
  let sorted = true;
  for (let i = lo + 1; i < hi; i++) if (st[i] < st[i - 1]) { sorted = false; break; }
  if (sorted) return;
  const len = hi - lo;
  if (len >= 1 << 21) throw new RangeError(`a place with ${len} records: more than the index sorts in one segment`);
  if (b.keys.length < len) {
    b.keys = new Float64Array(len); b.order = new Uint32Array(len); b.tmp32 = new Uint32Array(len); b.tmp8 = new Uint8Array(len); b.tmp16 = new Uint16Array(len);
  }
  let min = st[lo];
  for (let i = lo + 1; i < hi; i++) if (st[i] < min) min = st[i];
  const keys = b.keys.subarray(0, len);
  for (let i = 0; i < len; i++) keys[i] = (st[lo + i] - min) * 2097152 + i;
  keys.sort();
  // The permutation, once (a float remainder per element and column was a sixth of the build).
  const order = b.order;
  for (let i = 0; i < len; i++) order[i] = lo + (keys[i] % 2097152);
  const permute32 = (a: Uint32Array) => {
    const t = b.tmp32;
    for (let i = 0; i < len; i++) t[i] = a[order[i]];
    a.set(t.subarray(0, len), lo);
  };
  permute32(b.person); permute32(b.start); permute32(b.end);
  for (let i = 0; i < len; i++) b.tmp8[i] = b.source[order[i]];
  b.source.set(b.tmp8.subarray(0, len), lo);
  for (let i = 0; i < len; i++) b.tmp16[i] = b.seat[order[i]];
  b.seat.set(b.tmp16.subarray(0, len), lo);
}

/** The arrays that make up an index (what a snapshot stores). */
export interface IndexArrays {
  person: Uint32Array; start: Uint32Array; end: Uint32Array; source: Uint8Array; seat: Uint16Array;
  placeOffsets: Uint32Array; placeMaxDur: Uint32Array; personOffsets: Uint32Array; personRecs: Uint32Array;
  /** Place of every BLOCK-th position, so placeOf searches a few places instead of all of them. */
  blockPlace: Uint32Array;
}

/** Positions per entry of the block table (its cost: 4 / BLOCK bytes per record). */
const BLOCK_SHIFT = 6;

export class PresenceIndex {
  readonly length: number;
  readonly person: Uint32Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly source: Uint8Array;
  readonly seat: Uint16Array;
  readonly placeOffsets: Uint32Array;
  readonly placeMaxDur: Uint32Array;
  readonly personOffsets: Uint32Array;
  readonly personRecs: Uint32Array;
  readonly blockPlace: Uint32Array;

  private constructor(parts: IndexArrays) {
    this.person = parts.person; this.start = parts.start; this.end = parts.end; this.source = parts.source; this.seat = parts.seat;
    this.placeOffsets = parts.placeOffsets; this.placeMaxDur = parts.placeMaxDur; this.personOffsets = parts.personOffsets; this.personRecs = parts.personRecs;
    this.blockPlace = parts.blockPlace;
    this.length = parts.person.length;
  }

  /** Number of place ids addressable (max place id + 1). */
  get places(): number {
    return this.placeOffsets.length - 1;
  }

  /** Number of person ids addressable (max person id + 1). */
  get persons(): number {
    return this.personOffsets.length - 1;
  }

  /** An index from arrays already in index order (a snapshot). */
  static fromArrays(parts: IndexArrays): PresenceIndex {
    return new PresenceIndex(parts);
  }

  /** The arrays of the index. */
  arrays(): IndexArrays {
    const { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace } = this;
    return { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace };
  }

  /** Bytes held by every array of the index. */
  get bytes(): number {
    return Object.values(this.arrays()).reduce((s: number, a: ArrayBufferView) => s + a.byteLength, 0);
  }

  /** Place of the record at position i (binary search over the places of its block). */
  placeOf(i: number): number {
    const b = i >>> BLOCK_SHIFT;
    let lo = this.blockPlace[b], hi = b + 1 < this.blockPlace.length ? this.blockPlace[b + 1] : this.places;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.placeOffsets[mid + 1] <= i) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** First position in [lo, hi) whose start is >= t (records of one place are sorted by start). */
  firstAtOrAfter(lo: number, hi: number, t: number): number {
    const start = this.start;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (start[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The records as unsorted columns again (to merge appends into a new index). */
  toColumns(): PresenceColumns {
    const c = new PresenceColumns(this.length + 1);
    for (let p = 0; p < this.places; p++) {
      for (let i = this.placeOffsets[p]; i < this.placeOffsets[p + 1]; i++) c.push(this.person[i], p, this.start[i], this.end[i], this.source[i], this.seat[i]);
    }
    return c;
  }

  /** Sorts columns into an index. `minPlaces` / `minPersons` size the offset tables beyond the largest ids seen. */
  static build(cols: PresenceColumns, minPlaces = 0, minPersons = 0): PresenceIndex {
    const n = cols.length;
    let maxPlace = minPlaces - 1, maxPerson = minPersons - 1;
    for (let i = 0; i < n; i++) {
      if (cols.place[i] > maxPlace) maxPlace = cols.place[i];
      if (cols.person[i] > maxPerson) maxPerson = cols.person[i];
    }
    const P = maxPlace + 1, N = maxPerson + 1;
    // One stable counting pass by place, scattering whole records (sequential reads), then each place's segment
    // sorted by start in place.
    const placeOffsets = new Uint32Array(P + 1);
    for (let i = 0; i < n; i++) placeOffsets[cols.place[i] + 1]++;
    for (let p = 0; p < P; p++) placeOffsets[p + 1] += placeOffsets[p];
    const fillPlace = placeOffsets.slice(0, P);
    const b: Building = {
      person: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n), source: new Uint8Array(n), seat: new Uint16Array(n),
      keys: new Float64Array(1024), order: new Uint32Array(1024), tmp32: new Uint32Array(1024), tmp8: new Uint8Array(1024), tmp16: new Uint16Array(1024),
    };
    for (let i = 0; i < n; i++) {
      const pos = fillPlace[cols.place[i]]++;
      b.person[pos] = cols.person[i]; b.start[pos] = cols.start[i]; b.end[pos] = cols.end[i]; b.source[pos] = cols.source[i]; b.seat[pos] = cols.seat[i];
    }
    const placeMaxDur = new Uint32Array(P);
    for (let p = 0; p < P; p++) {
      const lo = placeOffsets[p], hi = placeOffsets[p + 1];
      if (hi - lo > 1) sortSegment(b, lo, hi);
      let longest = 0;
      for (let i = lo; i < hi; i++) { const d = b.end[i] - b.start[i]; if (d > longest) longest = d; }
      placeMaxDur[p] = longest;
    }
    const { person, start: st, end: en, source, seat } = b;

    // Person index: positions grouped by person, in (place, start) order within each person.
    const { offsets: personOffsets, positions: personRecs } = groupByKey(person, n, N);

    const blockPlace = new Uint32Array((n >>> BLOCK_SHIFT) + 1);
    for (let p = 0, b = 0; b < blockPlace.length; b++) {
      const pos = b << BLOCK_SHIFT;
      while (placeOffsets[p + 1] <= pos && p < P - 1) p++;
      blockPlace[b] = p;
    }
    return new PresenceIndex({ person, start: st, end: en, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace });
  }
}
