/** Places: venues, workplaces, stations, cells and vehicles. */
import { z } from 'zod';
import { PlaceCategorySchema, PlaceStatusSchema, VehicleSettingSchema } from '../../../domain/vocab.ts';
import { PageQuery, pageOf } from '../common.ts';

export const PlaceOut = z.object({
  id: z.number().int(), code: z.string(), name: z.string(), category: PlaceCategorySchema, regionCode: z.string(), lng: z.number().nullable(),
  lat: z.number().nullable(), status: PlaceStatusSchema, vehicleSetting: VehicleSettingSchema.nullable(),
});
export const PlaceQuery = PageQuery.extend({
  category: PlaceCategorySchema.optional(), status: PlaceStatusSchema.optional(), region: z.string().regex(/^\d+$/).optional(),
});
export const PlacePage = pageOf(PlaceOut);
