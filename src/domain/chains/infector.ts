/**
 * Who most likely infected whom. For each case the candidates are earlier cases that had it as a close contact
 * (exposure evidence), ranked by a log-likelihood that is documented here and uses the edition's serial interval:
 *   score = log f(onset_case - onset_candidate)            serial interval, gamma with the edition's mean and sd
 *         + log w(setting)                                 household 1, vehicle 0.6, dining and entertainment 0.5,
 *                                                          work and study 0.4, care 0.4, other settings 0.2
 *         + log(1 + hours of exposure)                     longer exposure, likelier
 * Onset is the symptom onset, or the sampling time for asymptomatic cases. A candidate whose onset is not before the
 * case's is dropped, and so is any link between two cases of one person (a reinfection is an infection anew, not
 * by the person's earlier case). No candidate: source unknown. Investigator links override: a confirmed link is chosen, a
 * rejected one is never a candidate.
 *
 * The result is a forest: every case has at most one infector, and no case descends from itself. Confirmed links are
 * placed first (in the order given, one per infectee, the last one entered; one that would close a cycle of confirmed
 * links, which the links service refuses, is left out). Inferred links are then placed from the highest score down:
 * a case takes its best candidate that does not close a cycle, so of the links of a cycle the lowest-ranked inferred
 * one is dropped. Inferred links alone cannot close a cycle (an infector's onset is before its infectee's); a
 * confirmed link against the onsets can.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import type { ContactSetting } from '../vocab.ts';

/** A case: its onset, and its person when known (a person's cases are never linked to each other). */
export interface ChainCase { id: number; onset: number; personId?: number }
export interface Exposure { infector: number; infectee: number; setting: ContactSetting; minutes: number }
export interface InvestigatorLink { infector: number; infectee: number; verdict: 'confirmed' | 'rejected' }
export interface Candidate { infector: number; score: number }
export interface Inference { caseId: number; infector: number | null; sourceUnknown: boolean; byInvestigator: boolean; candidates: Candidate[] }

export const SETTING_WEIGHT: Partial<Record<ContactSetting, number>> = {
  household: 1, vehicle: 0.6, dining_entertainment: 0.5, work_study: 0.4, care: 0.4,
};
const OTHER_SETTING_WEIGHT = 0.2;

/** Log of the gamma density with this mean and sd (days) at x days. */
export function logGammaPdf(x: number, mean: number, sd: number): number {
  if (x <= 0) return -Infinity;
  const k = (mean / sd) ** 2, theta = (sd * sd) / mean;
  return (k - 1) * Math.log(x) - x / theta - k * Math.log(theta) - logGamma(k);
}

/** Lanczos approximation of log Γ(z), z > 0. */
function logGamma(z: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent: at z = 0.5 the reflection formula and the series give the same value; for any z > 0 (a shape is) the series alone agrees to 1e-15 (1e-12 at z = 1e-5)
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

export function inferInfectors(props: { cases: ChainCase[]; exposures: Exposure[]; links?: InvestigatorLink[]; edition: ProtocolEdition }): Inference[] {
  const { mean, sd } = props.edition.naturalHistory.serialInterval;
  const onset = new Map(props.cases.map((c) => [c.id, c.onset]));
  const person = new Map(props.cases.flatMap((c) => (c.personId === undefined ? [] : [[c.id, c.personId] as const])));
  const samePerson = (a: number, b: number) => a === b || (person.has(a) && person.get(a) === person.get(b));
  // Stryker disable next-line ArrayDeclaration: equivalent: with no links given, the mutant's string has no verdict and is filtered out
  const rejected = new Set((props.links ?? []).filter((l) => l.verdict === 'rejected').map((l) => `${l.infector}>${l.infectee}`));
  const byInfectee = new Map<number, Map<number, Candidate>>();
  for (const x of props.exposures) {
    if (samePerson(x.infector, x.infectee) || rejected.has(`${x.infector}>${x.infectee}`)) continue;
    const a = onset.get(x.infector), b = onset.get(x.infectee);
    if (a === undefined
      ||
      // Stryker disable next-line ConditionalExpression: equivalent: an infectee not among the cases has no row in the answer, whatever its candidates
      b === undefined
      || a >= b) continue;
    const score = logGammaPdf((b - a) / 86400, mean, sd) + Math.log(SETTING_WEIGHT[x.setting] ?? OTHER_SETTING_WEIGHT) + Math.log(1 + x.minutes / 60);
    const m = byInfectee.get(x.infectee) ?? new Map<number, Candidate>();
    const prev = m.get(x.infector);
    // Stryker disable next-line EqualityOperator: equivalent for >=: on a tie the candidate is replaced by an identical one (the same infector and score); <=, disabled with it, fails the best-exposure test
    if (!prev || score > prev.score) m.set(x.infector, { infector: x.infector, score });
    byInfectee.set(x.infectee, m);
  }
  const ranked = props.cases.map((c) => [...(byInfectee.get(c.id)?.values() ?? [])].sort((p, q) => q.score - p.score || p.infector - q.infector));

  // The forest, confirmed links first. A cycle needs a link whose infector's onset is not before its infectee's, which
  // only a confirmed link can be: without one, no inferred link is checked, and each case takes its best candidate.
  const parent = new Map<number, number>();
  const closesCycle = (infector: number, infectee: number) => {
    for (let at: number | undefined = infector; at !== undefined; at = parent.get(at)) if (at === infectee) return true;
    return false;
  };
  // Stryker disable next-line ArrayDeclaration: equivalent: with no links given, the mutant's string has no verdict and is filtered out
  const confirmed = new Map((props.links ?? []).filter((l) => l.verdict === 'confirmed' && !samePerson(l.infector, l.infectee)).map((l) => [l.infectee, l.infector]));
  for (const [infectee, infector] of confirmed) if (!closesCycle(infector, infectee)) parent.set(infectee, infector);
  const byInvestigator = new Set(parent.keys());
  // Speed only: checking every inferred link for a cycle when none can form gives each case its best candidate all the
  // same, so a mutant that checks more often changes nothing (those that never check, disabled with them, fail the
  // cycle tests).
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,UnaryOperator: equivalent: see above
  const mayCycle = [...parent].some(([infectee, infector]) => !((onset.get(infector) ?? Infinity) < (onset.get(infectee) ?? -Infinity)));
  // Stryker disable next-line ConditionalExpression: equivalent: see mayCycle
  if (mayCycle) {
    const byScore = props.cases.flatMap((c, i) => (parent.has(c.id) ? [] : ranked[i].map((x) => ({ infectee: c.id, ...x }))))
      // Equal scores of one infectee keep ranked's order (by infector): the sort is stable.
      .sort((p, q) => q.score - p.score || p.infectee - q.infectee);
    for (const x of byScore) if (!parent.has(x.infectee) && !closesCycle(x.infector, x.infectee)) parent.set(x.infectee, x.infector);
  }
  return props.cases.map((c, i) => {
    const infector = parent.get(c.id) ?? (mayCycle ? null : ranked[i][0]?.infector ?? null);
    return { caseId: c.id, infector, sourceUnknown: infector === null, byInvestigator: byInvestigator.has(c.id), candidates: ranked[i] };
  });
}
