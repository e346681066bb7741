/**
 * GET /api/health: liveness with the storage engine in use and the protocol edition in force. GET /api/metrics: the
 * process's counters in Prometheus's text format (requests refused by code), for administrators and auditors.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { Health } from './schema.ts';

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

  app.get('/api/metrics', { config: { action: 'metrics:read' }, schema: { tags: ['system'], summary: 'Counters in Prometheus text format (denials by code)', produces: ['text/plain'] } }, async (_req, reply) => {
    const lines = ['# HELP cordon_denials_total Requests refused by authentication or permission checks, by error code.', '# TYPE cordon_denials_total counter'];
    for (const [code, n] of Object.entries(app.cordon.denials).sort()) lines.push(`cordon_denials_total{code="${code}"} ${n}`);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
};
