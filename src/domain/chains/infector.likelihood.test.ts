/**
 * The infector likelihood at its edges, with the edition's numbers: the incubation averaged over the part of the
 * overlap inside the candidate's infectious window, that window's ends (onset minus the days before, isolation or
 * confirmation), times not before the case's onset, the serial interval without a time, same China day confirmation,
 * a candidate infected shortly before the exposure, the fields of a candidate, and the choice against "source unknown".
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { inferInfectors, logGammaPdf, type ChainCase, type Exposure } from './infector.ts';

const edition = loadEdition('ed8-delta-2021');
const { incubation, serialInterval, infectiousBeforeOnsetDays, minLatentDays } = edition.naturalHistory;
const { implausibleWeight, sourceUnknownLikelihood } = edition.chains;
const D = 86400, H = 3600;
const logInc = (days: number) => logGammaPdf(days, incubation.mean, incubation.sd);
const logSI = (days: number) => logGammaPdf(days, serialInterval.mean, serialInterval.sd);
/** log of the incubation density's mean over infection times [from, to] (seconds) for an onset at `onset`: a fine integral. */
const logMeanInc = (onset: number, from: number, to: number) => {
  const n = 4000;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logInc((onset - (from + ((i + 0.5) / n) * (to - from))) / D));
  return Math.log(sum / n);
};
/** A household exposure of an hour: weight 1, log(1 + 1 hour) = log 2. */
const home = (infector: number, infectee: number, window: { start?: number; end?: number } = {}): Exposure => ({ infector, infectee, setting: 'household', minutes: 60, ...window });
const scoreOf = (cases: ChainCase[], exposures: Exposure[], caseId: number, infector: number) =>
  inferInfectors({ cases, exposures, edition }).find((x) => x.caseId === caseId)!.candidates.find((c) => c.infector === infector)?.score;

describe('the likelihood with the exposure\'s time', () => {
  it('averages the incubation over the overlap\'s part inside the candidate\'s infectious window', () => {
    expect(infectiousBeforeOnsetDays).toBe(2);
    // Candidate 1: onset day 2, infectious from day 0 to its confirmation on day 4. The overlap, day -1 to day 0.5, is
    // inside the window from day 0 only; case 2's onset is day 3 (incubations 2.5 to 3 days).
    const cases = [{ id: 1, onset: 2 * D, confirmedAt: 4 * D }, { id: 2, onset: 3 * D, confirmedAt: 5 * D }];
    expect(scoreOf(cases, [home(1, 2, { start: -D, end: 0.5 * D })], 2, 1)).toBeCloseTo(logMeanInc(3 * D, 0, 0.5 * D) + Math.log(2), 3);
    // A one-second overlap: the density at that instant.
    expect(scoreOf(cases, [home(1, 2, { start: D, end: D + 1 })], 2, 1)).toBeCloseTo(logInc(2) + Math.log(2), 4);
    // An asymptomatic candidate is infectious before its sampling, however long before: the whole overlap counts, times
    // the edition's relative infectiousness.
    const asym = [{ ...cases[0], asymptomatic: true }, cases[1]];
    expect(scoreOf(asym, [home(1, 2, { start: -D, end: 0.5 * D })], 2, 1))
      .toBeCloseTo(logMeanInc(3 * D, -D, 0.5 * D) + Math.log(edition.chains.asymptomaticRelative) + Math.log(2), 3);
  });

  it('ends the window at the isolation, or at the confirmation when never isolated; an exposure after it weighs the implausible weight', () => {
    // Exposure on day 3 (two hours), case 2's onset day 6; candidate 1's onset day 0.
    const x = [home(1, 2, { start: 3 * D, end: 3 * D + 2 * H })];
    const with1 = (c: Partial<ChainCase>) => scoreOf([{ id: 1, onset: 0, ...c }, { id: 2, onset: 6 * D, confirmedAt: 7 * D }], x, 2, 1)!;
    const inside = with1({ confirmedAt: 4 * D });
    expect(inside).toBeCloseTo(logMeanInc(6 * D, 3 * D, 3 * D + 2 * H) + Math.log(2), 3);
    expect(with1({ isolatedAt: null, confirmedAt: 4 * D })).toBe(inside);
    expect(with1({})).toBe(inside); // neither: infectious to the end
    expect(with1({ confirmedAt: 2 * D }) - inside).toBeCloseTo(Math.log(implausibleWeight), 10);
    expect(with1({ isolatedAt: null, confirmedAt: 2 * D }) - inside).toBeCloseTo(Math.log(implausibleWeight), 10);
    expect(with1({ isolatedAt: 2 * D, confirmedAt: 4 * D }) - inside).toBeCloseTo(Math.log(implausibleWeight), 10); // isolated first
    // Confirmed at the exposure's very start: infectious at that instant, the incubation from it (3 days).
    expect(with1({ confirmedAt: 3 * D })).toBeCloseTo(logInc(3) + Math.log(2), 10);
    // The window's other end: an exposure that ends exactly 2 days before the candidate's onset counts at that instant.
    expect(scoreOf([{ id: 1, onset: 5 * D + 2 * H, confirmedAt: 6 * D }, { id: 2, onset: 6 * D }], x, 2, 1)).toBeCloseTo(logInc(3 - 2 / 24) + Math.log(2), 10);
  });

  it('takes a time not before the case\'s onset as the incubation at a quarter day times the implausible weight', () => {
    const cases = [{ id: 1, onset: 0, confirmedAt: 9 * D }, { id: 2, onset: 3 * D }];
    const implausible = logInc(0.25) + Math.log(implausibleWeight) + Math.log(2);
    expect(scoreOf(cases, [home(1, 2, { start: 3 * D + H, end: 3 * D + 2 * H })], 2, 1)).toBeCloseTo(implausible, 10);
    expect(scoreOf(cases, [home(1, 2, { start: 3 * D, end: 3 * D })], 2, 1)).toBeCloseTo(implausible, 10); // at the onset itself
  });
});

describe('the likelihood without a time', () => {
  it('scores by the serial interval an exposure whose window has no end, and keeps a later asymptomatic candidate out', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 3 * D }];
    expect(scoreOf(cases, [home(1, 2, { start: 2 * D })], 2, 1)).toBeCloseTo(logSI(3) + Math.log(2), 12);
    expect(scoreOf(cases, [home(1, 2, { end: 2 * D })], 2, 1)).toBeCloseTo(logSI(3) + Math.log(2), 12);
    const later = [{ id: 1, onset: 4 * D, asymptomatic: true }, { id: 2, onset: 3 * D }];
    expect(scoreOf(later, [home(1, 2, { start: 2 * D })], 2, 1)).toBeUndefined();
    expect(scoreOf(later, [home(1, 2)], 2, 1)).toBeUndefined();
    expect(scoreOf(later, [home(1, 2, { end: 2 * D })], 2, 1)).toBeUndefined();
    expect(scoreOf(later, [home(1, 2, { start: 2 * D, end: 2 * D + H })], 2, 1)).toBeDefined(); // with its time it is a candidate
  });

  it('gives a candidate confirmed the same China day and not before the case the serial interval at a quarter day times the implausible weight', () => {
    const implausible = logSI(0.25) + Math.log(implausibleWeight) + Math.log(2);
    const later = [{ id: 1, onset: 2 * D, confirmedAt: 3 * D }, { id: 2, onset: 1.5 * D, confirmedAt: 3 * D }];
    expect(scoreOf(later, [home(1, 2)], 2, 1)).toBeCloseTo(implausible, 12);
    // The same onset, each a candidate of the other with equal scores (ten hours at home: more probable than "source
    // unknown"): a forest of one link, the lower infectee's.
    const same = [{ id: 1, onset: D, confirmedAt: 3 * D }, { id: 2, onset: D, confirmedAt: 3 * D }];
    const long = (infector: number, infectee: number): Exposure => ({ ...home(infector, infectee), minutes: 600 });
    const pair = inferInfectors({ cases: same, edition, exposures: [long(1, 2), long(2, 1)] });
    const score = logSI(0.25) + Math.log(implausibleWeight) + Math.log(11);
    expect(pair.map((x) => x.candidates.map((c) => c.infector))).toEqual([[2], [1]]);
    expect(pair[0].candidates[0].score).toBeCloseTo(score, 12);
    expect(pair[1].candidates[0].score).toBe(pair[0].candidates[0].score);
    expect(pair[0].candidates[0].probability).toBeGreaterThan(pair[0].sourceUnknownProbability);
    expect(pair.map((x) => x.infector)).toEqual([2, null]);
    // The same with case 3, four days before, met briefly by both (a weaker but still chosen candidate), and case 4,
    // which met no one: 2 takes 3.
    const brief = (infectee: number): Exposure => ({ infector: 3, infectee, setting: 'visit', minutes: 0 });
    const r = inferInfectors({ cases: [...same, { id: 3, onset: -3 * D }, { id: 4, onset: 0 }], edition, exposures: [long(1, 2), long(2, 1), brief(1), brief(2)] });
    expect(r.map((x) => x.candidates.map((c) => c.infector))).toEqual([[2, 3], [1, 3], [], []]);
    expect(r[0].candidates[1].probability).toBeGreaterThan(r[0].sourceUnknownProbability);
    expect(r.map((x) => x.infector)).toEqual([2, 3, null, null]);
  });

  it('never makes a case its own candidate, even confirmed that day or asymptomatic with the exposure\'s time', () => {
    const cases = [{ id: 1, onset: D, confirmedAt: 3 * D }, { id: 2, onset: D, confirmedAt: 3 * D, asymptomatic: true }];
    const r = inferInfectors({ cases, edition, exposures: [home(1, 1), home(2, 2, { start: 0, end: H })] });
    expect(r.map((x) => [x.infector, x.candidates])).toEqual([[null, []], [null, []]]);
  });

  it('counts the confirmation day in China\'s time (UTC+8)', () => {
    // 15:30 and 16:30 UTC of one day are 23:30 and 00:30 of two days in China; 16:30 UTC and 15:00 UTC the next day are one.
    const pair = (c1: number, c2: number) => [{ id: 1, onset: 2 * D, confirmedAt: c1 }, { id: 2, onset: 1.5 * D, confirmedAt: c2 }];
    expect(scoreOf(pair(3 * D + 15.5 * H, 3 * D + 16.5 * H), [home(1, 2)], 2, 1)).toBeUndefined();
    expect(scoreOf(pair(3 * D + 16.5 * H, 4 * D + 15 * H), [home(1, 2)], 2, 1)).toBeDefined();
  });
});

describe('a candidate infected less than the minimum latent period before the exposure', () => {
  // Case 2 (onset day 5) was exposed to 1 at a dinner on day 0, to 4 at home on day 2 (the better score) and to 8 with
  // no time. Then 2 met 3 on day 2.5, 5 on day 0.5 and 6 on day 3, at home for an hour each.
  const cases = [
    { id: 1, onset: 0.5 * D, confirmedAt: 4 * D }, { id: 4, onset: 3 * D, confirmedAt: 6 * D }, { id: 8, onset: D, confirmedAt: 4 * D },
    { id: 2, onset: 5 * D, confirmedAt: 8 * D },
    { id: 3, onset: 7 * D, confirmedAt: 9 * D }, { id: 5, onset: 7 * D, confirmedAt: 9 * D }, { id: 6, onset: 7 * D, confirmedAt: 9 * D },
  ];
  const into2: Exposure[] = [
    { infector: 1, infectee: 2, setting: 'dining_entertainment', minutes: 120, start: 0, end: H },
    { infector: 4, infectee: 2, setting: 'household', minutes: 60, start: 2 * D, end: 2 * D + 5 * H },
    { infector: 8, infectee: 2, setting: 'visit', minutes: 60 },
  ];
  const from2 = [home(2, 3, { start: 2.5 * D, end: 2.5 * D + H }), home(2, 5, { start: 0.5 * D, end: 0.5 * D + H }), home(2, 6, { start: 3 * D, end: 3 * D + H })];

  it('multiplies its likelihood by the chance it was infected earlier, by its own candidates\' probabilities', () => {
    expect(minLatentDays).toBe(1);
    const r = inferInfectors({ cases, edition, exposures: [...into2, ...from2] });
    // Without knowing how 2 was infected, nothing lowers it.
    const alone = inferInfectors({ cases, edition, exposures: from2 });
    const of2 = r.find((x) => x.caseId === 2)!;
    expect(of2.candidates.map((c) => c.infector)).toEqual([4, 1, 8]);
    const p = (id: number) => of2.candidates.find((c) => c.infector === id)!.probability;
    const lowered = (id: number) => r.find((x) => x.caseId === id)!.candidates[0].score - alone.find((x) => x.caseId === id)!.candidates[0].score;
    // Day 2.5 less a day: 2 was infected after that only if 4 infected it.
    expect(lowered(3)).toBeCloseTo(Math.log(1 - p(4)), 10);
    // Day 0.5 less a day: before both timed exposures.
    expect(lowered(5)).toBeCloseTo(Math.log(1 - p(4) - p(1)), 10);
    // Day 3 less a day is exactly the start of 4's exposure: infected a full latent period before, so not lowered.
    expect(lowered(6)).toBe(0);
    // No less than the implausible weight.
    const worse = inferInfectors({ cases, edition, exposures: [...into2.slice(0, 2), ...from2] });
    expect(worse.find((x) => x.caseId === 5)!.candidates[0].score - alone.find((x) => x.caseId === 5)!.candidates[0].score)
      .toBeCloseTo(Math.log(Math.max(implausibleWeight, 1 - worse[3].candidates.reduce((s, c) => s + c.probability, 0))), 10);
  });
});

describe('a candidate\'s fields and the choice against "source unknown"', () => {
  it('gives the best exposure\'s start and place, and neither when unknown', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 0 }, { id: 3, onset: 0 }, { id: 9, onset: 3 * D }];
    const r = inferInfectors({ cases, edition, exposures: [
      { ...home(1, 9, { start: D, end: D + H }), placeId: 5 }, { ...home(2, 9, { start: D, end: D + H }), placeId: null }, home(3, 9),
    ] });
    const byId = new Map(r[3].candidates.map((c) => [c.infector, c]));
    expect(Object.keys(byId.get(1)!).sort()).toEqual(['exposurePlace', 'exposureStart', 'infector', 'probability', 'score']);
    expect(byId.get(1)).toMatchObject({ exposurePlace: 5, exposureStart: D });
    expect(Object.keys(byId.get(2)!).sort()).toEqual(['exposureStart', 'infector', 'probability', 'score']);
    expect(Object.keys(byId.get(3)!).sort()).toEqual(['infector', 'probability', 'score']);
  });

  it('chooses a candidate only when more probable than "source unknown", a tie going to "source unknown"', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 3 * D }];
    const x = [{ infector: 1, infectee: 2, setting: 'visit' as const, minutes: 0 }];
    const likelihood = Math.exp(logSI(3) + Math.log(edition.chains.otherSettingWeight));
    expect(likelihood).toBeGreaterThan(sourceUnknownLikelihood);
    const at = (l0: number) => inferInfectors({ cases, exposures: x, edition: { ...edition, chains: { ...edition.chains, sourceUnknownLikelihood: l0 } } })[1];
    expect(at(sourceUnknownLikelihood)).toMatchObject({ infector: 1, sourceUnknown: false });
    const tie = at(likelihood);
    expect(tie.candidates[0].probability).toBe(tie.sourceUnknownProbability);
    expect(tie).toMatchObject({ infector: null, sourceUnknown: true, sourceUnknownProbability: 0.5 });
    const below = at(2 * likelihood);
    expect(below).toMatchObject({ infector: null, sourceUnknown: true });
    expect(below.candidates.map((c) => [c.infector, c.probability])).toEqual([[1, expect.closeTo(1 / 3, 12)]]); // still listed
  });
});

describe('confirmed links in the forest', () => {
  it('keeps a confirmed link whose infector is not among the cases given', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 2 * D }];
    const r = inferInfectors({ cases, edition, exposures: [home(1, 2)], links: [{ infector: 99, infectee: 2, verdict: 'confirmed' }] });
    expect(r[1]).toMatchObject({ infector: 99, byInvestigator: true, sourceUnknown: false });
    expect(r[1].candidates.map((c) => c.infector)).toEqual([1]);
  });

  it('finds a descent through a case outside the list, ignoring a link confirmed from that case to itself', () => {
    // Confirmed: 5 infected 99 (not among the cases), 99 infected 2; 99 -> 99 too, which must not replace 5 -> 99.
    // So 2 descends from 5 and is no candidate of it (2 -> 5 would close 5 -> 99 -> 2 -> 5).
    const cases = [{ id: 2, onset: 2 * D }, { id: 5, onset: 4 * D }];
    const links = [{ infector: 5, infectee: 99, verdict: 'confirmed' as const }, { infector: 99, infectee: 2, verdict: 'confirmed' as const }, { infector: 99, infectee: 99, verdict: 'confirmed' as const }];
    const r = inferInfectors({ cases, edition, links, exposures: [{ ...home(2, 5), minutes: 600 }] });
    expect(r.map((x) => [x.caseId, x.infector, x.byInvestigator])).toEqual([[2, 99, true], [5, null, false]]);
    expect(r[1].candidates).toEqual([]);
  });

  it('ends the walk up a cycle of confirmed links (which the links service refuses) and keeps the other candidates', () => {
    // 1 -> 2 and 2 -> 1 both confirmed: the first placed stands, the second would close the cycle. 3 descends from neither.
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: D }, { id: 3, onset: 3 * D }];
    const r = inferInfectors({ cases, edition, exposures: [home(1, 3)], links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }, { infector: 2, infectee: 1, verdict: 'confirmed' }] });
    expect(r.map((x) => [x.caseId, x.infector, x.byInvestigator])).toEqual([[1, null, false], [2, 1, true], [3, 1, false]]);
  });

  it('checks inferred links for a cycle when any confirmed link runs against the onsets, even beside one along them', () => {
    // Confirmed: 3 infected 1 (against the onsets) and 4 infected 5 (along them). Inferred 1 -> 2 (strong), 2 -> 3
    // (weaker): 2 -> 3 would close 1 -> 2 -> 3 -> 1.
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 2 * D }, { id: 3, onset: 5 * D }, { id: 4, onset: 0 }, { id: 5, onset: 3 * D }];
    const r = inferInfectors({
      cases, edition, links: [{ infector: 4, infectee: 5, verdict: 'confirmed' }, { infector: 3, infectee: 1, verdict: 'confirmed' }],
      exposures: [{ ...home(1, 2), minutes: 600 }, { infector: 2, infectee: 3, setting: 'visit', minutes: 10 }],
    });
    expect(r.map((x) => [x.caseId, x.infector])).toEqual([[1, 3], [2, 1], [3, null], [4, null], [5, 4]]);
  });
});
