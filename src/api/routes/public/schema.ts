/** What the public's look-ups answer (no names); the web app takes its types from here (type-only imports; plain zod). */
import { z } from 'zod';
import { PlaceCategorySchema } from '../../../domain/vocab.ts';

/** A place as the public sees it: its code, name and category. */
const PublicPlace = z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema });

/** A case there while it was infectious: the case's number and the overlap (ISO-8601 times, +08:00). */
export const ExposureOut = z.object({ caseNo: z.string(), place: PublicPlace, overlapStart: z.string(), overlapEnd: z.string() });
export type ExposureOut = z.infer<typeof ExposureOut>;
/** GET /api/public/same-trip: the place (a venue, or the vehicle of a trip), how many cases were there, and when. */
export const SameTripOut = z.object({ place: PublicPlace, casesPresent: z.number().int(), exposures: z.array(ExposureOut) });
export type SameTripOut = z.infer<typeof SameTripOut>;
/** GET /api/persons/:id/exposures: case trajectories that overlap the person's. */
export const ExposureList = z.object({ items: z.array(ExposureOut) });

/** A venue found by name or code (no homes, no vehicles). */
export const VenueOut = PublicPlace.extend({ regionCode: z.string() });
export type VenueOut = z.infer<typeof VenueOut>;
/** GET /api/public/places: the venues found. */
export const VenueList = z.object({ items: z.array(VenueOut) });
export type VenueList = z.infer<typeof VenueList>;
