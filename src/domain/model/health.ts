/** Nucleic-acid samples and pooled tubes, quarantine sites and assignments. */
import { z } from 'zod';
import { QuarantineKindSchema, SampleMethodSchema, TestResultSchema } from '../vocab.ts';
import { EpochSchema, IdSchema } from './common.ts';

/** A pooled tube (5-in-1, 10-in-1, 20-in-1); its members are samples that name it. */
export const PoolSchema = z.object({
  id: IdSchema,
  poolNo: z.string().min(1),
  size: z.number().int().min(1),
  sampledAt: EpochSchema,
  result: TestResultSchema,
  resultAt: EpochSchema.nullable(),
  lab: z.string().nullable(),
});
export type Pool = z.infer<typeof PoolSchema>;

export const SampleSchema = z.object({
  id: IdSchema,
  sampleNo: z.string().min(1),
  personId: IdSchema,
  method: SampleMethodSchema,
  poolId: IdSchema.nullable(),
  sampledAt: EpochSchema,
  result: TestResultSchema,
  resultAt: EpochSchema.nullable(),
  lab: z.string().nullable(),
});
export type Sample = z.infer<typeof SampleSchema>;

/** Kinds of quarantine site: a designated hotel (also where stranded visitors are moved), or another kind of site. */
export const QUARANTINE_SITE_KINDS = ['designated_hotel', 'dormitory', 'other'] as const;
export const QuarantineSiteKindSchema = z.enum(QUARANTINE_SITE_KINDS);

/**
 * A centralized quarantine site serving region `regionCode` (and every unit inside it): `rooms` rooms of
 * `personsPerRoom` persons each (single rooms: 1), `staff` on duty, opened at `openedAt`, closed at `closedAt` (null:
 * open). Times in epoch seconds.
 */
export const QuarantineSiteSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  kind: QuarantineSiteKindSchema,
  placeId: IdSchema.nullable(),
  regionCode: z.string(),
  address: z.string().nullable(),
  rooms: z.number().int().nonnegative(),
  personsPerRoom: z.number().int().positive(),
  staff: z.number().int().nonnegative(),
  openedAt: EpochSchema,
  closedAt: EpochSchema.nullable(),
});
export type QuarantineSite = z.infer<typeof QuarantineSiteSchema>;

/**
 * A person held in quarantine: centralized at a site's room, or at home. `countedFrom` is day 0 of the edition's
 * schedule (the last exposure or the start, as the edition says), `plannedEnd` the end of its first stage; `endedAt`
 * and `endReason` once released or moved. `contactId` and `taskId`: the contact record and the transfer task it came
 * from, when it did; `arrivalFrom` and `fromRegionCode` for an arrival from a risk area.
 */
export const QuarantineAssignmentSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  kind: QuarantineKindSchema,
  siteId: IdSchema.nullable(),
  room: z.string().nullable(),
  /** Day 0 of the schedule (last exposure or arrival, per edition). */
  countedFrom: EpochSchema,
  startedAt: EpochSchema,
  plannedEnd: EpochSchema,
  endedAt: EpochSchema.nullable(),
  reason: z.string(),
  endReason: z.string().nullable(),
  contactId: IdSchema.nullable(),
  taskId: IdSchema.nullable(),
  assignedBy: z.string(),
  /** An arrival's: the grading of the risk area they left (null for a contact). */
  arrivalFrom: z.enum(['high', 'medium']).nullable(),
  /** An arrival's: the graded unit they left (a GB/T 2260 or community code). */
  fromRegionCode: z.string().nullable(),
});
export type QuarantineAssignment = z.infer<typeof QuarantineAssignmentSchema>;
