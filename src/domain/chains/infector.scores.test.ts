/**
 * The infector score pinned to its formula (serial-interval log density, setting weight, exposure hours) and the
 * forest's order and tie-breaks pinned on small cases worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { inferInfectors, logGammaPdf, type Exposure } from './infector.ts';

const edition = loadEdition('ed8-delta-2021');
const { mean, sd } = edition.naturalHistory.serialInterval;
const D = 86400;
/** The gamma density written out: x^(k-1) e^(-x/θ) / (Γ(k) θ^k), k = (mean/sd)², θ = sd²/mean. */
const gammaPdf = (x: number, m: number, s: number, gammaOfK: number) => {
  const k = (m / s) ** 2, theta = (s * s) / m;
  return x ** (k - 1) * Math.exp(-x / theta) / (gammaOfK * theta ** k);
};

describe('logGammaPdf', () => {
  it('is the log of the gamma density, for shapes below and above one half, and -Infinity at or below zero', () => {
    // mean 2, sd 2: k = 1 (exponential with θ = 2), Γ(1) = 1.
    expect(logGammaPdf(3, 2, 2)).toBeCloseTo(Math.log(gammaPdf(3, 2, 2, 1)), 10);
    // mean 1, sd 2: k = 0.25, Γ(0.25) = 3.6256099082... (below one half: the reflection branch of log Γ).
    expect(logGammaPdf(1.5, 1, 2)).toBeCloseTo(Math.log(gammaPdf(1.5, 1, 2, 3.625609908221908)), 10);
    // mean 1, sd sqrt(2): k = 0.5, Γ(0.5) = sqrt(π) (at one half: either branch).
    expect(logGammaPdf(1.5, 1, Math.SQRT2)).toBeCloseTo(Math.log(gammaPdf(1.5, 1, Math.SQRT2, Math.sqrt(Math.PI))), 10);
    // mean 6, sd 3: k = 4, Γ(4) = 6.
    expect(logGammaPdf(5, 6, 3)).toBeCloseTo(Math.log(gammaPdf(5, 6, 3, 6)), 10);
    // mean 5, sd 2: k = 6.25, Γ(6.25) = 184.86096...
    expect(logGammaPdf(4, 5, 2)).toBeCloseTo(Math.log(gammaPdf(4, 5, 2, 184.86096003)), 7);
    expect(logGammaPdf(0, mean, sd)).toBe(-Infinity);
    expect(logGammaPdf(0, 1, 2)).toBe(-Infinity); // a shape below one: the density is unbounded near zero, but zero is no interval
    expect(logGammaPdf(-1, mean, sd)).toBe(-Infinity);
    expect(logGammaPdf(1e-9, mean, sd)).toBeGreaterThan(-Infinity);
  });
});

describe('inferInfectors scores and order', () => {
  const score = (days: number, setting: Exposure['setting'], minutes: number) =>
    logGammaPdf(days, mean, sd) + Math.log(edition.chains.settingWeights[setting] ?? edition.chains.otherSettingWeight) + Math.log(1 + minutes / 60);

  it('scores a candidate by the interval, the setting and the hours, keeping each infector\'s best exposure', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: D }, { id: 3, onset: 4 * D }];
    const [, , third] = inferInfectors({
      cases, edition, exposures: [
        { infector: 1, infectee: 3, setting: 'household', minutes: 90 },
        { infector: 1, infectee: 3, setting: 'visit', minutes: 30 }, // lower: not kept
        { infector: 2, infectee: 3, setting: 'vehicle', minutes: 120 },
      ],
    });
    expect(third.candidates.map((c) => c.infector)).toEqual(score(4, 'household', 90) > score(3, 'vehicle', 120) ? [1, 2] : [2, 1]);
    expect(third.candidates.find((c) => c.infector === 1)!.score).toBeCloseTo(score(4, 'household', 90), 12);
    expect(third.candidates.find((c) => c.infector === 2)!.score).toBeCloseTo(score(3, 'vehicle', 120), 12);
    // The best exposure is kept whichever comes first.
    const [, , reversed] = inferInfectors({
      cases, edition, exposures: [
        { infector: 1, infectee: 3, setting: 'visit', minutes: 30 },
        { infector: 1, infectee: 3, setting: 'household', minutes: 90 },
      ],
    });
    expect(reversed.candidates[0].score).toBeCloseTo(score(4, 'household', 90), 12);
    // A setting without a weight of its own (a visit) weighs 0.2.
    const [, other] = inferInfectors({ cases: cases.slice(0, 2), edition, exposures: [{ infector: 1, infectee: 2, setting: 'visit', minutes: 0 }] });
    expect(other.candidates[0].score).toBeCloseTo(logGammaPdf(1, mean, sd) + Math.log(0.2), 12);
  });

  it('weighs settings as the model says: household 1, vehicle 0.6, dining 0.5, work or study and care 0.4, any other 0.2', () => {
    expect(edition.chains.settingWeights).toEqual({ household: 1, vehicle: 0.6, dining_entertainment: 0.5, work_study: 0.4, care: 0.4 });
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 3 * D }];
    const at = (setting: Exposure['setting']) => inferInfectors({ cases, edition, exposures: [{ infector: 1, infectee: 2, setting, minutes: 0 }] })[1].candidates[0].score;
    expect(at('household') - at('visit')).toBeCloseTo(Math.log(1 / 0.2), 12);
    expect(at('vehicle') - at('dining_entertainment')).toBeCloseTo(Math.log(0.6 / 0.5), 12);
  });

  it('orders equal scores by infector id, and takes the best', () => {
    const cases = [{ id: 5, onset: 0 }, { id: 4, onset: 0 }, { id: 9, onset: 2 * D }];
    const x = (infector: number): Exposure => ({ infector, infectee: 9, setting: 'work_study', minutes: 60 });
    const r = inferInfectors({ cases, edition, exposures: [x(5), x(4)] });
    expect(r[2].candidates.map((c) => c.infector)).toEqual([4, 5]);
    expect(r[2]).toMatchObject({ infector: 4, sourceUnknown: false, byInvestigator: false });
  });

  it('drops candidates of the same onset or later, of the same person, unknown cases and rejected links', () => {
    const cases = [{ id: 1, onset: D, personId: 7 }, { id: 2, onset: D }, { id: 3, onset: 3 * D, personId: 7 }, { id: 4, onset: 0 }];
    const ex = (infector: number): Exposure => ({ infector, infectee: 3, setting: 'household', minutes: 60 });
    const r = inferInfectors({ cases, edition, exposures: [ex(1), ex(2), ex(4), ex(99), { infector: 3, infectee: 2, setting: 'household', minutes: 60 }, { infector: 4, infectee: 4, setting: 'household', minutes: 60 }], links: [{ infector: 4, infectee: 3, verdict: 'rejected' }] });
    expect(r.find((c) => c.caseId === 3)!.candidates.map((c) => c.infector)).toEqual([2]); // 1: same person; 4: rejected; 99: unknown
    expect(r.find((c) => c.caseId === 2)!.candidates).toEqual([]); // 3 is later
    expect(r.find((c) => c.caseId === 4)!.candidates).toEqual([]);
    expect(inferInfectors({ cases: [{ id: 1, onset: D }, { id: 2, onset: D }], edition, exposures: [{ infector: 1, infectee: 2, setting: 'household', minutes: 60 }] })[1].candidates).toEqual([]);
  });

  it('places a confirmed link against the onsets first, and then inferred links from the highest score, leaving out one that closes a cycle', () => {
    // Confirmed: 3 infected 1 (against the onsets). Inferred: 1 -> 2 (strong), 2 -> 3 (weaker): taking 2 -> 3 as well
    // would make 1 -> 2 -> 3 -> 1 a cycle, so 3 keeps no infector.
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 2 * D }, { id: 3, onset: 5 * D }];
    const r = inferInfectors({
      cases, edition, links: [{ infector: 3, infectee: 1, verdict: 'confirmed' }],
      exposures: [{ infector: 1, infectee: 2, setting: 'household', minutes: 600 }, { infector: 2, infectee: 3, setting: 'visit', minutes: 10 }],
    });
    expect(r.map((x) => [x.caseId, x.infector, x.byInvestigator, x.sourceUnknown])).toEqual([[1, 3, true, false], [2, 1, false, false], [3, null, false, true]]);
    expect(r[2].candidates.map((c) => c.infector)).toEqual([2]); // still listed as a candidate
    // The same with the cases in another order: the stronger link still goes first, whichever case comes first.
    const shuffled = inferInfectors({
      cases: [cases[2], cases[0], cases[1]], edition, links: [{ infector: 3, infectee: 1, verdict: 'confirmed' }],
      exposures: [{ infector: 1, infectee: 2, setting: 'household', minutes: 600 }, { infector: 2, infectee: 3, setting: 'visit', minutes: 10 }],
    });
    expect(shuffled.map((x) => [x.caseId, x.infector])).toEqual([[3, null], [1, 3], [2, 1]]);
  });

  it('ignores a link an investigator confirmed from a case to itself, keeping the case\'s other confirmed infector', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 2 * D }];
    const r = inferInfectors({ cases, edition, exposures: [], links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }, { infector: 2, infectee: 2, verdict: 'confirmed' }] });
    expect(r.map((x) => [x.caseId, x.infector, x.byInvestigator])).toEqual([[1, null, false], [2, 1, true]]);
  });

  it('keeps a confirmed link between a person\'s own cases out, and a confirmed link that would close a cycle of confirmed links', () => {
    const cases = [{ id: 1, onset: 0, personId: 1 }, { id: 2, onset: 9 * D, personId: 1 }, { id: 3, onset: 3 * D }];
    const r = inferInfectors({ cases, edition, exposures: [], links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }, { infector: 1, infectee: 3, verdict: 'confirmed' }, { infector: 3, infectee: 1, verdict: 'confirmed' }] });
    expect(r.map((x) => [x.caseId, x.infector, x.byInvestigator])).toEqual([[1, null, false], [2, null, false], [3, 1, true]]);
  });

  it('still lists a confirmed link\'s exposure among the infectee\'s candidates: only rejected links are dropped', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 0 }, { id: 3, onset: 2 * D }];
    const r = inferInfectors({ cases, edition, links: [{ infector: 2, infectee: 3, verdict: 'confirmed' }], exposures: [
      { infector: 1, infectee: 3, setting: 'household', minutes: 600 }, { infector: 2, infectee: 3, setting: 'visit', minutes: 10 },
    ] });
    expect(r[2]).toMatchObject({ infector: 2, byInvestigator: true });
    expect(r[2].candidates.map((c) => c.infector)).toEqual([1, 2]);
  });

  it('among inferred links of equal scores, places the lower infectee\'s first, whatever the order of the cases', () => {
    // Confirmed: 3 infected 1 (against the onsets). Inferred 1 -> 2 and 2 -> 3, both two days in a household for an hour:
    // equal scores. 1 -> 2 (infectee 2) goes first; 2 -> 3 would then close the cycle 1 -> 2 -> 3 -> 1.
    const cases = [{ id: 3, onset: 4 * D }, { id: 2, onset: 2 * D }, { id: 1, onset: 0 }];
    const r = inferInfectors({ cases, edition, links: [{ infector: 3, infectee: 1, verdict: 'confirmed' }], exposures: [
      { infector: 2, infectee: 3, setting: 'household', minutes: 60 }, { infector: 1, infectee: 2, setting: 'household', minutes: 60 },
    ] });
    expect(r[0].candidates[0].score).toBe(r[1].candidates[0].score);
    expect(r.map((x) => [x.caseId, x.infector])).toEqual([[3, null], [2, 1], [1, 3]]);
  });

  it('with confirmed links along the onsets, gives each case its best candidate without a cycle check', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 2 * D }, { id: 3, onset: 4 * D }];
    const r = inferInfectors({ cases, edition, links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }], exposures: [{ infector: 1, infectee: 3, setting: 'household', minutes: 60 }, { infector: 2, infectee: 3, setting: 'household', minutes: 600 }] });
    expect(r.map((x) => x.infector)).toEqual([null, 1, 2]);
  });
});
