/**
 * The shapes of daily follow-up as the API takes and answers them; the web app takes its types from here (type-only
 * imports). The answers are plain zod; the bodies use the checks of ../common.ts.
 */
import { z } from 'zod';
import { QuarantineKindSchema, SymptomSchema, SYMPTOMS } from '../../../domain/vocab.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { countedPageOf, said } from '../common.ts';

/** As `IsoTime` of ../common.ts. */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

export const ReportOut = z.object({
  id: z.number().int(), personId: z.number().int(), day: z.string().describe('YYYY-MM-DD, China Standard Time'), at: Time,
  temperatureC: z.number().nullable().describe('degrees Celsius; null: not taken'), symptoms: z.array(SymptomSchema), note: z.string().nullable(),
  reportedBy: z.string(), source: z.enum(['site_staff', 'grid_worker', 'resident']),
  fever: z.boolean().describe('above the edition\'s limit (checkpoint.maxTemperatureC)'),
});

export const FollowUpItem = z.object({
  personId: z.number().int(), kind: QuarantineKindSchema, since: Time, until: Time.nullable().describe('when home monitoring ends; null while held'),
  assignmentId: z.number().int().nullable(), siteId: z.number().int().nullable(), room: z.string().nullable(), lastReportAt: Time.nullable(),
  reportedToday: z.boolean(), missedDays: z.number().int().describe('whole days before today without a report'), lost: z.boolean(),
  lastReport: z.object({
    temperatureC: z.number().nullable().describe('degrees Celsius; null: not taken'), symptoms: z.array(SymptomSchema),
    fever: z.boolean().describe('above the edition\'s limit (checkpoint.maxTemperatureC)'), abnormal: z.boolean().describe('a fever or any symptom'),
  }).nullable().describe('what the last report said; null: none yet'),
});

export const FollowUpList = z.object({
  date: z.string().describe('today, YYYY-MM-DD, China Standard Time'), lostAfterMissedDays: z.number().int(),
  counts: z.object({ under: z.number().int(), reportedToday: z.number().int(), missedToday: z.number().int(), lost: z.number().int() }),
  items: z.array(FollowUpItem), nextAfter: z.number().int().nullable(), total: z.number().int(),
});

export const MyFollowUp = z.object({
  under: z.boolean(), kind: QuarantineKindSchema.nullable(), until: Time.nullable(), reportedToday: z.boolean(),
  reports: z.array(ReportOut).describe('my last reports, newest first'),
});

export type ReportOut = z.infer<typeof ReportOut>;
export type FollowUpItem = z.infer<typeof FollowUpItem>;
export type FollowUpList = z.infer<typeof FollowUpList>;
export type MyFollowUp = z.infer<typeof MyFollowUp>;

/** GET /api/follow-up/reports: a page of reports and how many match in all. */
export const ReportPage = countedPageOf(ReportOut);
export type ReportPage = z.infer<typeof ReportPage>;
/** POST /api/follow-up/reminders: texts sent, persons without a phone, and those reminded today already. */
export const RemindersOut = z.object({ sent: z.number().int(), noPhone: z.number().int(), remindedAlready: z.number().int() });
export type RemindersOut = z.infer<typeof RemindersOut>;

/** A report's body: a temperature (degrees Celsius, one decimal as thermometers read; null: not taken) and symptoms (POST /api/me/follow-up/reports). */
export const ReportBody = z.strictObject({
  temperatureC: z.number().nullable().describe('degrees Celsius, as read (35.0 to 42.0 in practice); null when not taken'),
  symptoms: z.array(SymptomSchema).max(SYMPTOMS.length).default([]).describe(`any of: ${SYMPTOMS.join(', ')}`),
  note: said(500).optional(),
});
/** The body as sent (symptoms may be left out: none). */
export type ReportBody = z.input<typeof ReportBody>;
/** POST /api/follow-up/reports: a report made by site staff or a grid worker, for a person. */
export const StaffReportBody = z.strictObject({ personId: z.number().int().min(1).max(MAX_ID), ...ReportBody.shape });
export type StaffReportBody = z.input<typeof StaffReportBody>;
