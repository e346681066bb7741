/** Regions of the division tree, province to grid. */
import { z } from 'zod';
import { RegionLevelSchema } from '../../../domain/vocab.ts';
import { PageQuery, pageOf } from '../common.ts';

/** A unit of the division tree: its code, name, level and parent; a functional zone (a development zone ...) is marked. */
export const RegionOut = z.object({
  code: z.string(), name: z.string(), level: RegionLevelSchema, parentCode: z.string().nullable(), functionalZone: z.boolean(),
});
export type RegionOut = z.infer<typeof RegionOut>;
export const RegionQuery = PageQuery.extend({ level: RegionLevelSchema.optional(), parent: z.string().regex(/^\d+$/).optional() });
export const RegionPage = pageOf(RegionOut);
export type RegionPage = z.infer<typeof RegionPage>;
export const RegionParams = z.object({ code: z.string().regex(/^\d{2,14}$/, 'a division code is 2 to 14 digits') });
