/**
 * What the public's own routes answer (the sign-in code, the resident's session, GET /api/me and /api/me/...); the
 * web app takes its types from here (type-only imports; plain zod).
 */
import { z } from 'zod';
import { CodeColourSchema, TaskStatusSchema } from '../../../domain/vocab.ts';
import { Itinerary, Reason } from '../codes/schema.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

/** POST /api/resident/code: how long the code holds and when another may be asked for. */
export const CodeRequested = z.object({
  expiresInSeconds: z.number().int(), resendAfterSeconds: z.number().int(),
}).describe('the same answer whether or not the ID number is registered or has a phone');
export type CodeRequested = z.infer<typeof CodeRequested>;

/** POST /api/resident/session: signed in as a resident, with what a resident may do. */
export const ResidentSignedIn = z.object({ kind: z.literal('resident'), actions: z.array(z.string()) });
export type ResidentSignedIn = z.infer<typeof ResidentSignedIn>;

/** GET /api/me: who the signed-in resident is. */
export const Me = z.object({ personId: z.number().int(), name: z.string(), idMasked: z.string().describe('first 3 and last 4 characters') });
export type Me = z.infer<typeof Me>;

/** GET /api/me/code: my code now, a live signed token of it (the QR) and my itinerary card. */
export const MyCode = z.object({
  colour: CodeColourSchema, reasons: z.array(Reason), since: Time, validUntil: Time,
  token: z.string().describe('a signed token of the live code: what the QR holds'), tokenExpiresAt: Time, itinerary: Itinerary,
});
export type MyCode = z.infer<typeof MyCode>;

/** One of my nucleic-acid test results. */
export const MyResult = z.object({ sampleNo: z.string(), method: z.string(), sampledAt: Time, result: z.string(), resultAt: Time.nullable() });
export type MyResult = z.infer<typeof MyResult>;
/** GET /api/me/results: my results, newest first. */
export const MyResults = z.object({ items: z.array(MyResult) });
export type MyResults = z.infer<typeof MyResults>;

/** An appeal as its resident reads it: their words, when it is due, and where it stands (the task's status). */
export const AppealOut = z.object({
  id: z.number().int(), reason: z.string(), status: TaskStatusSchema, createdAt: Time, dueAt: Time, closedAt: Time.nullable(),
  answer: z.string().nullable().describe('the investigators\' note when they closed it'),
});
export type AppealOut = z.infer<typeof AppealOut>;
/** GET /api/me/appeals: my appeals, newest first. */
export const MyAppeals = z.object({ items: z.array(AppealOut) });
export type MyAppeals = z.infer<typeof MyAppeals>;
