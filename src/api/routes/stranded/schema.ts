/**
 * The shapes of stranded visitors as the API takes and answers them (names and phones masked); the web app takes its
 * types from here (type-only imports). The answers are plain zod; the bodies use the checks of ../common.ts.
 */
import { z } from 'zod';
import { CareKindSchema } from '../../../domain/vocab.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { IdNumberText, PlainText, said } from '../common.ts';
import { UnitCode } from '../command/schema.ts';
import { RoomText } from '../quarantine/schema.ts';

const Time = z.string().describe('ISO-8601 date-time, +08:00');

export const VisitorOut = z.object({
  id: z.number().int(), name: z.string().describe('masked'), idMasked: z.string().describe('first 3 and last 2 characters'), phone: z.string().nullable().describe('masked'),
  originProvince: z.string().describe('two digits (GB/T 2260)'), originName: z.string(), sealedRegionCode: z.string(), sealedRegionName: z.string(),
  siteId: z.number().int().nullable(), siteName: z.string().nullable(), room: z.string().nullable(), registeredAt: Time, releasedAt: Time.nullable(), journeyHome: z.string().nullable(),
  care: z.object({ meals: z.number().int(), medicine: z.number().int(), counselling: z.number().int() }).describe('care given, counted by kind'),
});
export const VisitorDetail = VisitorOut.extend({
  careLog: z.array(z.object({ kind: CareKindSchema, at: Time, givenBy: z.string(), note: z.string().nullable() })),
});
export const StrandedList = z.object({
  items: z.array(VisitorOut), nextAfter: z.number().int().nullable(), total: z.number().int(),
  byOrigin: z.array(z.object({ originProvince: z.string(), originName: z.string(), lodged: z.number().int(), released: z.number().int() })),
});

export type VisitorOut = z.infer<typeof VisitorOut>;
export type VisitorDetail = z.infer<typeof VisitorDetail>;
export type StrandedList = z.infer<typeof StrandedList>;

/** POST /api/stranded: a visitor stranded in a sealed area of the actor's region, lodged at a site's room. */
export const StrandedBody = z.strictObject({
  idNumber: IdNumberText, name: said(50, PlainText), phone: z.string().regex(/^1\d{10}$/).optional().describe('a mainland mobile number'),
  sealedRegionCode: UnitCode, siteId: z.number().int().min(1).max(MAX_ID), room: RoomText, note: said(500).optional(),
});
export type StrandedBody = z.input<typeof StrandedBody>;
