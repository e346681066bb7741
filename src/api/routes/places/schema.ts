/** Places: venues, workplaces, stations, cells and vehicles. */
import { z } from 'zod';
import { mayAct } from '../../../domain/access.ts';
import type { Place } from '../../../domain/model/index.ts';
import { PlaceCategorySchema, PlaceStatusSchema, VehicleSettingSchema } from '../../../domain/vocab.ts';
import { PageQuery, pageOf } from '../common.ts';

export const PlaceOut = z.object({
  id: z.number().int(), code: z.string(), name: z.string(), category: PlaceCategorySchema, regionCode: z.string(), lng: z.number().nullable(),
  lat: z.number().nullable(), status: PlaceStatusSchema, vehicleSetting: VehicleSettingSchema.nullable(),
});
export type PlaceOut = z.infer<typeof PlaceOut>;
export const PlaceQuery = PageQuery.extend({
  category: PlaceCategorySchema.optional(), status: PlaceStatusSchema.optional(), region: z.string().regex(/^\d+$/).optional(),
});
export const PlacePage = pageOf(PlaceOut);

/** Categories of place that are someone's home: their coordinates are personal data. */
const HOMES = new Set(['residence', 'household']);

/** A place as `req`'s actor may see it: a home's coordinates only for the roles that visit people (places:read-location). */
export const presentPlace = (req: { principal: { role: Parameters<typeof mayAct>[0] } | null }, p: Place): z.infer<typeof PlaceOut> =>
  (HOMES.has(p.category) && !mayAct(req.principal?.role ?? null, 'places:read-location') ? { ...p, lng: null, lat: null } : p);
