/**
 * The presence index: every presence record in memory as parallel typed arrays sorted by (place, start), with
 * per-place offsets and the longest stay at each place (so a query can bound where overlapping records begin), and
 * a per-person list of record positions. A query touches contiguous memory and allocates nothing per record.
 *
 * Records of one person at one place whose intervals overlap or touch, with equal seats, are merged into one
 * record of their union when the index is built (two venue scans of one 81-minute stay are one 81-minute record),
 * so durations, thresholds and cumulative hours count the union. The merged record keeps every feed: a record's
 * source indexes a small table of feed bit masks (`sourceMasks`) instead of naming one feed. Records with different
 * seats on one vehicle stay apart.
 *
 * Layout, n records (after merging), P places, N persons:
 *   person, start, end : Uint32Array(n)   sorted by place, then start
 *   source : Uint8Array(n)               index into sourceMasks : Uint16Array(<= MAX_SOURCE_MASKS)
 *   seat : Uint16Array(n)
 *   placeOffsets : Uint32Array(P + 1)    records of place p are [placeOffsets[p], placeOffsets[p + 1])
 *   placeMaxDur : Uint32Array(P)         longest (end - start) at place p
 *   personOffsets : Uint32Array(N + 1), personRecs : Uint32Array(n)   positions of person q's records
 */
import { turn } from '../platform/turn.ts';
import { MAX_SOURCE_MASKS, PresenceColumns } from './columns.ts';

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
  // Stryker disable next-line BooleanLiteral: equivalent: a sorted segment sorted again keeps its order (the check saves time only)
  let sorted = true;
  // Stryker disable next-line ArithmeticOperator,EqualityOperator,ConditionalExpression: equivalent (lo - 1, i <= hi, `true`, <=): the check may only flag more segments, and a sorted segment sorted again keeps its order (speed only)
  for (let i = lo + 1; i < hi; i++) if (st[i] < st[i - 1]) { sorted = false; break; }
  // Stryker disable next-line ConditionalExpression: equivalent: a sorted segment sorted again keeps its order (the check saves time only)
  if (sorted) return;
  const len = hi - lo;
  if (len >= 1 << 21) throw new RangeError(`a place with ${len} records: more than the index sorts in one segment`);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: new scratch of the same size; every entry used is written before it is read (memory only)
  if (b.keys.length < len) {
    b.keys = new Float64Array(len); b.order = new Uint32Array(len); b.tmp32 = new Uint32Array(len); b.tmp8 = new Uint8Array(len); b.tmp16 = new Uint16Array(len);
  }
  let min = st[lo];
  // Stryker disable next-line ArithmeticOperator,EqualityOperator: equivalent (lo - 1, i <= hi, <=): min may only come out lower (a start of a neighbour or undefined, never taken); any min at or below the segment's keeps the keys in order and exact, (2^32 - 1) * 2^21 + 2^21 - 1 < 2^53
  for (let i = lo + 1; i < hi; i++) if (st[i] < min) min = st[i];
  const keys = b.keys.subarray(0, len);
  // Stryker disable next-line EqualityOperator: equivalent: keys is a view of len entries; a write at len is dropped
  for (let i = 0; i < len; i++) keys[i] = (st[lo + i] - min) * 2097152 + i;
  keys.sort();
  // The permutation, once (a float remainder per element and column was a sixth of the build).
  const order = b.order;
  // Stryker disable next-line EqualityOperator: equivalent: order[len] is never read (every permutation below reads order[0..len))
  for (let i = 0; i < len; i++) order[i] = lo + (keys[i] % 2097152);
  const permute32 = (a: Uint32Array) => {
    const t = b.tmp32;
    // Stryker disable next-line EqualityOperator: equivalent: only t[0..len) is copied back
    for (let i = 0; i < len; i++) t[i] = a[order[i]];
    a.set(t.subarray(0, len), lo);
  };
  permute32(b.person); permute32(b.start); permute32(b.end);
  // Stryker disable next-line EqualityOperator: equivalent: only tmp8[0..len) is copied back
  for (let i = 0; i < len; i++) b.tmp8[i] = b.source[order[i]];
  b.source.set(b.tmp8.subarray(0, len), lo);
  // Stryker disable next-line EqualityOperator: equivalent: only tmp16[0..len) is copied back
  for (let i = 0; i < len; i++) b.tmp16[i] = b.seat[order[i]];
  b.seat.set(b.tmp16.subarray(0, len), lo);
}

/** The arrays that make up an index (what a snapshot stores). */
export interface IndexArrays {
  person: Uint32Array; start: Uint32Array; end: Uint32Array; source: Uint8Array; seat: Uint16Array;
  placeOffsets: Uint32Array; placeMaxDur: Uint32Array; personOffsets: Uint32Array; personRecs: Uint32Array;
  /** Place of every BLOCK-th position, so placeOf searches a few places instead of all of them. */
  blockPlace: Uint32Array;
  /** Feed bit masks (bit i: PRESENCE_SOURCES[i]) that `source` indexes. */
  sourceMasks: Uint16Array;
}

/**
 * Records handled between two yields of the sliced build (`buildSteps`, `columnSteps`): a few milliseconds of work
 * on this machine, so a live server answers between slices.
 */
const SLICE = 1 << 18;

/** Runs a sliced computation to its end in one go. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs a sliced computation, letting the event loop turn (timers, I/O, requests) between slices. */
export async function runInSlices<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await turn();
  }
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
  readonly sourceMasks: Uint16Array;
  private minEndSeen: number | undefined;

  private constructor(parts: IndexArrays) {
    this.person = parts.person; this.start = parts.start; this.end = parts.end; this.source = parts.source; this.seat = parts.seat;
    this.placeOffsets = parts.placeOffsets; this.placeMaxDur = parts.placeMaxDur; this.personOffsets = parts.personOffsets; this.personRecs = parts.personRecs;
    this.blockPlace = parts.blockPlace; this.sourceMasks = parts.sourceMasks;
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
    const { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace, sourceMasks } = this;
    return { person, start, end, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace, sourceMasks };
  }

  /** The earliest end of a record (epoch seconds; Infinity when empty), read once per index. */
  get minEnd(): number {
    if (this.minEndSeen === undefined) {
      let m = Infinity;
      for (let i = 0; i < this.end.length; i++) if (this.end[i] < m) m = this.end[i];
      this.minEndSeen = m;
    }
    return this.minEndSeen;
  }

  /** Bytes held by every array of the index (whole buffers: a view's unused tail counts). */
  get bytes(): number {
    return Object.values(this.arrays()).reduce((s: number, a: ArrayBufferView) => s + a.buffer.byteLength, 0);
  }

  /** Place of the record at position i (binary search over the places of its block). */
  placeOf(i: number): number {
    const b = i >>> BLOCK_SHIFT;
    // Stryker disable next-line ConditionalExpression: equivalent (`false`): searching up to the last place instead of the next block's still finds the place (speed only)
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

  /** The records as unsorted columns again (to merge appends into a new index), with the table of source masks. */
  toColumns(): PresenceColumns {
    return runToEnd(this.columnSteps());
  }

  /**
   * `toColumns` in slices of about SLICE records: each `yield` is a point where the caller may let other work run
   * (the index is immutable). `endingFrom` keeps only the records that end at or after it (epoch seconds); `append`'s
   * records are pushed after the index's (to merge them into a new index).
   */
  *columnSteps(options: { endingFrom?: number; append?: PresenceColumns } = {}): Generator<void, PresenceColumns> {
    const { endingFrom = 0, append } = options;
    const c = new PresenceColumns(this.length + (append?.length ?? 0) + 1);
    c.sourceMasks = [...this.sourceMasks];
    let done = 0;
    // Stryker disable next-line EqualityOperator: equivalent: at p = places, placeOffsets[p + 1] is undefined and the inner loop runs no step
    for (let p = 0; p < this.places; p++) {
      for (let i = this.placeOffsets[p]; i < this.placeOffsets[p + 1]; i++) {
        if (this.end[i] >= endingFrom) c.push(this.person[i], p, this.start[i], this.end[i], this.source[i], this.seat[i]);
      }
      if (this.placeOffsets[p + 1] - done >= SLICE) { done = this.placeOffsets[p + 1]; yield; }
    }
    if (append) c.append(append);
    return c;
  }

  /**
   * Sorts columns into an index, merging each person's overlapping or touching records at one place (equal seats).
   * `minPlaces` / `minPersons` size the offset tables beyond the largest ids seen.
   */
  static build(cols: PresenceColumns, minPlaces = 0, minPersons = 0): PresenceIndex {
    return runToEnd(PresenceIndex.buildSteps(cols, minPlaces, minPersons));
  }

  /**
   * `build` in slices of about SLICE records: each `yield` is a point where the caller may let other work run
   * (`cols` must not change until the generator returns the index). What the tracing engine runs in a live server,
   * so that folding a large import into the index never holds the event loop for long.
   */
  static *buildSteps(cols: PresenceColumns, minPlaces = 0, minPersons = 0): Generator<void, PresenceIndex> {
    const n = cols.length;
    let maxPlace = minPlaces - 1, maxPerson = minPersons - 1;
    for (let i0 = 0; i0 < n; i0 += SLICE) {
      for (let i = i0, e = Math.min(n, i0 + SLICE); i < e; i++) {
        // Stryker disable next-line EqualityOperator: equivalent: on equality maxPlace is set to the value it has
        if (cols.place[i] > maxPlace) maxPlace = cols.place[i];
        // Stryker disable next-line EqualityOperator: equivalent: on equality maxPerson is set to the value it has
        if (cols.person[i] > maxPerson) maxPerson = cols.person[i];
      }
      yield;
    }
    const P = maxPlace + 1, N = maxPerson + 1;
    // One stable counting pass by place, scattering whole records (sequential reads), then each place's segment
    // sorted by start in place.
    const placeOffsets = new Uint32Array(P + 1);
    for (let i0 = 0; i0 < n; i0 += SLICE) {
      for (let i = i0, e = Math.min(n, i0 + SLICE); i < e; i++) placeOffsets[cols.place[i] + 1]++;
      yield;
    }
    // Stryker disable next-line EqualityOperator: equivalent: placeOffsets has P + 1 entries; a write at P + 1 is dropped
    for (let p = 0; p < P; p++) placeOffsets[p + 1] += placeOffsets[p];
    const fillPlace = placeOffsets.slice(0, P);
    const b: Building = {
      person: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n), source: new Uint8Array(n), seat: new Uint16Array(n),
      keys: new Float64Array(1024), order: new Uint32Array(1024), tmp32: new Uint32Array(1024), tmp8: new Uint8Array(1024), tmp16: new Uint16Array(1024),
    };
    yield;
    for (let i0 = 0; i0 < n; i0 += SLICE) {
      for (let i = i0, e = Math.min(n, i0 + SLICE); i < e; i++) {
        const pos = fillPlace[cols.place[i]]++;
        b.person[pos] = cols.person[i]; b.start[pos] = cols.start[i]; b.end[pos] = cols.end[i]; b.source[pos] = cols.source[i]; b.seat[pos] = cols.seat[i];
      }
      yield;
    }
    const merger = new Merger(b, N, cols.sourceMasks);
    const placeMaxDur = new Uint32Array(P);
    // Stryker disable next-line EqualityOperator: equivalent: at p = P, hi is undefined: no sort, an empty merge, and placeMaxDur[P] (past its end) is dropped
    for (let p = 0, done = 0; p < P; p++) {
      const lo = placeOffsets[p], hi = placeOffsets[p + 1];
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent: a segment of 0 or 1 records is sorted; sorting it changes nothing
      if (hi - lo > 1) sortSegment(b, lo, hi);
      placeMaxDur[p] = merger.segment(lo, hi);
      if (hi - done >= SLICE) { done = hi; yield; }
    }
    const m = merger.compact(n, placeOffsets);
    yield;
    // Merging shrank the columns to m records. A copy of exactly m costs time; views keep the rest of the buffers
    // alive, so they are used only while that waste is under 1/64 (`bytes` counts whole buffers either way).
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent: a view or a copy of the same m records; the choice is memory only
    const fit = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T): T => (m === n ? a : (n - m) <= (n >>> 6) ? a.subarray(0, m) as T : a.slice(0, m) as T);
    const person = fit(b.person), st = fit(b.start), en = fit(b.end), source = fit(b.source), seat = fit(b.seat);

    // Person index: positions grouped by person, in (place, start) order within each person (the merge counted
    // each person's records).
    const { personOffsets, personRecs } = merger.groupByPerson(person, m);
    yield;

    const blockPlace = new Uint32Array((m >>> BLOCK_SHIFT) + 1);
    // Stryker disable next-line EqualityOperator: equivalent: a write at blockPlace.length is dropped
    for (let p = 0, k = 0; k < blockPlace.length; k++) {
      const pos = k << BLOCK_SHIFT;
      // Stryker disable next-line EqualityOperator,ConditionalExpression,ArithmeticOperator: equivalent (<, p <= P - 1, `true`, P + 1): a block's entry may be a place ending at its first position, or P only for a block past the last record; placeOf's search range then still holds the answer
      while (placeOffsets[p + 1] <= pos && p < P - 1) p++;
      blockPlace[k] = p;
    }
    return new PresenceIndex({
      person, start: st, end: en, source, seat, placeOffsets, placeMaxDur, personOffsets, personRecs, blockPlace, sourceMasks: Uint16Array.from(merger.masks),
    });
  }
}

/** Person of a record merged into an earlier one (removed when the columns are compacted). */
const MERGED = 0xffffffff;

/**
 * Merges records of one person at one place, segment by segment. Within a segment sorted by start, a record overlaps
 * or touches an earlier record of its person with the same seat only if that is the person's latest such record
 * (their merged records are disjoint and in start order), so one slot per person (the latest record kept in this
 * segment) decides nearly every record with one read; a person seen in two seats at one place falls back to a short
 * backward scan. A merged record is marked and listed, and the columns are compacted once at the end, a native
 * block move per run of kept records (merges are rare; copying every record in the loop cost more). The same slot
 * pair counts each person's records for the person index, which saves that pass its own read per record.
 */
class Merger {
  /**
   * Per person q: [2q] the position of q's latest record kept (valid only inside the current segment), [2q + 1] how
   * many records q keeps (one cache line for both).
   */
  private readonly slots: Int32Array;
  /** Positions of the records merged into earlier ones, ascending. */
  private merged: number[] = [];
  /** Position in `masks` of each feed mask seen (-1: not yet). */
  private readonly maskIndex: Int16Array;
  readonly masks: number[];

  constructor(private readonly b: Building, persons: number, masks: readonly number[]) {
    this.slots = new Int32Array(persons * 2);
    this.masks = [...masks];
    this.maskIndex = new Int16Array(1 << 16).fill(-1); // masks are 16 bits (sourceMasks is a Uint16Array)
    // Stryker disable next-line BlockStatement,ConditionalExpression,EqualityOperator: equivalent for every table made: the starting masks are distinct (one per feed, then unions added once), so no mask has two positions to choose from
    this.masks.forEach((m, k) => { if (this.maskIndex[m] < 0) this.maskIndex[m] = k; });
  }

  /** Index of the union of two records' feed masks, added to the table if new; -1 when the table is full. */
  private union(a: number, b: number): number {
    const mask = this.masks[a] | this.masks[b];
    let k = this.maskIndex[mask];
    // Stryker disable next-line EqualityOperator: equivalent (k <= 0): entry 0 is the single feed 1 << 0, never the union of two different entries of a table of distinct non-empty masks
    if (k < 0 && this.masks.length < MAX_SOURCE_MASKS) { k = this.masks.length; this.masks.push(mask); this.maskIndex[mask] = k; }
    return k;
  }

  /**
   * Merges within the sorted segment [lo, hi); returns the longest merged stay in it. A record whose merge would need
   * a new feed mask when the table is full stays apart (durations then count it twice).
   */
  segment(lo: number, hi: number): number {
    const { person, start, end, source, seat } = this.b;
    const slots = this.slots;
    let longest = 0;
    for (let i = lo; i < hi; i++) {
      const q = person[i], s = start[i];
      let m = slots[q * 2];
      // m is q's latest record kept in this segment if it lies in the segment and holds q (a slot left from an
      // earlier segment points before lo).
      if (m < lo || m >= i || person[m] !== q) {
        m = -1;
      } else {
        // Stryker disable next-line ConditionalExpression: equivalent (`true`): with equal seats the backward scan finds the same slot record m, q's latest kept (speed only)
        if (seat[m] !== seat[i]) m = this.sameSeat(lo, i, q, seat[i], s, longest);
      }
      // Stryker disable next-line ConditionalExpression: equivalent (m >= 0 as `true`): end[-1] is undefined, and undefined >= s is false
      if (m >= 0 && end[m] >= s) {
        // Stryker disable next-line ConditionalExpression: equivalent (`false`): the union of an entry with itself is that entry's mask, found at that entry (the masks are distinct)
        const src = source[m] === source[i] ? source[m] : this.union(source[m], source[i]);
        if (src >= 0) {
          source[m] = src;
          // Stryker disable next-line EqualityOperator: equivalent (>= twice): on equality the value set is the value held
          if (end[i] > end[m]) { end[m] = end[i]; if (end[m] - start[m] > longest) longest = end[m] - start[m]; }
          person[i] = MERGED;
          this.merged.push(i);
          continue;
        }
      }
      // Stryker disable next-line EqualityOperator: equivalent: on equality longest is set to the value it has
      if (end[i] - s > longest) longest = end[i] - s;
      slots[q * 2] = i;
      slots[q * 2 + 1]++;
    }
    return longest;
  }

  /**
   * q's latest record kept with seat `st` in [lo, i), searched backwards while a record could still reach `s`
   * (starting at or after s - the longest stay so far); -1 when none.
   */
  private sameSeat(lo: number, i: number, q: number, st: number, s: number, longest: number): number {
    const { person, start, seat } = this.b;
    for (let k = i - 1; k >= lo &&
      // Stryker disable next-line ConditionalExpression: equivalent (`true`): a record starting before s - longest ends before s (no stay is longer), so the records a longer scan finds do not merge (speed only)
      start[k] + longest >= s;
      k--) if (person[k] === q && seat[k] === st) return k;
    return -1;
  }

  /** Removes the merged records from the n columns and shifts the place offsets to match; returns the records kept. */
  compact(n: number, placeOffsets: Uint32Array): number {
    const gone = this.merged;
    if (gone.length === 0) return n;
    const { person, start, end, source, seat } = this.b;
    let w = gone[0];
    // Stryker disable next-line EqualityOperator: equivalent: at g = gone.length, from is NaN and nothing is copied
    for (let g = 0; g < gone.length; g++) {
      const from = gone[g] + 1, to = g + 1 < gone.length ? gone[g + 1] : n;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: an empty run copies nothing and moves w by 0
      if (to > from) {
        person.copyWithin(w, from, to); start.copyWithin(w, from, to); end.copyWithin(w, from, to);
        source.copyWithin(w, from, to); seat.copyWithin(w, from, to);
        w += to - from;
      }
    }
    // Each offset drops by the merged records before it (both lists ascend).
    // Stryker disable next-line EqualityOperator: equivalent: a write past the end of placeOffsets is dropped
    for (let p = 0, g = 0; p < placeOffsets.length; p++) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (g bound as `true` or <=, gone[g] <=): gone[gone.length] is undefined and compares false; a merged record is never the first of its place, so never equals an offset
      while (g < gone.length && gone[g] < placeOffsets[p]) g++;
      placeOffsets[p] -= g;
    }
    return w;
  }

  /** Positions grouped by person (a counting sort on the counts taken while merging), ascending within a person. */
  groupByPerson(person: Uint32Array, m: number): { personOffsets: Uint32Array; personRecs: Uint32Array } {
    const slots = this.slots, N = slots.length >>> 1;
    const personOffsets = new Uint32Array(N + 1);
    // Stryker disable next-line EqualityOperator: equivalent: personOffsets has N + 1 entries; a write at N + 1 is dropped
    for (let q = 0; q < N; q++) personOffsets[q + 1] = personOffsets[q] + slots[q * 2 + 1];
    // Fill pointers in their own array: half the memory the scattered writes touch, against the interleaved slots.
    const fill = personOffsets.slice(0, N);
    const personRecs = new Uint32Array(m);
    // Stryker disable next-line EqualityOperator: equivalent: person has m entries; person[m] is undefined and the step writes only a named property, no entry
    for (let i = 0; i < m; i++) personRecs[fill[person[i]]++] = i;
    return { personOffsets, personRecs };
  }
}
