/** The command dashboard: a region's day at a glance, and the county boundaries of a city for the map's drill-down. */
import { z } from 'zod';
import { RegionLevelSchema, TaskStatusSchema } from '../../../domain/vocab.ts';
import { UnitCode } from '../command/schema.ts';

/** As `IsoTime` of ../common.ts (not imported: it pulls in server code; the web app takes its types from here). */
const IsoTime = z.string().describe('ISO-8601 date-time, +08:00');

const count = z.number().int().nonnegative();

/** `region` (default: your own region, or the province) and `day` (a past day to look back at; default today, China time). */
export const DashboardQuery = z.strictObject({
  region: UnitCode.optional(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').optional().describe('look back at a past day (China time); default today. A read: nothing is stored'),
});

/** A unit one level below the region, with its figures (the map's colours and the drill-down). */
export const DashboardChild = z.object({
  code: z.string(), name: z.string(), level: RegionLevelSchema,
  newCases: count.describe('cases confirmed on the day, of persons living there'),
  cases: count.describe('standing cases (withdrawn ones left out) confirmed up to the day'),
  contacts: count.describe('persons under management as contacts now (a record of a standing case, not released nor become a case)'),
  inQuarantine: count.describe('persons with a contact record in quarantine now'),
  tasksOpen: count.describe('tasks at units there neither done nor cancelled, now'),
  tasksOverdue: count.describe('of those, past their deadline now'),
});

/**
 * The day's key figures for the region. A person counts where they live (their community or grid), a task at its
 * unit. "Day" figures count the China-time day; "now" figures are the current state at the server's now.
 */
export const DashboardKpis = z.object({
  newCases: count.describe('day: standing cases confirmed on the day'),
  newCasesAmongKnownContacts: count.describe('day: of those, cases whose person already had a contact record (any kind) of another case, found before the confirmation'),
  contactsFound: count.describe('day: close and secondary contact records of standing cases created (identified) on the day'),
  contactsTracedWithin24h: count.describe('day: of those, identified at most `rules.tracedWithinHours` (the edition\'s investigation.completeWithinHours, 24) after their index case\'s confirmation'),
  transfersDone: count.describe('day: transfers to centralized quarantine (tasks) done on the day'),
  transfersWithinDeadline: count.describe('day: of those, done by their deadline (the edition\'s closeContact.transferWithinHours after the contact was routed, or as moved)'),
  inQuarantine: count.describe('now: persons with a contact record in quarantine'),
  testsDue: count.describe('day: persons under management as close or secondary contacts with a required test (the edition\'s test days of their schedule, counted from last exposure or identification as the health code counts them without a quarantine assignment) whose deadline falls on the day'),
  testsDone: count.describe('day: samples taken on the day (every sample: required tests, mass testing, others)'),
  tasksDone: count.describe('day: tasks done on the day'),
  tasksOpen: count.describe('now: tasks neither done nor cancelled'),
  tasksOverdue: count.describe('now: of those, past their deadline'),
});

export const LevelTasks = z.object({
  level: RegionLevelSchema, total: count.describe('every task of the level, cancelled ones included'), done: count, open: count.describe('neither done nor cancelled'),
  overdue: count.describe('open and past the deadline now'), escalated: count.describe('in status escalated (gone up to the unit above)'),
});

export const LateTaskOut = z.object({
  id: z.number().int(), kind: z.string(), title: z.string(), level: RegionLevelSchema, regionCode: z.string(), regionName: z.string(), dueAt: IsoTime, status: TaskStatusSchema,
  escalatedTo: z.string().nullable(), escalatedToName: z.string().nullable(),
});

export const Dashboard = z.object({
  day: z.string().describe('YYYY-MM-DD, China time'),
  asOf: IsoTime.describe('the moment the day figures run to: now, or the end of a past day'),
  region: z.object({ code: z.string(), name: z.string(), level: RegionLevelSchema }),
  parent: z.object({ code: z.string(), name: z.string() }).nullable(),
  path: z.array(z.object({ code: z.string(), name: z.string() })).describe('the units above the region, from the province down to its parent'),
  children: z.array(DashboardChild).describe('every unit one level below the region (zeros included), by code; none below a grid'),
  kpis: DashboardKpis,
  rules: z.object({
    tracedWithinHours: z.number().describe('the edition\'s investigation.completeWithinHours: what "traced within 24 h" measures'),
    transferWithinHours: z.number().describe('the edition\'s closeContact.transferWithinHours: a transfer\'s deadline'),
  }),
  tasksByLevel: z.array(LevelTasks).describe('tasks at units in the region, province to grid, every level listed'),
  epiCurve: z.array(z.object({ day: z.string(), onset: count, confirmed: count })).describe('standing cases by day of onset and of confirmation, from the first case\'s day to the day, zeros filled, the last 60 days at most'),
  lateTasks: z.array(LateTaskOut).describe('open tasks in the region past their deadline or escalated: past the deadline first, then by deadline; 20 at most'),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const CountiesQuery = z.strictObject({ city: z.string().regex(/^43\d{2}$/, 'a city code (4 digits)') });
