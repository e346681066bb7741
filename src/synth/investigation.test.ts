import { describe, expect, it } from 'vitest';
import { investigationRecords, type TrueVisit } from './investigation.ts';

const D = 86400, H = 3600;

describe('what a case investigation records', () => {
  const visits: TrueVisit[] = [
    { person: 1, place: 10, start: 2 * D, end: 2 * D + 2 * H + 7 * 60 }, // in the look-back
    { person: 1, place: 11, start: 20 * D, end: 20 * D + H }, // after confirmation
    { person: 1, place: 12, start: 0, end: H }, // before the look-back
    { person: 1, place: 13, start: 9 * D - H, end: 9 * D + H }, // across the look-back's start: clipped
    { person: 2, place: 10, start: 2 * D, end: 2 * D + H }, // not a case
  ];
  const kase = { person: 1, onset: 15 * D, sampledAt: 16 * D, confirmedAt: 17 * D };
  const o = { lookBackDays: 6, recall: 1, roundMinutes: 30, seed: 1 };

  it('keeps the case\'s visits in the look-back before onset, to confirmation, clipped and rounded; nobody else\'s', () => {
    expect(investigationRecords([kase], visits, { ...o, lookBackDays: 14 })).toEqual([
      { person: 1, place: 10, start: 2 * D, end: 2 * D + 2 * H },
      { person: 1, place: 13, start: 9 * D - H, end: 9 * D + H },
    ]);
    expect(investigationRecords([kase], visits, o)).toEqual([{ person: 1, place: 13, start: 9 * D, end: 9 * D + H }]);
    // Without symptoms, the look-back counts from sampling.
    expect(investigationRecords([{ ...kase, onset: null }], visits, { ...o, lookBackDays: 7 })).toEqual([{ person: 1, place: 13, start: 9 * D, end: 9 * D + H }]);
  });

  it('recalls about the given share of visits, the same ones for the same seed', () => {
    const many: TrueVisit[] = Array.from({ length: 2000 }, (_, k) => ({ person: 1, place: k, start: 10 * D + k * 60, end: 10 * D + k * 60 + H }));
    const out = investigationRecords([kase], many, { ...o, recall: 0.7, roundMinutes: 0 });
    expect(out.length / many.length).toBeGreaterThan(0.65);
    expect(out.length / many.length).toBeLessThan(0.75);
    expect(investigationRecords([kase], many, { ...o, recall: 0.7, roundMinutes: 0 })).toEqual(out);
    expect(investigationRecords([kase], many, { ...o, recall: 0.7, roundMinutes: 0, seed: 2 })).not.toEqual(out);
    expect(investigationRecords([kase], many, { ...o, recall: 0 })).toEqual([]);
    expect(() => investigationRecords([kase], many, { ...o, recall: 1.5 })).toThrow(/recall/);
  });
});
