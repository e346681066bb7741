/**
 * POST /api/feeds/:kind: a batch of an agency's feed over the wire (DESIGN.md: feeds from public security, telecoms,
 * public health and communities), sent with the agency's API key (role `agency_feed`, issued with its agency:
 * `cordon api-keys issue --role agency_feed --agency NAME --agency-kind KIND`). The body is CSV (`text/csv`, with the
 * header line) or NDJSON (`application/x-ndjson`), with the same columns and checks as `cordon import`; all or nothing
 * per batch. `Idempotency-Key` names the batch: sent again, the first answer comes back (`Idempotent-Replayed: true`)
 * and nothing changes. The answer comes once what the batch causes (tracing, codes) has been handled.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FEED_MEDIA_TYPES, feedFormatOf, receiveFeedBatch } from '../../../services/import/feedBatch.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse } from '../common.ts';

/** The largest batch taken (bytes): a bigger feed is sent as several batches. */
export const FEED_BATCH_LIMIT = 64 * 1024 * 1024;

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  // Only this plugin's routes take these bodies (content-type parsers are scoped to the plugin), as raw bytes.
  for (const type of FEED_MEDIA_TYPES) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: FEED_BATCH_LIMIT }, (_req, body, done) => done(null, body));

  app.post('/api/feeds/:kind', { config: { action: 'feeds:write' }, bodyLimit: FEED_BATCH_LIMIT,
    schema: {
      tags: ['feeds'], summary: 'A batch of an agency\'s feed (CSV or NDJSON, as cordon import takes it): all or nothing, named by its Idempotency-Key',
      params: z.object({ kind: z.string().max(40) }),
      headers: z.object({ 'idempotency-key': z.string().max(200).optional() }).passthrough(),
      body: z.custom<Buffer>((v) => Buffer.isBuffer(v), { message: 'a CSV (text/csv) or NDJSON (application/x-ndjson) body' }),
      response: {
        200: z.object({ file: z.string(), kind: z.string(), rows: z.number().int(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
        403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse,
      },
    },
  }, async (req, reply) => {
    const format = feedFormatOf(req.headers['content-type']);
    if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'A batch is text/csv or application/x-ndjson.');
    const principal = req.principal;
    if (!principal || principal.kind !== 'api_key') throw new AppError('FORBIDDEN', 'Feeds are sent with an agency\'s API key.');
    const out = await receiveFeedBatch({
      ctx: req.ctx, store: s.store, edition: s.edition, idHashKey: s.idHashKey, kind: req.params.kind, format, body: req.body,
      idempotencyKey: req.headers['idempotency-key'] ?? '', apiKeyId: principal.id,
    });
    if (out.replayed) void reply.header('idempotent-replayed', 'true');
    if (out.outcome === 'rejected') throw new AppError('IMPORT_REJECTED', undefined, out.rejection);
    if (!out.replayed) await s.events.settle();
    return out.result;
  });
};
