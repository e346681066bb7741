/**
 * The shapes of designated hospitals as the API takes and answers them; the web app takes its types from here
 * (type-only imports). The answers are plain zod; the bodies use the checks of ../common.ts.
 */
import { z } from 'zod';
import { DischargeOutcomeSchema, HospitalKindSchema, SeveritySchema, TreatmentKindSchema } from '../../../domain/vocab.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { countedPageOf, PlainText, said, TimeText } from '../common.ts';
import { UnitCode } from '../command/schema.ts';

/** As `IsoTime` of ../common.ts. */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

export const HospitalOut = z.object({
  id: z.number().int(), name: z.string(), kind: HospitalKindSchema, regionCode: z.string(), regionName: z.string(), address: z.string().nullable(),
  beds: z.number().int(), icuBeds: z.number().int(), designatedAt: Time, inHospital: z.number().int().describe('cases admitted now'),
  severeOrCritical: z.number().int().describe('of them, severe or critical now'), bedsFree: z.number().int(),
});
export const AdmissionOut = z.object({
  id: z.number().int(), caseId: z.number().int(), caseNo: z.string(), personId: z.number().int(), hospitalId: z.number().int(), hospitalName: z.string(),
  admittedAt: Time, severity: SeveritySchema, dischargedAt: Time.nullable(), outcome: DischargeOutcomeSchema.nullable(),
  followUpUntil: Time.nullable().describe('the end of the management after discharge (the edition\'s caseManagement.afterDischarge)'),
  tcm: z.boolean().describe('at least one treatment is traditional Chinese medicine'), admittedBy: z.string(), note: z.string().nullable(),
});
export const AdmissionDetail = AdmissionOut.extend({
  severityHistory: z.array(z.object({ severity: SeveritySchema, at: Time, recordedBy: z.string(), note: z.string().nullable() })),
  treatments: z.array(z.object({ id: z.number().int(), kind: TreatmentKindSchema, tcm: z.boolean(), startedAt: Time, recordedBy: z.string(), note: z.string().nullable() })),
});
export const TcmOut = z.object({
  byHospital: z.array(z.object({ hospitalId: z.number().int(), name: z.string(), admitted: z.number().int(), withTcm: z.number().int(), rate: z.number().nullable() })),
  province: z.object({ admitted: z.number().int(), withTcm: z.number().int(), rate: z.number().nullable().describe('cases with a TCM treatment / cases admitted; null when none admitted') }),
});
export const TeamOut = z.object({
  id: z.number().int(), name: z.string(), specialty: z.string(), members: z.array(z.object({ name: z.string(), title: z.string(), institution: z.string() })),
  hospitalId: z.number().int(), hospitalName: z.string(), fromAt: Time, toAt: Time.nullable(), dispatchedBy: z.string(),
});

export type HospitalOut = z.infer<typeof HospitalOut>;
export type AdmissionOut = z.infer<typeof AdmissionOut>;
export type AdmissionDetail = z.infer<typeof AdmissionDetail>;
export type TcmOut = z.infer<typeof TcmOut>;
export type TeamOut = z.infer<typeof TeamOut>;

/** GET /api/hospitals, /api/hospitals/admissions and /api/hospitals/expert-teams: a page and how many match in all. */
export const HospitalPage = countedPageOf(HospitalOut);
export type HospitalPage = z.infer<typeof HospitalPage>;
export const AdmissionPage = countedPageOf(AdmissionOut);
export type AdmissionPage = z.infer<typeof AdmissionPage>;
export const TeamPage = countedPageOf(TeamOut);
export type TeamPage = z.infer<typeof TeamPage>;

/** POST /api/hospitals: a designated (default) or shelter hospital of the actor's region, with its beds. */
export const HospitalBody = z.strictObject({
  name: said(100, PlainText), kind: HospitalKindSchema.default('designated'), regionCode: UnitCode, address: said(200, PlainText).optional(),
  beds: z.number().int().min(1).max(100_000), icuBeds: z.number().int().min(0).max(100_000).optional(),
});
/** The body as sent (`kind` may be left out: designated). */
export type HospitalBody = z.input<typeof HospitalBody>;
/** POST /api/hospitals/admissions: a case, by id or by number, admitted with its severity. */
export const AdmitBody = z.strictObject({
  caseId: z.number().int().min(1).max(MAX_ID).optional(), caseNo: said(40, PlainText).optional().describe('the case by its number, instead of caseId'),
  hospitalId: z.number().int().min(1).max(MAX_ID), severity: SeveritySchema, note: said(500).optional(),
}).refine((b) => (b.caseId === undefined) !== (b.caseNo === undefined), 'name the case by caseId or by caseNo (one of them)');
export type AdmitBody = z.input<typeof AdmitBody>;
/** POST /api/hospitals/admissions/:id/severity. */
export const SeverityBody = z.strictObject({ severity: SeveritySchema, note: said(500).optional() });
export type SeverityBody = z.input<typeof SeverityBody>;
/** POST /api/hospitals/admissions/:id/treatments. */
export const TreatmentBody = z.strictObject({ kind: TreatmentKindSchema, tcm: z.boolean().optional(), startedAt: TimeText.optional().describe('now by default'), note: said(500).optional() });
/** The body as sent (the start as text). */
export type TreatmentBody = z.input<typeof TreatmentBody>;
/** POST /api/hospitals/admissions/:id/discharge. */
export const DischargeBody = z.strictObject({ outcome: DischargeOutcomeSchema, note: said(500).describe('required: why and on what grounds (e.g. two negative tests 24 hours apart), kept in the record of changes') });
export type DischargeBody = z.input<typeof DischargeBody>;
/** POST /api/hospitals/expert-teams: a team and its members, sent to a hospital from a date (now by default) until another (open when unknown). */
export const TeamBody = z.strictObject({
  name: said(100, PlainText), specialty: said(100, PlainText), hospitalId: z.number().int().min(1).max(MAX_ID),
  members: z.array(z.strictObject({ name: said(50, PlainText), title: said(50, PlainText), institution: said(100, PlainText) })).min(1).max(100),
  fromAt: TimeText.optional(), toAt: TimeText.optional(),
});
/** The body as sent (times as text). */
export type TeamBody = z.input<typeof TeamBody>;
