// Presence columns: seat encoding, growth from any capacity, and the counting sort the synthetic province groups by.
import { describe, expect, it } from 'vitest';
import { Random } from '../synth/random.ts';
import { CREW_ROW, encodeSeat, groupByKey, NO_SEAT, PresenceColumns, seatCarriage, seatRow } from './columns.ts';

describe('encodeSeat', () => {
  it('packs carriage and row, marks crew only for a seat that starts with "crew", and caps both', () => {
    expect(encodeSeat(null, null)).toBe(NO_SEAT);
    expect([seatCarriage(encodeSeat('12C', '3')), seatRow(encodeSeat('12C', '3'))]).toEqual([3, 12]);
    expect(seatRow(encodeSeat('Crew-2', '1'))).toBe(CREW_ROW);
    expect(seatRow(encodeSeat('2crew', '1'))).toBe(2);
    expect(seatRow(encodeSeat('A-crew', '1'))).toBe(0);
    expect([seatCarriage(encodeSeat('5', null)), seatRow(encodeSeat('5', null))]).toEqual([0, 5]);
    expect([seatCarriage(encodeSeat(null, '7')), seatRow(encodeSeat(null, '7'))]).toEqual([7, 0]);
    expect([seatCarriage(encodeSeat('9999', '99')), seatRow(encodeSeat('9999', '99'))]).toEqual([62, 1022]);
  });
});

describe('PresenceColumns', () => {
  it('grows from any starting capacity, zero included, keeping every record', () => {
    for (const capacity of [0, 1, 3]) {
      const cols = new PresenceColumns(capacity);
      for (let i = 0; i < 10; i++) cols.push(i + 1, i, 100 * i, 100 * i + 50, i % 3, i);
      expect(cols.length).toBe(10);
      expect([...cols.person.subarray(0, 10)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect([...cols.end.subarray(0, 10)]).toEqual(Array.from({ length: 10 }, (_, i) => 100 * i + 50));
      expect([...cols.seat.subarray(0, 10)]).toEqual(Array.from({ length: 10 }, (_, i) => i));
    }
  });

  it('appends another set of columns after its own records, growing as needed', () => {
    const a = new PresenceColumns(2), b = new PresenceColumns(0);
    for (let i = 0; i < 2; i++) a.push(i + 1, 1, 10 * i, 10 * i + 5, 0);
    for (let i = 0; i < 5; i++) b.push(i + 11, 2, 100 * i, 100 * i + 5, 3, 7);
    a.append(b);
    expect(a.length).toBe(7);
    expect([...a.person.subarray(0, 7)]).toEqual([1, 2, 11, 12, 13, 14, 15]);
    expect([...a.place.subarray(0, 7)]).toEqual([1, 1, 2, 2, 2, 2, 2]);
    expect([...a.start.subarray(0, 7)]).toEqual([0, 10, 0, 100, 200, 300, 400]);
    expect([...a.end.subarray(0, 7)]).toEqual([5, 15, 5, 105, 205, 305, 405]);
    expect([...a.source.subarray(0, 7)]).toEqual([0, 0, 3, 3, 3, 3, 3]);
    expect([...a.seat.subarray(0, 7)]).toEqual([NO_SEAT, NO_SEAT, 7, 7, 7, 7, 7]);
  });
});

describe('groupByKey', () => {
  it('lists the positions of each key in ascending order, as a plain grouping does (seeded random keys)', () => {
    const rnd = new Random(3);
    for (const [n, buckets] of [[0, 1], [1, 1], [50, 7], [500, 40]]) {
      const keys = Array.from({ length: n + 5 }, () => rnd.int(buckets));
      const { offsets, positions } = groupByKey(keys, n, buckets);
      expect(offsets).toHaveLength(buckets + 1);
      expect(positions).toHaveLength(n);
      for (let k = 0; k < buckets; k++) {
        const want = keys.slice(0, n).flatMap((key, i) => (key === k ? [i] : []));
        expect([...positions.subarray(offsets[k], offsets[k + 1])]).toEqual(want);
      }
      expect(offsets[buckets]).toBe(n);
    }
  });
});
