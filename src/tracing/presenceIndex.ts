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
import { PresenceColumns } from './columns.ts';

/** Stable counting sort of `order` by `key(order[i])` into `out`, keys in [0, buckets). */
function countingPass(order: Uint32Array, out: Uint32Array, keyOf: Uint32Array, shift: number, mask: number, buckets: number): void {
  const count = new Uint32Array(buckets + 1);
  const n = order.length;
  for (let i = 0; i < n; i++) count[((keyOf[order[i]] >>> shift) & mask) + 1]++;
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  for (let i = 0; i < n; i++) {
    const r = order[i];
    out[count[(keyOf[r] >>> shift) & mask]++] = r;
  }
}

/** The arrays that make up an index (what a snapshot stores). */
export interface IndexArrays {
  person: Uint32Array; start: Uint32Array; end: Uint32Array; source: Uint8Array; seat: Uint16Array;
  placeOffsets: Uint32Array; placeMaxDur: Uint32Array; personOffsets: Uint32Array; personRecs: Uint32Array;
}

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

  private constructor(parts: IndexArrays) {
    this.person = parts.person; this.start = parts.start; this.end = parts.end; this.source = parts.source; this.seat = parts.seat;
    this.placeOffsets = parts.placeOffsets; this.placeMaxDur = parts.placeMaxDur; this.personOffsets = parts.personOffsets; this.personRecs = parts.personRecs;
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
    const { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs } = this;
    return { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs };
  }

  /** Bytes held by every array of the index. */
  get bytes(): number {
    return Object.values(this.arrays()).reduce((s: number, a: ArrayBufferView) => s + a.byteLength, 0);
  }

  /** Place of the record at position i (binary search over the place offsets). */
  placeOf(i: number): number {
    let lo = 0, hi = this.places;
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
    // LSD radix: start (two 16-bit passes), then place (one counting pass), all stable.
    let a = new Uint32Array(n), b = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    const start = cols.start.subarray(0, n);
    countingPass(a, b, start, 0, 0xffff, 0x10000); [a, b] = [b, a];
    countingPass(a, b, start, 16, 0xffff, 0x10000); [a, b] = [b, a];
    countingPass(a, b, cols.place.subarray(0, n), 0, 0xffffffff, P); [a, b] = [b, a];
    const order = a;

    const person = new Uint32Array(n), st = new Uint32Array(n), en = new Uint32Array(n), source = new Uint8Array(n), seat = new Uint16Array(n);
    const placeOffsets = new Uint32Array(P + 1), placeMaxDur = new Uint32Array(P);
    for (let i = 0; i < n; i++) {
      const r = order[i];
      const p = cols.place[r];
      person[i] = cols.person[r]; st[i] = cols.start[r]; en[i] = cols.end[r]; source[i] = cols.source[r]; seat[i] = cols.seat[r];
      placeOffsets[p + 1]++;
      const d = en[i] - st[i];
      if (d > placeMaxDur[p]) placeMaxDur[p] = d;
    }
    for (let p = 0; p < P; p++) placeOffsets[p + 1] += placeOffsets[p];

    // Person index: positions grouped by person, in (place, start) order within each person.
    const personOffsets = new Uint32Array(N + 1);
    for (let i = 0; i < n; i++) personOffsets[person[i] + 1]++;
    for (let q = 0; q < N; q++) personOffsets[q + 1] += personOffsets[q];
    const fill = personOffsets.slice(0, N);
    const personRecs = b;
    for (let i = 0; i < n; i++) personRecs[fill[person[i]]++] = i;

    return new PresenceIndex({ person, start: st, end: en, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs });
  }
}
