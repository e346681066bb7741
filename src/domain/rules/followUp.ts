/**
 * Daily follow-up (PROTOCOL.md, "People under management"; issue "Quarantine"): every person in quarantine or home
 * monitoring reports a temperature and symptoms each day. Which day a report counts for, how many whole days a person
 * has gone without one, and when they are lost to follow-up (the edition's `followUp.lostAfterMissedDays`); what
 * makes a report abnormal (a temperature above the edition's `checkpoint.maxTemperatureC`, or any symptom). Days are
 * China Standard Time. Pure: no storage, no clock.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import { dayOf } from '../bulletin.ts';
import { DAY } from '../time.ts';

/** Whole days from day `a` to day `b` (both `YYYY-MM-DD`; negative when b is earlier). */
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (DAY * 1000));

/** Where a person under follow-up stands on day `today`. */
export interface FollowUpStanding {
  /** A report was recorded on `today`. */
  reportedToday: boolean;
  /**
   * Whole days before `today` without a report, counted back from yesterday to the day after the last report, or to
   * the day after follow-up began (its first day is not owed: the person may arrive at night).
   */
  missedDays: number;
  /** `missedDays` reached the edition's `followUp.lostAfterMissedDays`. */
  lost: boolean;
}

/**
 * Where a person followed up since `since` (epoch seconds), whose last report was at `lastReportAt` (or none), stands
 * on `today` (`YYYY-MM-DD`, China Standard Time). A report at any time of a day counts for that day.
 */
export function followUpStanding(e: ProtocolEdition, since: number, lastReportAt: number | null, today: string): FollowUpStanding {
  const last = lastReportAt === null ? null : dayOf(lastReportAt);
  const first = dayOf(since);
  const reference = (
    // Stryker disable next-line ConditionalExpression: equivalent: null is never after a day, so no report means the first day either way
    last !== null
  ) &&
    // Stryker disable next-line EqualityOperator: equivalent as >=: when the last report's day is the first day, either of the two equal days is the reference (as <= it is killed)
    last > first ? last : first;
  const missedDays = Math.max(0, daysBetween(reference, today) - 1);
  return { reportedToday: last === today, missedDays, lost: missedDays >= e.followUp.lostAfterMissedDays };
}

/** What a report says that the code and the tasks follow: a fever (above the edition's limit) and the symptoms. */
export interface ReportFindings { fever: boolean; symptoms: readonly string[]; abnormal: boolean }

/**
 * Whether a report is abnormal: a temperature (degrees Celsius) above `checkpoint.maxTemperatureC` (37.3 in the three
 * shipped editions: the protocol's fever), or any symptom.
 */
export function reportFindings(e: ProtocolEdition, temperatureC: number | null, symptoms: readonly string[]): ReportFindings {
  const fever =
    // Stryker disable next-line ConditionalExpression: equivalent: null compares as 0, never above a fever limit, so no temperature is no fever either way
    temperatureC !== null
    && temperatureC > e.checkpoint.maxTemperatureC;
  return { fever, symptoms, abnormal: fever || symptoms.length > 0 };
}

/**
 * Why a temperature cannot be recorded, or null: outside the edition's plausible range (`checkpoint.plausibleTemperatureC`:
 * a broken thermometer or a typo such as 365 for 36.5).
 */
export function temperatureProblem(e: ProtocolEdition, temperatureC: number): string | null {
  const { min, max } = e.checkpoint.plausibleTemperatureC;
  if (!Number.isFinite(temperatureC) || temperatureC < min || temperatureC > max) return `${temperatureC} C is outside ${min}-${max} C: not a body temperature`;
  return null;
}
