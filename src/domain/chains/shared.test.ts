import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { asExposure, sharedPlaceExposures, type CaseRecord } from './shared.ts';

const edition = loadEdition('ed8-delta-2021');
const H = 3600, D = 86400, M = 60;
const stay = (caseId: number, placeId: number, category: string, start: number, end: number): CaseRecord => ({ caseId, placeId, category, start, end });
const pairs = (out: { infector: number; infectee: number; start: number; end: number }[]) => out.map((e) => `${e.infector}>${e.infectee} ${e.start}-${e.end}`);

describe('shared places of cases, at their edges', () => {
  // Cases 1 and 2 look back from day 0; case 3's window opens on day 5; case 4 was isolated on day 3.
  const windows = new Map([[1, { from: 0, to: 20 * D }], [2, { from: 0, to: 20 * D }], [3, { from: 5 * D, to: 20 * D }], [4, { from: 0, to: 3 * D }]]);

  it('starts a shared place where the later case\'s window opens, and ends it at a case\'s isolation', () => {
    const out = sharedPlaceExposures([
      stay(1, 4, 'restaurant', 5 * D - 2 * H, 5 * D + 3 * H),
      stay(3, 4, 'restaurant', 5 * D - H, 5 * D + 2 * H), // from an hour before case 3's window
      stay(1, 8, 'office', 3 * D - 2 * H, 3 * D + 4 * H),
      stay(4, 8, 'office', 3 * D - H, 3 * D + 5 * H), // case 4 isolated at day 3, during the stay
    ], windows, edition);
    expect(pairs(out).sort()).toEqual([
      `1>3 ${5 * D}-${5 * D + 2 * H}`, `1>4 ${3 * D - H}-${3 * D}`, `3>1 ${5 * D}-${5 * D + 2 * H}`, `4>1 ${3 * D - H}-${3 * D}`,
    ]);
  });

  it('finds no shared place for a stay that ends exactly as the case\'s window opens', () => {
    expect(sharedPlaceExposures([stay(1, 4, 'restaurant', 4 * D, 6 * D), stay(3, 4, 'restaurant', 4 * D, 5 * D)], windows, edition)).toEqual([]);
  });

  it('ignores the stays of a person with no case window (not among the cases)', () => {
    const out = sharedPlaceExposures([stay(1, 4, 'restaurant', D, D + 2 * H), stay(9, 4, 'restaurant', D, D + 2 * H), stay(2, 4, 'restaurant', D + H, D + 2 * H)], windows, edition);
    expect(pairs(out)).toEqual([`1>2 ${D + H}-${D + 2 * H}`, `2>1 ${D + H}-${D + 2 * H}`]);
  });

  it('pairs cases whose stays overlap, not one that arrived as the other left, nor a stay on another day', () => {
    const out = sharedPlaceExposures([
      stay(1, 4, 'restaurant', D, D + 2 * H),
      stay(2, 4, 'restaurant', D + 2 * H, D + 3 * H), // arrives as case 1 leaves
      stay(3, 4, 'restaurant', 6 * D, 6 * D + H), // another day, after case 3's window opened
    ], windows, edition);
    expect(out).toEqual([]);
  });

  it('finds the same shared places whatever order the stays come in, the case there first named as infector', () => {
    const all = new Map([1, 2, 3].map((id) => [id, { from: 0, to: 20 * D }]));
    const stays = [stay(1, 4, 'restaurant', D, D + 3 * H), stay(2, 4, 'restaurant', D + H, D + 5 * H), stay(3, 4, 'restaurant', D + 2 * H, D + 4 * H)];
    const expected = [
      `1>2 ${D + H}-${D + 3 * H}`, `2>1 ${D + H}-${D + 3 * H}`,
      `1>3 ${D + 2 * H}-${D + 3 * H}`, `3>1 ${D + 2 * H}-${D + 3 * H}`,
      `2>3 ${D + 2 * H}-${D + 4 * H}`, `3>2 ${D + 2 * H}-${D + 4 * H}`,
    ];
    expect(pairs(sharedPlaceExposures(stays, all, edition))).toEqual(expected);
    expect(pairs(sharedPlaceExposures([...stays].reverse(), all, edition))).toEqual(expected);
  });

  it('does not pair a case with itself when two of its stays at one place overlap', () => {
    expect(sharedPlaceExposures([stay(1, 4, 'restaurant', D, D + 3 * H), stay(1, 4, 'restaurant', D + H, D + 2 * H)], windows, edition)).toEqual([]);
  });

  it('counts even a few minutes together at a venue: only telecom cells need the companion rule\'s minutes', () => {
    const five = sharedPlaceExposures([stay(1, 4, 'restaurant', D, D + H), stay(2, 4, 'restaurant', D + H - 5 * M, D + 2 * H)], windows, edition);
    expect(five.map((e) => [e.infector, e.infectee, e.setting, (e.end - e.start) / M])).toEqual([[1, 2, 'dining_entertainment', 5], [2, 1, 'dining_entertainment', 5]]);
  });

  describe('telecom cells', () => {
    // 40-minute overlaps, against 60 minutes between two cases.
    const ed = { ...edition, chains: { ...edition.chains, caseCellMinMinutes: 60 } };
    const all = new Map([1, 2, 3, 4].map((id) => [id, { from: 0, to: 20 * D }]));
    /** A meal in one cell on day `d`: `first` came ten minutes before `second`, and they spent 40 minutes together. */
    const meal = (d: number, first: number, second: number) => [
      stay(first, 6, 'telecom_cell', d * D - 10 * M, d * D + 40 * M), stay(second, 6, 'telecom_cell', d * D, d * D + 40 * M),
    ];

    it('adds up a pair\'s overlaps whichever case came first', () => {
      const out = sharedPlaceExposures([...meal(1, 1, 2), ...meal(2, 2, 1)], all, ed);
      expect(out.map((e) => `${e.infector}>${e.infectee}`).sort()).toEqual(['1>2', '1>2', '2>1', '2>1']);
    });

    it('does not add up the overlaps of two different pairs', () => {
      expect(sharedPlaceExposures([...meal(1, 1, 2), ...meal(2, 3, 4)], all, ed)).toEqual([]);
      expect(sharedPlaceExposures([...meal(1, 2, 1), ...meal(2, 4, 3)], all, ed)).toEqual([]);
    });
  });
});

describe('a shared place as an exposure', () => {
  it('gives the inference its setting, minutes, window and place', () => {
    expect(asExposure({ infector: 1, infectee: 2, placeId: 4, setting: 'dining_entertainment', start: D, end: D + 90 * M })).toEqual({
      infector: 1, infectee: 2, setting: 'dining_entertainment', minutes: 90, start: D, end: D + 90 * M, placeId: 4,
    });
  });
});
