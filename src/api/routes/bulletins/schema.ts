/** The daily bulletin's request and response schemas (plain zod and domain code: the web app takes its types from here). */
import { z } from 'zod';
import { dayBounds } from '../../../domain/bulletin.ts';

/** As `IsoTime` of ../common.ts (not imported: it pulls in server code). */
const IsoTime = z.string().describe('ISO-8601 date-time, +08:00');

/** A day in the path: `YYYY-MM-DD`, a real date (China Standard Time). */
export const DateParams = z.object({
  date: z.string().refine((d) => dayBounds(d) !== null, 'not a real date YYYY-MM-DD').describe('YYYY-MM-DD, China Standard Time'),
});

/** `format=text`: the Chinese text, a blank line, the English text, as `text/plain; charset=utf-8`. */
export const FormatQuery = z.strictObject({ format: z.enum(['json', 'text']).default('json').describe('text: the Chinese text then the English, as text/plain') });

const NewCases = z.object({
  total: z.number().int(),
  byCity: z.array(z.object({ cityCode: z.string(), name: z.string(), nameEn: z.string(), count: z.number().int() })).describe('cities with new cases, by code'),
});
const Contacts = z.object({
  traced: z.number().int().describe('persons identified that day'), released: z.number().int().describe('persons released from medical observation that day'),
  underObservation: z.number().int().describe('persons under medical observation at 24:00'),
});

export const Figures = z.object({
  date: z.string(),
  newConfirmed: NewCases.describe('locally transmitted confirmed cases confirmed that day (or reclassified from asymptomatic that day), by the city where the person lives'),
  newAsymptomatic: NewCases.describe('locally transmitted asymptomatic infections confirmed that day'),
  convertedFromAsymptomatic: z.number().int().describe('of the new confirmed cases: asymptomatic infections of earlier days reclassified as confirmed that day'),
  imported: z.object({ confirmed: z.number().int(), asymptomatic: z.number().int() }).describe('cases confirmed that day detected as imported'),
  cumulative: z.object({ confirmed: z.number().int(), asymptomatic: z.number().int() }).describe('cases confirmed up to 24:00, by their kind then'),
  closeContacts: Contacts, secondaryContacts: Contacts,
  inQuarantine: z.number().int().describe('persons in centralized quarantine as contacts at 24:00'),
  samplesTaken: z.number().int().describe('samples taken for nucleic-acid tests that day'),
  riskAreas: z.object({ high: z.number().int(), medium: z.number().int(), units: z.array(z.object({ regionCode: z.string(), name: z.string(), level: z.enum(['high', 'medium']) })) })
    .describe('medium- and high-risk areas in force at 24:00'),
  directivesIssued: z.number().int(), tasksCompleted: z.number().int(),
});

export const BulletinOut = z.object({
  date: z.string().describe('YYYY-MM-DD, China Standard Time'), from: IsoTime, to: IsoTime,
  final: z.boolean().describe('kept for good (the day has ended); false for today\'s, which changes until midnight'),
  generatedAt: IsoTime, figures: Figures, textZh: z.string(), textEn: z.string(),
});

export const BulletinList = z.object({
  items: z.array(z.object({ id: z.number().int(), date: z.string(), generatedAt: IsoTime })), nextAfter: z.number().int().nullable(), total: z.number().int(),
});

export type BulletinOut = z.infer<typeof BulletinOut>;
export type BulletinList = z.infer<typeof BulletinList>;
