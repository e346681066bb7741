/** Checkpoints: register one, list them, check a person there (pass or deny with every reason), its check records. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CheckpointKindSchema, CheckStepSchema } from '../../../domain/vocab.ts';
import { check } from '../../../services/codes/checkpoints.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, iso, IsoTime, pageOf, PageQuery } from '../common.ts';
import { nowSeconds } from '../../../domain/time.ts';

const CheckpointIn = z.object({
  code: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), name: z.string().min(1).max(200), kind: CheckpointKindSchema,
  placeId: z.number().int().positive().nullable().default(null), regionCode: z.string().regex(/^43\d{0,10}$/),
});
const CheckpointOut = CheckpointIn.extend({ id: z.number().int() });
export const CheckBody = z.object({
  token: z.string().max(4096).describe('the scanned QR text'),
  temperatureC: z.number().nullable().default(null),
  at: z.number().int().optional().describe('epoch seconds; now when absent'),
  fromLocalCaseProvince: z.boolean().default(false),
  disinfected: z.boolean().default(false),
});
const CheckOut = z.object({
  verdict: z.enum(['pass', 'deny']), personId: z.number().int().nullable(), colour: z.string().nullable(),
  steps: z.array(z.object({ step: CheckStepSchema, ok: z.boolean(), detail: z.string() })),
});
const CodeParams = z.object({ code: z.string().min(1).max(64) });

export const checkpointRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, edition, codes } = app.cordon;
  const checkpoint = async (code: string) => {
    const cp = await store.control.checkpointByCode(code);
    if (!cp) throw new AppError('UNKNOWN_CHECKPOINT', `No checkpoint ${JSON.stringify(code)}: the check is refused.`);
    return cp;
  };

  app.post('/api/checkpoints', {
    schema: { tags: ['checkpoints'], summary: 'Register a checkpoint', body: CheckpointIn, response: { 201: CheckpointOut, 409: ErrorResponse, 422: ErrorResponse } },
  }, async (req, reply) => {
    const b = req.body;
    if (b.placeId !== null && !(await store.places.get(b.placeId))) throw new AppError('UNKNOWN_REFERENCE', `No place with id ${b.placeId}.`);
    if (!(await store.regions.get(b.regionCode))) throw new AppError('UNKNOWN_REFERENCE', `No region ${b.regionCode}.`);
    const id = await store.control.insertCheckpoint(b);
    if (id === 0) throw new AppError('CONFLICT', `Checkpoint ${b.code} already exists.`);
    return reply.status(201).send({ ...b, id });
  });

  app.get('/api/checkpoints', { schema: { tags: ['checkpoints'], summary: 'Every checkpoint', response: { 200: z.object({ items: z.array(CheckpointOut) }) } } },
    async () => ({ items: await store.control.checkpoints() }));

  app.post('/api/checkpoints/:code/checks', {
    schema: {
      tags: ['checkpoints'], summary: 'Check a person at a checkpoint: the policy\'s steps, pass or deny with every reason; writes a check record (and a presence record when it registers)',
      params: CodeParams, body: CheckBody, response: { 200: CheckOut, 404: ErrorResponse },
    },
  }, async (req) => {
    const cp = await checkpoint(req.params.code);
    const b = req.body;
    return check({ store, edition, codes, checkpoint: cp, input: { token: b.token, temperatureC: b.temperatureC, at: b.at ?? nowSeconds(), fromLocalCaseProvince: b.fromLocalCaseProvince, disinfected: b.disinfected } });
  });

  app.get('/api/checkpoints/:code/checks', {
    schema: {
      tags: ['checkpoints'], summary: 'Check records of a checkpoint, paged', params: CodeParams, querystring: PageQuery,
      response: { 200: pageOf(z.object({ id: z.number().int(), personId: z.number().int().nullable(), at: IsoTime, temperatureC: z.number().nullable(), verdict: z.enum(['pass', 'deny']), reasons: z.array(z.string()) })), 404: ErrorResponse },
    },
  }, async (req) => {
    const cp = await checkpoint(req.params.code);
    const page = await store.control.checksAt(cp.id, req.query);
    return { items: page.items.map((r) => ({ id: r.id, personId: r.personId, at: iso(r.at)!, temperatureC: r.temperatureC, verdict: r.verdict, reasons: r.reasons })), nextAfter: page.nextAfter };
  });
};
