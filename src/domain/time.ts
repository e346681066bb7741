/**
 * Time at the platform's edges. Inside, a moment is whole epoch seconds; feeds and users write local times.
 * A time written without an offset is China Standard Time (UTC+8), the zone every Chinese feed uses.
 */

const LOCAL_OFFSET_SECONDS = 8 * 3600;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses `YYYY-MM-DD[ HH:MM[:SS]][Z|+hh:mm]` into epoch seconds, or returns null when it is not a real time (a day the
 * month lacks, hour 24, an offset outside -12:00..+14:00 or with 60 minutes or more).
 */
export function parseTime(text: string): number | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, zone] = m;
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs ?? 0), mi = Number(mis ?? 0), s = Number(ss ?? 0);
  // Minutes and seconds past their range would roll into the next hour or minute of the same day: refused here. A
  // month, day or hour out of range rolls the date, which the round trip below refuses.
  if (mi > 59 || s > 59) return null;
  // Date.UTC reads years 0-99 as 1900-1999: set the full year explicitly, so 0021 stays the year 21 (and is refused
  // as implausible by the caller's range, not silently moved to 1921).
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, s, 0);
  // A month, day or hour past its range rolls into another month (the month test) or day (the day test); a year only
  // ever rolls with its month.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const utc = check.getTime();
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
  return utc / 1000 - offset;
}

/** ISO-8601 text of a moment in China Standard Time, e.g. 2021-08-02T09:30:00+08:00. */
export function formatTime(epoch: number): string {
  const local = new Date((epoch + LOCAL_OFFSET_SECONDS) * 1000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** Seconds in a day and an hour, for arithmetic on protocol values given in days and hours. */
export const DAY = 86400;
export const HOUR = 3600;

/** The time now, in epoch seconds (the unit of every time Cordon stores). */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
