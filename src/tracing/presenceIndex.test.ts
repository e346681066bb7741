import { describe, expect, it } from 'vitest';
import { PRESENCE_SOURCES } from '../domain/vocab.ts';
import { Random } from '../synth/random.ts';
import { encodeSeat, PresenceColumns, sourceIndex } from './columns.ts';
import { mergeStays, type PlainRecord } from './oracle.ts';
import { PresenceIndex, runInSlices, runToEnd } from './presenceIndex.ts';

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
    expect(ix.length).toBeLessThanOrEqual(200_000); // less when records merged
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

  it('keeps every stay exactly once (overlapping or touching records of a person at a place merged), and lists each person\'s records', () => {
    const key = (person: number, place: number, start: number, end: number, sources: string) => `${person}|${place}|${start}|${end}|${sources}`;
    const recs: PlainRecord[] = [];
    for (let i = 0; i < cols.length; i++) {
      recs.push({ person: cols.person[i], place: cols.place[i], start: cols.start[i], end: cols.end[i], seat: null, carriage: null, source: PRESENCE_SOURCES[cols.source[i]] });
    }
    const before = new Map<string, number>();
    for (const r of mergeStays(recs)) {
      const k = key(r.person, r.place, r.start, r.end, [...r.sources].sort().join());
      before.set(k, (before.get(k) ?? 0) + 1);
    }
    const after = new Map<string, number>();
    for (let q = 0; q < ix.persons; q++) {
      for (let k = ix.personOffsets[q]; k < ix.personOffsets[q + 1]; k++) {
        const i = ix.personRecs[k];
        expect(ix.person[i]).toBe(q);
        const sources = PRESENCE_SOURCES.filter((_, b) => ix.sourceMasks[ix.source[i]] & (1 << b));
        const kk = key(q, ix.placeOf(i), ix.start[i], ix.end[i], [...sources].sort().join());
        after.set(kk, (after.get(kk) ?? 0) + 1);
      }
    }
    expect(ix.length).toBeLessThan(cols.length); // the random records do overlap now and then
    expect(after).toEqual(before);
  });

  it('merges one person\'s overlapping or touching records at a place in one seat, keeping every feed; not other seats or other persons', () => {
    const c = new PresenceColumns();
    const T = 1_627_000_000, M = 60;
    c.push(1, 0, T, T + 60 * M, sourceIndex('venue_scan'));
    c.push(1, 0, T + 32 * M, T + 81 * M, sourceIndex('gate_registration')); // overlaps: one 81-minute stay
    c.push(1, 0, T + 81 * M, T + 90 * M, sourceIndex('venue_scan')); // touches: still one stay
    c.push(1, 0, T + 91 * M, T + 95 * M, sourceIndex('venue_scan')); // a minute apart: another stay
    c.push(2, 0, T + 10 * M, T + 20 * M, sourceIndex('venue_scan')); // another person
    // A train: seat 5 and seat 9 of person 3 overlap but stay apart; seat 5 again, after a seat-9 record, joins seat 5.
    c.push(3, 1, T, T + 30 * M, sourceIndex('transport_seat'), encodeSeat('5', '2'));
    c.push(3, 1, T + 10 * M, T + 40 * M, sourceIndex('transport_seat'), encodeSeat('9', '2'));
    c.push(3, 1, T + 30 * M, T + 50 * M, sourceIndex('telecom_stay'), encodeSeat('5', '2'));
    const x = PresenceIndex.build(c);
    const rows = Array.from({ length: x.length }, (_, i) => [
      x.person[i], x.placeOf(i), (x.start[i] - T) / M, (x.end[i] - T) / M, x.seat[i], PRESENCE_SOURCES.filter((_, b) => x.sourceMasks[x.source[i]] & (1 << b)),
    ]);
    expect(rows).toEqual([
      [1, 0, 0, 90, encodeSeat(null, null), ['venue_scan', 'gate_registration']],
      [2, 0, 10, 20, encodeSeat(null, null), ['venue_scan']],
      [1, 0, 91, 95, encodeSeat(null, null), ['venue_scan']],
      [3, 1, 0, 50, encodeSeat('5', '2'), ['transport_seat', 'telecom_stay']],
      [3, 1, 10, 40, encodeSeat('9', '2'), ['transport_seat']],
    ]);
    expect(x.placeMaxDur[0]).toBe(90 * M);
    expect([...x.placeOffsets]).toEqual([0, 3, 5]);
    expect([...x.personRecs.subarray(x.personOffsets[1], x.personOffsets[2])]).toEqual([0, 2]);
    // Merging again changes nothing, and the table of masks survives the round trip through columns.
    const again = PresenceIndex.build(x.toColumns());
    expect([...again.end]).toEqual([...x.end]);
    expect([...again.sourceMasks]).toEqual([...x.sourceMasks]);
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
    // And at least what the columns and the person index need: 4 + 4 + 4 + 1 + 2 bytes a record, 4 in personRecs.
    expect(ix.bytes / ix.length).toBeGreaterThanOrEqual(19);
  });

  it('builds in slices (a turn of the event loop between them) the same index as in one go', async () => {
    let slices = 0;
    const steps = PresenceIndex.buildSteps(cols);
    for (let r = steps.next(); !r.done; r = steps.next()) slices++;
    expect(slices).toBeGreaterThan(4); // every pass over the records yields at least once
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const sliced = await runInSlices(PresenceIndex.buildSteps(cols));
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0);
    for (const k of ['person', 'start', 'end', 'source', 'seat', 'placeOffsets', 'placeMaxDur', 'personOffsets', 'personRecs', 'blockPlace', 'sourceMasks'] as const) {
      expect(sliced[k]).toEqual(ix[k]);
    }
  });

  it('gives its columns in slices, keeping only the records that end at or after a time, with more appended', () => {
    const cutoff = 1_627_000_000 + 7 * 86400;
    const more = randomColumns(1000, 20_000, 2_000, 11);
    const cut = PresenceIndex.build(runToEnd(ix.columnSteps({ endingFrom: cutoff, append: more })));
    // The same as filtering the whole columns by hand and pushing the extra records after them.
    const byHand = new PresenceColumns();
    const all = ix.toColumns();
    for (let i = 0; i < all.length; i++) if (all.end[i] >= cutoff) byHand.push(all.person[i], all.place[i], all.start[i], all.end[i], all.source[i], all.seat[i]);
    for (let i = 0; i < more.length; i++) byHand.push(more.person[i], more.place[i], more.start[i], more.end[i], more.source[i], more.seat[i]);
    byHand.sourceMasks = all.sourceMasks;
    const expected = PresenceIndex.build(byHand);
    expect(cut.length).toBe(expected.length);
    expect(cut.start).toEqual(expected.start);
    expect(cut.person).toEqual(expected.person);
    expect(cut.end).toEqual(expected.end);
    expect(expected.length).toBeLessThan(ix.length); // the cutoff dropped some
    expect(expected.length).toBeGreaterThan(1000); // and kept some
  });

  it('round-trips through columns', () => {
    const again = PresenceIndex.build(ix.toColumns());
    expect(again.start).toEqual(ix.start);
    expect(again.person).toEqual(ix.person);
    expect(again.source).toEqual(ix.source);
  });

  it('sorts times late in the Uint32 range (past 2038, to 2106) exactly, and finds the place of every position', () => {
    // Start times near 2^32 - 1: a sort key of (start - earliest) * 2^21 + rank stays exact below 2^53 only if it
    // subtracts the earliest start. Three places, records shuffled, some out of order within their place.
    const late = new PresenceColumns();
    const rnd = new Random(5);
    const T = 0xffffffff - 40 * 86400;
    const recs: [number, number, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const start = T + rnd.int(30 * 86400);
      recs.push([1 + rnd.int(2000), rnd.int(3), start, start + 60 + rnd.int(600)]);
    }
    for (const [person, place, start, end] of recs) late.push(person, place, start, end, 0);
    const x = PresenceIndex.build(late);
    for (let p = 0; p < x.places; p++) {
      const expected = recs.filter((r) => r[1] === p).map((r) => r[2]).sort((a, b) => a - b);
      const got = Array.from(x.start.subarray(x.placeOffsets[p], x.placeOffsets[p + 1]));
      // Merging may drop a few records (a person's overlapping stays); every kept start is one of the place's, in order.
      expect(got).toEqual([...got].sort((a, b) => a - b));
      expect(got.every((t) => expected.includes(t))).toBe(true);
      for (let i = x.placeOffsets[p]; i < x.placeOffsets[p + 1]; i++) expect(x.placeOf(i)).toBe(p);
    }
    expect(x.length).toBeGreaterThan(2900);
    expect([x.places, x.persons]).toEqual([3, Math.max(...recs.map((r) => r[0])) + 1]);
    // Offset tables sized beyond the ids seen when asked; records kept as they are.
    const wide = PresenceIndex.build(late, 10, 5000);
    expect([wide.places, wide.persons, wide.length]).toEqual([10, 5000, x.length]);
    expect(PresenceIndex.build(new PresenceColumns(), 4, 7)).toMatchObject({ places: 4, persons: 7, length: 0 });
  });

  it('sorts places of two or three records given in any order, the last place too', () => {
    const rnd = new Random(9);
    const c = new PresenceColumns();
    const expected: number[][] = [];
    for (let p = 0; p < 600; p++) {
      const starts = Array.from({ length: 2 + (p % 2) }, () => 1_627_000_000 + rnd.int(86400));
      starts.forEach((t, k) => c.push(p * 3 + k, p, t, t + 60, 0));
      expected.push([...starts].sort((a, b) => a - b));
    }
    const x = PresenceIndex.build(c);
    for (let p = 0; p < 600; p++) expect(Array.from(x.start.subarray(x.placeOffsets[p], x.placeOffsets[p + 1]))).toEqual(expected[p]);
  });

  it('adds a feed mask for each mix of feeds merging makes, up to the table\'s room; past it, records stay apart with their feeds', () => {
    // One person per mix of two or more of the feeds, with one record per feed in the mix at one place, all
    // overlapping: merged, each person's record carries the mix. The table holds 256 masks (the feeds' own first).
    const n = PRESENCE_SOURCES.length;
    const mixes: number[] = [];
    for (let m = 1; m < 1 << n; m++) if ((m & (m - 1)) !== 0) mixes.push(m);
    const c = new PresenceColumns();
    mixes.forEach((mix, k) => {
      for (let f = 0; f < n; f++) if (mix & (1 << f)) c.push(k + 1, 0, 1_627_000_000 + f, 1_627_003_600, f);
    });
    const x = PresenceIndex.build(c);
    expect(x.sourceMasks.length).toBe(256);
    expect(new Set(x.sourceMasks).size).toBe(256);
    expect([...x.sourceMasks.subarray(0, n)]).toEqual(PRESENCE_SOURCES.map((_, f) => 1 << f));
    let whole = 0;
    mixes.forEach((mix, k) => {
      const q = k + 1;
      const masks = Array.from({ length: x.personOffsets[q + 1] - x.personOffsets[q] }, (_, r) => x.sourceMasks[x.source[x.personRecs[x.personOffsets[q] + r]]]);
      // Every feed is kept, in one record when the mix got into the table.
      expect(masks.reduce((a, b) => a | b, 0)).toBe(mix);
      if (masks.length === 1) whole++;
    });
    expect(whole).toBeGreaterThanOrEqual(256 - n);
    expect(whole).toBeLessThan(mixes.length);
  });
  it('builds an empty index of no places and no persons, and gives it back as empty columns', () => {
    const x = PresenceIndex.build(new PresenceColumns());
    expect([x.places, x.persons, x.length]).toEqual([0, 0, 0]);
    expect(x.toColumns().length).toBe(0);
    expect(PresenceIndex.build(x.toColumns())).toMatchObject({ places: 0, persons: 0, length: 0 });
  });

  it('merges a person\'s record only with one at the same place, not with a same-seat record of the place before', () => {
    // Place 0: person 1 in seat 5 for an hour. Place 1: person 1 in seat 9, then in seat 5 while the place-0 stay
    // still lasts: the seat-5 record at place 1 has no earlier seat-5 record at its own place and stays.
    const T = 1_627_000_000, five = encodeSeat('5', '2'), nine = encodeSeat('9', '2');
    const c = new PresenceColumns();
    c.push(1, 0, T + 100, T + 3600, sourceIndex('transport_seat'), five);
    c.push(1, 1, T + 100, T + 200, sourceIndex('transport_seat'), nine);
    c.push(1, 1, T + 150, T + 300, sourceIndex('transport_seat'), five);
    const x = PresenceIndex.build(c);
    expect(Array.from({ length: x.length }, (_, i) => [x.placeOf(i), x.start[i] - T, x.end[i] - T, x.seat[i]])).toEqual([
      [0, 100, 3600, five], [1, 100, 200, nine], [1, 150, 300, five],
    ]);
  });

  it.each([
    [(1 << 21) - 1, false],
    [1 << 21, true],
  ])('sorts a place of %i records given out of order, or refuses it past the sort\'s limit of 2^21 - 1 (refused: %s)', (n, refused) => {
    // Every record at place 0, starts descending, 10 s apart, a person's records far from each other (none merge).
    const T = 1_627_000_000;
    const c = new PresenceColumns(n);
    for (let i = 0; i < n; i++) c.push(i % 4096, 0, T + (n - i) * 10, T + (n - i) * 10 + 5, 0);
    if (refused) {
      expect(() => PresenceIndex.build(c)).toThrow(new RangeError(`a place with ${n} records: more than the index sorts in one segment`));
      return;
    }
    const x = PresenceIndex.build(c);
    expect(x.length).toBe(n);
    expect([x.start[0] - T, x.start[n - 1] - T, x.person[0], x.person[n - 1]]).toEqual([10, n * 10, (n - 1) % 4096, 0]);
    expect(x.placeMaxDur[0]).toBe(5);
  });
});
