/**
 * Public look-ups, without names: was a case at this venue or on this flight or train during this time; which
 * case trajectories overlap a person's own.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseTime } from '../../../domain/time.ts';
import type { PlaceCategory } from '../../../domain/model/index.ts';
import { exposuresOfPerson, sameTrip, sameTripByNumber, type PublicExposure } from '../../../services/tracing/publicLookups.ts';
import { AppError } from '../../errors.ts';
import { DayText, ErrorResponse, IdParams, iso, PlainText, TripNumber } from '../common.ts';
import { ExposureList, SameTripOut, VenueList } from './schema.ts';

const Time = z.string().refine((t) => parseTime(t) !== null, 'not a date-time').transform((t) => parseTime(t)!);
/**
 * A place by its code with a time span, or a train, flight or coach by its number and service date: the span is then
 * that day and the next (an overnight train arrives the next day; a trip's records lie within its own times anyway).
 */
const SameTripQuery = z.strictObject({
  place: PlainText.min(1).max(200).optional().describe('venue code, or the place code of a flight or train (with from and to)'),
  from: Time.optional(), to: Time.optional(),
  trip: TripNumber.optional().describe('a train, flight or coach number, e.g. G4301 (with date)'),
  date: DayText.optional().describe('the trip\'s service date'),
}).superRefine((q, c) => {
  const issue = (path: string, message: string) => c.addIssue({ code: 'custom', path: [path], message });
  if (q.place === undefined && q.trip === undefined) issue('place', 'give a place code with from and to, or a trip number with its date');
  if (q.place !== undefined && q.trip !== undefined) issue('trip', 'give a place or a trip, not both');
  if (q.place !== undefined && (q.from === undefined || q.to === undefined)) issue(q.from === undefined ? 'from' : 'to', 'required with place');
  if (q.trip !== undefined && q.date === undefined) issue('date', 'required with trip');
  if (q.trip === undefined && q.date !== undefined) issue('date', 'only with trip');
  if (q.trip !== undefined && (q.from !== undefined || q.to !== undefined)) issue(q.from !== undefined ? 'from' : 'to', 'a trip is looked up over its date; from and to are for a place');
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from) issue('to', 'to must be after from');
});

/** Categories the public venue search leaves out: homes (personal), vehicles (found by number and date), cells. */
const NOT_VENUES: PlaceCategory[] = ['residence', 'household', 'vehicle', 'telecom_cell', 'compound_gate', 'tollgate'];

const presentExposure = (x: PublicExposure) => ({ ...x, overlapStart: iso(x.overlapStart)!, overlapEnd: iso(x.overlapEnd)! });

export const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.cordon;

  app.get('/api/public/same-trip', { config: { action: 'public:same-trip' },
    schema: { tags: ['public'], summary: 'Was a case at this place (venue, flight, train) during this time?', querystring: SameTripQuery, response: { 200: SameTripOut, 404: ErrorResponse } },
  }, async (req) => {
    const q = req.query;
    if (q.trip !== undefined) {
      const res = await sameTripByNumber({ ...ctx, number: q.trip, date: q.date! });
      if (!res) throw new AppError('NOT_FOUND', `No train, flight or coach ${q.trip.toUpperCase()} on ${q.date} is on record.`);
      return { ...res, exposures: res.exposures.map(presentExposure) };
    }
    const res = await sameTrip({ ...ctx, placeCode: q.place!, from: q.from!, to: q.to! });
    if (!res) throw new AppError('NOT_FOUND', `No place with code ${q.place}.`);
    return { ...res, exposures: res.exposures.map(presentExposure) };
  });

  app.get('/api/public/places', { config: { action: 'public:same-trip' },
    schema: { tags: ['public'], summary: 'Venues by a part of their name or their code, for the same-trip look-up (no homes, no vehicles)', querystring: z.strictObject({ q: PlainText.trim().min(1).max(100) }),
      response: { 200: VenueList } },
  }, async (req) => {
    const found = await ctx.store.places.search(req.query.q, 20, { notCategories: NOT_VENUES });
    return { items: found.map((p) => ({ code: p.code, name: p.name, category: p.category, regionCode: p.regionCode })) };
  });

  app.get('/api/persons/:id/exposures', { config: { action: 'contacts:read' },
    schema: { tags: ['public'], summary: "Case trajectories that overlap this person's (while the case was infectious)", params: IdParams, response: { 200: ExposureList, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await ctx.store.persons.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    return { items: (await exposuresOfPerson({ ...ctx, personId: req.params.id })).map(presentExposure) };
  });
};
