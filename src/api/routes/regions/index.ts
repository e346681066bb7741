/** GET /api/regions (paged, by level and parent) and GET /api/regions/:code. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse } from '../common.ts';
import { RegionOut, RegionPage, RegionParams, RegionQuery } from './schema.ts';

export const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/regions', { config: { action: 'regions:read' }, schema: { tags: ['regions'], summary: 'Regions by level and parent', querystring: RegionQuery, response: { 200: RegionPage } } },
    async (req) => app.cordon.store.regions.list({ level: req.query.level, parentCode: req.query.parent }, req.query));

  app.get('/api/regions/:code', { config: { action: 'regions:read' }, schema: { tags: ['regions'], params: RegionParams, response: { 200: RegionOut, 404: ErrorResponse } } }, async (req) => {
    const region = await app.cordon.store.regions.get(req.params.code);
    if (!region) throw new AppError('NOT_FOUND', `No region with code ${req.params.code}.`);
    return region;
  });
};
