/** GET /api/overview (totals and per-city counts) and GET /api/geo/cities (city boundaries for the map). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chainsOf } from '../../../services/chains.ts';
import { HUNAN } from '../../../services/divisions.ts';
import { Overview } from './schema.ts';

const GEO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../geo');

export const overviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/overview', { config: { action: 'overview:read' }, schema: { tags: ['dashboard'], summary: 'Totals (with codes by colour and active chains) and per-city counts', response: { 200: Overview } } }, async (req) => {
    const { store, edition } = app.cordon;
    const [totals, byCity, province, chains] = await Promise.all([
      store.stats.totals(req.ctx.scope), store.stats.byCity(req.ctx.scope), store.regions.get(HUNAN), chainsOf(store, edition, req.ctx.clock.now(), {}, req.ctx.scope),
    ]);
    const names = await Promise.all(byCity.map((c) => store.regions.get(c.cityCode)));
    return {
      province: { code: HUNAN, name: province?.name ?? '' },
      totals: { ...totals, activeChains: chains.indicators.activeClusters },
      cities: byCity.map((c, i) => ({ code: c.cityCode, name: names[i]?.name ?? c.cityCode, persons: c.persons, places: c.places, cases: c.cases, contacts: c.contacts })),
      edition: edition.id,
    };
  });

  let cities: string | undefined;
  // Public, as the risk areas are: the boundaries draw the risk-area map anyone may see (no personal data).
  app.get('/api/geo/cities', { config: { action: 'risk-areas:read' },
    schema: { tags: ['dashboard'], summary: 'Boundaries of the 14 cities (GeoJSON, GCJ-02, simplified)', response: { 200: z.unknown() } },
  }, async (_req, reply) => {
    cities ??= fs.readFileSync(path.join(GEO_DIR, 'hunan-cities.json'), 'utf8');
    return reply.type('application/geo+json').header('cache-control', 'public, max-age=86400').send(cities);
  });
};
