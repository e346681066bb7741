/**
 * The instantaneous reproduction number R(t) of Cori, Ferguson, Fraser and Cauchemez (2013), "A new framework and
 * software to estimate time-varying reproduction numbers during epidemics", Am. J. Epidemiol. 178(9):1505-1512, as
 * the EpiEstim package computes it:
 * - the serial interval is a gamma distribution offset by one day (mean and standard deviation in days, the edition's
 *   `naturalHistory.serialInterval`), discretised to whole days as in the paper's web appendix 11 (`discreteSerialInterval`);
 * - the total infectiousness on day t is Λ_t = Σ_{s=1}^{t-1} I_{t-s} w_s, from the incidence I by day of onset;
 * - on each window of days [t1, t2], R has the posterior Gamma(a + Σ I_t, 1 / (1/b + Σ Λ_t)) (shape, scale) under a
 *   Gamma(a, b) prior (default: mean 5, standard deviation 5, the paper's), whose mean, standard deviation and
 *   quantiles are reported; by default the windows are a week long and slide by a day, starting on day 2.
 * Checked against the paper's software's published worked example (EpiEstim's Flu2009 data; `reproduction.test.ts`).
 *
 * Imported cases (infected elsewhere) are told apart as EpiEstim does since Thompson et al. (2019), "Improved inference
 * of time-varying reproduction numbers with an application to estimating the reproduction number of pandemic
 * influenza", Epidemics 29:100356: they infect others (they count in Λ_t) but were not infected by the local cases (they
 * are not in the window's Σ I_t). Without imported cases the estimate is Cori et al.'s.
 */
import jStat from 'jstat';

/** One window's estimate of R: days are indices into the incidence (0 = its first day). */
export interface ReproductionEstimate {
  /** First and last day of the window (inclusive). */
  startDay: number;
  endDay: number;
  /** Cases with onset in the window, and their total infectiousness (Σ Λ_t). */
  cases: number;
  infectiousness: number;
  mean: number;
  sd: number;
  median: number;
  /** The 95 % credible interval (2.5 % and 97.5 % quantiles of the posterior). */
  lower: number;
  upper: number;
}

export interface ReproductionOptions {
  /** Days in a window (default 7). */
  windowDays?: number;
  /** The prior of R (default mean 5, sd 5). */
  prior?: { mean: number; sd: number };
  /** Imported cases by day (as the incidence; absent: none): infectious here, not infected here. */
  imported?: readonly number[];
}

/**
 * The probability that the serial interval is k whole days, for k = 0 .. days - 1, when it is 1 + a gamma-distributed
 * number of days with the given mean and standard deviation (mean > 1). The mass at 0 is 0.
 * Throws RangeError when mean <= 1 or sd <= 0.
 */
export function discreteSerialInterval(mean: number, sd: number, days: number): number[] {
  if (!(mean > 1) || !(sd > 0)) throw new RangeError(`a serial interval offset by a day needs mean > 1 and sd > 0 (got ${mean}, ${sd})`);
  const shape = ((mean - 1) / sd) ** 2, scale = sd ** 2 / (mean - 1);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent as false and as x < 0: jStat's gamma cdf is 0 itself at and below 0 (every shape here is above 0); the guard says so plainly (as true, and as x > 0, it is killed)
  const cdf = (x: number, k: number) => (x <= 0 ? 0 : jStat.gamma.cdf(x, k, scale));
  const out: number[] = [];
  for (let k = 0; k < days; k++) {
    const w = k * cdf(k, shape) + (k - 2) * cdf(k - 2, shape) - 2 * (k - 1) * cdf(k - 1, shape)
      + shape * scale * (2 * cdf(k - 1, shape + 1) - cdf(k - 2, shape + 1) - cdf(k, shape + 1));
    out.push(Math.max(0, w));
  }
  return out;
}

/**
 * The total infectiousness on day t, Λ_t = Σ_{s=1}^{t} (I_{t-s} + imported_{t-s}) w_s: the cases expected that day
 * under R = 1 from every earlier case, local or imported (`si` the serial interval's daily masses).
 */
export function totalInfectiousness(incidence: readonly number[], imported: readonly number[], si: readonly number[], t: number): number {
  let sum = 0;
  for (let s = 1; s <= t && s < si.length; s++) sum += (incidence[t - s] + (imported[t - s] ?? 0)) * si[s];
  return sum;
}

/**
 * R(t) on sliding windows over a daily incidence (cases by day of onset, day 0 first) with the serial interval's
 * daily masses `si` (si[0] must be 0). Windows of `windowDays` days end on each day from windowDays (the first starts
 * on day 1: day 0 has no earlier cases to have infected it); none when the incidence is shorter.
 * Throws RangeError for a negative or fractional count, or a serial interval with mass at 0.
 */
export function instantaneousR(incidence: readonly number[], si: readonly number[], options: ReproductionOptions = {}): ReproductionEstimate[] {
  const windowDays = options.windowDays ?? 7;
  const prior = options.prior ?? { mean: 5, sd: 5 };
  const imported = options.imported ?? [];
  if ([...incidence, ...imported].some((n) => !Number.isInteger(n) || n < 0)) throw new RangeError('incidence must be whole numbers of cases, none negative');
  if (imported.length > incidence.length) throw new RangeError('imported cases are counted over the days of the incidence');
  if ((si[0] ?? 0) !== 0) throw new RangeError('the serial interval must have no mass at 0 days');
  const a = (prior.mean / prior.sd) ** 2, b = prior.sd ** 2 / prior.mean;
  const lambda = incidence.map((_, t) => totalInfectiousness(incidence, imported, si, t));
  const out: ReproductionEstimate[] = [];
  for (let start = 1; start + windowDays - 1 < incidence.length; start++) {
    const end = start + windowDays - 1;
    let cases = 0, infectiousness = 0;
    for (let t = start; t <= end; t++) { cases += incidence[t]; infectiousness += lambda[t]; }
    const shape = a + cases, scale = 1 / (1 / b + infectiousness);
    out.push({
      startDay: start, endDay: end, cases, infectiousness, mean: shape * scale, sd: Math.sqrt(shape) * scale,
      median: jStat.gamma.inv(0.5, shape, scale), lower: jStat.gamma.inv(0.025, shape, scale), upper: jStat.gamma.inv(0.975, shape, scale),
    });
  }
  return out;
}

/** Seconds from UTC to China Standard Time: a case's day is its onset's calendar day in China. */
const CST = 8 * 3600;
const DAY_SECONDS = 86400;

/** R(t) over an outbreak's days: the serial interval used, and each window with its days as epoch seconds. */
export interface ReproductionSeries {
  method: 'Cori et al. 2013';
  windowDays: number;
  serialInterval: { mean: number; sd: number };
  /** Imported cases among those counted (infectious here, not in any window's cases). */
  importedCases: number;
  /**
   * Local cases counted as introductions: their day's total infectiousness from earlier cases was below
   * `INTRODUCTION_INFECTIOUSNESS` (the first day's cases; a new outbreak's first cases after a quiet spell). Like
   * imported cases they infect others and are in no window's cases; no window holds an introduction's day (the first
   * window after it starts the next day, as EpiEstim's first window starts on day 2), so a case of years before leaves
   * an outbreak's R(t) as it was.
   */
  introducedCases: number;
  /**
   * Days from onset to confirmation within which nine cases in ten were confirmed (the 90th percentile of the given
   * cases' delays, in whole days, rounded up); null when no delay was given. Cases with onsets in the last that many
   * days are still being found, so R there is biased low.
   */
  reportingDelayDays: number | null;
  /**
   * Each window that says something of R: its first and last day (the epoch second their China day begins), the
   * estimate, and whether it is provisional (it ends within `reportingDelayDays` of now's day: its cases are not all
   * known yet). A window whose total infectiousness is below `MIN_INFECTIOUSNESS` (under R = 1 less than one case was
   * to be expected in it) is left out, with or without cases: with none its posterior is the prior's (mean 5), and
   * cases there had next to no earlier case to be infected by (a new introduction, such as an outbreak's first days
   * after a case of years before), so R would be their count over almost nothing (10 and more), not an estimate. The
   * weeks after an outbreak ends, the years between two, and the first days of the next have no windows.
   */
  windows: (Omit<ReproductionEstimate, 'startDay' | 'endDay'> & { start: number; end: number; provisional: boolean })[];
}

/**
 * A day's total infectiousness (cases expected that day under R = 1) below which its local cases count as introduced:
 * under R = 1 one in twenty such days would have a case, so a case there more likely came from elsewhere.
 */
export const INTRODUCTION_INFECTIOUSNESS = 0.05;

/** The total infectiousness (expected cases under R = 1) below which a window is left out of a series. */
export const MIN_INFECTIOUSNESS = 1;

/** The 90th percentile of `delays` (seconds) in whole days, rounded up; null for none. Negative delays count as 0. */
export function reportingDelayDays(delays: readonly number[]): number | null {
  if (delays.length === 0) return null;
  const days = delays.map((d) => Math.max(0, d) / DAY_SECONDS).sort((a, b) => a - b);
  // The nearest-rank percentile: the smallest delay at least 90 % of the cases had.
  return Math.ceil(days[Math.ceil(0.9 * days.length) - 1]);
}

/**
 * R(t) of the cases whose onsets (epoch seconds; a case without symptoms counts from its sampling) are given, by China
 * day from the first onset's day to `now`'s, with the serial interval `si` (gamma, mean and sd in days: the edition's).
 * `importedOnsets`: the onsets of imported cases (infectious here, not infected here; Thompson et al. 2019); the local
 * cases are `onsets`. `reportingDelays`: each known case's seconds from onset to confirmation, which mark the last
 * windows provisional (see `ReproductionSeries.reportingDelayDays`). No windows when the days are fewer than a window's.
 */
export function reproductionSeries(onsets: readonly number[], now: number, si: { mean: number; sd: number }, options: Omit<ReproductionOptions, 'imported'> & { importedOnsets?: readonly number[]; reportingDelays?: readonly number[] } = {}): ReproductionSeries {
  const windowDays = options.windowDays ?? 7;
  const dayOf = (t: number) => Math.floor((t + CST) / DAY_SECONDS);
  const delay = reportingDelayDays(options.reportingDelays ?? []);
  const series: ReproductionSeries = { method: 'Cori et al. 2013', windowDays, serialInterval: { mean: si.mean, sd: si.sd }, importedCases: 0, introducedCases: 0, reportingDelayDays: delay, windows: [] };
  // Stryker disable next-line ArrayDeclaration: equivalent: a string in the default list is never at or before now (the comparison is NaN's), so it is filtered out as if none
  const days = onsets.filter((t) => t <= now).map(dayOf), importedDays = (options.importedOnsets ?? []).filter((t) => t <= now).map(dayOf);
  series.importedCases = importedDays.length;
  if (days.length + importedDays.length === 0) return series;
  const first = Math.min(...days, ...importedDays), last = dayOf(now);
  const incidence = new Array<number>(last - first + 1).fill(0), imported = new Array<number>(last - first + 1).fill(0);
  for (const d of days) incidence[d - first]++;
  for (const d of importedDays) imported[d - first]++;
  const w = discreteSerialInterval(si.mean, si.sd, incidence.length);
  // A local case on a day that next to no earlier case could have infected (the first day's, a new introduction's
  // after a quiet spell) was infected elsewhere as far as these cases tell: it counts as imported, infectious here and
  // in no window's cases, as EpiEstim leaves the first day out of every window; and no window holds its day (windows
  // start the day after, as EpiEstim's first does). Λ counts every case, so the order of this reading does not change it.
  // Stryker disable next-line ArrayDeclaration: equivalent: a string in the list is no day (it compares as NaN), so it keeps no window out
  const introductions: number[] = [];
  // Stryker disable next-line EqualityOperator: equivalent as t <= length: the day past the last has no count (undefined > 0 is false), so nothing is counted
  for (let t = 0; t < incidence.length; t++) {
    // Stryker disable next-line EqualityOperator: equivalent as <=: a day's Λ is a sum of discretised gamma masses times whole counts, never exactly 0.05
    if (incidence[t] > 0 && totalInfectiousness(incidence, imported, w, t) < INTRODUCTION_INFECTIOUSNESS) {
      series.introducedCases += incidence[t];
      introductions.push(t);
      imported[t] += incidence[t];
      incidence[t] = 0;
    }
  }
  const informative = (e: ReproductionEstimate) => e.infectiousness >= MIN_INFECTIOUSNESS && !introductions.some((t) => t >= e.startDay && t <= e.endDay);
  series.windows = instantaneousR(incidence, w, { windowDays, ...(options.prior ? { prior: options.prior } : {}), imported }).filter(informative).map(({ startDay, endDay, ...e }) => ({
    ...e, start: (first + startDay) * DAY_SECONDS - CST, end: (first + endDay) * DAY_SECONDS - CST,
    provisional: (
      // Stryker disable next-line ConditionalExpression: equivalent as true: a null delay reads as 0 days, and no window ends after now's day (as false it is killed)
      delay !== null
    ) && first + endDay > last - delay,
  }));
  return series;
}
