/**
 * Test results as labs report them: a sample taken (single tube or into a pooled tube), a sample's result, a pooled
 * tube's result. Every result re-evaluates the health codes of the persons it concerns at once (a positive pool turns
 * its members yellow; negatives bring companions and arrivals back to green).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SampleMethodSchema, TestResultSchema } from '../../../domain/vocab.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, TimeText } from '../common.ts';

const Recomputed = z.object({ persons: z.number().int(), codesChanged: z.number().int() });

export const testingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, codes } = app.cordon;
  const nowSec = () => Math.floor(Date.now() / 1000);

  app.post('/api/samples', {
    schema: {
      tags: ['testing'], summary: 'Record a sample (single tube, or into a pooled tube), with its result if known',
      body: z.object({
        sampleNo: z.string().min(1).max(64), personId: z.number().int().positive(), method: SampleMethodSchema, poolNo: z.string().min(1).max(64).nullable().default(null),
        sampledAt: TimeText, result: TestResultSchema.default('pending'), resultAt: TimeText.nullable().default(null), lab: z.string().max(200).nullable().default(null),
      }).refine((b) => (b.method === 'pooled') === (b.poolNo !== null), { message: 'a pooled sample names its pool, a single one does not', path: ['poolNo'] })
        .refine((b) => b.resultAt === null || b.resultAt >= b.sampledAt, { message: 'result before the sample was taken', path: ['resultAt'] }),
      response: { 201: Recomputed, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const b = req.body;
    if (!(await store.persons.get(b.personId))) throw new AppError('UNKNOWN_REFERENCE', `No person with id ${b.personId}.`);
    const inserted = await store.transaction(async (tx) => {
      let poolId: number | null = null;
      if (b.poolNo !== null) {
        await tx.samples.insertPools([{ poolNo: b.poolNo, size: 1, sampledAt: b.sampledAt, result: 'pending', resultAt: null, lab: b.lab }]);
        poolId = (await tx.samples.poolIds([b.poolNo])).get(b.poolNo)!;
      }
      return tx.samples.insertMany([{ sampleNo: b.sampleNo, personId: b.personId, method: b.method, poolId, sampledAt: b.sampledAt, result: b.result, resultAt: b.resultAt, lab: b.lab }]);
    });
    if (inserted === 0) throw new AppError('CONFLICT', `Sample ${b.sampleNo} is already recorded.`);
    const r = await codes.recompute([b.personId], `sample ${b.sampleNo} ${b.result}`, nowSec());
    return reply.status(201).send({ persons: 1, codesChanged: r.changed });
  });

  app.post('/api/samples/:sampleNo/result', {
    schema: {
      tags: ['testing'], summary: 'A single tube\'s result', params: z.object({ sampleNo: z.string().min(1).max(64) }),
      body: z.object({ result: TestResultSchema.exclude(['pending']), resultAt: TimeText }), response: { 200: Recomputed, 404: ErrorResponse },
    },
  }, async (req) => {
    const s = await store.samples.bySampleNo(req.params.sampleNo);
    if (!s) throw new AppError('NOT_FOUND', `No sample ${req.params.sampleNo}.`);
    if (req.body.resultAt < s.sampledAt) throw new AppError('VALIDATION_FAILED', 'result before the sample was taken');
    await store.samples.setResult(req.params.sampleNo, req.body.result, req.body.resultAt);
    const r = await codes.recompute([s.personId], `sample ${req.params.sampleNo} ${req.body.result}`, nowSec());
    return { persons: 1, codesChanged: r.changed };
  });

  app.post('/api/pools/:poolNo/result', {
    schema: {
      tags: ['testing'], summary: 'A pooled tube\'s result: its members\' codes change at once', params: z.object({ poolNo: z.string().min(1).max(64) }),
      body: z.object({ result: TestResultSchema.exclude(['pending']), resultAt: TimeText }), response: { 200: Recomputed, 404: ErrorResponse },
    },
  }, async (req) => {
    const members = await store.transaction((tx) => tx.samples.setPoolResult(req.params.poolNo, req.body.result, req.body.resultAt));
    if (members === null) throw new AppError('NOT_FOUND', `No pooled tube ${req.params.poolNo}.`);
    const r = await codes.recompute(members, `pooled tube ${req.params.poolNo} ${req.body.result}`, nowSec());
    return { persons: members.length, codesChanged: r.changed };
  });
};
