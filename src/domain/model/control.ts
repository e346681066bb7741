/** Health codes, risk areas, venue orders, checkpoints and their check records. */
import { z } from 'zod';
import {
  CheckpointKindSchema, CheckVerdictSchema, CodeColourSchema, CodeConditionSchema, PlaceCategorySchema, RiskLevelSchema, VenueOrderActionSchema,
} from '../vocab.ts';
import { DivisionCodeSchema, EpochSchema, IdSchema } from './common.ts';

/** A reason for a code's colour, with the condition that will change it. */
export const CodeReasonSchema = z.object({
  condition: CodeConditionSchema,
  colour: z.enum(['yellow', 'red']),
  detail: z.string(),
  until: z.string(),
  untilAt: EpochSchema.nullable(),
});

/** A person's health code now. */
export const HealthCodeSchema = z.object({
  personId: IdSchema,
  colour: CodeColourSchema,
  reasons: z.array(CodeReasonSchema),
  since: EpochSchema,
  validUntil: EpochSchema,
});
export type HealthCode = z.infer<typeof HealthCodeSchema>;

/** One change of a person's code, stored with its cause. */
export const CodeTransitionSchema = z.object({
  personId: IdSchema,
  fromColour: CodeColourSchema.nullable(),
  colour: CodeColourSchema,
  reasons: z.array(CodeReasonSchema),
  cause: z.string(),
  at: EpochSchema,
});
export type CodeTransition = z.infer<typeof CodeTransitionSchema>;

export const RiskAreaSchema = z.object({
  id: IdSchema,
  regionCode: DivisionCodeSchema,
  /** Compound or village name when the unit is finer than the division tree. */
  unitName: z.string().nullable(),
  level: RiskLevelSchema,
  since: EpochSchema,
  reviewAt: EpochSchema.nullable(),
  ruleSet: z.string(),
  /** The reason in English; `reasonCode` and `reasonArgs` say it for any language (codes in domain/rules/riskAreas.ts). */
  reason: z.string(),
  reasonCode: z.string(),
  reasonArgs: z.record(z.string(), z.number()),
});
export type RiskArea = z.infer<typeof RiskAreaSchema>;

export const VenueOrderSchema = z.object({
  id: IdSchema,
  orderNo: z.string().min(1),
  action: VenueOrderActionSchema,
  categories: z.array(PlaceCategorySchema).min(1),
  regionCodes: z.array(DivisionCodeSchema).min(1),
  startsAt: EpochSchema,
  endsAt: EpochSchema.nullable(),
  issuedBy: z.string(),
});
export type VenueOrder = z.infer<typeof VenueOrderSchema>;

export const CheckpointSchema = z.object({
  id: IdSchema,
  code: z.string().min(1),
  name: z.string().min(1),
  kind: CheckpointKindSchema,
  placeId: IdSchema.nullable(),
  regionCode: DivisionCodeSchema,
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const CheckRecordSchema = z.object({
  id: IdSchema,
  checkpointId: IdSchema,
  personId: IdSchema.nullable(),
  at: EpochSchema,
  temperatureC: z.number().nullable(),
  verdict: CheckVerdictSchema,
  reasons: z.array(z.string()),
});
export type CheckRecord = z.infer<typeof CheckRecordSchema>;
