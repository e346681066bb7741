/** Command and accountability: agencies, users, directives decomposed into tasks, and the audit log. */
import { z } from 'zod';
import { AgencyKindSchema, RoleSchema } from '../access.ts';
import { DirectiveKindSchema, RegionLevelSchema, TaskStatusSchema } from '../vocab.ts';
import { DivisionCodeSchema, EpochSchema, IdSchema } from './common.ts';

export const AgencySchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  kind: AgencyKindSchema,
  regionCode: DivisionCodeSchema,
});
export type Agency = z.infer<typeof AgencySchema>;

/** Every user belongs to an agency and a region; their role bounds what they may do there. */
export const UserSchema = z.object({
  id: IdSchema,
  username: z.string().min(1),
  displayName: z.string().min(1),
  agencyId: IdSchema,
  role: RoleSchema,
  regionCode: DivisionCodeSchema,
});
export type User = z.infer<typeof UserSchema>;

/**
 * A measure issued by a command centre at its unit (`regionCode`, of `level`), covering `units` (that unit, or units
 * inside it), due at `dueAt` (its root task's deadline, which may be moved); decomposed into a task per unit down to the grids.
 */
export const DirectiveSchema = z.object({
  id: IdSchema,
  kind: DirectiveKindSchema,
  text: z.string().min(1),
  level: RegionLevelSchema,
  regionCode: DivisionCodeSchema,
  units: z.array(DivisionCodeSchema).min(1),
  dueAt: EpochSchema,
  issuedBy: z.string(),
  issuedAt: EpochSchema,
  /** When its root task was cancelled (its tasks with it); null while it stands. */
  cancelledAt: EpochSchema.nullable(),
});
export type Directive = z.infer<typeof DirectiveSchema>;

/**
 * A task at one unit, with an owner (a user, or whoever holds `ownerRole` at the unit) and a deadline; a directive's
 * tasks form a tree (`parentId`) down to the grid; tasks the event flow creates stand alone, keyed by `sourceKey` (the
 * fact they come from) so that handling an event twice creates nothing new.
 */
export const TaskSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  directiveId: IdSchema.nullable(),
  title: z.string().min(1),
  kind: z.string().min(1),
  level: RegionLevelSchema,
  regionCode: DivisionCodeSchema,
  ownerUserId: IdSchema.nullable(),
  ownerRole: RoleSchema,
  dueAt: EpochSchema,
  status: TaskStatusSchema,
  statusAt: EpochSchema,
  subjectPersonId: IdSchema.nullable(),
  /** What the task is about besides a person: a contact's id, a pool's number, an order's number, a unit. */
  subjectKey: z.string().nullable(),
  sourceKey: z.string().nullable(),
  /** The evidence given when it was done, or the last note. */
  note: z.string().nullable(),
  /** The unit it was escalated to (the level above), once it ran past its deadline. */
  escalatedTo: DivisionCodeSchema.nullable(),
  /** When it was found past its deadline (escalated, or overdue at the top): once; null while on time. */
  lateAt: EpochSchema.nullable(),
  createdAt: EpochSchema,
});
export type Task = z.infer<typeof TaskSchema>;

export const AuditEntrySchema = z.object({
  id: IdSchema,
  at: EpochSchema,
  userId: IdSchema.nullable(),
  action: z.string(),
  subject: z.string(),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
