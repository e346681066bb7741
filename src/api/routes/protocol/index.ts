/** GET /api/protocol: the protocol edition in force, every number of it. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProtocolEditionSchema } from '../../../domain/protocol/schema.ts';

export const protocolRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/protocol', { config: { action: 'protocol:read' }, schema: { tags: ['system'], summary: 'The protocol edition in force', response: { 200: ProtocolEditionSchema } } },
    async () => app.cordon.edition);
};
