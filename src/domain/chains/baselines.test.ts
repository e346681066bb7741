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
