import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../test/property.ts';
import { IsolationTable, OPEN, type IsolationInterval } from './isolation.ts';
import { free } from './oracle.ts';

const T0 = 1_627_000_000;

/** Persons 0-40 (0 and ids across byte boundaries of the bit set), a few intervals each, some empty, some open. */
const intervalsArb = fc.array(fc.record({
  personId: fc.integer({ min: 0, max: 40 }),
  start: fc.integer({ min: 0, max: 200 }).map((m) => T0 + m * 60),
  len: fc.option(fc.integer({ min: 0, max: 60 }).map((m) => m * 60), { nil: null }),
}).map((x): IsolationInterval => ({ personId: x.personId, start: x.start, end: x.len === null ? null : x.start + x.len })), { maxLength: 30 });

/** A person's intervals merged (the table's view): sorted, empty ones dropped, overlapping or touching joined. */
function merged(intervals: IsolationInterval[], person: number): [number, number][] {
  const list = intervals.filter((x) => x.personId === person && (x.end ?? OPEN) > x.start).map((x): [number, number] => [x.start, x.end ?? OPEN]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of list) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e); else out.push([s, e]);
  }
  return out;
}

const clipped = (table: IsolationTable, person: number, s: number, e: number): [number, number][] => {
  const out = new Uint32Array(2 * (table.maxIntervals + 1));
  const n = table.clip(person, s, e, out);
  return Array.from({ length: n }, (_, k) => [out[k * 2], out[k * 2 + 1]]);
};

describe('IsolationTable', () => {
  it('clips any window to the parts outside a person\'s intervals, as brute force does, for persons with none, one or several', () => {
    fc.assert(fc.property(intervalsArb, fc.integer({ min: 0, max: 45 }), fc.integer({ min: -10, max: 280 }), fc.integer({ min: 0, max: 120 }), (intervals, person, fromM, lenM) => {
      const table = IsolationTable.from(intervals);
      const s = T0 + fromM * 60, e = s + lenM * 60;
      expect(clipped(table, person, s, e)).toEqual(free({ isolation: intervals }, person, s, e));
      expect(table.has(person)).toBe(merged(intervals, person).length > 0);
    }), propertyRuns(400));
  });

  it('finds each person\'s several intervals whatever the order in which persons come', () => {
    const two = (personId: number, at: number): IsolationInterval[] => [
      { personId, start: T0 + at, end: T0 + at + 60 }, { personId, start: T0 + at + 120, end: T0 + at + 180 }];
    const table = IsolationTable.from([...two(7, 0), ...two(3, 600), ...two(5, 1200)]);
    expect(clipped(table, 7, T0, T0 + 240)).toEqual([[T0 + 60, T0 + 120], [T0 + 180, T0 + 240]]);
    expect(clipped(table, 3, T0 + 600, T0 + 840)).toEqual([[T0 + 660, T0 + 720], [T0 + 780, T0 + 840]]);
    expect(clipped(table, 5, T0 + 1200, T0 + 1440)).toEqual([[T0 + 1260, T0 + 1320], [T0 + 1380, T0 + 1440]]);
    expect(table.startAfter(3, T0 + 700)).toBe(T0 + 720);
  });

  it('gives the start of the first interval ending after a moment, OPEN when none', () => {
    fc.assert(fc.property(intervalsArb, fc.integer({ min: 0, max: 45 }), fc.integer({ min: -10, max: 280 }), (intervals, person, atM) => {
      const table = IsolationTable.from(intervals);
      const t = T0 + atM * 60;
      expect(table.startAfter(person, t)).toBe(merged(intervals, person).find(([, e]) => e > t)?.[0] ?? OPEN);
    }), propertyRuns(400));
  });

  it('counts the most intervals any one person has, after merging, and keeps them through its arrays', () => {
    fc.assert(fc.property(intervalsArb, (intervals) => {
      const table = IsolationTable.from(intervals);
      const persons = [...new Set(intervals.map((x) => x.personId))];
      expect(table.maxIntervals).toBe(Math.max(0, ...persons.map((p) => merged(intervals, p).length)));
      const copy = IsolationTable.fromArrays(table.arrays());
      expect(copy.maxIntervals).toBe(table.maxIntervals);
      for (let p = 0; p <= 45; p++) expect(clipped(copy, p, T0, T0 + 300 * 60)).toEqual(clipped(table, p, T0, T0 + 300 * 60));
    }), propertyRuns(200));
  });

  it('merges touching intervals, drops empty ones, and lays persons with several out in ascending order', () => {
    const table = IsolationTable.from([
      { personId: 17, start: T0 + 600, end: T0 + 900 }, { personId: 9, start: T0, end: T0 + 100 }, { personId: 9, start: T0 + 100, end: T0 + 200 },
      { personId: 17, start: T0, end: T0 + 300 }, { personId: 3, start: T0 + 50, end: T0 + 50 }, { personId: 8, start: T0 + 10, end: null },
      { personId: 3, start: T0 + 500, end: T0 + 400 },
    ]);
    expect([...table.multiPersons]).toEqual([17]);
    expect([...table.multiOffsets]).toEqual([0, 2]);
    expect([...table.multiTimes]).toEqual([T0, T0 + 300, T0 + 600, T0 + 900]);
    expect([table.firstStart[9], table.firstEnd[9], table.firstStart[8], table.firstEnd[8]]).toEqual([T0, T0 + 200, T0 + 10, OPEN]);
    expect([3, 8, 9, 17].map((p) => table.has(p))).toEqual([false, true, true, true]);
    expect(table.maxIntervals).toBe(2);
    expect(IsolationTable.EMPTY.maxIntervals).toBe(0);
    expect(IsolationTable.from([{ personId: 4, start: T0, end: T0 + 1 }]).maxIntervals).toBe(1);
    // Persons far beyond the table: none, without reading past its arrays.
    expect([table.has(1_000_000), table.startAfter(1_000_000, T0)]).toEqual([false, OPEN]);
    expect(clipped(table, 1_000_000, T0, T0 + 60)).toEqual([[T0, T0 + 60]]);
    expect(clipped(table, 8, T0 + 60, T0 + 60)).toEqual([]);
  });
});

describe('IsolationTable with several persons having several intervals', () => {
  // Person 9's intervals are given first, so the table must order the persons with several (4 before 9) itself;
  // person 4 has three, person 9 two (after all of person 4's in time), person 20 one.
  const intervals: IsolationInterval[] = [
    { personId: 9, start: T0 + 1800, end: T0 + 1900 }, { personId: 9, start: T0 + 1600, end: T0 + 1700 },
    { personId: 4, start: T0 + 1400, end: T0 + 1500 }, { personId: 4, start: T0 + 200, end: T0 + 300 }, { personId: 4, start: T0, end: T0 + 100 },
    { personId: 20, start: T0 + 50, end: T0 + 150 },
  ];
  const table = IsolationTable.from(intervals);

  it('lays them out in ascending order and counts the most intervals of any one person', () => {
    expect([...table.multiPersons]).toEqual([4, 9]);
    expect([...table.multiOffsets]).toEqual([0, 3, 5]);
    expect(table.maxIntervals).toBe(3);
  });

  it.each([
    ['the lowest id, a window over all its intervals', 4, -100, 1600, [[-100, 0], [100, 200], [300, 1400], [1500, 1600]]],
    ['the lowest id, a window starting where an interval starts', 4, 200, 400, [[300, 400]]],
    ['the lowest id, a window ending where an interval ends', 4, -100, 300, [[-100, 0], [100, 200]]],
    ['the lowest id, a window past its last interval and over another person\'s', 4, 1500, 2000, [[1500, 2000]]],
    ['the lowest id, a window between two of its intervals', 4, 300, 1000, [[300, 1000]]],
    ['the highest id, a window over both its intervals', 9, 1500, 2000, [[1500, 1600], [1700, 1800], [1900, 2000]]],
    ['the highest id, a window past its last interval', 9, 1900, 2100, [[1900, 2100]]],
    ['one interval, a window starting where it ends', 20, 150, 200, [[150, 200]]],
  ])('clips %s (person %i, seconds from T0 %i..%i) to the parts outside it, none empty', (_what, person, s, e, parts) => {
    const expected = (parts as number[][]).map(([a, b]) => [T0 + a, T0 + b]);
    expect(clipped(table, person, T0 + s, T0 + e)).toEqual(expected);
    expect(expected).toEqual(free({ isolation: intervals }, person, T0 + s, T0 + e));
  });

  it.each([
    // [person, moment (seconds from T0), start of the first interval ending after it (null: OPEN)]
    [4, -1, 0], [4, 99, 0], [4, 100, 200], [4, 299, 200], [4, 300, 1400], [4, 1499, 1400], [4, 1500, null],
    [9, 1699, 1600], [9, 1700, 1800], [9, 1899, 1800], [9, 1900, null],
    [20, 149, 50], [20, 150, null],
  ])('gives person %i at T0 + %i the start of the first interval ending after it: T0 + %s', (person, t, start) => {
    expect(table.startAfter(person, T0 + t)).toBe(start === null ? OPEN : T0 + start);
  });
});
