/**
 * The parts of a health code the API answers that the resident's page reads too (a reason, the itinerary card); the
 * web app takes its types from here (type-only imports; plain zod).
 */
import { z } from 'zod';
import { CodeConditionSchema, ItineraryColourSchema } from '../../../domain/vocab.ts';
import { CODE_ENDS } from '../../../domain/rules/healthCode.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

/** Why a code is not green: the condition, its colour, and what ends it (in English, and as a code for any language). */
export const Reason = z.object({
  condition: CodeConditionSchema, colour: z.enum(['yellow', 'red']), detail: z.string(), until: z.string().describe('what ends it, in English'), untilAt: Time.nullable(),
  ends: z.object({ code: z.enum(CODE_ENDS), args: z.record(z.string(), z.number()) }).describe('what ends it, as a code and its numbers (from the edition), for a page to say in its language'),
});
export type Reason = z.infer<typeof Reason>;

/** The itinerary card: the cities of a continuous stay in the edition's days, an asterisk where a risk area is. */
export const Itinerary = z.object({
  colour: ItineraryColourSchema, lookBackDays: z.number().int(),
  cities: z.array(z.object({ cityCode: z.string(), name: z.string(), asterisk: z.boolean() })),
});
export type Itinerary = z.infer<typeof Itinerary>;
