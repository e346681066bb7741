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

export const QuarantineSiteSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  placeId: IdSchema.nullable(),
  regionCode: z.string(),
  rooms: z.number().int().nonnegative(),
});
export type QuarantineSite = z.infer<typeof QuarantineSiteSchema>;

export const QuarantineAssignmentSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  kind: QuarantineKindSchema,
  siteId: IdSchema.nullable(),
  /** Day 0 of the schedule (last exposure or arrival, per edition). */
  countedFrom: EpochSchema,
  startedAt: EpochSchema,
  plannedEnd: EpochSchema,
  endedAt: EpochSchema.nullable(),
  reason: z.string(),
});
export type QuarantineAssignment = z.infer<typeof QuarantineAssignmentSchema>;
