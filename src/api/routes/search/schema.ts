/** What search takes and answers (GET /api/search/...); the page reads the same types. */
import { z } from 'zod';
import { CodeColourSchema } from '../../../domain/vocab.ts';
import { DayText, PlainText, TripNumber } from '../common.ts';
import { CaseOut } from '../cases/schema.ts';
import { PersonOut } from '../persons/schema.ts';
import { PlaceOut } from '../places/schema.ts';

const Typed = PlainText.trim().min(1).max(200);
export const SearchBy = z.enum(['id_number', 'phone', 'name', 'address']);

export const PersonSearchQuery = z.strictObject({
  q: Typed.describe('an ID number (18 characters), a phone number, a full name, or a part of a household address'),
  purpose: PlainText.trim().min(2).max(200).optional().describe('why the search is made (kept in the audit log)'),
});
export const PersonSearchOut = z.object({
  by: z.array(SearchBy).describe('how the value was read and looked up'),
  items: z.array(PersonOut.extend({
    matched: SearchBy,
    communityName: z.string().nullable().describe('the name of their community'),
    codeColour: CodeColourSchema.nullable().describe('the colour of their health code now (green when they hold none); null for a role that does not read codes'),
    cases: z.array(z.object({ id: z.number().int(), caseNo: z.string() })).describe('their cases, newest first (empty for a role that does not read cases)'),
  })),
  more: z.boolean().describe('more persons matched than are listed: narrow the search'),
  idNumberProblem: z.string().nullable().describe('why the ID number typed cannot be valid (it was still looked up), or null'),
});
export const TextQuery = z.strictObject({ q: Typed });
export const TripQuery = z.strictObject({
  number: TripNumber.describe('e.g. G4301, CZ3101'),
  date: DayText.describe('the service date (departure day)'),
});
export type PersonSearchOut = z.infer<typeof PersonSearchOut>;
/** GET /api/search/cases: the case of that number (none or one). */
export const CaseHits = z.object({ items: z.array(CaseOut) });
export type CaseHits = z.infer<typeof CaseHits>;
/** GET /api/search/places and /api/search/trips: the places (or vehicles) found. */
export const PlaceHits = z.object({ items: z.array(PlaceOut) });
export type PlaceHits = z.infer<typeof PlaceHits>;
