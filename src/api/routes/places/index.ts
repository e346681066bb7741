/**
 * GET /api/places (paged, by category, status and region) and GET /api/places/:id, within reach of the actor's region.
 * Homes (residences, households) keep their coordinates for the roles that visit people (places:read-location);
 * others see them without.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams } from '../common.ts';
import { PlaceOut, PlacePage, PlaceQuery, presentPlace } from './schema.ts';

export const placeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/places', { config: { action: 'places:read' }, schema: { tags: ['places'], querystring: PlaceQuery, response: { 200: PlacePage } } }, async (req) => {
    const { category, status, region, ...page } = req.query;
    const res = await app.cordon.store.places.list({ category, status, regionCode: region }, page, req.ctx.scope);
    return { items: res.items.map((p) => presentPlace(req, p)), nextAfter: res.nextAfter };
  });

  app.get('/api/places/:id', { config: { action: 'places:read' }, schema: { tags: ['places'], params: IdParams, response: { 200: PlaceOut, 404: ErrorResponse } } }, async (req) => {
    const place = await app.cordon.store.places.get(req.params.id, req.ctx.scope);
    if (!place) throw new AppError('NOT_FOUND', `No place with id ${req.params.id}.`);
    return presentPlace(req, place);
  });
};
