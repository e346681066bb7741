/** Checkpoints: register one, list them, check a person there (pass or deny with every reason), its check records. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CheckpointKindSchema, CheckStepSchema } from '../../../domain/vocab.ts';
import { check, createCheckpoint } from '../../../services/codes/checkpoints.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, Id, iso, IsoTime, pageOf, PageQuery, Text } from '../common.ts';

const CheckpointIn = z.strictObject({
  code: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), name: Text.min(1).max(200), kind: CheckpointKindSchema,
  placeId: Id.nullable().default(null).describe('the place it guards; a place of its own is created when absent'), regionCode: z.string().regex(/^43\d{0,10}$/),
});
const CheckpointOut = CheckpointIn.extend({ id: z.number().int(), placeId: z.number().int().nullable() });
/** What an operator sends: the scan, the reading and what was logged. The moment of the check is the server's. */
export const CheckBody = z.strictObject({
  token: z.string().max(4096).describe('the scanned QR text'),
  temperatureC: z.number().nullable().default(null),
  fromLocalCaseProvince: z.boolean().default(false),
  disinfected: z.boolean().default(false).describe('the operator logged the disinfection the policy requires'),
});
const CheckOut = z.object({
  verdict: z.enum(['pass', 'deny']), personId: z.number().int().nullable(), colour: z.string().nullable(),
  steps: z.array(z.object({ step: CheckStepSchema, ok: z.boolean(), detail: z.string() })),
});
const CodeParams = z.object({ code: Text.min(1).max(64) });

export const checkpointRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  /** The checkpoint, within reach of the actor's region; another region's is answered as unknown. */
  const checkpoint = async (code: string, scope: string | null | undefined) => {
    const cp = await s.store.control.checkpointByCode(code, scope);
    if (!cp) throw new AppError('UNKNOWN_CHECKPOINT', `No checkpoint ${JSON.stringify(code)}: the check is refused.`);
    return cp;
  };

  app.post('/api/checkpoints', { config: { action: 'checkpoints:manage' },
    schema: { tags: ['checkpoints'], summary: 'Register a checkpoint (one without a place gets its own, so every registration is presence)', body: CheckpointIn, response: { 201: CheckpointOut, 409: ErrorResponse, 422: ErrorResponse } },
  }, async (req, reply) => reply.status(201).send(await createCheckpoint(req.ctx, s, req.body)));

  app.get('/api/checkpoints', { config: { action: 'checkpoints:read' }, schema: { tags: ['checkpoints'], summary: 'Every checkpoint', response: { 200: z.object({ items: z.array(CheckpointOut) }) } } },
    async () => ({ items: await s.store.control.checkpoints() }));

  app.post('/api/checkpoints/:code/checks', { config: { action: 'checkpoints:check' },
    schema: {
      tags: ['checkpoints'], summary: 'Check a person at a checkpoint now: the policy\'s steps, pass or deny with every reason; writes a check record (and a presence record when it registers)',
      params: CodeParams, body: CheckBody, response: { 200: CheckOut, 404: ErrorResponse },
    },
  }, async (req) => check(req.ctx, s, await checkpoint(req.params.code, req.ctx.scope), req.body));

  app.get('/api/checkpoints/:code/checks', { config: { action: 'checkpoints:read' },
    schema: {
      tags: ['checkpoints'], summary: 'Check records of a checkpoint, paged', params: CodeParams, querystring: PageQuery,
      response: { 200: pageOf(z.object({ id: z.number().int(), personId: z.number().int().nullable(), at: IsoTime, temperatureC: z.number().nullable(), verdict: z.enum(['pass', 'deny']), reasons: z.array(z.string()) })), 404: ErrorResponse },
    },
  }, async (req) => {
    const cp = await checkpoint(req.params.code, req.ctx.scope);
    const page = await s.store.control.checksAt(cp.id, req.query);
    return { items: page.items.map((r) => ({ id: r.id, personId: r.personId, at: iso(r.at)!, temperatureC: r.temperatureC, verdict: r.verdict, reasons: r.reasons })), nextAfter: page.nextAfter };
  });
};
