/**
 * Quarantine (PROTOCOL.md, "People under management"): the schedule a close or secondary contact is held to, and
 * whether a site's room can take one more person. The durations, test days and what the period is counted from are
 * the edition's (`closeContact.management`, `secondaryContact.management`), never literals here. Pure: no storage,
 * no clock. The health code engine (healthCode.ts) reads its periods from the same schedule.
 */
import { normalizeLabel } from '../text.ts';
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY, formatTime } from '../time.ts';
import { CODE_LENGTH, type ContactKind, type ContactStatus, type QuarantineKind } from '../vocab.ts';
import { awaitsTransfer } from './command.ts';

/** Whom a schedule is for: a close contact or a secondary contact (each has the edition's own schedule). */
export type ManagedAs = 'close' | 'secondary';

/** The grading of the risk area an arrival left: each has the edition's own arrangement (`riskAreas.arrivalsFrom*`). */
export type ArrivalFrom = 'high' | 'medium';

/** Whom a person is held as: a close or secondary contact, or an arrival from a high- or medium-risk area. */
export type HeldAs = ManagedAs | 'arrival_from_high' | 'arrival_from_medium';

/** What the edition asks of a person held as `as`: where (`kind`), the test days of the quarantine stage, the release's negatives. */
export interface HeldRules { kind: QuarantineKind | 'none'; days: number; testDays: readonly number[]; releaseSamples: number; releaseDistinctLabs: boolean }

/**
 * The edition's rules for a person held as `as`: a contact's first stage (`closeContact.management`,
 * `secondaryContact.management`) with its release samples, or an arrival's (`riskAreas.arrivalsFromHigh`,
 * `riskAreas.arrivalsFromMedium`; `kind` 'none' when the edition holds no such arrival).
 */
export function heldRules(e: ProtocolEdition, as: HeldAs): HeldRules {
  if (as === 'arrival_from_high' || as === 'arrival_from_medium') {
    const a = as === 'arrival_from_high' ? e.riskAreas.arrivalsFromHigh : e.riskAreas.arrivalsFromMedium;
    return { kind: a.kind, days: a.days, testDays: a.testDays, releaseSamples: a.releaseSamples, releaseDistinctLabs: false };
  }
  const k = as === 'close' ? e.closeContact : e.secondaryContact;
  return { kind: k.management.kind, days: k.management.days, testDays: k.management.testDays, releaseSamples: k.releaseSamples, releaseDistinctLabs: as === 'close' && e.closeContact.releaseDistinctLabs };
}

/** The tests of the quarantine stage of a person held as `as` whose days count from `countedFrom` (epoch seconds). */
export const heldTests = (e: ProtocolEdition, as: HeldAs, countedFrom: number): ScheduledTest[] => testsOf(countedFrom, heldRules(e, as).testDays);

/**
 * The quarantine an arrival owes (PROTOCOL.md, "Risk areas": arrivals from a high-risk area held centralized, from a
 * medium-risk area at home, for the edition's days): the stage counted from `leftAt` (their departure from the area,
 * epoch seconds), with its tests; null when the edition holds no such arrival (`kind` 'none').
 */
export function arrivalSchedule(e: ProtocolEdition, from: ArrivalFrom, leftAt: number): ScheduleStage | null {
  const r = heldRules(e, from === 'high' ? 'arrival_from_high' : 'arrival_from_medium');
  if (r.kind === 'none') return null;
  return { kind: r.kind, start: leftAt, end: leftAt + r.days * DAY, tests: testsOf(leftAt, r.testDays) };
}

/** A required test: day `day` of a period (1 = its first day), taken from `from` and due by `dueBy` (epoch seconds). */
export interface ScheduledTest { day: number; from: number; dueBy: number }

/** One stage of a schedule: where the person is held, from `start` to `end` (epoch seconds), with its tests. */
export interface ScheduleStage { kind: QuarantineKind; start: number; end: number; tests: ScheduledTest[] }

/** A contact's schedule: the quarantine stage, then (when the edition says so) home monitoring or home quarantine. */
export interface QuarantineSchedule {
  /** The moment the days are counted from: the last exposure or the start of quarantine, as the edition says. */
  countedFrom: number;
  stages: [ScheduleStage] | [ScheduleStage, ScheduleStage];
}

const testsOf = (start: number, days: readonly number[]): ScheduledTest[] =>
  days.map((day) => ({ day, from: start + (day - 1) * DAY, dueBy: start + day * DAY }));

/**
 * The edition's schedule for a contact `as` whose last exposure was at `lastExposure` and whose quarantine starts (or,
 * before any assignment, would be counted from its identification) at `startedAt`, both epoch seconds. The first stage
 * runs `management.days` days from the moment counted from; the follow-on stage runs its days from the first's end.
 */
export function quarantineSchedule(e: ProtocolEdition, as: ManagedAs, times: { lastExposure: number; startedAt: number }): QuarantineSchedule {
  const m = as === 'close' ? e.closeContact.management : e.secondaryContact.management;
  const countedFrom = m.countedFrom === 'last_exposure' ? times.lastExposure : times.startedAt;
  const first: ScheduleStage = { kind: m.kind, start: countedFrom, end: countedFrom + m.days * DAY, tests: testsOf(countedFrom, m.testDays) };
  if (!m.followedBy) return { countedFrom, stages: [first] };
  const f = m.followedBy;
  return { countedFrom, stages: [first, { kind: f.kind, start: first.end, end: first.end + f.days * DAY, tests: testsOf(first.end, f.testDays) }] };
}

/** Whether a contact record keeps its person under quarantine: a close or secondary contact awaiting transfer or held. */
export const keepsInQuarantine = (k: { kind: ContactKind; status: ContactStatus }): boolean =>
  (k.kind === 'close' || k.kind === 'secondary') && (awaitsTransfer(k.status) || k.status === 'in_quarantine');

/**
 * Whether region `code` is a sealed area a visitor can be stranded in, given the units graded medium or high now
 * (`gradedCodes`): inside one of them, or a township or community holding one; not a county, a city or the province
 * merely because a graded compound lies somewhere in it (a visitor is stranded where movement stops).
 */
export function isSealedArea(code: string, gradedCodes: readonly string[]): boolean {
  return gradedCodes.some((g) => code.startsWith(g) || (code.length >= CODE_LENGTH.township && g.startsWith(code)));
}

/**
 * The record whose schedule governs a person held since `startedAt` (epoch seconds) in quarantine of `kind`, among
 * `standing` (their close and secondary records awaiting transfer or in quarantine): of those whose first stage is of
 * that kind, a close contact's before a secondary contact's (a person who is both is managed as a close contact: the
 * tests due, the release's conditions and the monitoring after it follow the close contact's schedule), the one ending
 * latest. `end` is the latest end any of them gives that stage (the person serves the longer); `countedFrom` is the
 * governing record's. Null when none has a first stage of that kind. The quarantine service stores it on the
 * assignment; the health code reads the same, so the site's list and the code never count two schedules.
 */
export function governingSchedule<R extends { kind: string; lastExposure: number }>(e: ProtocolEdition, standing: readonly R[], startedAt: number, kind: QuarantineKind): { record: R; end: number; countedFrom: number } | null {
  let best: { record: R; end: number; countedFrom: number; close: boolean } | null = null;
  let end = -Infinity;
  for (const k of standing) {
    if (k.kind !== 'close' && k.kind !== 'secondary') continue;
    const s = quarantineSchedule(e, k.kind, { lastExposure: k.lastExposure, startedAt });
    const [stage] = s.stages;
    if (stage.kind !== kind) continue;
    end = Math.max(end, stage.end);
    const close = k.kind === 'close';
    if (best === null || (close && !best.close) || (close === best.close && stage.end > best.end)) best = { record: k, end: stage.end, countedFrom: s.countedFrom, close };
  }
  return best && { record: best.record, end, countedFrom: best.countedFrom };
}

/** A room's label as stored and compared: `normalizeLabel`, letters in upper case ("a-203" is room A-203). */
export const normalizeRoom = (room: string): string => normalizeLabel(room).toUpperCase();

/** What a room's label may hold once normalized: Latin letters, digits, Chinese characters, spaces and - / # . ( ). */
const ROOM = /^[A-Z0-9\p{Script=Han} \-/#.()]+$/u;
/** What a site's name may hold once normalized: the same, in either case, and the middle dot and ampersand. */
const SITE_NAME = /^[A-Za-z0-9\p{Script=Han} \-/#.()·&]+$/u;

/**
 * Why a normalized room label (`normalizeRoom`) or site name (`normalizeLabel`) cannot be stored, or null: empty,
 * longer than `max` characters once normalized, or holding a character outside the set above (a Cyrillic or Greek
 * letter that looks Latin would name a second room that reads the same).
 */
export function labelProblem(label: string, what: 'room' | 'site', max: number): string | null {
  if (label.length === 0) return 'nothing to read';
  if ([...label].length > max) return `longer than ${max} characters once normalized`;
  if (!(what === 'room' ? ROOM : SITE_NAME).test(label)) {
    return 'use Latin letters, digits, Chinese characters, spaces and - / # . ( )';
  }
  return null;
}

/** A quarantine site as far as its capacity goes: rooms, persons per room, and whether it is closed. */
export interface SiteCapacity { name: string; rooms: number; personsPerRoom: number; closedAt: number | null }

/**
 * Why room `room` of a site cannot take one more person at `now`, or null when it can: the site is closed, the room
 * holds `inRoom` persons already (the site's persons per room), or it is a room not yet in use while `roomsInUse`
 * rooms (all the site has) are. Each reason is a stable code with a sentence.
 */
export function roomProblem(site: SiteCapacity, room: string, occupancy: { inRoom: number; roomsInUse: number }, now: number): { code: 'SITE_CLOSED' | 'ROOM_FULL' | 'SITE_FULL'; message: string } | null {
  if (site.closedAt !== null && site.closedAt <= now) return { code: 'SITE_CLOSED', message: `${site.name} is closed` };
  if (occupancy.inRoom >= site.personsPerRoom) {
    return { code: 'ROOM_FULL', message: `room ${room} of ${site.name} holds ${occupancy.inRoom} of ${site.personsPerRoom} person(s) already` };
  }
  if (occupancy.inRoom === 0 && occupancy.roomsInUse >= site.rooms) {
    return { code: 'SITE_FULL', message: `all ${site.rooms} rooms of ${site.name} are in use` };
  }
  return null;
}

/** A person's stay at a site: from `from` until `to` (epoch seconds; null: there still). */
export interface SiteStay { from: number; to: number | null }

/** A site's day: the persons there at its end, and those who arrived and left within it. */
export interface DayOccupancy { date: string; occupants: number; arrivals: number; departures: number }

/**
 * A site's occupancy on each of `days` (`YYYY-MM-DD` with its bounds [from, to), epoch seconds) from the stays there
 * (persons held, stranded visitors lodged): at the day's end, arrivals and departures within the day. Linear in days
 * times stays.
 */
export function occupancyByDay(stays: readonly SiteStay[], days: readonly { date: string; from: number; to: number }[]): DayOccupancy[] {
  return days.map((d) => ({
    date: d.date,
    occupants: stays.filter((s) => s.from < d.to && (s.to === null || s.to >= d.to)).length,
    arrivals: stays.filter((s) => s.from >= d.from && s.from < d.to).length,
    departures: stays.filter((s) =>
      // Stryker disable next-line ConditionalExpression: equivalent: a stay with no end compares as 0, before any day's start, so it is no departure either way
      s.to !== null
      && s.to >= d.from && s.to < d.to).length,
  }));
}

/** A sample as release looks at it: single-tube or pooled, when taken, its result and when the result came. */
export interface ReleaseSample { method: 'single' | 'pooled'; sampledAt: number; result: 'pending' | 'negative' | 'positive' | 'invalid'; resultAt: number | null; lab?: string | null }

/** Why a release is refused: a positive single tube, the period still running, or negatives missing from its last day. */
export type ReleaseRefusal =
  | { condition: 'positive'; message: string }
  | { condition: 'period'; endsAt: number; message: string }
  | { condition: 'negatives'; needed: number; recorded: number; distinctLabs: boolean; message: string };

/**
 * Why a person held as `as` since `assignment.startedAt` until `assignment.plannedEnd` cannot be released at `now`, or
 * null when they can (PROTOCOL.md: a close contact is released after the days are served with the edition's
 * `closeContact.releaseSamples` negative single-tube samples; a secondary contact with `secondaryContact.releaseSamples`
 * of their own; an arrival with its area's `riskAreas.arrivalsFrom*.releaseSamples`; where the edition asks,
 * `closeContact.releaseDistinctLabs`, each of a close contact's from a different lab: two reagents, two labs, so a
 * lab's one fault cannot release anyone).
 * The negatives count from the start of the period's last day (`plannedEnd` minus one day) and must have their result
 * by `now`; a positive single-tube result since the quarantine began refuses release (the person is a case to confirm).
 */
export function releaseRefusal(e: ProtocolEdition, as: HeldAs, assignment: { startedAt: number; plannedEnd: number }, samples: readonly ReleaseSample[], now: number): ReleaseRefusal | null {
  const singles = samples.filter((s) => s.method === 'single' && (s.resultAt ?? s.sampledAt) <= now);
  if (singles.some((s) => s.result === 'positive' && s.sampledAt >= assignment.startedAt)) return { condition: 'positive', message: 'a single-tube sample taken in quarantine is positive' };
  if (now < assignment.plannedEnd) return { condition: 'period', endsAt: assignment.plannedEnd, message: `the period ends at ${formatTime(assignment.plannedEnd)}` };
  const rules = heldRules(e, as);
  const needed = rules.releaseSamples;
  const negatives = singles.filter((s) => s.result === 'negative' && s.sampledAt >= assignment.plannedEnd - DAY);
  // Labs counted once each, as one name however typed (case, width, spaces, invisible characters: `normalizeLabel`);
  // a sample whose lab is not known counts for none.
  const distinctLabs = rules.releaseDistinctLabs;
  const recorded = distinctLabs ? new Set(negatives.map((s) => normalizeLabel(s.lab ?? '').toUpperCase()).filter((l) => l)).size : negatives.length;
  if (recorded < needed) {
    return { condition: 'negatives', needed, recorded, distinctLabs, message: `${needed} negative single-tube sample(s) from the last day${distinctLabs ? ', each from a different lab,' : ''} are needed, ${recorded} recorded${distinctLabs ? ' (one per lab)' : ''}` };
  }
  return null;
}

/** How long a required test missed stays overdue (Cordon's own: a week; older misses are not chased), for the health code and the due lists. */
export const OVERDUE_REMEMBERED = 7 * DAY;

/** A person held now, as the due lists see them (times in epoch seconds). */
export interface Held { assignmentId: number; personId: number; kind: QuarantineKind; countedFrom: number; plannedEnd: number; managedAs: HeldAs | null }

/** A required test whose day overlaps the day asked for: taken when a sample was taken within its day. */
export interface DueTest { assignmentId: number; personId: number; day: number; from: number; dueBy: number; taken: boolean }

/**
 * What the persons held owe on the day [dayStart, dayEnd) (epoch seconds): every required test of the edition's
 * schedule (for what they are held as: `heldRules`; a close contact's when unknown) whose day overlaps it, taken or not (a sample
 * taken within the test's day, `samplesOf` giving a person's sample times) and the release's samples on the period's
 * last day where no scheduled test falls on it; the tests overdue (their day over by the day's start, within the
 * health code's `OVERDUE_REMEMBERED`, none taken in it: what makes the code say `overdue_required_test`); and the
 * releases due (periods ending by the day's end). Linear in the persons held and their samples: 100,000 persons in well
 * under a second.
 */
export function dueOn(e: ProtocolEdition, held: readonly Held[], samplesOf: (personId: number) => readonly number[], dayStart: number, dayEnd: number): { tests: DueTest[]; overdue: DueTest[]; releases: Held[] } {
  const tests: DueTest[] = [];
  const overdue: DueTest[] = [];
  const releases: Held[] = [];
  for (const h of held) {
    if (h.plannedEnd < dayEnd) releases.push(h);
    const m = heldRules(e, h.managedAs ?? 'close');
    if (m.kind !== h.kind) continue;
    for (const day of m.testDays) {
      const from = h.countedFrom + (day - 1) * DAY;
      const dueBy = from + DAY;
      if (from >= dayEnd || from >= h.plannedEnd) continue;
      const taken = samplesOf(h.personId).some((t) => t >= from && t < dueBy);
      if (dueBy > dayStart) tests.push({ assignmentId: h.assignmentId, personId: h.personId, day, from, dueBy, taken });
      else if (!taken && dueBy > dayStart - OVERDUE_REMEMBERED) overdue.push({ assignmentId: h.assignmentId, personId: h.personId, day, from, dueBy, taken });
    }
    // The release's own samples are taken on the period's last day (`releaseRefusal`): owed that day too when no test
    // of the schedule falls on it (a period the governing record does not end: a close contact also held as a
    // secondary contact for longer, or one extended by a later exposure).
    const lastFrom = h.plannedEnd - DAY;
    const scheduled = m.testDays.some((day) => h.countedFrom + (day - 1) * DAY === lastFrom);
    if (!scheduled && lastFrom < dayEnd && h.plannedEnd > dayStart) {
      const taken = samplesOf(h.personId).some((t) => t >= lastFrom && t < h.plannedEnd);
      tests.push({ assignmentId: h.assignmentId, personId: h.personId, day: Math.ceil((h.plannedEnd - h.countedFrom) / DAY), from: lastFrom, dueBy: h.plannedEnd, taken });
    }
  }
  return { tests, overdue, releases };
}
