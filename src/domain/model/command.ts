/** Command and accountability: agencies, users, directives decomposed into tasks, and the audit log. */
import { z } from 'zod';
import { AgencyKindSchema, RegionLevelSchema, RoleSchema, TaskStatusSchema } from '../vocab.ts';
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

/** A task at one level, with an owner and a deadline; children decompose it down to the grid. */
export const TaskSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  title: z.string().min(1),
  kind: z.string().min(1),
  level: RegionLevelSchema,
  regionCode: DivisionCodeSchema,
  ownerUserId: IdSchema.nullable(),
  dueAt: EpochSchema,
  status: TaskStatusSchema,
  subjectPersonId: IdSchema.nullable(),
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
