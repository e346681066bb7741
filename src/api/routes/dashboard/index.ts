/**
 * GET /api/dashboard (a region's day for its command centre: units below, KPIs, tasks by level, epidemic curve, late
 * tasks) and GET /api/geo/counties (a city's county boundaries, the map's drill-down below /api/geo/cities).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readDashboard } from '../../../services/command/dashboard.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, iso } from '../common.ts';
import { CountiesQuery, Dashboard, DashboardQuery } from './schema.ts';

const GEO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../geo');

interface FeatureCollection { type: 'FeatureCollection'; features: { properties: { code: string } }[] }

export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/dashboard', { config: { action: 'overview:read' },
    schema: {
      tags: ['dashboard'], summary: 'A region\'s day for its command centre: the units below it, the day\'s KPIs, tasks by level, the epidemic curve and the late tasks',
      querystring: DashboardQuery, response: { 200: Dashboard, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    const d = await readDashboard(req.ctx, app.cordon, { regionCode: req.query.region, day: req.query.day });
    return {
      ...d, asOf: iso(d.asOf)!,
      lateTasks: d.lateTasks.map((t) => ({ ...t, regionName: t.regionName ?? t.regionCode, escalatedToName: t.escalatedToName ?? t.escalatedTo, dueAt: iso(t.dueAt)!, status: t.status as Dashboard['lateTasks'][number]['status'] })),
    };
  });

  // Each city's counties as their own GeoJSON text, made once on first use.
  let counties: Map<string, string> | undefined;
  const countiesOf = (city: string): string | undefined => {
    if (!counties) {
      const all = JSON.parse(fs.readFileSync(path.join(GEO_DIR, 'hunan-counties.json'), 'utf8')) as FeatureCollection & Record<string, unknown>;
      const cities = JSON.parse(fs.readFileSync(path.join(GEO_DIR, 'hunan-cities.json'), 'utf8')) as FeatureCollection;
      const { features, ...rest } = all;
      counties = new Map(cities.features.map((c) => [c.properties.code, JSON.stringify({ ...rest, features: features.filter((f) => f.properties.code.startsWith(c.properties.code)) })]));
    }
    return counties.get(city);
  };
  app.get('/api/geo/counties', { config: { action: 'regions:read' },
    schema: {
      tags: ['dashboard'], summary: 'Boundaries of a city\'s counties (GeoJSON, GCJ-02, simplified; each feature\'s `properties.code` is its division code)',
      querystring: CountiesQuery, response: { 200: z.unknown(), 400: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    const geo = countiesOf(req.query.city);
    if (!geo) throw new AppError('NOT_FOUND', `No city with code ${req.query.city}.`);
    return reply.type('application/geo+json').header('cache-control', 'public, max-age=86400').send(geo);
  });
};
