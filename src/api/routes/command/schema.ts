/**
 * The shapes of directives and tasks as the API answers them; the web app takes its types from here (type-only
 * imports; this module and what it imports are plain zod, so the page's type check never reaches server code).
 */
import { z } from 'zod';

import { RoleSchema } from '../../../domain/access.ts';
import { DirectiveKindSchema, RegionLevelSchema as Level, TaskStatusSchema as Status } from '../../../domain/vocab.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
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
