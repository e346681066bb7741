/** Cases and contacts with their evidence; times as ISO text. */
import { z } from 'zod';
import { listIdMask, maskName } from '../../../domain/identity.ts';
import type { Case, Contact } from '../../../domain/model/index.ts';
import type { Store } from '../../../storage/store.ts';
import {
  CaseKindSchema, CaseOutcomeSchema, ContactKindSchema, ContactOriginSchema, ContactSettingSchema, ContactStatusSchema, DetectionRouteSchema, PlaceCategorySchema, PresenceSourceSchema, SeveritySchema,
} from '../../../domain/vocab.ts';
import { CLINICAL_TYPES, INTERVIEW_SIGNS } from '../../../domain/rules/interview.ts';
import { EXPORT_FORMATS } from '../../../services/exports/sheet.ts';
import type { InterviewView } from '../../../services/cases/interview.ts';
import { TRAJECTORY_ROWS_MAX } from '../../../services/cases/trajectory.ts';
import { DayText, Id, iso, IsoTime, PageQuery, pageOf, PlainText, presentChanges, said, TimeText, TripNumber } from '../common.ts';

export const CaseOut = z.object({
  id: z.number().int(), caseNo: z.string(), personId: z.number().int(), kind: CaseKindSchema, onsetAt: IsoTime.nullable(), sampledAt: IsoTime,
  confirmedAt: IsoTime, isolatedAt: IsoTime.nullable(), severity: SeveritySchema, hospitalPlaceId: z.number().int().nullable(), outcome: CaseOutcomeSchema,
  outcomeAt: IsoTime.nullable(), detectedBy: DetectionRouteSchema.nullable(), withdrawnAt: IsoTime.nullable(), withdrawalReason: z.string().nullable(),
});
export type CaseOut = z.infer<typeof CaseOut>;
export const CasePage = pageOf(CaseOut);
export type CasePage = z.infer<typeof CasePage>;

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
/** A contact in a list, with who it is, masked (name: first character; ID number: first 3 and last 2 characters), and its case's number. */
export const ListedContactOut = ContactOut.extend({ person: z.object({ name: z.string(), idMasked: z.string() }).nullable(), indexCaseNo: z.string().nullable() });
export type ListedContactOut = z.infer<typeof ListedContactOut>;
export const ContactPage = pageOf(ListedContactOut);
export type ContactPage = z.infer<typeof ContactPage>;
/** GET /api/cases/:id/contacts: a page of the contacts within scope, and how many live outside it (followed up by their own region). */
export const CaseContactPage = ContactPage.extend({ outsideScope: z.number().int().describe('contacts of this case (of the kind asked) living outside your region: not listed here') });
export type CaseContactPage = z.infer<typeof CaseContactPage>;
/** GET /api/cases/:id/contacts/export: the file's format, and the language of its headers and words (Chinese first). */
export const ContactExportQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS).default('xlsx'), lang: z.enum(['zh', 'en']).default('zh') });
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

/** Contacts of a list with their persons, masked. */
export async function presentListedContacts(store: Store, contacts: readonly Contact[]): Promise<ListedContactOut[]> {
  const persons = await store.persons.byIds(contacts.map((k) => k.personId));
  const caseNos = new Map((await store.cases.byIds(contacts.map((k) => k.indexCaseId))).map((c) => [c.id, c.caseNo]));
  return contacts.map((k) => {
    const p = persons.get(k.personId);
    return { ...presentContact(k), person: p ? { name: maskName(p.name), idMasked: listIdMask(p.idMasked) } : null, indexCaseNo: caseNos.get(k.indexCaseId) ?? null };
  });
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
/** A row as sent (times as text; what may be left out, left out). */
export type TrajectoryRowIn = z.input<typeof TrajectoryRowIn>;
export const TrajectoryBody = z.strictObject({ rows: z.array(TrajectoryRowIn).min(1).max(TRAJECTORY_ROWS_MAX) });
export const TrajectoryRowOut = z.object({
  id: z.number().int(), start: z.string(), end: z.string(),
  place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }).nullable(), placeText: z.string().nullable(),
  seat: z.string().nullable(), carriage: z.string().nullable(), activity: z.string().nullable(), mask: MaskSchema.nullable(), peopleMet: z.string().nullable(),
  notes: z.string().nullable(), traced: z.boolean().describe('a presence record of source investigation stands for it'), createdAt: z.string(), createdBy: z.string(),
});
export type TrajectoryRowOut = z.infer<typeof TrajectoryRowOut>;
export const TrajectoryOut = z.object({ items: z.array(TrajectoryRowOut) });
export type TrajectoryOut = z.infer<typeof TrajectoryOut>;
export const TrajectoryAdded = TrajectoryOut.extend({
  added: z.number().int(),
  trace: z.object({
    written: z.number().int().describe('contacts newly stored'), updated: z.number().int(),
    contacts: z.object({ close: z.number().int(), secondary: z.number().int(), companion: z.number().int() }).describe('what the retrace found (all zero when no row was new: no retrace)'),
  }),
});
export type TrajectoryAdded = z.infer<typeof TrajectoryAdded>;

/** A nameless trajectory notice: places and time windows, no person, no case. */
export const NoticeOut = z.object({
  id: z.number().int(), regionCode: z.string(), regionName: z.string().nullable(), title: z.string(), publishedAt: z.string(),
  items: z.array(z.object({ place: z.string(), category: PlaceCategorySchema.nullable(), carriage: z.string().optional(), start: z.string(), end: z.string() })),
});
export type NoticeOut = z.infer<typeof NoticeOut>;
/** GET /api/public/notices: the notices in force, newest first. */
export const NoticeList = z.object({ items: z.array(NoticeOut) });
export type NoticeList = z.infer<typeof NoticeList>;
export const NoticeBody = z.strictObject({
  title: said(100).describe('e.g. 芙蓉区新增确诊病例活动轨迹（8月2日）'),
  rowIds: z.array(z.number().int().positive()).min(1).max(TRAJECTORY_ROWS_MAX).optional().describe('the rows to publish (all when absent)'),
});

/** A case's interview (流调表) as saved: each section and field optional in a draft (PROTOCOL.md, Epidemiological investigation). */
const InterviewAnswersIn = z.strictObject({
  demographics: z.strictObject({ occupation: said(100).optional(), workplace: said(200).optional(), householdSize: z.number().int().min(1).max(50).optional().describe('persons living in the household') }).optional(),
  onset: z.strictObject({
    symptoms: z.array(z.enum(INTERVIEW_SIGNS)).max(INTERVIEW_SIGNS.length).refine((x) => new Set(x).size === x.length, 'a sign named twice').optional().describe('the signs; an empty list: none'),
    maxTemperature: z.number().optional().describe("highest body temperature, °C (within the edition's checkpoint.plausibleTemperatureC)"),
    firstCareAt: TimeText.optional().describe('when care was first sought (YYYY-MM-DD HH:MM, China Standard Time)'),
    careSeeking: said(500).optional().describe('where and how care was sought'),
  }).optional(),
  vaccination: z.strictObject({ doses: z.number().int().min(0).max(5).optional(), lastDoseDate: DayText.optional() }).optional(),
  lab: z.strictObject({ ctValue: z.number().min(5).max(45).optional().describe('the lowest Ct value reported'), notes: said(1000).optional() }).optional(),
  exposures: z.strictObject({ suspectedSource: said(500).optional(), notes: said(2000).optional().describe('exposures before onset not in the trajectory rows') }).optional(),
  diagnosis: z.strictObject({ clinicalType: z.enum(CLINICAL_TYPES).optional(), notes: said(1000).optional() }).optional(),
});
export const InterviewBody = z.strictObject({
  answers: InterviewAnswersIn,
  version: z.number().int().min(0).describe('the version this save was made from (0: none saved yet)'),
  complete: z.boolean().default(false).describe('complete the interview (its required answers must be in)'),
});
/** The body as sent (times as text; `complete` may be left out: a draft). */
export type InterviewBody = z.input<typeof InterviewBody>;
const InterviewAnswersOut = InterviewAnswersIn.extend({
  onset: InterviewAnswersIn.shape.onset.unwrap().extend({ firstCareAt: IsoTime.optional() }).optional(),
});
export const InterviewOut = z.object({
  caseId: z.number().int(), answers: InterviewAnswersOut, version: z.number().int(), updatedAt: IsoTime.nullable(), updatedBy: z.string().nullable(),
  completedAt: IsoTime.nullable(), completedBy: z.string().nullable(), dueAt: IsoTime.describe('confirmation plus the edition\'s investigation.completeWithinHours'),
  late: z.boolean().describe('not completed by its deadline'), exposuresFrom: IsoTime.describe('onset less the edition\'s investigation.lookBackDaysBeforeOnset'),
});
export type InterviewOut = z.infer<typeof InterviewOut>;

export function presentInterview(v: InterviewView): InterviewOut {
  const { onset, ...rest } = v.answers;
  const answers: InterviewOut['answers'] = onset === undefined ? rest : { ...rest, onset: { ...onset, firstCareAt: onset.firstCareAt === undefined ? undefined : iso(onset.firstCareAt)! } };
  return { ...v, answers, updatedAt: iso(v.updatedAt), completedAt: iso(v.completedAt), dueAt: iso(v.dueAt)!, exposuresFrom: iso(v.exposuresFrom)! };
}

/** Why a correction is made: kept with it. */
export const CorrectionReason = said(2000).describe('why: kept with the correction');

/**
 * POST /api/cases/:id/contacts: a contact by the investigators' judgement (protocol setting 9), with the reason; a
 * secondary contact names the close contact of the case it came through, a close contact none.
 */
export const ManualContactBody = z.strictObject({
  personId: Id, kind: z.enum(['close', 'secondary']), reason: CorrectionReason, firstExposure: TimeText, lastExposure: TimeText,
  placeId: Id.nullable().default(null),
  viaContactId: Id.nullable().default(null).describe('for a secondary contact: the close contact of this case (its contact id) through whom'),
}).refine((b) => (b.kind === 'secondary') === (b.viaContactId !== null), { message: 'a secondary contact names the close contact it came through; a close contact names none', path: ['viaContactId'] });
/** The body as sent (times as text; `placeId` and `viaContactId` may be left out: none). */
export type ManualContactBody = z.input<typeof ManualContactBody>;

/** GET /api/cases/export and /api/contacts/export: the list's filter (as its page's) and the file's format and language. */
export const CaseListExportQuery = CaseQuery.omit({ after: true, limit: true }).extend(ContactExportQuery.shape);
/** GET /api/cases/:id/contacts/export: the file's format and language, and the case page's filter (kind, setting). */
export const CaseContactsExportQuery = ContactExportQuery.extend({ kind: ContactKindSchema.optional(), setting: ContactSettingSchema.optional() });
export const ContactListExportQuery = ContactListQuery.omit({ after: true, limit: true }).extend(ContactExportQuery.shape);
