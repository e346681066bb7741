/** Cases and contacts with their evidence; times as ISO text. */
import { z } from 'zod';
import type { Case, Contact } from '../../../domain/model/index.ts';
import {
  CaseKindSchema, CaseOutcomeSchema, ContactKindSchema, ContactOriginSchema, ContactSettingSchema, ContactStatusSchema, DetectionRouteSchema, PresenceSourceSchema, SeveritySchema,
} from '../../../domain/vocab.ts';
import { iso, IsoTime, PageQuery, pageOf, presentChanges } from '../common.ts';

export const CaseOut = z.object({
  id: z.number().int(), caseNo: z.string(), personId: z.number().int(), kind: CaseKindSchema, onsetAt: IsoTime.nullable(), sampledAt: IsoTime,
  confirmedAt: IsoTime, isolatedAt: IsoTime.nullable(), severity: SeveritySchema, hospitalPlaceId: z.number().int().nullable(), outcome: CaseOutcomeSchema,
  outcomeAt: IsoTime.nullable(), detectedBy: DetectionRouteSchema.nullable(), withdrawnAt: IsoTime.nullable(), withdrawalReason: z.string().nullable(),
});
export type CaseOut = z.infer<typeof CaseOut>;
export const CasePage = pageOf(CaseOut);

export const EvidenceOut = z.object({
  setting: ContactSettingSchema, rule: z.string(), placeId: z.number().int().nullable(), overlapStart: IsoTime, overlapEnd: IsoTime, minutes: z.number(),
  seatDistance: z.number().int().nullable(), sources: z.array(PresenceSourceSchema), note: z.string().optional(),
});
export const ContactOut = z.object({
  id: z.number().int(), personId: z.number().int(), kind: ContactKindSchema, indexCaseId: z.number().int(), viaContactId: z.number().int().nullable(),
  firstExposure: IsoTime, lastExposure: IsoTime, evidence: z.array(EvidenceOut), status: ContactStatusSchema, identifiedAt: IsoTime,
  origin: ContactOriginSchema, statusAt: IsoTime.nullable(),
});
export const ContactPage = pageOf(ContactOut);
export const ContactQuery = PageQuery.extend({ kind: ContactKindSchema.optional() });

export function presentCase(c: Case): z.infer<typeof CaseOut> {
  return {
    ...c, onsetAt: iso(c.onsetAt), sampledAt: iso(c.sampledAt)!, confirmedAt: iso(c.confirmedAt)!, isolatedAt: iso(c.isolatedAt), outcomeAt: iso(c.outcomeAt),
    withdrawnAt: iso(c.withdrawnAt),
  };
}

export function presentContact(c: Contact): z.infer<typeof ContactOut> {
  return {
    ...c, firstExposure: iso(c.firstExposure)!, lastExposure: iso(c.lastExposure)!, identifiedAt: iso(c.identifiedAt)!, statusAt: iso(c.statusAt),
    evidence: c.evidence.map((e) => ({ ...e, overlapStart: iso(e.overlapStart)!, overlapEnd: iso(e.overlapEnd)! })),
  };
}

/** One correction as the API shows it: what changed from what to what, who, when, why, from where. */
export const CorrectionOut = z.object({
  entity: z.string(), key: z.string(), changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])), reason: z.string().nullable(), actor: z.string(), at: IsoTime, source: z.string(),
});
export const HistoryOut = z.object({ items: z.array(CorrectionOut) });

export function presentCorrection(c: { entity: string; entityKey: string; changes: Record<string, [unknown, unknown]>; reason: string | null; actor: string; at: number; source: string }): z.infer<typeof CorrectionOut> {
  return { entity: c.entity, key: c.entityKey, changes: presentChanges(c.changes), reason: c.reason, actor: c.actor, at: iso(c.at)!, source: c.source };
}
