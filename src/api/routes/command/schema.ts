/**
 * The shapes of directives and tasks as the API takes and answers them; the web app takes its types from here
 * (type-only imports). The answers are plain zod; the bodies and queries use the checks of ../common.ts.
 */
import { z } from 'zod';

import { RoleSchema } from '../../../domain/access.ts';
import { DirectiveKindSchema, RegionLevelSchema as Level, TaskStatusSchema as Status } from '../../../domain/vocab.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { countedPageOf, decimal, PageQuery, pageOf, PlainText, RoomText, said, Text, TimeText, visible } from '../common.ts';

/** As `IsoTime` of ../common.ts. */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

export const UnitCode = z.string().regex(/^43(\d{2}|\d{4}|\d{7}|\d{10}|\d{12})?$/, 'a Hunan division code (2, 4, 6, 9, 12 or 14 digits)');

export const DirectiveOut = z.object({
  id: z.number().int(), kind: DirectiveKindSchema, text: z.string(), level: Level, regionCode: z.string(), units: z.array(z.string()),
  dueAt: Time.describe('its root task\'s deadline'), issuedBy: z.string(), issuedAt: Time, regionName: z.string().describe('the name of the issuing unit'),
  cancelledAt: Time.nullable().describe('when its root task was cancelled, with the open tasks below; null while it stands'),
});
export const TaskOut = z.object({
  id: z.number().int(), parentId: z.number().int().nullable(), directiveId: z.number().int().nullable(), title: z.string(), kind: z.string(), level: Level,
  regionCode: z.string(), ownerUserId: z.number().int().nullable(), ownerRole: RoleSchema, dueAt: Time, status: Status, statusAt: Time,
  subjectPersonId: z.number().int().nullable(), subjectKey: z.string().nullable(), note: z.string().nullable(), escalatedTo: z.string().nullable(), createdAt: Time,
  regionName: z.string().describe('the name of its unit'), escalatedToName: z.string().nullable().describe('the name of the unit it was escalated to'),
  /** Past its deadline and not done or cancelled. */
  late: z.boolean(),
});
export const LevelCounts = z.array(z.object({ level: Level, total: z.number().int(), counts: z.record(z.string(), z.number().int()).describe('tasks by status'), doneShare: z.number() }));

export type DirectiveOut = z.infer<typeof DirectiveOut>;
export type TaskOut = z.infer<typeof TaskOut>;
export type LevelCounts = z.infer<typeof LevelCounts>;

/** POST /api/directives: a directive at a unit (default: the actor's), covering units inside it. */
export const DirectiveBody = z.strictObject({
  kind: DirectiveKindSchema, text: said(500, PlainText), regionCode: UnitCode.optional(), units: z.array(UnitCode).min(1).max(200).optional(),
  dueAt: TimeText.optional().describe('default: now plus the edition\'s hours for the kind'),
});
/** The body as sent (times as text). */
export type DirectiveBody = z.input<typeof DirectiveBody>;
/** POST /api/directives answers the directive and how many tasks it made. */
export const DirectiveIssued = z.object({ directive: DirectiveOut, tasks: z.number().int() });
export type DirectiveIssued = z.infer<typeof DirectiveIssued>;
/** GET /api/directives: newest first, paged. */
export const DirectivePage = pageOf(DirectiveOut);
export type DirectivePage = z.infer<typeof DirectivePage>;
/** GET /api/directives/:id: the directive and the completion of its tasks, level by level. */
export const DirectiveDetail = z.object({ directive: DirectiveOut, levels: LevelCounts });
export type DirectiveDetail = z.infer<typeof DirectiveDetail>;

/** GET /api/tasks: the filter (every parameter optional) and paging. */
export const TaskQuery = PageQuery.extend({
  status: Status.optional(), level: Level.optional(), kind: z.string().regex(/^[a-z_]{1,40}$/).optional(), directiveId: decimal(1, MAX_ID).optional(),
  escalatedTo: UnitCode.optional(), regionCode: UnitCode.optional().describe('tasks at exactly this unit, not at the units inside it (the dashboard counts those)'), mine: z.enum(['true', 'false']).optional().describe('only tasks named to me'),
  open: z.enum(['true', 'false']).optional().describe('only open tasks (neither done nor cancelled)'),
});
/** GET /api/tasks: a page of tasks and how many match in all. */
export const TaskPage = countedPageOf(TaskOut);
export type TaskPage = z.infer<typeof TaskPage>;
/** One change of a task: before and after of each field, why, who, when, from where. */
export const TaskChange = z.object({ changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])), reason: z.string().nullable(), actor: z.string(), at: Time.nullable(), source: z.string() });
/** GET /api/tasks/:id: a task with every change made to it. */
export const TaskDetail = z.object({ task: TaskOut, history: z.array(TaskChange) });
export type TaskDetail = z.infer<typeof TaskDetail>;
/** GET /api/tasks/summary: tasks by level and status. */
export const TaskSummary = z.object({ levels: LevelCounts });
export type TaskSummary = z.infer<typeof TaskSummary>;

/** A note on a step of a task: free text, not only spaces or invisible characters. */
const Note = Text.trim().max(2000).refine((t) => t === '' || visible(t), 'has nothing to read (only spaces or invisible characters)');
/** POST /api/tasks/:id/accept and /start: an optional note (or no body). */
export const TaskStepBody = z.strictObject({ note: Note.optional() }).nullable().transform((b) => b ?? {});
/** POST /api/tasks/:id/complete: the evidence, and for a transfer to quarantine the site and room. */
export const TaskCompleteBody = z.strictObject({ note: Note.min(1), siteId: z.number().int().min(1).max(MAX_ID).optional(), room: RoomText.optional() });
/** A step's body as sent: a note for accepting or starting; the note, site and room for completing. */
export type TaskWorkBody = NonNullable<z.input<typeof TaskStepBody>> | z.input<typeof TaskCompleteBody>;
