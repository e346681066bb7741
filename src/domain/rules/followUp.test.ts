/**
 * Daily follow-up's rules at their exact values: which China Standard Time day a report counts for, the days missed
 * on both sides of the edition's limit, the first day not owed, and the fever limit on both sides.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { parseTime } from '../time.ts';
import { followUpStanding, reportFindings, temperatureProblem } from './followUp.ts';

const e = loadEdition('ed8-delta-2021');
const t = (s: string) => parseTime(s)!;

describe('follow-up standing', () => {
  it('counts whole days without a report before today, from the day after the last report or after follow-up began', () => {
    // Held in the evening: that day is not owed; the next day is.
    expect(followUpStanding(e, t('2021-09-22 22:00'), null, '2021-09-22')).toEqual({ reportedToday: false, missedDays: 0, lost: false });
    expect(followUpStanding(e, t('2021-09-22 22:00'), null, '2021-09-23')).toEqual({ reportedToday: false, missedDays: 0, lost: false });
    expect(followUpStanding(e, t('2021-09-22 22:00'), null, '2021-09-24').missedDays).toBe(1);
    // A report at 23:59 counts for its own day; at 00:00 for the next (China Standard Time, not UTC).
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-22 23:59'), '2021-09-22').reportedToday).toBe(true);
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-22 23:59'), '2021-09-23')).toEqual({ reportedToday: false, missedDays: 0, lost: false });
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-23 00:00'), '2021-09-23').reportedToday).toBe(true);
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-22 07:59'), '2021-09-22').reportedToday).toBe(true);
  });

  it('is lost at exactly the edition\'s days missed, not one before', () => {
    const n = e.followUp.lostAfterMissedDays;
    const last = t('2021-09-22 09:00');
    const day = (k: number) => new Date((last + 8 * 3600 + k * 86_400) * 1000).toISOString().slice(0, 10);
    expect(followUpStanding(e, t('2021-09-20 10:00'), last, day(n))).toEqual({ reportedToday: false, missedDays: n - 1, lost: false });
    expect(followUpStanding(e, t('2021-09-20 10:00'), last, day(n + 1))).toEqual({ reportedToday: false, missedDays: n, lost: true });
    const strict = { ...e, followUp: { lostAfterMissedDays: 1 } };
    expect(followUpStanding(strict, t('2021-09-20 10:00'), last, day(2)).lost).toBe(true);
  });

  it('counts from the day after follow-up began when the last report came before it (a report of an earlier period)', () => {
    // Reported on the 10th in an earlier period; followed up again from the 20th: the 21st and 22nd are owed on the 23rd.
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-10 09:00'), '2021-09-23')).toMatchObject({ reportedToday: false, missedDays: 2 });
    // Reported on the day follow-up began: counted from the next day all the same.
    expect(followUpStanding(e, t('2021-09-20 10:00'), t('2021-09-20 08:00'), '2021-09-23').missedDays).toBe(2);
  });

  it('has nothing reported today without any report, even on the first day epoch time can name', () => {
    expect(followUpStanding(e, 0, null, '1970-01-01').reportedToday).toBe(false);
  });
});

describe('report findings', () => {
  it('calls a fever above the edition\'s limit, not at it, and any symptom abnormal', () => {
    const max = e.checkpoint.maxTemperatureC;
    expect(reportFindings(e, max, [])).toEqual({ fever: false, symptoms: [], abnormal: false });
    expect(reportFindings(e, max + 0.1, []).fever).toBe(true);
    expect(reportFindings(e, null, []).abnormal).toBe(false);
    expect(reportFindings(e, 36.5, ['dry_cough']).abnormal).toBe(true);
    expect(reportFindings({ ...e, checkpoint: { ...e.checkpoint, maxTemperatureC: 38 } }, 37.5, []).fever).toBe(false);
  });

  it('refuses a temperature outside the edition\'s plausible range, at its edges included', () => {
    const { min, max } = e.checkpoint.plausibleTemperatureC;
    expect(temperatureProblem(e, min)).toBeNull();
    expect(temperatureProblem(e, max)).toBeNull();
    expect(temperatureProblem(e, min - 0.1)).toMatch(/outside/);
    expect(temperatureProblem(e, max + 0.1)).toMatch(/outside/);
    expect(temperatureProblem(e, Number.NaN)).toMatch(/outside/);
  });
});
