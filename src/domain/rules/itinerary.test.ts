/**
 * The itinerary card's cities worked out by hand: clipping to the look-back window and to now, runs of one city
 * joined across short gaps and broken by another city, stays given in any order; every number from the edition.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { cityOf, itineraryCities, type CityStay } from './itinerary.ts';

const e = loadEdition('ed8-delta-2021');
const MIN = e.itinerary.minStayHours * HOUR, GAP = e.itinerary.mergeGapMinutes * 60, BACK = e.itinerary.lookBackDays * DAY;
const now = 1_628_000_000;
const from = now - BACK;
const stay = (cityCode: string, start: number, end: number): CityStay => ({ cityCode, start, end });

describe('itineraryCities', () => {
  it('takes the city of a division code as its first four digits', () => {
    expect(cityOf('430102001001')).toBe('4301');
    expect(cityOf('4302')).toBe('4302');
  });

  it('counts only the part of a stay inside the look-back window and before now', () => {
    // Starts a day before the window: only the part from its start counts (exactly the minimum).
    expect(itineraryCities([stay('4301', from - DAY, from + MIN)], e, now)).toEqual([{ cityCode: '4301', longestStaySec: MIN }]);
    expect(itineraryCities([stay('4301', from - DAY, from + MIN - 1)], e, now)).toEqual([]);
    // Still going on: counted until now.
    expect(itineraryCities([stay('4302', now - MIN, now + DAY)], e, now)).toEqual([{ cityCode: '4302', longestStaySec: MIN }]);
  });

  it('joins one city\'s stays across a gap of at most the edition\'s minutes, in any order, and another city breaks the run', () => {
    const t = now - 5 * DAY;
    const halves = [stay('4301', t + MIN / 2 + GAP, t + MIN + GAP), stay('4301', t, t + MIN / 2)];
    expect(itineraryCities(halves, e, now)).toEqual([{ cityCode: '4301', longestStaySec: MIN + GAP }]);
    expect(itineraryCities([stay('4301', t + MIN / 2 + GAP + 1, t + MIN + GAP), stay('4301', t, t + MIN / 2)], e, now)).toEqual([]);
    // A stay elsewhere in between (a trip to the next city and back) breaks the run.
    expect(itineraryCities([...halves, stay('4302', t + MIN / 2, t + MIN / 2 + GAP)], e, now)).toEqual([]);
  });

  it('ignores a stay of no duration: a reading elsewhere at one instant does not break a run', () => {
    const t = now - 5 * DAY;
    const stays = [stay('4301', t, t + MIN / 2), stay('4302', t + MIN / 2 + 1, t + MIN / 2 + 1), stay('4301', t + MIN / 2 + 2, t + MIN + 2)];
    expect(itineraryCities(stays, e, now)).toEqual([{ cityCode: '4301', longestStaySec: MIN + 2 }]);
  });

  it('ignores a stay wholly before the window: it does not break a run of another city', () => {
    const old = stay('4309', from - 3 * DAY, from - 2 * DAY);
    const run = [stay('4301', from - HOUR, from + MIN / 2), old, stay('4301', from + MIN / 2 + GAP, from + 2 * MIN)];
    expect(itineraryCities(run, e, now)).toEqual([{ cityCode: '4301', longestStaySec: 2 * MIN }]);
  });

  it('lists cities in the order of their first stay, each with its longest continuous stay', () => {
    const t = now - 3 * DAY;
    const stays = [stay('4302', t + DAY, t + DAY + 2 * MIN), stay('4301', t, t + MIN), stay('4301', t + 2 * DAY, t + 2 * DAY + 3 * MIN)];
    expect(itineraryCities(stays, e, now)).toEqual([{ cityCode: '4301', longestStaySec: 3 * MIN }, { cityCode: '4302', longestStaySec: 2 * MIN }]);
  });
});
