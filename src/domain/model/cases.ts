/** Cases, contacts with their evidence, and investigator-entered transmission links. */
import { z } from 'zod';
import {
  CaseKindSchema, CaseOutcomeSchema, ContactKindSchema, ContactOriginSchema, ContactSettingSchema, ContactStatusSchema, DetectionRouteSchema,
  PresenceSourceSchema, SeveritySchema,
} from '../vocab.ts';
import { EpochSchema, IdSchema } from './common.ts';

export const CaseSchema = z.object({
  id: IdSchema,
  /** Natural key: the case number the health commission assigns. */
  caseNo: z.string().min(1),
  personId: IdSchema,
  kind: CaseKindSchema,
  onsetAt: EpochSchema.nullable(),
  sampledAt: EpochSchema,
  confirmedAt: EpochSchema,
  isolatedAt: EpochSchema.nullable(),
  severity: SeveritySchema,
  hospitalPlaceId: IdSchema.nullable(),
  outcome: CaseOutcomeSchema,
  /** When the outcome was reached (discharge, death ...); null while in treatment. */
  outcomeAt: EpochSchema.nullable(),
  detectedBy: DetectionRouteSchema.nullable(),
  /** When the case was withdrawn as not a case (null: it stands), and why. */
  withdrawnAt: EpochSchema.nullable(),
  withdrawalReason: z.string().nullable(),
});
export type Case = z.infer<typeof CaseSchema>;

/** One reason a person is a contact: the rule, where and when they overlapped, from which feeds. */
export const EvidenceSchema = z.object({
  setting: ContactSettingSchema,
  rule: z.string().min(1),
  placeId: IdSchema.nullable(),
  overlapStart: EpochSchema,
  overlapEnd: EpochSchema,
  minutes: z.number().nonnegative(),
  seatDistance: z.number().int().nonnegative().nullable(),
  sources: z.array(PresenceSourceSchema),
  /** Free text for manual entries (rule 9: the investigator's judgement). */
  note: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ContactSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  kind: ContactKindSchema,
  /** The case whose tracing found this contact. */
  indexCaseId: IdSchema,
  /** For secondary contacts: the close contact through whom they were exposed. */
  viaContactId: IdSchema.nullable(),
  firstExposure: EpochSchema,
  lastExposure: EpochSchema,
  evidence: z.array(EvidenceSchema).min(1),
  status: ContactStatusSchema,
  identifiedAt: EpochSchema,
  /** Where the record came from. */
  origin: ContactOriginSchema,
  /** When the status last changed (null: never since identification). */
  statusAt: EpochSchema.nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

/** A link between two cases entered or confirmed by an investigator; overrides the inferred one. */
export const TransmissionLinkSchema = z.object({
  id: IdSchema,
  infectorCaseId: IdSchema,
  infecteeCaseId: IdSchema,
  verdict: z.enum(['confirmed', 'rejected']),
  note: z.string().nullable(),
  enteredBy: IdSchema.nullable(),
  enteredAt: EpochSchema,
});
export type TransmissionLink = z.infer<typeof TransmissionLinkSchema>;
