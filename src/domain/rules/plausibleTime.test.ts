/**
 * Plausible times at their edges: the edition's earliest date and the server's now plus its tolerance (24 h for facts,
 * 366 days for what-if reads), both ends included, with the reason naming the range.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR, parseTime } from '../time.ts';
import { implausible, plausibleRange } from './plausibleTime.ts';

const e = loadEdition('ed8-delta-2021');
const NOW = parseTime('2021-08-05 12:00')!;

describe('plausible times', () => {
  it('runs from the edition\'s earliest date to now plus the tolerance for facts, and plus the what-if days for what-if reads', () => {
    expect(plausibleRange(e, NOW)).toEqual({ earliest: parseTime(e.timeBounds.earliest)!, latest: NOW + e.timeBounds.futureToleranceHours * HOUR });
    expect(plausibleRange(e, NOW, { whatIf: true })).toEqual({ earliest: parseTime('2019-12-01')!, latest: NOW + e.timeBounds.whatIfDays * DAY });
    expect(plausibleRange(e, NOW, { whatIf: false }).latest).toBe(NOW + 24 * HOUR);
  });

  it('takes both ends and refuses a second beyond either, saying which end and the range', () => {
    const r = plausibleRange(e, NOW);
    expect(implausible(r.earliest, r)).toBeNull();
    expect(implausible(r.latest, r)).toBeNull();
    expect(implausible(r.earliest - 1, r)).toBe('2019-11-30 23:59 is before 2019-12-01, the earliest plausible date');
    expect(implausible(r.latest + 1, r)).toBe('2021-08-06 12:00 is after 2021-08-06 12:00, the latest plausible time (the server\'s now plus the edition\'s tolerance)');
    expect(implausible(Number.NaN, r)).toBe('not a time');
    expect(implausible(Number.POSITIVE_INFINITY, r)).toBe('not a time');
    // A millisecond epoch is far beyond any plausible second.
    expect(implausible(NOW * 1000, r)).toMatch(/is after/);
  });
});
