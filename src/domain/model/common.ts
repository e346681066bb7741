/** Shared building blocks of the domain model: identifiers, times and division codes. */
import { z } from 'zod';

/** Internal numeric identifier of a stored row (dense, so the tracing index can address arrays by it). */
export const IdSchema = z.number().int().positive();

/** A moment as whole seconds since 1970-01-01 UTC; the platform's one representation of time. */
export const EpochSchema = z.number().int();
export type Epoch = z.infer<typeof EpochSchema>;

/**
 * A statistical division code (GB/T 2260 based): 2 digits province, 4 city, 6 county, 9 township, 12 community;
 * grids add 2 digits under their community (14).
 */
export const DivisionCodeSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{14})$/, 'not a division code');

/** WGS84-ish longitude/latitude pair as stored (sources may be GCJ-02; the place records which). */
export const LngLatSchema = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });
