/** Regions (province to community) and the grids under communities, one hierarchy keyed by division code. */
import { z } from 'zod';
import { RegionLevelSchema } from '../vocab.ts';
import { DivisionCodeSchema } from './common.ts';

export const RegionSchema = z.object({
  code: DivisionCodeSchema,
  name: z.string().min(1),
  level: RegionLevelSchema,
  parentCode: DivisionCodeSchema.nullable(),
  /** True for statistical functional zones (codes ending 7x) that are not county-level administrative divisions. */
  functionalZone: z.boolean(),
});
export type Region = z.infer<typeof RegionSchema>;

/** Length of the division code at each level. */
export const CODE_LENGTH_BY_LEVEL = { province: 2, city: 4, county: 6, township: 9, community: 12, grid: 14 } as const;

/** Level of a division code, from its length. */
export function levelOfCode(code: string): z.infer<typeof RegionLevelSchema> {
  const entry = Object.entries(CODE_LENGTH_BY_LEVEL).find(([, len]) => len === code.length);
  if (!entry) throw new RangeError(`not a division code: ${code}`);
  return entry[0] as z.infer<typeof RegionLevelSchema>;
}

/** Codes of every ancestor of a code, nearest last (province first). */
export function ancestorCodes(code: string): string[] {
  const lengths = Object.values(CODE_LENGTH_BY_LEVEL).filter((len) => len < code.length);
  return lengths.map((len) => code.slice(0, len));
}

/** True where the county-level code is a statistical functional zone (development zones and management areas, 7x). */
export function isFunctionalZone(countyCode: string): boolean {
  const suffix = Number(countyCode.slice(4, 6));
  return countyCode.length === 6 && suffix >= 70 && suffix <= 79;
}
