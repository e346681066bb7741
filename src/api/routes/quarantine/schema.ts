/**
 * The shapes of quarantine sites and assignments as the API takes and answers them; the web app takes its types from
 * here (type-only imports). The answers are plain zod; the bodies use the checks of ../common.ts.
 */
import { z } from 'zod';
import { QuarantineSiteKindSchema } from '../../../domain/model/health.ts';
import { QuarantineKindSchema } from '../../../domain/vocab.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { countedPageOf, IdNumberText, PlainText, RoomText, said } from '../common.ts';
import { UnitCode } from '../command/schema.ts';

/** As `IsoTime` of ../common.ts. */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

/** A room as staff name it (see ../common.ts). */
export { RoomText };

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

/** GET /api/quarantine/sites: a page of sites and how many there are in all. */
export const SitePage = countedPageOf(SiteOut);
export type SitePage = z.infer<typeof SitePage>;
/** GET /api/quarantine/assignments: a page of assignments and how many match in all. */
export const AssignmentPage = countedPageOf(AssignmentOut);
export type AssignmentPage = z.infer<typeof AssignmentPage>;

/** POST /api/quarantine/sites: a site serving a region of the actor's (its name unique in the region). */
export const SiteBody = z.strictObject({
  name: said(100, PlainText), kind: QuarantineSiteKindSchema, regionCode: UnitCode, address: said(200, PlainText).optional(),
  rooms: z.number().int().min(1).max(100_000), personsPerRoom: z.number().int().min(1).max(20).optional().describe('default 1: single rooms'),
  staff: z.number().int().min(0).max(100_000).optional(),
});
export type SiteBody = z.input<typeof SiteBody>;
/** PATCH /api/quarantine/sites/:id: what changes (at least one thing). */
export const SiteChangeBody = z.strictObject({
  rooms: z.number().int().min(1).max(100_000).optional(), personsPerRoom: z.number().int().min(1).max(20).optional(), staff: z.number().int().min(0).max(100_000).optional(),
  closed: z.boolean().optional(),
}).refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type SiteChangeBody = z.input<typeof SiteChangeBody>;
/** POST /api/quarantine/arrivals: an arrival from a risk area, named by person id or by the ID number on their card. */
export const ArrivalBody = z.strictObject({
  personId: z.number().int().min(1).max(MAX_ID).optional(),
  idNumber: IdNumberText.optional().describe('instead of personId: the ID number on their ID card (a search by identity, audited)'),
  fromRegionCode: UnitCode.optional().describe('where they came from, when no stay there is on record: a unit inside a medium- or high-risk area now (the days then count from now)'),
  siteId: z.number().int().min(1).max(MAX_ID).optional(), room: RoomText.optional(), reason: said(500),
}).refine((b) => (b.personId === undefined) !== (b.idNumber === undefined), { message: 'name the person by personId or by idNumber, one of them', path: ['personId'] });
export type ArrivalBody = z.input<typeof ArrivalBody>;
