/** Persons and households. ID numbers never appear here: only their keyed hash and a masked display form. */
import { z } from 'zod';
import { SexSchema } from '../vocab.ts';
import { DivisionCodeSchema, EpochSchema, IdSchema } from './common.ts';

export const HouseholdSchema = z.object({
  id: IdSchema,
  code: z.string().min(1),
  communityCode: DivisionCodeSchema,
  gridCode: DivisionCodeSchema.nullable(),
  address: z.string().nullable(),
});
export type Household = z.infer<typeof HouseholdSchema>;

export const PersonSchema = z.object({
  id: IdSchema,
  /** HMAC-SHA256 of the normalised ID number under the deployment's key, hex. */
  idHash: z.string().length(64),
  /** Display form such as 430***********1234. */
  idMasked: z.string(),
  name: z.string().min(1),
  sex: SexSchema,
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  phone: z.string().nullable(),
  householdId: IdSchema.nullable(),
  communityCode: DivisionCodeSchema,
  gridCode: DivisionCodeSchema.nullable(),
  occupation: z.string().nullable(),
  createdAt: EpochSchema,
});
export type Person = z.infer<typeof PersonSchema>;

export const VaccinationSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  dose: z.number().int().min(1).max(10),
  vaccine: z.string().min(1),
  vaccinatedAt: EpochSchema,
  site: z.string().nullable(),
});
export type Vaccination = z.infer<typeof VaccinationSchema>;
