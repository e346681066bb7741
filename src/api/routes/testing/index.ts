/**
 * Test results as labs report them: a sample taken (single tube or into a pooled tube of one of the edition's
 * sizes), a sample's result, a pooled tube's result. Every result re-evaluates the health codes of the persons it
 * concerns before the answer (a positive pool turns its members yellow; negatives bring companions and arrivals back
 * to green).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SampleMethodSchema, TestResultSchema } from '../../../domain/vocab.ts';
import { recordPoolResult, recordSample, recordSampleResult } from '../../../services/codes/results.ts';
import { ErrorResponse, Id, Text, TimeText } from '../common.ts';

const Recomputed = z.object({ persons: z.number().int(), codesChanged: z.number().int().describe('persons whose code changed because of this result') });
const Result = z.strictObject({ result: TestResultSchema.exclude(['pending']), resultAt: TimeText });

export const testingRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.post('/api/samples', { config: { action: 'samples:write' },
    schema: {
      tags: ['testing'], summary: 'Record a sample (single tube, or into a pooled tube), with its result if known',
      body: z.strictObject({
        sampleNo: Text.min(1).max(64), personId: Id, method: SampleMethodSchema, poolNo: Text.min(1).max(64).nullable().default(null),
        poolSize: z.number().int().positive().max(100).nullable().default(null).describe('samples a new pooled tube takes: one of the edition\'s sizes; the edition\'s size for the person\'s area when absent'),
        sampledAt: TimeText, result: TestResultSchema.default('pending'), resultAt: TimeText.nullable().default(null), lab: Text.max(200).nullable().default(null),
      }).refine((b) => (b.method === 'pooled') === (b.poolNo !== null), { message: 'a pooled sample names its pool, a single one does not', path: ['poolNo'] })
        .refine((b) => b.method === 'pooled' || b.poolSize === null, { message: 'a single-tube sample has no pool size', path: ['poolSize'] })
        .refine((b) => b.resultAt === null || b.resultAt >= b.sampledAt, { message: 'result before the sample was taken', path: ['resultAt'] }),
      response: { 201: Recomputed, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => reply.status(201).send(await recordSample(req.ctx, s, req.body)));

  app.post('/api/samples/:sampleNo/result', { config: { action: 'results:write' },
    schema: { tags: ['testing'], summary: 'A single tube\'s result', params: z.object({ sampleNo: Text.min(1).max(64) }), body: Result, response: { 200: Recomputed, 404: ErrorResponse } },
  }, async (req) => recordSampleResult(req.ctx, s, req.params.sampleNo, req.body.result, req.body.resultAt));

  app.post('/api/pools/:poolNo/result', { config: { action: 'results:write' },
    schema: { tags: ['testing'], summary: 'A pooled tube\'s result: its members\' codes change at once. A tube has one result: a second is refused (POOL_CLOSED)', params: z.object({ poolNo: Text.min(1).max(64) }), body: Result, response: { 200: Recomputed, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req) => recordPoolResult(req.ctx, s, req.params.poolNo, req.body.result, req.body.resultAt));
};
