/**
 * Time at the platform's edges. Inside, a moment is whole epoch seconds; feeds and users write local times.
 * A time written without an offset is China Standard Time (UTC+8), the zone every Chinese feed uses.
 */

const LOCAL_OFFSET_SECONDS = 8 * 3600;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Days in month `mo` (1-12) of year `y` of the proleptic Gregorian calendar. */
function daysInMonth(y: number, mo: number): number {
  if (mo !== 2) return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (negative before it), by whole 400-year eras
 * (146,097 days each) and a year that starts on 1 March, so the leap day is the year's last (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
 */
function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Parses `YYYY-MM-DD[ HH:MM[:SS]][Z|+hh:mm]` into epoch seconds, or returns null when it is not a real time (a day the
 * month lacks, hour 24, an offset outside -12:00..+14:00 or with 60 minutes or more).
 */
export function parseTime(text: string): number | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, zone] = m;
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs ?? 0), mi = Number(mis ?? 0), s = Number(ss ?? 0);
  // Minutes and seconds past their range would roll into the next hour or minute; a month, day or hour past its range
  // into another month or day: all refused, never rolled.
  if (mi > 59 || s > 59 || h > 23 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const utc = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
  let offset = LOCAL_OFFSET_SECONDS;
  // Stryker disable next-line ConditionalExpression,StringLiteral: without this line 'Z' reads as an offset of +00 minutes and 0 hours, the same
  if (zone === 'Z') offset = 0;
  else if (zone) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2));
    // Real offsets run from -12:00 to +14:00 (ISO 8601 / RFC 3339 allow no more minutes than an hour has): anything
    // else is a typo, not a time, and would silently move the instant by up to four days.
    if (om > 59 || sign * (oh * 60 + om) > 14 * 60 || sign * (oh * 60 + om) < -12 * 60) return null;
    offset = sign * (oh * 3600 + om * 60);
  }
  return utc - offset;
}

/** ISO-8601 text of a moment in China Standard Time, e.g. 2021-08-02T09:30:00+08:00. */
export function formatTime(epoch: number): string {
  const local = new Date((epoch + LOCAL_OFFSET_SECONDS) * 1000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** Seconds in a day and an hour, for arithmetic on protocol values given in days and hours. */
export const DAY = 86400;
export const HOUR = 3600;

/**
 * The start of the week of `epoch` in China: Monday 00:00 China Standard Time (ISO-8601 weeks start on Monday), in
 * epoch seconds. 1970-01-01 was a Thursday, so China's day number d is a Monday when (d + 3) mod 7 is 0.
 */
export function chinaWeekStart(epoch: number): number {
  const day = Math.floor((epoch + LOCAL_OFFSET_SECONDS) / DAY);
  const monday = day - (((day + 3) % 7) + 7) % 7;
  return monday * DAY - LOCAL_OFFSET_SECONDS;
}

/** The time now, in epoch seconds (the unit of every time Cordon stores). */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
