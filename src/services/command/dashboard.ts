/**
 * The command dashboard (issue #13): a region's day at a glance for its command centre. The units one level below
 * with their figures (the map's drill-down), the day's KPIs, tasks by level, the epidemic curve and the late tasks.
 */
import { narrowScope } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Region } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { DAY, formatTime, HOUR, parseTime } from '../../domain/time.ts';
import { CODE_LENGTH, REGION_LEVELS, type RegionLevel } from '../../domain/vocab.ts';
import { unitsAbove } from '../../domain/rules/command.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DayWindow, LateTask, Windows } from '../../storage/sql/dashboard.ts';
import type { Store } from '../../storage/store.ts';
import { HUNAN } from '../divisions.ts';
import { assertPlausibleTimes } from '../times.ts';

/** Days the epidemic curve reaches back at most (the day itself included). */
export const EPI_CURVE_DAYS = 60;
/** Late tasks listed at most. */
export const LATE_TASKS = 20;

/** Figures of one unit below the region. */
export interface DashboardChild {
  code: string; name: string; level: RegionLevel; newCases: number; cases: number; contacts: number; inQuarantine: number; tasksOpen: number; tasksOverdue: number;
}

/** Tasks of one level. */
export interface LevelTasks { level: RegionLevel; total: number; done: number; open: number; overdue: number; escalated: number }

/** What `readDashboard` gives; see the API schema (`api/routes/dashboard/schema.ts`) for what each figure counts. */
export interface Dashboard {
  day: string;
  asOf: number;
  region: { code: string; name: string; level: RegionLevel };
  parent: { code: string; name: string } | null;
  /** The units above the region, from the province down to its parent (a breadcrumb). */
  path: { code: string; name: string }[];
  children: DashboardChild[];
  kpis: {
    newCases: number; newCasesAmongKnownContacts: number; contactsFound: number; contactsTracedWithin24h: number; transfersDone: number; transfersWithinDeadline: number;
    inQuarantine: number; testsDue: number; testsDone: number; tasksDone: number; tasksOpen: number; tasksOverdue: number;
  };
  rules: { tracedWithinHours: number; transferWithinHours: number };
  tasksByLevel: LevelTasks[];
  epiCurve: { day: string; onset: number; confirmed: number }[];
  lateTasks: LateTask[];
}

/** The China-time day (YYYY-MM-DD) of a moment. */
const dayOf = (t: number): string => formatTime(t).slice(0, 10);

/** The level below `level` (null below a grid). */
const levelBelow = (level: RegionLevel): RegionLevel | null => REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1] ?? null;

/**
 * The windows in which the moment a contact's management is counted from must lie for one of its required tests to
 * fall due on `day`: a test of day d of a schedule counted from s is due by s + d days (healthCode's rule, before its
 * grace), and a following schedule starts where the first ends.
 */
export function testDueWindows(edition: ProtocolEdition, day: DayWindow): Windows[] {
  const of = (kind: 'close' | 'secondary'): Windows => {
    const m = kind === 'close' ? edition.closeContact.management : edition.secondaryContact.management;
    const offsets = [...m.testDays, ...(m.followedBy ? m.followedBy.testDays.map((d) => m.days + d) : [])];
    return {
      kind, column: m.countedFrom === 'last_exposure' ? 'last_exposure' : 'identified_at',
      ranges: [...new Set(offsets)].map((d) => ({ start: day.start - d * DAY, end: day.end - d * DAY })),
    };
  };
  return [of('close'), of('secondary')];
}

/**
 * Reads the dashboard of `regionCode` (default: the actor's own region, or the province) for `day` (YYYY-MM-DD in
 * China time; default: the server's today; a read only, nothing is stored). Day figures count that day; figures
 * "now" (in quarantine, open and overdue tasks, contacts under management) are the store's current state, as of the
 * server's now. Errors: OUT_OF_SCOPE (a region outside the actor's), NOT_FOUND (no such region), VALIDATION_FAILED (a
 * day after today), TIME_IMPLAUSIBLE (a day before the edition's earliest).
 */
export async function readDashboard(ctx: Ctx, deps: { store: Store; edition: ProtocolEdition }, props: { regionCode?: string; day?: string }): Promise<Dashboard> {
  const { store, edition } = deps;
  const now = ctx.clock.now();
  const code = narrowScope(ctx.scope, props.regionCode, 'region') ?? HUNAN;
  const region = await store.regions.get(code);
  if (!region) throw new DomainError('not_found', 'NOT_FOUND', `No region with code ${code}.`);
  const today = dayOf(now);
  const dayText = props.day ?? today;
  const start = parseTime(dayText);
  if (start === null) throw new DomainError('invalid', 'VALIDATION_FAILED', `${dayText} is not a real date (YYYY-MM-DD)`, [{ field: 'day', reason: 'not a real date' }]);
  if (dayText > today) throw new DomainError('invalid', 'VALIDATION_FAILED', `${dayText} is after today (${today})`, [{ field: 'day', reason: `after today (${today})` }]);
  assertPlausibleTimes(ctx, edition, { day: start });
  const day: DayWindow = { start, end: start + DAY };
  // Figures "now" for a past day are still now's; the day's own figures end with the day (or now, today).
  const asOf = Math.min(now, day.end - 1);
  const childLevel = levelBelow(region.level);
  const tracedWithinHours = edition.investigation.completeWithinHours;

  // The units above: the region code's prefixes at each level's length (a grid's community, its township ...).
  const above = unitsAbove(region.code);
  const [aboveNames, parentName, children, cases, contacts, found, samples, tasks, openByUnit, late] = await Promise.all([
    store.regions.names(above),
    region.parentCode ? store.regions.get(region.parentCode) : undefined,
    childLevel ? store.regions.children(region.code) : Promise.resolve([] as Region[]),
    store.dashboard.cases(region, day.end),
    store.dashboard.contacts(region, childLevel, testDueWindows(edition, day)),
    store.dashboard.contactsFound(region, day, tracedWithinHours * HOUR),
    store.dashboard.samplesTaken(region, day),
    store.dashboard.taskCounts(region, now, day),
    childLevel ? store.dashboard.openTasksByUnit(region, childLevel, now) : Promise.resolve([]),
    store.dashboard.lateTasks(region, now, LATE_TASKS),
  ]);

  const childOf = (communityCode: string, gridCode: string | null): string | null => {
    if (!childLevel) return null;
    return childLevel === 'grid' ? gridCode : communityCode.slice(0, CODE_LENGTH[childLevel]);
  };
  const rows = new Map<string, DashboardChild>(children.map((c) => [c.code, { code: c.code, name: c.name, level: c.level, newCases: 0, cases: 0, contacts: 0, inQuarantine: 0, tasksOpen: 0, tasksOverdue: 0 }]));
  const newToday = cases.filter((c) => c.confirmedAt >= day.start);
  for (const c of cases) {
    const row = rows.get(childOf(c.communityCode, c.gridCode) ?? '');
    if (!row) continue;
    row.cases += 1;
    if (c.confirmedAt >= day.start) row.newCases += 1;
  }
  let inQuarantine = 0, testsDue = 0;
  for (const k of contacts) {
    inQuarantine += k.inQuarantine;
    testsDue += k.testsDue;
    const row = rows.get(k.unit ?? '');
    if (row) { row.contacts += k.contacts; row.inQuarantine += k.inQuarantine; }
  }
  const levels = new Map<RegionLevel, LevelTasks>(REGION_LEVELS.map((level) => [level, { level, total: 0, done: 0, open: 0, overdue: 0, escalated: 0 }]));
  let tasksDone = 0, transfersDone = 0, transfersWithinDeadline = 0;
  for (const t of tasks) {
    const l = levels.get(t.level);
    const open = t.status !== 'done' && t.status !== 'cancelled';
    if (l) {
      l.total += t.count;
      if (t.status === 'done') l.done += t.count;
      if (open) { l.open += t.count; l.overdue += t.pastDue; }
      if (t.status === 'escalated') l.escalated += t.count;
    }
    if (t.status === 'done') {
      tasksDone += t.onDay;
      if (t.kind === 'transfer_to_quarantine') { transfersDone += t.onDay; transfersWithinDeadline += t.onDayInTime; }
    }
  }
  for (const u of openByUnit) {
    const row = rows.get(u.unit);
    if (row) { row.tasksOpen += u.open; row.tasksOverdue += u.overdue; }
  }
  const tasksByLevel = [...levels.values()];
  const known = await store.dashboard.casesAmongKnownContacts(newToday);

  return {
    day: dayText,
    asOf,
    region: { code: region.code, name: region.name, level: region.level },
    parent: region.parentCode ? { code: region.parentCode, name: parentName?.name ?? region.parentCode } : null,
    path: above.map((c) => ({ code: c, name: aboveNames.get(c) ?? c })),
    children: [...rows.values()],
    kpis: {
      newCases: newToday.length, newCasesAmongKnownContacts: known.size, contactsFound: found.found, contactsTracedWithin24h: found.within,
      transfersDone, transfersWithinDeadline, inQuarantine, testsDue, testsDone: samples,
      tasksDone, tasksOpen: tasksByLevel.reduce((n, l) => n + l.open, 0), tasksOverdue: tasksByLevel.reduce((n, l) => n + l.overdue, 0),
    },
    rules: { tracedWithinHours, transferWithinHours: edition.closeContact.transferWithinHours },
    tasksByLevel,
    epiCurve: epiCurve(cases, day),
    lateTasks: late,
  };
}

/**
 * Cases by day of onset and of confirmation, every day from the first case's (earliest onset or confirmation) to
 * `day`, zeros filled, at most the last EPI_CURVE_DAYS days; empty when the region has no case up to the day.
 */
export function epiCurve(cases: readonly { onsetAt: number | null; confirmedAt: number }[], day: DayWindow): { day: string; onset: number; confirmed: number }[] {
  const onset = new Map<string, number>(), confirmed = new Map<string, number>();
  let first = Infinity;
  for (const c of cases) {
    if (c.confirmedAt >= day.end) continue;
    const cd = dayOf(c.confirmedAt);
    confirmed.set(cd, (confirmed.get(cd) ?? 0) + 1);
    first = Math.min(first, c.confirmedAt);
    if (c.onsetAt !== null && c.onsetAt < day.end) {
      const od = dayOf(c.onsetAt);
      onset.set(od, (onset.get(od) ?? 0) + 1);
      first = Math.min(first, c.onsetAt);
    }
  }
  if (first === Infinity) return [];
  const firstDay = parseTime(dayOf(first))!;
  const from = Math.max(firstDay, day.start - (EPI_CURVE_DAYS - 1) * DAY);
  const out: { day: string; onset: number; confirmed: number }[] = [];
  for (let t = from; t < day.end; t += DAY) {
    const d = dayOf(t);
    out.push({ day: d, onset: onset.get(d) ?? 0, confirmed: confirmed.get(d) ?? 0 });
  }
  return out;
}
