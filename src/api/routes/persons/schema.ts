/**
 * Persons as the API shows them by default: masked ID number, name and phone, and the decade of birth; never the ID
 * hash. The masking does not narrow an ID number down: the ID shows its first 3 and last 2 characters only, and the
 * birth decade, not the year (the year, a county's code and the last four characters left about 33 candidates; this
 * leaves tens of thousands). Full identities: GET /api/persons/:id/identity, audited.
 */
import { z } from 'zod';
import { listIdMask, maskName, maskPhone } from '../../../domain/identity.ts';
import type { Person } from '../../../domain/model/index.ts';
import { CodeColourSchema, SexSchema } from '../../../domain/vocab.ts';
import { EXPORT_FORMATS } from '../../../services/exports/sheet.ts';
import { PageQuery, pageOf, PlainText } from '../common.ts';

export const PersonOut = z.object({
  id: z.number().int(), idMasked: z.string().describe('first 3 and last 2 characters'), name: z.string().describe('masked: first character only'), sex: SexSchema,
  birthDecade: z.number().int().describe('e.g. 1980 for a birth in 1980-1989'), phone: z.string().nullable().describe('masked'), householdId: z.number().int().nullable(),
  communityCode: z.string(), gridCode: z.string().nullable(), occupation: z.string().nullable(),
});
export type PersonOut = z.infer<typeof PersonOut>;
export const PersonQuery = PageQuery.extend({
  region: z.string().regex(/^\d{2,14}$/, 'a division code (2 to 14 digits)').optional(),
  colour: CodeColourSchema.optional().describe('only persons whose current health code has this colour (no current code counts as green)'),
});
/** A person of the persons list: masked, with the colour of their health code now (green when they hold none) and the names of their community and grid. */
export const ListedPersonOut = PersonOut.extend({ codeColour: CodeColourSchema, communityName: z.string().nullable(), gridName: z.string().nullable() });
export type ListedPersonOut = z.infer<typeof ListedPersonOut>;
export const PersonPage = pageOf(ListedPersonOut);
/** GET /api/persons/export: the list's region, and the file's format and language (Chinese first). */
export const PersonListExportQuery = PersonQuery.omit({ after: true, limit: true }).extend({ format: z.enum(EXPORT_FORMATS).default('xlsx'), lang: z.enum(['zh', 'en']).default('zh') });

/** The masked view of a person. */
export function presentPerson(p: Person): PersonOut {
  return {
    id: p.id, idMasked: listIdMask(p.idMasked), name: maskName(p.name), sex: p.sex,
    birthDecade: Math.floor(Number(p.birthDate.slice(0, 4)) / 10) * 10,
    phone: p.phone === null ? null : maskPhone(p.phone), householdId: p.householdId, communityCode: p.communityCode, gridCode: p.gridCode, occupation: p.occupation,
  };
}

/** A person's full identity, for a role that needs it and states why (audited). */
export const IdentityOut = z.object({
  id: z.number().int(), name: z.string(), phone: z.string().nullable(), idMasked: z.string().describe('first 3 and last 4 characters (the clear number is not stored)'),
  birthDate: z.string(), sex: SexSchema, communityCode: z.string(), gridCode: z.string().nullable(),
  audit: z.object({ id: z.number().int(), purpose: z.string() }).describe('the audit entry this read was recorded as'),
});
export const IdentityQuery = z.strictObject({ purpose: PlainText.trim().min(4).max(200).describe('why the identity is needed (kept in the audit log)') });
