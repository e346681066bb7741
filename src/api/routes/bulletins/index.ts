/**
 * The daily bulletin: today's (computed live, from the server's clock), a past day's (kept once generated), either as
 * JSON or as text (`?format=text`: Chinese, then English), and the list of kept days. The figures are the province's
 * aggregates, with no personal data, the same for every role that may read them (as a published bulletin is).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { getBulletin, listBulletins, todaysBulletin, type Bulletin } from '../../../services/command/bulletin.ts';
import { ErrorResponse, iso, PageQuery } from '../common.ts';
import { BulletinList, BulletinOut, DateParams, FormatQuery } from './schema.ts';

const present = (b: Bulletin) => ({ ...b, from: iso(b.from)!, to: iso(b.to)!, generatedAt: iso(b.generatedAt)! });

/** The bulletin as JSON, or as plain text: the Chinese text, a blank line, the English text. */
function answer(reply: FastifyReply, b: Bulletin, format: 'json' | 'text') {
  if (format === 'text') return reply.type('text/plain; charset=utf-8').send(`${b.textZh}\n\n${b.textEn}\n`);
  return present(b);
}

export const bulletinRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.get('/api/bulletins', { config: { action: 'bulletins:read' },
    schema: { tags: ['command'], summary: 'The days whose bulletins are kept, in the order they were kept, paged, with how many in all', querystring: PageQuery, response: { 200: BulletinList } },
  }, async (req) => {
    const page = await listBulletins(s.store, req.query);
    return { items: page.items.map((d) => ({ id: d.id, date: d.day, generatedAt: iso(d.generatedAt)! })), nextAfter: page.nextAfter, total: page.total };
  });

  app.get('/api/bulletins/today', { config: { action: 'bulletins:read' },
    schema: {
      tags: ['command'], summary: 'Today\'s bulletin (China Standard Time, 0 o\'clock to now), computed on each request and not kept until the day ends', produces: ['application/json', 'text/plain'],
      querystring: FormatQuery, response: { 200: BulletinOut },
    },
  }, async (req, reply) => answer(reply, await todaysBulletin(req.ctx, s), req.query.format));

  app.get('/api/bulletins/:date', { config: { action: 'bulletins:read' },
    schema: {
      tags: ['command'], summary: 'A day\'s bulletin: kept once the day has ended (generated on first request if the server did not keep it at midnight); today\'s is live',
      produces: ['application/json', 'text/plain'], params: DateParams, querystring: FormatQuery, response: { 200: BulletinOut, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => answer(reply, await getBulletin(req.ctx, s, { date: req.params.date }), req.query.format));
};
