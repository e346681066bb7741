/** Cases and contacts with their evidence; times as ISO text. */
import { z } from 'zod';
import type { Case, Contact } from '../../../domain/model/index.ts';
import {
  CaseKindSchema, CaseOutcomeSchema, ContactKindSchema, ContactOriginSchema, ContactSettingSchema, ContactStatusSchema, DetectionRouteSchema, PlaceCategorySchema, PresenceSourceSchema, SeveritySchema,
} from '../../../domain/vocab.ts';
import { TRAJECTORY_ROWS_MAX } from '../../../services/cases/trajectory.ts';
import { DayText, iso, IsoTime, PageQuery, pageOf, PlainText, presentChanges, said, TimeText, TripNumber } from '../common.ts';

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
export type ContactOut = z.infer<typeof ContactOut>;
export const ContactPage = pageOf(ContactOut);
export const ContactQuery = PageQuery.extend({ kind: ContactKindSchema.optional() });
const Region = z.string().regex(/^\d{2,14}$/, 'a division code (2 to 14 digits)');
/** GET /api/contacts: by kind, status and where the contact lives. */
export const ContactListQuery = ContactQuery.extend({ status: ContactStatusSchema.optional(), region: Region.optional().describe('where the contact lives (a division code of any level)') });
/** GET /api/cases: by kind, outcome and where the case's person lives. */
export const CaseQuery = PageQuery.extend({ kind: CaseKindSchema.optional(), outcome: CaseOutcomeSchema.optional(), region: Region.optional().describe("where the case's person lives") });

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

/** A case's trajectory from the interview (routes in trajectory.ts). */
export const MaskSchema = z.enum(['yes', 'no', 'unknown']);
export const TrajectoryRowIn = z.strictObject({
  start: TimeText.describe('when the stay or ride began'),
  end: TimeText.describe('when it ended (at most a day after the start)'),
  placeCode: PlainText.trim().min(1).max(200).optional().describe('a place in the register, by its code (found by search)'),
  vehicle: z.strictObject({
    number: TripNumber,
    date: DayText.describe('the service date'),
    seat: PlainText.trim().min(1).max(10).nullable().optional(),
    carriage: PlainText.trim().min(1).max(10).nullable().optional(),
  }).optional().describe('a train, flight or coach by its number and service date, with the seat'),
  placeText: said(200).optional().describe('the place as typed when the register does not hold it (kept, not traced)'),
  activity: said(200).nullable().optional(),
  mask: MaskSchema.nullable().optional(),
  peopleMet: said(500).nullable().optional(),
  notes: said(1000).nullable().optional(),
});
export const TrajectoryBody = z.strictObject({ rows: z.array(TrajectoryRowIn).min(1).max(TRAJECTORY_ROWS_MAX) });
export const TrajectoryRowOut = z.object({
  id: z.number().int(), start: z.string(), end: z.string(),
  place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }).nullable(), placeText: z.string().nullable(),
  seat: z.string().nullable(), carriage: z.string().nullable(), activity: z.string().nullable(), mask: MaskSchema.nullable(), peopleMet: z.string().nullable(),
  notes: z.string().nullable(), traced: z.boolean().describe('a presence record of source investigation stands for it'), createdAt: z.string(), createdBy: z.string(),
});
export type TrajectoryRowOut = z.infer<typeof TrajectoryRowOut>;
export const TrajectoryOut = z.object({ items: z.array(TrajectoryRowOut) });
export const TrajectoryAdded = TrajectoryOut.extend({
  added: z.number().int(),
  trace: z.object({
    written: z.number().int().describe('contacts newly stored'), updated: z.number().int(),
    contacts: z.object({ close: z.number().int(), secondary: z.number().int(), companion: z.number().int() }).describe('what the retrace found (all zero when no row was new: no retrace)'),
  }),
});

/** A nameless trajectory notice: places and time windows, no person, no case. */
export const NoticeOut = z.object({
  id: z.number().int(), regionCode: z.string(), regionName: z.string().nullable(), title: z.string(), publishedAt: z.string(),
  items: z.array(z.object({ place: z.string(), category: PlaceCategorySchema.nullable(), carriage: z.string().optional(), start: z.string(), end: z.string() })),
});
export type NoticeOut = z.infer<typeof NoticeOut>;
export const NoticeBody = z.strictObject({
  title: said(100).describe('e.g. 芙蓉区新增确诊病例活动轨迹（8月2日）'),
  rowIds: z.array(z.number().int().positive()).min(1).max(TRAJECTORY_ROWS_MAX).optional().describe('the rows to publish (all when absent)'),
});
