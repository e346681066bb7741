import { describe, expect, it } from 'vitest';
import { baselineInfectors } from './baselines.ts';

const D = 86400;

describe('naive infector baselines', () => {
  // Case 4 (onset day 6) met 1 (day 0), 2 (day 3), 3 (day 3) and 5 (day 8, later); 1 and 4 are not of one person.
  const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 3 * D }, { id: 3, onset: 3 * D }, { id: 4, onset: 6 * D }, { id: 5, onset: 8 * D }, { id: 6, onset: D, personId: 9 }, { id: 7, onset: 2 * D, personId: 9 }];
  const exposures = [{ infector: 1, infectee: 4 }, { infector: 4, infectee: 3 }, { infector: 2, infectee: 4 }, { infector: 4, infectee: 5 }, { infector: 6, infectee: 7 }];

  it('takes the earliest earlier case met at a place, whichever way the exposure was recorded', () => {
    const r = new Map(baselineInfectors(cases, exposures, 'earliest').map((x) => [x.caseId, x.infector]));
    expect(r.get(4)).toBe(1);
    expect(r.get(5)).toBe(4);
    expect(r.get(3)).toBe(null); // met only 4, whose onset is later
    expect(r.get(7)).toBe(null); // one person's two cases
  });

  it('takes the closest earlier onset, ties to the lower id', () => {
    const r = new Map(baselineInfectors(cases, exposures, 'closest').map((x) => [x.caseId, x.infector]));
    expect(r.get(4)).toBe(2); // 2 and 3 share day 3; 3 met 4 as well
    expect(r.get(1)).toBe(null);
  });
});

describe('naive infector baselines: ties, order met and cases not listed', () => {
  // Cases 10, 11 and 12 (onset day 5) each met some of 1 (day 2), 2 and 3 (day 1), 4 (day 5, the same onset), in the
  // order the exposures list them; 10 also met 99, which is not among the cases. 13 is person 7's second case, 1 its first.
  const cases = [
    { id: 1, onset: 2 * D, personId: 7 }, { id: 2, onset: D }, { id: 3, onset: D }, { id: 4, onset: 5 * D },
    { id: 10, onset: 5 * D }, { id: 11, onset: 5 * D }, { id: 12, onset: 5 * D }, { id: 13, onset: 5 * D, personId: 7 }, { id: 20, onset: 9 * D },
  ];
  const exposures = [
    { infector: 1, infectee: 10 }, { infector: 3, infectee: 10 }, { infector: 10, infectee: 2 }, { infector: 4, infectee: 10 }, { infector: 99, infectee: 10 },
    { infector: 2, infectee: 11 }, { infector: 3, infectee: 11 },
    { infector: 2, infectee: 12 }, { infector: 1, infectee: 12 },
    { infector: 1, infectee: 13 },
  ];
  const run = (rule: 'earliest' | 'closest') => new Map(baselineInfectors(cases, exposures, rule).map((x) => [x.caseId, x.infector]));

  it('earliest: the lowest id among the earliest onsets, whichever was met first; never a lower id of a later onset', () => {
    const r = run('earliest');
    expect(r.get(10)).toBe(2); // 3 met before 2, both day 1: the lower id; 99 unknown, 4 not before
    expect(r.get(11)).toBe(2); // 2 met before 3: 3 does not displace it
    expect(r.get(12)).toBe(2); // 1 has the lower id but the later onset
    expect(r.get(13)).toBe(null); // its only earlier case is its own person's
    expect(r.get(20)).toBe(null); // met no one
    expect(r.get(4)).toBe(null); // met 10 only, of the same onset: not before
  });

  it('closest: the latest onset before the case\'s, ties to the lower id, never one of the same onset', () => {
    const r = run('closest');
    expect(r.get(10)).toBe(1); // day 2 is the closest; 4 shares the case's own onset
    expect(r.get(11)).toBe(2); // 2 and 3 tie on day 1: the lower id, met first
    expect(r.get(12)).toBe(1);
    expect(r.get(13)).toBe(null);
    expect(r.get(20)).toBe(null);
  });
});
