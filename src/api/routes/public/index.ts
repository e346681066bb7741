/**
 * Public look-ups, without names: was a case at this venue or on this flight or train during this time; which
 * case trajectories overlap a person's own.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { caseWindow } from '../../../domain/rules/caseWindow.ts';
import { parseTime } from '../../../domain/time.ts';
import { PlaceCategorySchema } from '../../../domain/vocab.ts';
import type { Exposure } from '../../../tracing/tracer.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams, iso } from '../common.ts';

const Time = z.string().refine((t) => parseTime(t) !== null, 'not a date-time').transform((t) => parseTime(t)!);
const SameTripQuery = z.object({ place: z.string().min(1).describe('venue code, or the place code of a flight or train'), from: Time, to: Time })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });
const ExposureOut = z.object({ caseNo: z.string(), place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }), overlapStart: z.string(), overlapEnd: z.string() });
const SameTripOut = z.object({ place: z.object({ code: z.string(), name: z.string(), category: PlaceCategorySchema }), casesPresent: z.number().int(), exposures: z.array(ExposureOut) });

/** Infectious windows of every case, by person, and the case numbers. */
async function caseWindows(ctx: AppContext) {
  const cases = await ctx.store.cases.all();
  return { windows: new Map(cases.map((c) => [c.personId, caseWindow(c, ctx.edition)])), caseNo: new Map(cases.map((c) => [c.personId, c.caseNo])) };
}

async function present(ctx: AppContext, xs: Exposure[], caseNo: Map<number, string>) {
  const places = new Map<number, { code: string; name: string; category: z.infer<typeof PlaceCategorySchema> }>();
  for (const x of xs) if (!places.has(x.placeId)) { const p = await ctx.store.places.get(x.placeId); if (p) places.set(x.placeId, { code: p.code, name: p.name, category: p.category }); }
  return xs.map((x) => ({ caseNo: caseNo.get(x.casePersonId) ?? '', place: places.get(x.placeId)!, overlapStart: iso(x.overlapStart)!, overlapEnd: iso(x.overlapEnd)! }));
}

export const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.cordon;

  app.get('/api/public/same-trip', {
    schema: { tags: ['public'], summary: 'Was a case at this place (venue, flight, train) during this time?', querystring: SameTripQuery, response: { 200: SameTripOut, 404: ErrorResponse } },
  }, async (req) => {
    const place = await ctx.store.places.byCode(req.query.place);
    if (!place) throw new AppError('NOT_FOUND', `No place with code ${req.query.place}.`);
    await ctx.engine.ingestNew();
    const { windows, caseNo } = await caseWindows(ctx);
    const xs = ctx.engine.tracer().casesAt(place.id, req.query.from, req.query.to, windows);
    return { place: { code: place.code, name: place.name, category: place.category }, casesPresent: new Set(xs.map((x) => x.casePersonId)).size, exposures: await present(ctx, xs, caseNo) };
  });

  app.get('/api/persons/:id/exposures', {
    schema: { tags: ['public'], summary: "Case trajectories that overlap this person's (while the case was infectious)", params: IdParams, response: { 200: z.object({ items: z.array(ExposureOut) }), 404: ErrorResponse } },
  }, async (req) => {
    if (!(await ctx.store.persons.get(req.params.id))) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    await ctx.engine.ingestNew();
    const { windows, caseNo } = await caseWindows(ctx);
    return { items: await present(ctx, ctx.engine.tracer().exposuresOf(req.params.id, windows), caseNo) };
  });
};
