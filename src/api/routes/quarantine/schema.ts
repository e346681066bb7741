/**
 * The shapes of quarantine sites and assignments as the API answers them; the web app takes its types from here
 * (type-only imports; plain zod, so the page's type check never reaches server code).
 */
import { z } from 'zod';
import { QuarantineSiteKindSchema } from '../../../domain/model/health.ts';
import { QuarantineKindSchema } from '../../../domain/vocab.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

export const SiteOut = z.object({
  id: z.number().int(), name: z.string(), kind: QuarantineSiteKindSchema, regionCode: z.string(), regionName: z.string().describe('the name of the region it serves'),
  address: z.string().nullable(), rooms: z.number().int(), personsPerRoom: z.number().int(), staff: z.number().int(), openedAt: Time, closedAt: Time.nullable(),
  occupants: z.number().int().describe('persons there now: held in quarantine, and stranded visitors lodged'), visitors: z.number().int().describe('of them, stranded visitors lodged there (listed under /api/stranded?siteId=)'), roomsInUse: z.number().int().describe('rooms holding someone now'),
  bedsFree: z.number().int().describe('persons it can still take: free places in rooms in use, and whole rooms not in use'),
});
export const AssignmentOut = z.object({
  id: z.number().int(), personId: z.number().int(), kind: QuarantineKindSchema, siteId: z.number().int().nullable(), siteName: z.string().nullable(), room: z.string().nullable(),
  countedFrom: Time.describe('day 0 of the schedule: the last exposure or the start, as the edition says; an arrival\'s departure from the risk area'), startedAt: Time, plannedEnd: Time.describe('the end of the quarantine stage'),
  endedAt: Time.nullable(), reason: z.string(), endReason: z.string().nullable(), contactId: z.number().int().nullable(), taskId: z.number().int().nullable(), assignedBy: z.string(),
  managedAs: z.enum(['close', 'secondary', 'arrival_from_high', 'arrival_from_medium']).nullable().describe('held as a close or secondary contact, or as an arrival from a high- or medium-risk area'),
  arrivalFrom: z.enum(['high', 'medium']).nullable().describe('an arrival\'s: the grading of the risk area they left'),
  fromRegionCode: z.string().nullable().describe('an arrival\'s: the graded unit they left'),
  tests: z.array(z.object({ day: z.number().int(), from: Time, dueBy: Time })).describe('the tests the edition requires in the quarantine stage'),
});

const Where = { siteId: z.number().int().nullable(), room: z.string().nullable() };
export const DueOut = z.object({
  date: z.string().describe('YYYY-MM-DD, China Standard Time'), held: z.number().int().describe('persons held now in the list\'s reach'),
  tests: z.object({
    total: z.number().int(), taken: z.number().int(),
    items: z.array(z.object({ assignmentId: z.number().int(), personId: z.number().int(), ...Where, day: z.number().int(), from: Time, dueBy: Time, taken: z.boolean() })).describe('not taken first, then by deadline'),
  }),
  overdue: z.object({
    total: z.number().int(),
    items: z.array(z.object({ assignmentId: z.number().int(), personId: z.number().int(), ...Where, day: z.number().int(), from: Time, dueBy: Time })),
  }).describe('required tests whose day ended in the week before the day asked for, none taken in it (what the health code calls overdue), the earliest first'),
  releases: z.object({ total: z.number().int(), items: z.array(z.object({ assignmentId: z.number().int(), personId: z.number().int(), ...Where, plannedEnd: Time })) }),
  arrivals: z.object({ total: z.number().int(), items: z.array(z.object({ assignmentId: z.number().int(), personId: z.number().int(), ...Where, startedAt: Time })) })
    .describe('those held now whose quarantine began on the day, the first first'),
});

export const OccupancyOut = z.object({
  siteId: z.number().int(), places: z.number().int().describe('rooms times persons per room'),
  days: z.array(z.object({
    date: z.string().describe('YYYY-MM-DD, China Standard Time'), occupants: z.number().int().describe('persons there at the day\'s end'),
    arrivals: z.number().int(), departures: z.number().int(),
  })),
});

export type SiteOut = z.infer<typeof SiteOut>;
export type OccupancyOut = z.infer<typeof OccupancyOut>;
export type DueOut = z.infer<typeof DueOut>;
export type AssignmentOut = z.infer<typeof AssignmentOut>;
