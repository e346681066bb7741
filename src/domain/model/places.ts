/** Places, transport trips and presence records: who was where, when, from which feed. */
import { z } from 'zod';
import { PlaceCategorySchema, PlaceStatusSchema, PresenceSourceSchema, TripModeSchema, VehicleSettingSchema } from '../vocab.ts';
import { DivisionCodeSchema, EpochSchema, IdSchema } from './common.ts';

export const PlaceSchema = z.object({
  id: IdSchema,
  /** Natural key: venue code (场所码), cell id, trip id for vehicles. */
  code: z.string().min(1),
  name: z.string().min(1),
  category: PlaceCategorySchema,
  regionCode: DivisionCodeSchema,
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  status: PlaceStatusSchema,
  /** For vehicles: how the protocol treats the cabin (aircraft, enclosed train ...). */
  vehicleSetting: VehicleSettingSchema.nullable(),
});
export type Place = z.infer<typeof PlaceSchema>;

/** A scheduled journey of a vehicle; its place (category vehicle) is what presence records point to. */
export const TripSchema = z.object({
  id: IdSchema,
  mode: TripModeSchema,
  number: z.string().min(1),
  serviceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  placeId: IdSchema,
  departsAt: EpochSchema,
  arrivesAt: EpochSchema,
  fromCode: z.string().nullable(),
  toCode: z.string().nullable(),
  /** Seat layout: rows and seats per row (aircraft, coach) or carriages (train). */
  layout: z.object({ rows: z.number().int().positive().optional(), carriages: z.number().int().positive().optional() }),
});
export type Trip = z.infer<typeof TripSchema>;

export const PresenceSchema = z
  .object({
    id: IdSchema,
    personId: IdSchema,
    placeId: IdSchema,
    start: EpochSchema,
    end: EpochSchema,
    source: PresenceSourceSchema,
    /** Seat such as 12C (row 12); for trains the seat within the carriage. */
    seat: z.string().nullable(),
    carriage: z.string().nullable(),
  })
  .refine((p) => p.end >= p.start, { message: 'end before start', path: ['end'] });
export type Presence = z.infer<typeof PresenceSchema>;
