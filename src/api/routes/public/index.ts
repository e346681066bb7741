/**
 * Public look-ups, without names: was a case at this venue or on this flight or train during this time; which
 * case trajectories overlap a person's own.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseTime } from '../../../domain/time.ts';
import { PlaceCategorySchema } from '../../../domain/vocab.ts';
import { exposuresOfPerson, sameTrip, type PublicExposure } from '../../../services/tracing/publicLookups.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams, iso, PlainText } from '../common.ts';

const Time = z.string().refine((t) => parseTime(t) !== null, 'not a date-time').transform((t) => parseTime(t)!);
const SameTripQuery = z.strictObject({ place: PlainText.min(1).max(200).describe('venue code, or the place code of a flight or train'), from: Time, to: Time })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });
const ExposureOut = z.object({ caseNo: z.string(), place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }), overlapStart: z.string(), overlapEnd: z.string() });
const SameTripOut = z.object({ place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }), casesPresent: z.number().int(), exposures: z.array(ExposureOut) });

const presentExposure = (x: PublicExposure) => ({ ...x, overlapStart: iso(x.overlapStart)!, overlapEnd: iso(x.overlapEnd)! });

export const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.cordon;

  app.get('/api/public/same-trip', { config: { action: 'public:same-trip' },
    schema: { tags: ['public'], summary: 'Was a case at this place (venue, flight, train) during this time?', querystring: SameTripQuery, response: { 200: SameTripOut, 404: ErrorResponse } },
  }, async (req) => {
    const res = await sameTrip({ ...ctx, placeCode: req.query.place, from: req.query.from, to: req.query.to });
    if (!res) throw new AppError('NOT_FOUND', `No place with code ${req.query.place}.`);
    return { ...res, exposures: res.exposures.map(presentExposure) };
  });

  app.get('/api/persons/:id/exposures', { config: { action: 'contacts:read' },
    schema: { tags: ['public'], summary: "Case trajectories that overlap this person's (while the case was infectious)", params: IdParams, response: { 200: z.object({ items: z.array(ExposureOut) }), 404: ErrorResponse } },
  }, async (req) => {
    if (!(await ctx.store.persons.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    return { items: (await exposuresOfPerson({ ...ctx, personId: req.params.id })).map(presentExposure) };
  });
};
