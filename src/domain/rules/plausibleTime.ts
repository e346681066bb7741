/**
 * Plausible times: every time that enters Cordon (a feed row, an API body, a CLI option) must fall between the
 * edition's earliest date and the server's now plus the edition's tolerance, so that a mistyped year (0021, 2201), a
 * millisecond epoch or a spreadsheet serial never reaches tracing or codes. What-if reads may look further ahead.
 * Pure: the caller passes the server's now.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY, formatTime, HOUR, parseTime } from '../time.ts';

/** The range of plausible times, in epoch seconds, both ends included. */
export interface TimeRange {
  earliest: number;
  latest: number;
}

/** Plausible times for facts (events that happened) at server time `now`; `whatIf` widens the future for what-if reads. */
export function plausibleRange(e: ProtocolEdition, now: number, opts: { whatIf?: boolean } = {}): TimeRange {
  const b = e.timeBounds;
  const ahead = opts.whatIf ? b.whatIfDays * DAY : b.futureToleranceHours * HOUR;
  return { earliest: parseTime(b.earliest)!, latest: now + ahead };
}

/** Why `t` is not plausible (a reason naming the range), or null when it is. */
export function implausible(t: number, range: TimeRange): string | null {
  if (!Number.isFinite(t)) return 'not a time';
  if (t < range.earliest) return `${formatTime(t).slice(0, 16).replace('T', ' ')} is before ${formatTime(range.earliest).slice(0, 10)}, the earliest plausible date`;
  if (t > range.latest) return `${formatTime(t).slice(0, 16).replace('T', ' ')} is after ${formatTime(range.latest).slice(0, 16).replace('T', ' ')}, the latest plausible time (the server's now plus the edition's tolerance)`;
  return null;
}
