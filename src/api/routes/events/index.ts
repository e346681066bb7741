/**
 * GET /api/events: the event flow's state: events waiting to be handled, and those handlers gave up on, with the error
 * (province-wide actors only: 403 OUT_OF_SCOPE below the province).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { levelOfCode } from '../../../domain/access.ts';
import { AppError } from '../../errors.ts';
import { iso } from '../common.ts';

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, events } = app.cordon;
  app.get('/api/events', { config: { action: 'events:read' },
    schema: {
      tags: ['system'], summary: 'Events pending, and the events handlers gave up on (with their last error)',
      response: { 200: z.object({ pending: z.number().int(), parked: z.number().int(), failures: z.array(z.object({ id: z.number().int(), kind: z.string(), at: z.string(), attempts: z.number().int(), error: z.string().nullable() })) }) },
    },
  }, async (req) => {
    // The event flow is the whole province's system state (its failures name cases and persons of any region): the
    // province's command and auditors read it, an actor scoped below the province does not.
    if (req.ctx.scope && levelOfCode(req.ctx.scope) !== 'province') throw new AppError('OUT_OF_SCOPE', 'The event flow is read at the province\'s level.');
    const counts = await store.events.counts(events.maxAttempts);
    const failures = (await store.events.parked(events.maxAttempts, 50)).map((f) => ({ id: f.event.id, kind: f.event.kind, at: iso(f.event.at)!, attempts: f.event.attempts, error: f.error?.split('\n')[0] ?? null }));
    return { ...counts, failures };
  });
};
