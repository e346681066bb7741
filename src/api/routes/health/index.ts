/** GET /api/health: liveness with the storage engine in use and the protocol edition in force. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';

const Health = z.object({ status: z.literal('ok'), engine: z.enum(['sqlite', 'postgres']), edition: z.string(), version: z.string() });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', { config: { action: 'health:read' }, schema: { tags: ['system'], summary: 'Liveness and engine', response: { 200: Health } } }, async () => {
    const { store, edition, version } = app.cordon;
    try {
      await store.meta.get('regions_loaded');
    } catch {
      throw new AppError('STORAGE_UNAVAILABLE');
    }
    return { status: 'ok' as const, engine: store.engine, edition: edition.id, version };
  });
};
