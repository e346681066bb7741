/** Persons as the API shows them: masked ID number, name and phone; never the ID hash. */
import { z } from 'zod';
import { maskName, maskPhone } from '../../../domain/identity.ts';
import type { Person } from '../../../domain/model/index.ts';
import { SexSchema } from '../../../domain/vocab.ts';
import { PageQuery, pageOf } from '../common.ts';

export const PersonOut = z.object({
  id: z.number().int(), idMasked: z.string(), name: z.string().describe('masked: first character only'), sex: SexSchema,
  birthYear: z.number().int(), phone: z.string().nullable().describe('masked'), householdId: z.number().int().nullable(),
  communityCode: z.string(), gridCode: z.string().nullable(), occupation: z.string().nullable(),
});
export type PersonOut = z.infer<typeof PersonOut>;
export const PersonQuery = PageQuery.extend({ region: z.string().regex(/^\d+$/).optional() });
export const PersonPage = pageOf(PersonOut);

/** The masked view of a person. */
export function presentPerson(p: Person): PersonOut {
  return {
    id: p.id, idMasked: p.idMasked, name: maskName(p.name), sex: p.sex, birthYear: Number(p.birthDate.slice(0, 4)),
    phone: p.phone === null ? null : maskPhone(p.phone), householdId: p.householdId, communityCode: p.communityCode, gridCode: p.gridCode, occupation: p.occupation,
  };
}
