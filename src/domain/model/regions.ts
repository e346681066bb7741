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

/** True where the county-level code is a statistical functional zone (development zones and management areas, 7x). */
export function isFunctionalZone(countyCode: string): boolean {
  const suffix = Number(countyCode.slice(4, 6));
  return countyCode.length === 6 && suffix >= 70 && suffix <= 79;
}
