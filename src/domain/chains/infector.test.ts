import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { inferInfectors, logGammaPdf } from './infector.ts';

const edition = loadEdition('ed8-delta-2021');
const D = 86400;

describe('infector inference', () => {
  it('integrates the serial-interval density to about 1', () => {
    let sum = 0;
    for (let x = 0.005; x < 40; x += 0.01) sum += Math.exp(logGammaPdf(x, 2.9, 1.9)) * 0.01;
    expect(sum).toBeCloseTo(1, 2);
  });

  it('prefers the household over a brief venue overlap, and a plausible interval over an implausible one', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 0.5 * D }, { id: 3, onset: 3 * D }];
    const r = inferInfectors({
      cases, edition,
      exposures: [{ infector: 1, infectee: 3, setting: 'household', minutes: 600 }, { infector: 2, infectee: 3, setting: 'dining_entertainment', minutes: 20 }],
    });
    expect(r.find((x) => x.caseId === 3)).toMatchObject({ infector: 1, sourceUnknown: false });
    expect(r.find((x) => x.caseId === 3)!.candidates.map((c) => c.infector)).toEqual([1, 2]);
    expect(r.find((x) => x.caseId === 1)).toMatchObject({ infector: null, sourceUnknown: true });
  });

  it('never picks a later case, and lets investigators confirm or reject links', () => {
    const cases = [{ id: 1, onset: 5 * D }, { id: 2, onset: 2 * D }, { id: 3, onset: 0 }];
    const exposures = [{ infector: 1, infectee: 2, setting: 'household' as const, minutes: 600 }, { infector: 3, infectee: 2, setting: 'work_study' as const, minutes: 480 }];
    expect(inferInfectors({ cases, exposures, edition }).find((x) => x.caseId === 2)!.infector).toBe(3);
    const rejected = inferInfectors({ cases, exposures, edition, links: [{ infector: 3, infectee: 2, verdict: 'rejected' }] });
    expect(rejected.find((x) => x.caseId === 2)).toMatchObject({ infector: null, sourceUnknown: true });
    const confirmed = inferInfectors({ cases, exposures: [], edition, links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }] });
    expect(confirmed.find((x) => x.caseId === 2)).toMatchObject({ infector: 1, byInvestigator: true });
  });
});

describe('infector inference with the exposure\'s time', () => {
  const H = 3600;
  it('ranks the event\'s source above a sibling infected there, whichever fell ill first', () => {
    // At a dinner on day 0 (19:00-21:00), 1 (onset day 1) infected 2 (onset day 4) and 3 (onset day 5). For 3, its
    // sibling 2 was not infectious at the dinner (2 days before 2's onset is day 2), so 1 ranks first.
    const cases = [{ id: 1, onset: D, confirmedAt: 2 * D }, { id: 2, onset: 4 * D, confirmedAt: 5 * D }, { id: 3, onset: 5 * D, confirmedAt: 6 * D }];
    const dinner = { setting: 'dining_entertainment' as const, minutes: 120, start: 19 * H, end: 21 * H };
    const r = inferInfectors({ cases, edition, exposures: [{ infector: 1, infectee: 3, ...dinner }, { infector: 2, infectee: 3, ...dinner }, { infector: 1, infectee: 2, ...dinner }] });
    const three = r.find((x) => x.caseId === 3)!;
    expect(three.infector).toBe(1);
    expect(three.candidates.map((c) => c.infector)).toEqual([1, 2]);
    expect(three.candidates[0].exposureStart).toBe(19 * H);
    // The probabilities of the candidates and of "source unknown" add up to one.
    expect(three.candidates.reduce((s, c) => s + c.probability, 0) + three.sourceUnknownProbability).toBeCloseTo(1, 12);
    expect(three.candidates[0].probability).toBeGreaterThan(0.9);
  });

  it('lets cases confirmed on one China day be candidates of each other, and an asymptomatic candidate whose sampling came later', () => {
    // 1 and 2 share a home and were confirmed on day 3 (same day); 2's onset is the earlier. Each is the other's candidate.
    const home = { setting: 'household' as const, minutes: 600, start: 0, end: 2 * D };
    const same = inferInfectors({ cases: [{ id: 1, onset: 2 * D, confirmedAt: 3 * D }, { id: 2, onset: 1.5 * D, confirmedAt: 3 * D + H }], edition,
      exposures: [{ infector: 1, infectee: 2, ...home }, { infector: 2, infectee: 1, ...home }] });
    expect(same.map((x) => x.candidates.map((c) => c.infector))).toEqual([[2], [1]]);
    expect(same.filter((x) => x.infector !== null)).toHaveLength(1); // a forest: one of the two links, not both
    // Once an investigator confirms 2 -> 1, case 1 is no candidate of case 2 (it descends from it: a cycle).
    const confirmedOne = inferInfectors({ cases: [{ id: 1, onset: 2 * D, confirmedAt: 3 * D }, { id: 2, onset: 1.5 * D, confirmedAt: 3 * D + H }], edition,
      exposures: [{ infector: 1, infectee: 2, ...home }, { infector: 2, infectee: 1, ...home }], links: [{ infector: 2, infectee: 1, verdict: 'confirmed' }] });
    expect(confirmedOne.map((x) => [x.infector, x.candidates.map((c) => c.infector)])).toEqual([[2, [2]], [null, []]]);
    expect(confirmedOne[1]).toMatchObject({ sourceUnknown: true, sourceUnknownProbability: 1 });
    // Without the same day, the later onset is no candidate ...
    const apart = inferInfectors({ cases: [{ id: 1, onset: 2 * D, confirmedAt: 3 * D }, { id: 2, onset: 1.5 * D, confirmedAt: 5 * D }], edition, exposures: [{ infector: 1, infectee: 2, ...home }] });
    expect(apart[1].candidates).toEqual([]);
    // ... unless it is asymptomatic (its "onset" is its sampling) and the exposure's time is known.
    const asym = inferInfectors({ cases: [{ id: 1, onset: 6 * D, confirmedAt: 6.5 * D, asymptomatic: true }, { id: 2, onset: 4 * D, confirmedAt: 5 * D }], edition, exposures: [{ infector: 1, infectee: 2, ...home }] });
    expect(asym[1].infector).toBe(1);
    // An asymptomatic candidate weighs the edition's relative infectiousness less than a symptomatic one at the same exposure.
    const both = inferInfectors({ cases: [{ id: 1, onset: 0, confirmedAt: 3 * D, asymptomatic: true }, { id: 3, onset: 0, confirmedAt: 3 * D }, { id: 2, onset: 4 * D, confirmedAt: 5 * D }], edition,
      exposures: [{ infector: 1, infectee: 2, ...home }, { infector: 3, infectee: 2, ...home }] });
    const [a, b] = [1, 3].map((id) => both[2].candidates.find((c) => c.infector === id)!.score);
    expect(a - b).toBeCloseTo(Math.log(edition.chains.asymptomaticRelative), 10);
  });
});

describe('a candidate not yet infectious: infected at or after the exposure', () => {
  it('takes the show\'s source, not an audience member infected there who fell ill early, nor a meeting before that member was infected', () => {
    const H = 3600;
    // The show on day 2.8 at place 5: case 1 (onset day 0.5) infected 2 (onset day 4.1: 2 days before is inside the
    // show) and 3 (onset day 7.1). 2 and 3 also dined together at place 6 on day 2.4, before the show.
    const cases = [{ id: 1, onset: 0.5 * D, confirmedAt: 3 * D }, { id: 2, onset: 4.1 * D, confirmedAt: 7 * D }, { id: 3, onset: 7.1 * D, confirmedAt: 9 * D }];
    const show = { setting: 'dining_entertainment' as const, minutes: 90, start: 2.8 * D, end: 2.8 * D + 1.5 * H, placeId: 5 };
    const dinner = { setting: 'dining_entertainment' as const, minutes: 90, start: 2.4 * D, end: 2.4 * D + 1.5 * H, placeId: 6 };
    const exposures = [{ infector: 1, infectee: 2, ...show }, { infector: 1, infectee: 3, ...show }, { infector: 2, infectee: 3, ...show }, { infector: 2, infectee: 3, ...dinner }];
    const r = inferInfectors({ cases, exposures, edition });
    expect(r[1].infector).toBe(1);
    expect(r[2].infector).toBe(1);
    expect(r[2].candidates.map((c) => c.infector)).toEqual([1, 2]);
    // Without the show's link to 2 (2's own infection unknown), 2 would have been a close second at the dinner; knowing
    // 2 was likely infected at the show after that dinner, 2 weighs much less.
    const alone = inferInfectors({ cases, exposures: [{ infector: 2, infectee: 3, ...dinner }, { infector: 1, infectee: 3, ...show }], edition });
    const of2 = (x: typeof r) => x[2].candidates.find((c) => c.infector === 2)!;
    expect(of2(alone).probability).toBeGreaterThan(0.3);
    expect(of2(r).probability).toBeLessThan(of2(alone).probability / 2);
  });
});
