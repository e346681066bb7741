/**
 * Known isolation intervals of persons (a case from its isolation on, a person in quarantine), laid out by person
 * id for the tracer's hot path: an overlap counts only outside both persons' intervals, and most persons met have
 * none, so the first test is one bit per person (a bit set stays in the processor's cache where a 4-byte slot per
 * resident would not). Times are epoch seconds; an open-ended interval ends at OPEN.
 *
 * Layout, N = the highest person id with an interval + 1 (each person's intervals sorted, overlapping or touching
 * ones merged):
 *   bits : Uint8Array(N / 8 + 1)              bit p: person p has at least one interval
 *   firstStart, firstEnd : Uint32Array(N)     p's earliest interval [start, end)
 *   multiPersons : Uint32Array(M)            ascending ids of the rare persons with more than one interval
 *   multiOffsets : Uint32Array(M + 1)        intervals of multiPersons[k]: pairs k' in [multiOffsets[k], multiOffsets[k + 1])
 *   multiTimes : Uint32Array                 [start, end) pairs of those persons, every interval (the first too)
 */

/** End of an interval with no known end (2106-02-07, the last second a Uint32 holds). */
export const OPEN = 0xffffffff;

/** One isolation interval as loaded from storage: [start, end), end null when open-ended. */
export interface IsolationInterval { personId: number; start: number; end: number | null }

/** The arrays of a table (what crosses to worker threads). */
export interface IsolationArrays {
  bits: Uint8Array; firstStart: Uint32Array; firstEnd: Uint32Array; multiPersons: Uint32Array; multiOffsets: Uint32Array; multiTimes: Uint32Array;
}

export class IsolationTable {
  readonly bits: Uint8Array;
  readonly firstStart: Uint32Array;
  readonly firstEnd: Uint32Array;
  readonly multiPersons: Uint32Array;
  readonly multiOffsets: Uint32Array;
  readonly multiTimes: Uint32Array;
  /** Most intervals any one person has (sizes the tracer's scratch for clipped parts). */
  readonly maxIntervals: number;

  private constructor(a: IsolationArrays) {
    this.bits = a.bits; this.firstStart = a.firstStart; this.firstEnd = a.firstEnd;
    this.multiPersons = a.multiPersons; this.multiOffsets = a.multiOffsets; this.multiTimes = a.multiTimes;
    let most = this.bits.some((x) => x !== 0) ? 1 : 0;
    // Stryker disable next-line ArithmeticOperator: equivalent: the most intervals of one person only sizes the callers' scratch buffers, where more room changes nothing
    for (let k = 0; k + 1 < this.multiOffsets.length; k++) most = Math.max(most, this.multiOffsets[k + 1] - this.multiOffsets[k]);
    this.maxIntervals = most;
  }

  /** A table with no intervals. */
  static readonly EMPTY = IsolationTable.from([]);

  /** Builds the table from intervals in any order (empty ones are dropped; overlapping or touching ones merged). */
  static from(intervals: Iterable<IsolationInterval>): IsolationTable {
    const byPerson = new Map<number, [number, number][]>();
    for (const x of intervals) {
      const end = x.end === null ? OPEN : Math.min(x.end, OPEN);
      if (end <= x.start) continue;
      let list = byPerson.get(x.personId);
      if (!list) byPerson.set(x.personId, list = []);
      list.push([x.start, end]);
    }
    let N = 0;
    // Stryker disable next-line EqualityOperator: equivalent: when p + 1 equals N, N is set to the value it has
    for (const p of byPerson.keys()) if (p + 1 > N) N = p + 1;
    const bits = new Uint8Array((N >>> 3) + 1), firstStart = new Uint32Array(N), firstEnd = new Uint32Array(N);
    const multi: [number, [number, number][]][] = [];
    for (const [p, list] of byPerson) {
      list.sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const [s, e] of list) {
        const last = merged[merged.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e); else merged.push([s, e]);
      }
      bits[p >>> 3] |= 1 << (p & 7);
      firstStart[p] = merged[0][0]; firstEnd[p] = merged[0][1];
      if (merged.length > 1) multi.push([p, merged]);
    }
    multi.sort((a, b) => a[0] - b[0]);
    const multiOffsets = new Uint32Array(multi.length + 1);
    multi.forEach(([, list], k) => { multiOffsets[k + 1] = multiOffsets[k] + list.length; });
    const multiTimes = new Uint32Array(multiOffsets[multi.length] * 2);
    multi.forEach(([, list], k) => list.forEach(([s, e], j) => { multiTimes[(multiOffsets[k] + j) * 2] = s; multiTimes[(multiOffsets[k] + j) * 2 + 1] = e; }));
    return new IsolationTable({ bits, firstStart, firstEnd, multiPersons: Uint32Array.from(multi, ([p]) => p), multiOffsets, multiTimes });
  }

  /** A table from arrays made by another (shared memory, another thread). */
  static fromArrays(a: IsolationArrays): IsolationTable {
    return new IsolationTable(a);
  }

  /** The arrays of the table. */
  arrays(): IsolationArrays {
    const { bits, firstStart, firstEnd, multiPersons, multiOffsets, multiTimes } = this;
    return { bits, firstStart, firstEnd, multiPersons, multiOffsets, multiTimes };
  }

  /** Whether `person` has any interval. */
  has(person: number): boolean {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a typed array read past its end gives undefined, and undefined & bit is 0 (the bound only keeps reads inside the array)
    return (person >>> 3) < this.bits.length && (this.bits[person >>> 3] & (1 << (person & 7))) !== 0;
  }

  /**
   * Where `person`'s intervals are: -1 for the one interval in firstStart / firstEnd, else the position k in
   * multiPersons (a binary search over the few persons with several).
   */
  private slot(person: number): number {
    const mp = this.multiPersons;
    let lo = 0, hi = mp.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (mp[m] < person) lo = m + 1; else hi = m; }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: mp[mp.length] is undefined, never equal to a person (the bound only keeps reads inside the array)
    return lo < mp.length && mp[lo] === person ? lo : -1;
  }

  /**
   * Writes the parts of [s, e) outside `person`'s intervals into `out` as [start, end) pairs, and returns the number
   * of pairs written (at most the person's intervals + 1; none when [s, e) is inside one).
   */
  clip(person: number, s: number, e: number, out: Uint32Array): number {
    if (e <= s) return 0;
    if (!this.has(person)) { out[0] = s; out[1] = e; return 1; }
    const k = this.slot(person);
    const times = k < 0 ? undefined : this.multiTimes;
    // Stryker disable next-line EqualityOperator: equivalent: at k = 0 both read 0 (multiOffsets[0])
    const from = k < 0 ? 0 : this.multiOffsets[k];
    const to = k < 0 ? 1 : this.multiOffsets[k + 1];
    let n = 0, cur = s;
    for (let j = from; j < to &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: once cur >= e the next interval starts after cur (merged ones neither overlap nor touch), so the loop breaks at `is >= e` (speed only)
      cur < e; j++) {
      const is = times ? times[j * 2] : this.firstStart[person], ie = times ? times[j * 2 + 1] : this.firstEnd[person];
      // Stryker disable next-line EqualityOperator: equivalent: an interval ending at cur starts before it, so it writes nothing and leaves cur where it is
      if (ie <= cur) continue;
      // Stryker disable next-line EqualityOperator: equivalent: an interval starting at e writes [cur, e) as the tail after the loop would, and moves cur past e
      if (is >= e) break;
      if (is > cur) { out[n * 2] = cur; out[n * 2 + 1] = is; n++; }
      cur = ie;
    }
    if (cur < e) { out[n * 2] = cur; out[n * 2 + 1] = e; n++; }
    return n;
  }

  /**
   * The start of `person`'s first interval that ends after `t` (the start of an interval that contains t is at or
   * before t): when a person exposed at t stops exposing others. OPEN when there is none.
   */
  startAfter(person: number, t: number): number {
    // Stryker disable next-line ConditionalExpression: equivalent: a person without intervals has firstEnd 0 (or none, past the arrays), which ends after no moment, so OPEN follows anyway (speed only)
    if (!this.has(person)) return OPEN;
    const k = this.slot(person);
    if (k < 0) return this.firstEnd[person] > t ? this.firstStart[person] : OPEN;
    for (let j = this.multiOffsets[k]; j < this.multiOffsets[k + 1]; j++) if (this.multiTimes[j * 2 + 1] > t) return this.multiTimes[j * 2];
    return OPEN;
  }
}
