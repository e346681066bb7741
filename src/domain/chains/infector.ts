/**
 * Who most likely infected whom. For each case the candidates are other cases that had it as a close contact or met it
 * at an exposure event (exposure evidence), ranked by a likelihood whose numbers are the edition's:
 *
 * - With the exposure's time known (the overlap [start, end] of the evidence), the candidate infected the case at t:
 *     L = f_inc(onset_case - t)                 incubation, gamma with the edition's mean and sd (per day)
 *       * [t within the candidate's infectious window, else `chains.implausibleWeight`]
 *       * w(setting) * (1 + hours of exposure)
 *   The infectious window runs from `naturalHistory.infectiousBeforeOnsetDays` before the candidate's onset to its
 *   isolation (or confirmation); f_inc is averaged over t in the overlap's part inside that window (16 points: a long
 *   overlap is no better a fit than its hours). A t not before the case's onset takes f_inc at a quarter day times
 *   the implausible weight. So a case infected at the same event as the case (a sibling, not yet infectious there)
 *   ranks below the event's source, whatever their onsets. An asymptomatic candidate's L is multiplied by
 *   `chains.asymptomaticRelative` (asymptomatic infections transmit less).
 * - Without a time (an investigator's relation, an entered event with no overlap), the serial interval stands in:
 *     L = f_SI(onset_case - onset_candidate) * w(setting) * (1 + hours)
 *
 * Onset is the symptom onset, or the sampling time for asymptomatic cases. A candidate whose onset is not before the
 * case's is dropped, unless the two were confirmed on the same China day (household co-infection: either may have
 * infected the other; the later one then takes f_SI at a quarter day times the implausible weight when no time is
 * known), or the candidate is asymptomatic and the exposure's time is known: its sampling says nothing of when it was
 * infected, so its infectious window is open before its isolation and the incubation of the case decides. Links between two cases of one person are never candidates (a reinfection is an infection anew). Every
 * candidate has a probability L / (L_0 + sum of L), where L_0 is `chains.sourceUnknownLikelihood`, and "source unknown"
 * has L_0 / (L_0 + sum of L). No candidate: source unknown. Investigator links override: a confirmed link is chosen, a
 * rejected one is never a candidate, nor is a case descended from the case through confirmed links. `score` is log L.
 *
 * The result is a forest: every case has at most one infector, and no case descends from itself. Confirmed links are
 * placed first (in the order given, one per infectee, the last one entered; one that would close a cycle of confirmed
 * links, which the links service refuses, is left out). Inferred links are then placed from the highest score down:
 * a case takes its best candidate that does not close a cycle, so of the links of a cycle the lowest-ranked inferred
 * one is dropped. Only a candidate more probable than "source unknown" is chosen (the most probable of the candidates
 * and "source unknown" wins); the others stay listed, with their probabilities, for an investigator to confirm.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import type { ContactSetting } from '../vocab.ts';

/**
 * A case: its onset (seconds), its person when known (a person's cases are never linked to each other), when it
 * was confirmed and isolated (seconds; the end of its infectious window, and same-day confirmation), and whether it is
 * asymptomatic (its "onset" is then its sampling, which says little of when it was infectious).
 */
export interface ChainCase { id: number; onset: number; personId?: number; confirmedAt?: number; isolatedAt?: number | null; asymptomatic?: boolean }
/** An exposure of `infectee` to `infector`: its setting, minutes, and when known the overlap's window (seconds) and place. */
export interface Exposure { infector: number; infectee: number; setting: ContactSetting; minutes: number; start?: number; end?: number; placeId?: number | null }
export interface InvestigatorLink { infector: number; infectee: number; verdict: 'confirmed' | 'rejected' }
/**
 * A candidate infector: its log-likelihood, its probability (0..1) among the candidates and "source unknown", and the
 * start of the exposure that scored best (seconds; absent when its time is not known).
 */
export interface Candidate { infector: number; score: number; probability: number; exposureStart?: number; exposurePlace?: number }
/** `sourceUnknownProbability`: 1 with no candidate; otherwise L_0 / (L_0 + sum of the candidates' L). */
export interface Inference { caseId: number; infector: number | null; sourceUnknown: boolean; byInvestigator: boolean; candidates: Candidate[]; sourceUnknownProbability: number }

const DAY = 86400;
/** China's day (UTC+8) of a time in seconds: cases confirmed on one day are candidates of each other. */
const chinaDay = (t: number) => Math.floor((t + 8 * 3600) / DAY);

/** Log of the gamma density with this mean and sd (days) at x days. */
export function logGammaPdf(x: number, mean: number, sd: number): number {
  return gammaLogDensity(mean, sd)(x);
}

/** The log gamma density with this mean and sd (days), as a function of days: its constants computed once. */
export function gammaLogDensity(mean: number, sd: number): (x: number) => number {
  const k = (mean / sd) ** 2, theta = (sd * sd) / mean;
  const constant = -k * Math.log(theta) - logGamma(k);
  return (x) => (x <= 0 ? -Infinity : (k - 1) * Math.log(x) - x / theta + constant);
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
  const { chains: ch } = props.edition;
  const byCase = new Map(props.cases.map((c) => [c.id, c]));
  const samePerson = (a: ChainCase, b: ChainCase) => a.id === b.id || (a.personId !== undefined && a.personId === b.personId);
  // Stryker disable next-line ArrayDeclaration: equivalent: with no links given, the mutant's string has no verdict and is filtered out
  const rejected = new Set((props.links ?? []).filter((l) => l.verdict === 'rejected').map((l) => `${l.infector}>${l.infectee}`));
  const logWeights = new Map<string, number>();
  const logWeight = (setting: ContactSetting) => {
    let w = logWeights.get(setting);
    // Stryker disable next-line ConditionalExpression: equivalent as true: the cache only spares a logarithm, computing it again gives the same weight (false, disabled with it, gives no weight and fails every score test)
    if (w === undefined) logWeights.set(setting, (w = Math.log(ch.settingWeights[setting] ?? ch.otherSettingWeight)));
    return w;
  };
  const logLikelihood = likelihoodOf(props.edition);
  // Confirmed links: infectee -> infector (one per infectee, the last entered), never between two cases of one person.
  const linkedPersons = (l: InvestigatorLink) => { const a = byCase.get(l.infector), b = byCase.get(l.infectee); return !a || !b || !samePerson(a, b); };
  // Stryker disable next-line ArrayDeclaration: equivalent: with no links given, the mutant's string has no verdict and is filtered out
  const confirmed = new Map((props.links ?? []).filter((l) => l.verdict === 'confirmed' && l.infector !== l.infectee && linkedPersons(l)).map((l) => [l.infectee, l.infector]));
  // A candidate descended from the case through confirmed links cannot have infected it (the links service refuses
  // that confirmation as a cycle): it is no candidate.
  const descendsFrom = (candidate: number, kase: number) => {
    let steps = 0;
    for (
      let at = confirmed.get(candidate);
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: walking on past the root reads confirmed.get(undefined), undefined again, until the step bound below (only slower)
      at !== undefined &&
      // The walk never needs more steps than there are confirmed links (the candidate is one of their infectees, and
      // every ancestor another); the bound only ends a cycle of confirmed links.
      // Stryker disable next-line EqualityOperator: equivalent for <: the last step of <= only revisits a case of a cycle (>, disabled with it, never walks and fails the descent test)
      steps <= confirmed.size;
      at = confirmed.get(at), steps++
    ) if (at === kase) return true;
    return false;
  };
  /** Every case's candidates, best first, with their probabilities; `corrected` lowers a candidate infected at the same exposure. */
  // Each exposure that may have infected its infectee, with its score before the correction (scored once, ranked twice).
  const scorable: { x: Exposure; base: number }[] = [];
  // Speed only: with no rejected or confirmed link, the look-ups below find nothing (and build no key per exposure).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent as true and >= (an empty set or map has nothing to find); false and <, disabled with them, fail the rejected-link and descent tests
  const anyRejected = rejected.size > 0, anyConfirmed = confirmed.size > 0;
  for (const x of props.exposures) {
    const a = byCase.get(x.infector), b = byCase.get(x.infectee);
    if (!a || !b || samePerson(a, b) || (anyRejected && rejected.has(`${x.infector}>${x.infectee}`))) continue;
    if (anyConfirmed && descendsFrom(x.infector, x.infectee)) continue;
    // A case never confirmed has no day (NaN equals nothing).
    const sameDay = chinaDay(a.confirmedAt ?? NaN) === chinaDay(b.confirmedAt ?? NaN);
    const timed = x.start !== undefined && x.end !== undefined;
    if (a.onset >= b.onset && !sameDay && !(a.asymptomatic && timed)) continue;
    scorable.push({ x, base: logLikelihood(a, b, x) + logWeight(x.setting) + Math.log(1 + x.minutes / 60) });
  }
  const rank = (corrected: (a: number, x: Exposure) => number) => {
    // Per infectee, per candidate, its best exposure (a candidate is made of it once, below).
    const byInfectee = new Map<number, Map<number, { infector: number; score: number; x: Exposure }>>();
    for (const { x, base } of scorable) {
      const score = base + Math.log(corrected(x.infector, x));
      let m = byInfectee.get(x.infectee);
      if (!m) byInfectee.set(x.infectee, (m = new Map()));
      const prev = m.get(x.infector);
      // Stryker disable next-line EqualityOperator: equivalent for >=: on a tie the candidate is replaced by an identical one (the same infector and score); <=, disabled with it, fails the best-exposure test
      if (!prev || score > prev.score) m.set(x.infector, { infector: x.infector, score, x });
    }
    const unknown = new Map<number, number>();
    const ranked = new Map(props.cases.map((c) => {
      const xs = [...(byInfectee.get(c.id)?.values() ?? [])].sort((p, q) => q.score - p.score || p.infector - q.infector);
      const total = ch.sourceUnknownLikelihood + xs.reduce((t, x) => t + Math.exp(x.score), 0);
      unknown.set(c.id, ch.sourceUnknownLikelihood / total);
      return [c.id, xs.map(({ infector, score, x }): Candidate => ({
        infector, score, ...(x.start === undefined ? {} : { exposureStart: x.start }), ...(x.placeId === undefined || x.placeId === null ? {} : { exposurePlace: x.placeId }), probability: Math.exp(score) / total,
      }))];
    }));
    return { ranked, unknown };
  };
  // A candidate that was itself infected at or after the exposure, or less than `naturalHistory.minLatentDays` before
  // it, was not yet infectious there (a sibling infected at the same event, not its source): its likelihood is
  // multiplied by the chance it was infected earlier, from a first ranking (no less than the implausible weight).
  const first = rank(() => 1);
  const latent = props.edition.naturalHistory.minLatentDays * DAY;
  // Per case, its first ranking's timed candidates by exposure start, each with the probability of it and every later one.
  const infectedFrom = new Map<number, { start: number; fromHere: number }[]>();
  for (const [id, cs] of first.ranked) {
    const timed = cs.filter((c) => c.exposureStart !== undefined).sort((p, q) => p.exposureStart! - q.exposureStart!);
    const out = timed.map((c) => ({ start: c.exposureStart!, fromHere: c.probability }));
    for (let i = out.length - 2; i >= 0; i--) out[i].fromHere += out[i + 1].fromHere;
    infectedFrom.set(id, out);
  }
  /** The first ranking's probability that case `a` was infected after `t` (seconds). */
  const infectedAfter = (a: number, t: number) => {
    // Stryker disable next-line ArrayDeclaration: unreachable: every case has its entry (an exposure's infector is one of the cases)
    const xs = infectedFrom.get(a) ?? [];
    let lo = 0, hi = xs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid].start > t) hi = mid; else lo = mid + 1; }
    return lo < xs.length ? xs[lo].fromHere : 0;
  };
  // Stryker disable next-line ConditionalExpression: equivalent as false: an exposure without a time gives NaN, after which no exposure starts, so its weight is 1 all the same (true, disabled with it, never lowers a candidate and fails the latent-period test)
  const second = rank((a, x) => (x.start === undefined ? 1 : Math.max(ch.implausibleWeight, 1 - infectedAfter(a, x.start - latent))));
  const unknownProbability = second.unknown;
  const ranked = props.cases.map((c) => second.ranked.get(c.id)!);
  // The inference chooses the most probable of the candidates and "source unknown": a candidate less probable than
  // "source unknown" is listed (for an investigator to confirm) but not chosen.
  const choosable = props.cases.map((c, i) => ranked[i].filter((x) => x.probability > unknownProbability.get(c.id)!));

  // The forest, confirmed links first. A cycle needs a link whose infector's onset is not before its infectee's, which
  // only a confirmed link can be: without one, no inferred link is checked, and each case takes its best candidate.
  const parent = new Map<number, number>();
  const closesCycle = (infector: number, infectee: number) => {
    for (let at: number | undefined = infector; at !== undefined; at = parent.get(at)) if (at === infectee) return true;
    return false;
  };
  for (const [infectee, infector] of confirmed) if (!closesCycle(infector, infectee)) parent.set(infectee, infector);
  const byInvestigator = new Set(parent.keys());
  // Speed only: checking every inferred link for a cycle when none can form gives each case its best candidate all the
  // same, so a mutant that checks more often changes nothing (those that check less often, disabled with them, fail
  // the cycle tests). A confirmed link of equal onsets closes no cycle with inferred links along the onsets (<= for <),
  // and a case outside the list is flagged by its own confirmed infector link (+Infinity for its unknown onset).
  // Stryker disable next-line ArrowFunction: equivalent: no onset flags every link (the optional chaining is pinned by the test of an infector outside the list)
  const onsetOf = (id: number) => byCase.get(id)?.onset;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,UnaryOperator: equivalent: see above
  const mayCycle = [...parent].some(([infectee, infector]) => !((onsetOf(infector) ?? Infinity) < (onsetOf(infectee) ?? -Infinity)))
    ||
    // Stryker disable next-line ConditionalExpression,MethodExpression: equivalent where it flags more: this test made true, the comparison made false, and xs.every for xs.some (the earliest case's candidates, if it has any, all have an onset not before its own, so the test always holds); those that flag less (the opposite values, choosable.every), disabled with them, fail the equal-onset and same-day cycle tests
    choosable.some((xs, i) => xs.some((x) => !(onsetOf(x.infector)! < props.cases[i].onset)));
  // Stryker disable next-line ConditionalExpression: equivalent: see mayCycle
  if (mayCycle) {
    const byScore = props.cases.flatMap((c, i) => (parent.has(c.id) ? [] : choosable[i].map((x) => ({ infectee: c.id, ...x }))))
      // Equal scores of one infectee keep ranked's order (by infector): the sort is stable.
      .sort((p, q) => q.score - p.score || p.infectee - q.infectee);
    for (const x of byScore) if (!parent.has(x.infectee) && !closesCycle(x.infector, x.infectee)) parent.set(x.infectee, x.infector);
  }
  return props.cases.map((c, i) => {
    const infector = parent.get(c.id) ?? (mayCycle ? null : choosable[i][0]?.infector ?? null);
    const candidates = ranked[i];
    return { caseId: c.id, infector, sourceUnknown: infector === null, byInvestigator: byInvestigator.has(c.id), candidates, sourceUnknownProbability: candidates.length ? unknownProbability.get(c.id)! : 1 };
  });
}

/**
 * log L of `a` infecting `b` through exposure `x`, before the setting and duration (see the file's comment): by the
 * exposure's time and the incubation when the overlap is known, by the serial interval otherwise. The edition's
 * densities are made once (a call of `inferInfectors` scores hundreds of thousands of exposures).
 */
function likelihoodOf(edition: ProtocolEdition): (a: ChainCase, b: ChainCase, x: Exposure) => number {
  const nh = edition.naturalHistory, logImplausible = Math.log(edition.chains.implausibleWeight);
  const logAsymptomatic = Math.log(edition.chains.asymptomaticRelative);
  const incubation = gammaLogDensity(nh.incubation.mean, nh.incubation.sd), serial = gammaLogDensity(nh.serialInterval.mean, nh.serialInterval.sd);
  const quarterDay = 0.25;
  const implausibleIncubation = incubation(quarterDay) + logImplausible, implausibleSerial = serial(quarterDay) + logImplausible;
  const infectiousBefore = nh.infectiousBeforeOnsetDays * DAY;
  const POINTS = 16;
  return (a, b, x) => {
    const relative = a.asymptomatic ? logAsymptomatic : 0;
    if (x.start === undefined || x.end === undefined) {
      const d = (b.onset - a.onset) / DAY;
      return relative + (d > 0 ? serial(d) : implausibleSerial);
    }
    const from = a.asymptomatic ? -Infinity : a.onset - infectiousBefore, to = a.isolatedAt ?? a.confirmedAt ?? Infinity;
    const lo = Math.max(x.start, from), hi = Math.min(x.end, to);
    const inWindow = lo <= hi;
    // The time of infection is anywhere in the part of the overlap where the candidate was infectious: the case's
    // incubation is averaged over it (at 16 points), so a long overlap is no better a fit than its best hour. A time
    // not before the case's onset takes the incubation at a quarter day times the implausible weight.
    const p = inWindow ? lo : x.start, q = inWindow ? hi : x.end;
    let sum = 0;
    for (let i = 0; i < POINTS; i++) {
      const days = (b.onset - (p + ((i + 0.5) / POINTS) * (q - p))) / DAY;
      sum += Math.exp(days > 0 ? incubation(days) : implausibleIncubation);
    }
    return relative + Math.log(sum / POINTS) + (inWindow ? 0 : logImplausible);
  };
}
