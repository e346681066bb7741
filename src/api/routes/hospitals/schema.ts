/**
 * The shapes of designated hospitals as the API answers them; the web app takes its types from here (type-only
 * imports; plain zod, so the page's type check never reaches server code).
 */
import { z } from 'zod';
import { DischargeOutcomeSchema, HospitalKindSchema, SeveritySchema, TreatmentKindSchema } from '../../../domain/vocab.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
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
