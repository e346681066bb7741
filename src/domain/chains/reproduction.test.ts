/**
 * R(t) by the method of Cori et al. (2013) against its software's published worked example: EpiEstim's "demo"
 * vignette estimates R on weekly sliding windows for the Flu2009 data set (daily onsets of acute respiratory illness
 * among children of a school in Pennsylvania, 2009 H1N1 pandemic; Cauchemez et al., PNAS 2011) with a serial interval
 * of mean 2.6 and sd 1.5 days (Ferguson et al., Nature 2005). The incidence and the printed results below are facts
 * copied from that vignette (`estimate_R(..., method = "parametric_si")`, `discr_si(0:20, 2.6, 1.5)`).
 */
import { describe, expect, it } from 'vitest';
import { parseTime } from '../time.ts';
import { discreteSerialInterval, instantaneousR, MIN_INFECTIOUSNESS, reportingDelayDays, reproductionSeries } from './reproduction.ts';

/** Flu2009$incidence$I, 2009-04-27 to 2009-05-28. */
const FLU2009 = [1, 1, 0, 2, 5, 3, 3, 3, 6, 2, 5, 9, 13, 12, 13, 11, 12, 6, 6, 6, 3, 1, 0, 2, 0, 0, 0, 0, 2, 0, 2, 0];

/** head(res_parametric_si$R): t_start, t_end (1-based days), Mean, Std, 2.5 %, median, 97.5 %. */
const PUBLISHED = [
  [2, 8, 1.735798, 0.4091314, 1.0287437, 1.703761, 2.624781],
  [3, 9, 1.749168, 0.3647267, 1.1088223, 1.723884, 2.533119],
  [4, 10, 1.537058, 0.3074116, 0.9947030, 1.516613, 2.195540],
  [5, 11, 1.431839, 0.2705921, 0.9514466, 1.414830, 2.008849],
  [6, 12, 1.422725, 0.2515046, 0.9731426, 1.407932, 1.956336],
  [7, 13, 1.635373, 0.2523436, 1.1786332, 1.622413, 2.165745],
];

describe('instantaneous reproduction number (Cori et al. 2013)', () => {
  it('discretises the offset gamma serial interval as discr_si does', () => {
    const published = [0, 2.331721e-1, 3.585794e-1, 1.981108e-1, 1.033427e-1, 5.290518e-2, 2.682146e-2, 1.351620e-2, 6.783438e-3, 3.394351e-3, 1.694674e-3,
      8.445945e-4, 4.203313e-4, 2.089422e-4, 1.037609e-4, 5.148480e-5, 2.552773e-5, 1.264952e-5, 6.264667e-6, 3.101068e-6, 1.534394e-6];
    const w = discreteSerialInterval(2.6, 1.5, 21);
    // Printed to 7 significant digits.
    w.forEach((x, k) => expect(Math.abs(x - published[k]), `day ${k}`).toBeLessThanOrEqual(published[k] * 1e-6));
    expect(discreteSerialInterval(2.6, 1.5, 60).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('reproduces the worked example: posterior mean, sd and credible interval on weekly windows', () => {
    const r = instantaneousR(FLU2009, discreteSerialInterval(2.6, 1.5, FLU2009.length));
    // Windows end on every day from the 8th: 25 of them for 32 days.
    expect(r).toHaveLength(FLU2009.length - 7);
    for (const [i, [start, end, mean, sd, lower, median, upper]] of PUBLISHED.entries()) {
      const e = r[i];
      expect([e.startDay + 1, e.endDay + 1]).toEqual([start, end]);
      const close = (got: number, want: number, what: string) => expect(Math.abs(got - want) / want, `window ${i + 1} ${what}: ${got} vs ${want}`).toBeLessThan(1e-5);
      close(e.mean, mean, 'mean');
      close(e.sd, sd, 'sd');
      close(e.lower, lower, '2.5 %');
      close(e.median, median, 'median');
      close(e.upper, upper, '97.5 %');
    }
  });

  it('takes the window length and prior given, and refuses counts and serial intervals it cannot use', () => {
    const si = discreteSerialInterval(2.6, 1.5, 10);
    const weekly = instantaneousR(FLU2009, si), fortnightly = instantaneousR(FLU2009, si, { windowDays: 14 });
    expect(fortnightly).toHaveLength(FLU2009.length - 14);
    expect(fortnightly[0].cases).toBe(FLU2009.slice(1, 15).reduce((a, b) => a + b, 0));
    // A longer window holds more cases: a narrower interval.
    expect(fortnightly[0].upper - fortnightly[0].lower).toBeLessThan(weekly[0].upper - weekly[0].lower);
    // Without cases the posterior is the prior: mean 5, sd 5.
    const none = instantaneousR(new Array(10).fill(0), si);
    expect(none[0].mean).toBeCloseTo(5, 12);
    expect(none[0].sd).toBeCloseTo(5, 12);
    expect(instantaneousR(FLU2009.slice(0, 7), si)).toEqual([]);
    expect(() => instantaneousR([1, -1, 2], si)).toThrow(RangeError);
    expect(() => instantaneousR([1, 1.5, 2], si)).toThrow(RangeError);
    expect(() => instantaneousR(FLU2009, [0.1, 0.9])).toThrow(/no mass at 0/);
    expect(() => discreteSerialInterval(1, 1, 5)).toThrow(RangeError);
    expect(() => discreteSerialInterval(3, 0, 5)).toThrow(RangeError);
    // Each refusal says what it needs.
    expect(() => discreteSerialInterval(1, 2, 5)).toThrow('a serial interval offset by a day needs mean > 1 and sd > 0 (got 1, 2)');
    expect(() => instantaneousR([1, 0.5], si)).toThrow('incidence must be whole numbers of cases, none negative');
    expect(() => instantaneousR([1, 2], si, { imported: [0, 0, 1] })).toThrow('imported cases are counted over the days of the incidence');
  });

  it('counts imported cases as infectious but not as infected here (Thompson et al. 2019), by hand on a small example', () => {
    // Serial interval: half on day 1, half on day 2; prior mean 5, sd 5 (shape 1, scale 5); two-day windows.
    const si = [0, 0.5, 0.5];
    // Two local cases on day 0, one local and one imported on day 2, one local on day 3. Λ: day 1 = 2 × 0.5 = 1;
    // day 2 = 0 × 0.5 + 2 × 0.5 = 1; day 3 = (1 + 1) × 0.5 + 0 × 0.5 = 1 (the imported case infects).
    const [w12, w23] = instantaneousR([2, 0, 1, 1], si, { windowDays: 2, imported: [0, 0, 1, 0] });
    expect([w12.cases, w12.infectiousness, w23.cases, w23.infectiousness]).toEqual([1, 2, 2, 2]);
    // Posterior Gamma(1 + cases, 1 / (1/5 + Λ)): means 2 / 2.2 and 3 / 2.2.
    expect(w12.mean).toBeCloseTo(2 / 2.2, 12);
    expect(w23.mean).toBeCloseTo(3 / 2.2, 12);
    // Had the imported case been local, the windows holding its day would count it: the same Λ, one case more.
    const [l12, l23] = instantaneousR([2, 0, 2, 1], si, { windowDays: 2 });
    expect([l12.infectiousness, l23.infectiousness]).toEqual([2, 2]);
    expect([l12.cases, l23.cases]).toEqual([2, 3]);
    // No imported cases: Cori et al.'s estimate unchanged.
    expect(instantaneousR(FLU2009, discreteSerialInterval(2.6, 1.5, 32), { imported: new Array(32).fill(0) })).toEqual(instantaneousR(FLU2009, discreteSerialInterval(2.6, 1.5, 32)));
    expect(() => instantaneousR([1, 2], si, { imported: [0, 0, 1] })).toThrow(RangeError);
    expect(() => instantaneousR([1, 2], si, { imported: [0, -1] })).toThrow(RangeError);
    // By onsets: an imported case on the first day is counted apart and starts the days.
    const day = (d: number) => parseTime('2021-08-01 12:00')! + d * 86400;
    const series = reproductionSeries([day(1), day(1), day(3)], day(3), { mean: 2.6, sd: 1.5 }, { windowDays: 2, importedOnsets: [day(0)] });
    expect(series.importedCases).toBe(1);
    expect(series.windows.map((w) => w.cases)).toEqual([2, 1]);
    expect(series.windows[0].start).toBe(parseTime('2021-08-02')!);
  });

  it('counts imported onsets up to now only, imported cases with a local one (one of each too), and one on now\'s day', () => {
    const si = { mean: 2.6, sd: 1.5 };
    const day = (d: number) => parseTime('2021-08-01 12:00')! + d * 86400, now = day(3);
    // Three imported cases on day 0 and one local case on day 1: windows of two days on days 1-2 and 2-3, each with
    // at least one case expected under R = 1.
    const direct = instantaneousR([0, 1, 0, 0], discreteSerialInterval(2.6, 1.5, 4), { windowDays: 2, imported: [3, 0, 0, 0] });
    expect(direct.every((e) => e.infectiousness >= MIN_INFECTIOUSNESS)).toBe(true);
    const one = reproductionSeries([day(1)], now, si, { windowDays: 2, importedOnsets: [day(0), day(0), day(0)] });
    expect(one.importedCases).toBe(3);
    // One imported case and one local one (as many of each): the windows with at least one case expected under R = 1.
    const pair = instantaneousR([0, 1, 0, 0], discreteSerialInterval(2.6, 1.5, 4), { windowDays: 2, imported: [1, 0, 0, 0] }).filter((e) => e.infectiousness >= MIN_INFECTIOUSNESS);
    expect(pair.length).toBeGreaterThan(0);
    expect(reproductionSeries([day(1)], now, si, { windowDays: 2, importedOnsets: [day(0)] }).windows.map((w) => w.mean)).toEqual(pair.map((e) => e.mean));
    expect(one.windows.map((w) => [w.cases, w.mean])).toEqual(direct.map((e) => [e.cases, e.mean]));
    expect(one.windows).toHaveLength(2);
    expect(one.windows[0].infectiousness).toBeGreaterThan(0);
    // An imported case found after now is not yet known: the same series.
    expect(reproductionSeries([day(1)], now, si, { windowDays: 2, importedOnsets: [day(0), day(0), day(0), now + 1] })).toEqual(one);
    // One whose onset is now is counted (it infects no one in the windows yet: Λ reads earlier days only).
    const today = reproductionSeries([day(1)], now, si, { windowDays: 2, importedOnsets: [day(0), day(0), day(0), now] });
    expect(today.importedCases).toBe(4);
    expect(today.windows).toEqual(one.windows);
  });

  it('takes the prior given', () => {
    // Prior mean 1, sd 1 (Gamma(1, 1)); a window with no case and Λ = 1 has the posterior Gamma(1, 1 / (1 + 1)): mean 0.5.
    const day = (d: number) => parseTime('2021-08-01 10:00')! + d * 86400;
    const s = reproductionSeries([day(0), day(0)], day(3), { mean: 2.5, sd: 0.01 }, { windowDays: 1, prior: { mean: 1, sd: 1 } });
    expect(s.windows.map((w) => w.mean)).toEqual([0.5, 0.5]);
  });

  it('keeps a window with no case where exactly one case was expected under R = 1', () => {
    // A serial interval of 2 or 3 days, half each (mean 2.5, sd 0.01: the gamma's mass falls between 1 and 2 days after
    // the day's offset). Two cases on day 0: Λ = 2 × 0.5 = 1 on days 2 and 3, 0 on days 1, 4 and 5.
    const day = (d: number) => parseTime('2021-08-01 10:00')! + d * 86400;
    expect(discreteSerialInterval(2.5, 0.01, 5)).toEqual([0, 0, 0.5, 0.5, 0]);
    const s = reproductionSeries([day(0), day(0)], day(5), { mean: 2.5, sd: 0.01 }, { windowDays: 1 });
    expect(s.windows.map((w) => [w.start, w.cases, w.infectiousness])).toEqual([[parseTime('2021-08-03')!, 0, 1], [parseTime('2021-08-04')!, 0, 1]]);
    // Under the default prior (shape 1, scale 5): mean 1 / (1/5 + 1).
    expect(s.windows[0].mean).toBeCloseTo(1 / 1.2, 12);
  });

  it('bins onsets by China day from the first to now, and dates each window by its days', () => {
    // The Flu2009 onsets as times of day in China (the first at 2009-04-27 23:30 CST, i.e. 15:30 UTC).
    const day0 = parseTime('2009-04-27 00:00')!;
    const onsets = FLU2009.flatMap((n, d) => Array.from({ length: n }, (_, k) => day0 + d * 86400 + (k === 0 ? 23.5 * 3600 : 3600 * (k % 23))));
    const now = day0 + (FLU2009.length - 1) * 86400 + 12 * 3600;
    const s = reproductionSeries(onsets, now, { mean: 2.6, sd: 1.5 });
    const direct = instantaneousR(FLU2009, discreteSerialInterval(2.6, 1.5, FLU2009.length));
    expect(s.windows.map((w) => w.mean)).toEqual(direct.map((e) => e.mean));
    expect(s.windows[0]).toMatchObject({ start: parseTime('2009-04-28 00:00'), end: parseTime('2009-05-04 00:00'), cases: FLU2009.slice(1, 8).reduce((a, b) => a + b, 0) });
    expect(s).toMatchObject({ method: 'Cori et al. 2013', windowDays: 7, serialInterval: { mean: 2.6, sd: 1.5 } });
    // Onsets after now are not yet known; no onsets, no windows.
    expect(reproductionSeries([...onsets, now + 86400], now, { mean: 2.6, sd: 1.5 }).windows).toEqual(s.windows);
    expect(reproductionSeries([], now, { mean: 2.6, sd: 1.5 }).windows).toEqual([]);
  });

  it('leaves out the windows that say nothing of R: less than one case expected under R = 1, with or without cases', () => {
    const D = 86400, day0 = parseTime('2021-08-01 00:00')!;
    // Twenty cases over the first ten days, then none for two months (an outbreak that ended), then two cases a day for
    // ten days (a new introduction: its first week's cases had next to no earlier case to be infected by).
    const again = Array.from({ length: 20 }, (_, k) => day0 + (70 + Math.floor(k / 2)) * D + 3600);
    const onsets = [...Array.from({ length: 20 }, (_, k) => day0 + Math.floor(k / 2) * D + 3600), ...again];
    const now = day0 + 85 * D;
    const s = reproductionSeries(onsets, now, { mean: 2.9, sd: 1.9 });
    const all = instantaneousR([...Array.from({ length: 10 }, () => 2), ...new Array<number>(60).fill(0), ...Array.from({ length: 10 }, () => 2), ...new Array<number>(6).fill(0)], discreteSerialInterval(2.9, 1.9, 86));
    // What is left out: windows with no case and the prior's mean, and a window of the new introduction whose cases
    // over almost no infectiousness would read as R above 10.
    expect(all.some((e) => e.cases === 0 && e.infectiousness < MIN_INFECTIOUSNESS && e.mean > 4.9)).toBe(true);
    expect(all.some((e) => e.cases > 0 && e.infectiousness < MIN_INFECTIOUSNESS && e.mean > 10)).toBe(true);
    // (and none holding day 70, the second introduction's first day: its cases count as introduced)
    expect(s.introducedCases).toBe(4);
    expect(s.windows.length).toBe(all.filter((e) => e.infectiousness >= MIN_INFECTIOUSNESS && !(e.startDay <= 70 && e.endDay >= 70)).length);
    expect(s.windows.length).toBeLessThan(all.length - 50);
    expect(s.windows.every((w) => w.infectiousness >= MIN_INFECTIOUSNESS)).toBe(true);
    // Kept: the outbreak's windows and those just after it (R falls, no case where some were expected), and the new
    // introduction's once its cases have infectiousness behind them; none in the two months between.
    expect(s.windows.filter((w) => w.cases === 0).every((w) => w.mean < 1)).toBe(true);
    expect(s.windows.some((w) => w.start >= day0 + 70 * D && w.cases > 0)).toBe(true);
    expect(s.windows.filter((w) => w.start >= day0 + 64 * D).every((w) => w.mean < 10)).toBe(true);
    expect(s.windows.some((w) => w.start > day0 + 30 * D && w.start < day0 + 60 * D)).toBe(false);
  });

  it('counts a case that next to no earlier case could have infected as introduced: an old case does not change an outbreak\'s R(t)', () => {
    const D = 86400, day0 = parseTime('2026-11-20 00:00')!;
    // An outbreak: 1, 2, 3, 4, 5, 4, 3, 2, 1 cases a day from day 0; and the same with one case of three years before.
    const outbreak = [1, 2, 3, 4, 5, 4, 3, 2, 1].flatMap((n, d) => Array.from({ length: n }, () => day0 + d * D + 3600));
    const old = parseTime('2023-03-01 10:00')!;
    const now = day0 + 12 * D;
    const alone = reproductionSeries(outbreak, now, { mean: 2.9, sd: 1.9 });
    const withOld = reproductionSeries([old, ...outbreak], now, { mean: 2.9, sd: 1.9 });
    // The first day's case is introduced either way (day 0 of the outbreak; a day years after the old case), the old
    // case too; nothing else.
    expect([alone.introducedCases, withOld.introducedCases]).toEqual([1, 2]);
    // The same windows, the same estimates: none holds an introduction's day (before, the old case put the outbreak's
    // first day inside windows that then read its first days' growth, R 3.7, from windows the outbreak alone has not).
    expect(alone.windows.length).toBeGreaterThan(0);
    expect(withOld.windows.map((w) => [w.start, w.end, w.cases])).toEqual(alone.windows.map((w) => [w.start, w.end, w.cases]));
    withOld.windows.forEach((w, i) => expect(w.mean).toBeCloseTo(alone.windows[i].mean, 9));
    // A window whose last day is an introduction's is left out too, even with infectiousness enough before it. A serial
    // interval of 2 or 3 days (half each): two cases on day 0 give Λ = 1 on days 2 and 3, none after; a case on day 6
    // is an introduction. Windows of five days: days 1-5 (Λ 2, no case) kept, days 2-6 (ending on day 6) not.
    const d = (n: number) => parseTime('2021-08-01 10:00')! + n * D;
    const short = reproductionSeries([d(0), d(0), d(6)], d(6), { mean: 2.5, sd: 0.01 }, { windowDays: 5 });
    expect(short.introducedCases).toBe(3);
    expect(short.windows.map((w) => [w.cases, w.infectiousness])).toEqual([[0, 2]]);
    // A case on a day with some infectiousness behind it stays local: the first window holds the second day's two.
    expect(alone.windows[0]).toMatchObject({ start: day0 + D, cases: 2 + 3 + 4 + 5 + 4 + 3 + 2 });
  });

  it('marks provisional the windows ending within the reporting delay (nine cases in ten confirmed by then) of now', () => {
    const D = 86400;
    // Nearest rank: of ten delays of 1..10 days, nine in ten were confirmed within 9 days; part of a day counts whole.
    expect(reportingDelayDays(Array.from({ length: 10 }, (_, i) => (i + 1) * D))).toBe(9);
    expect(reportingDelayDays([0.5 * D])).toBe(1);
    expect(reportingDelayDays([-D, 0])).toBe(0);
    expect(reportingDelayDays([])).toBeNull();
    const day0 = parseTime('2009-04-27 00:00')!;
    const onsets = FLU2009.flatMap((n, d) => Array.from({ length: n }, () => day0 + d * D + 3600));
    const now = day0 + (FLU2009.length - 1) * D + 12 * 3600;
    const plain = reproductionSeries(onsets, now, { mean: 2.6, sd: 1.5 });
    expect(plain.reportingDelayDays).toBeNull();
    expect(plain.windows.every((w) => !w.provisional)).toBe(true);
    // Delays of 2 to 3 days: the windows ending on now's day and the two before it are provisional, the rest not.
    const s = reproductionSeries(onsets, now, { mean: 2.6, sd: 1.5 }, { reportingDelays: onsets.map((_, i) => (i % 3 === 0 ? 3 : 2) * D) });
    expect(s.reportingDelayDays).toBe(3);
    expect(s.windows.map((w) => w.provisional)).toEqual(plain.windows.map((_, i) => i >= plain.windows.length - 3));
    expect(s.windows.at(-1)!.end).toBe(parseTime('2009-05-28 00:00'));
    expect(s.windows.at(-4)!).toMatchObject({ end: parseTime('2009-05-25 00:00'), provisional: false });
    // The estimates themselves are unchanged.
    expect(s.windows.map((w) => w.mean)).toEqual(plain.windows.map((w) => w.mean));
  });
});
