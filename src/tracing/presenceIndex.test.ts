import { describe, expect, it } from 'vitest';
import { Random } from '../synth/random.ts';
import { PresenceColumns } from './columns.ts';
import { PresenceIndex } from './presenceIndex.ts';

function randomColumns(n: number, persons: number, places: number, seed = 7): PresenceColumns {
  const rnd = new Random(seed);
  const cols = new PresenceColumns();
  for (let i = 0; i < n; i++) {
    const start = 1_627_000_000 + rnd.int(14 * 86400);
    cols.push(1 + rnd.int(persons), rnd.int(places), start, start + rnd.int(8 * 3600), rnd.int(9));
  }
  return cols;
}

describe('PresenceIndex', () => {
  const cols = randomColumns(200_000, 20_000, 2_000);
  const ix = PresenceIndex.build(cols);

  it('sorts by place then start, with offsets and longest stays that match the records', () => {
    expect(ix.length).toBe(200_000);
    for (let p = 0; p < ix.places; p++) {
      let longest = 0;
      for (let i = ix.placeOffsets[p]; i < ix.placeOffsets[p + 1]; i++) {
        if (i > ix.placeOffsets[p]) expect(ix.start[i] >= ix.start[i - 1]).toBe(true);
        longest = Math.max(longest, ix.end[i] - ix.start[i]);
        if (i % 997 === 0) expect(ix.placeOf(i)).toBe(p);
      }
      expect(ix.placeMaxDur[p]).toBe(longest);
    }
  });

  it('keeps every record exactly once, and lists each person\'s records', () => {
    const key = (person: number, place: number, start: number, end: number) => `${person}|${place}|${start}|${end}`;
    const before = new Map<string, number>();
    for (let i = 0; i < cols.length; i++) {
      const k = key(cols.person[i], cols.place[i], cols.start[i], cols.end[i]);
      before.set(k, (before.get(k) ?? 0) + 1);
    }
    const after = new Map<string, number>();
    for (let q = 0; q < ix.persons; q++) {
      for (let k = ix.personOffsets[q]; k < ix.personOffsets[q + 1]; k++) {
        const i = ix.personRecs[k];
        expect(ix.person[i]).toBe(q);
        const kk = key(q, ix.placeOf(i), ix.start[i], ix.end[i]);
        after.set(kk, (after.get(kk) ?? 0) + 1);
      }
    }
    expect(after).toEqual(before);
  });

  it('finds the first record at or after a time, in short and long ranges, evenly spread or not', () => {
    const linear = (x: PresenceIndex, lo: number, hi: number, t: number) => { let i = lo; while (i < hi && x.start[i] < t) i++; return i; };
    // A skewed place: most records in one hour, a few spread over two weeks.
    const skew = new PresenceColumns();
    const rnd = new Random(3);
    for (let i = 0; i < 5000; i++) {
      const start = i % 50 === 0 ? 1_627_000_000 + rnd.int(14 * 86400) : 1_627_500_000 + rnd.int(3600);
      skew.push(1 + rnd.int(100), 0, start, start + 60, 0);
    }
    for (const x of [ix, PresenceIndex.build(skew)]) {
      for (let p = 0; p < x.places; p++) {
        const lo = x.placeOffsets[p], hi = x.placeOffsets[p + 1];
        if (hi === lo) continue;
        const probes = [x.start[lo] - 1, x.start[hi - 1] + 1, ...Array.from({ length: 40 }, () => x.start[lo + rnd.int(hi - lo)] + rnd.int(3) - 1)];
        for (const t of probes) expect(x.firstAtOrAfter(lo, hi, t)).toBe(linear(x, lo, hi, t));
      }
    }
  });

  it('holds at most 20 bytes per record, every index included', () => {
    expect(ix.bytes / ix.length).toBeLessThanOrEqual(20);
  });

  it('round-trips through columns', () => {
    const again = PresenceIndex.build(ix.toColumns());
    expect(again.start).toEqual(ix.start);
    expect(again.person).toEqual(ix.person);
  });
});
