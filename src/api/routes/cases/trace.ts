/** POST /api/cases (confirm a case: store it and trace it) and POST /api/cases/:id/trace (retrace). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseKindSchema, DetectionRouteSchema, SeveritySchema } from '../../../domain/vocab.ts';
import { confirmCase } from '../../../services/tracing/confirmCase.ts';
import { traceCase, type TraceResult } from '../../../services/tracing/traceCase.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams, iso, TimeText } from '../common.ts';
import { CaseOut, presentCase } from './schema.ts';

const Time = TimeText;

export const ConfirmCaseBody = z.object({
  caseNo: z.string().min(1).max(64),
  personId: z.number().int().positive(),
  kind: CaseKindSchema,
  onsetAt: Time.nullable().optional(),
  sampledAt: Time,
  confirmedAt: Time,
  isolatedAt: Time.nullable().optional(),
  severity: SeveritySchema.default('mild'),
  hospitalPlaceId: z.number().int().positive().nullable().optional(),
  detectedBy: DetectionRouteSchema.nullable().optional(),
}).refine((b) => b.confirmedAt >= b.sampledAt, { message: 'confirmed before the sample was taken', path: ['confirmedAt'] })
  .refine((b) => !(b.kind === 'asymptomatic' && b.onsetAt), { message: 'an asymptomatic infection has no onset', path: ['onsetAt'] });

export const TraceSummary = z.object({
  caseId: z.number().int(),
  window: z.object({ from: z.string(), to: z.string() }),
  contacts: z.object({ close: z.number().int(), secondary: z.number().int(), companion: z.number().int() }),
  written: z.number().int().describe('contacts newly stored by this call'),
  elapsedMs: z.number(),
});

const summarise = (r: TraceResult): z.infer<typeof TraceSummary> => ({
  caseId: r.caseId, window: { from: iso(r.window.from)!, to: iso(r.window.to)! }, written: r.written, elapsedMs: Math.round(r.elapsedMs * 100) / 100,
  contacts: { close: r.found.close.length, secondary: r.found.secondary.length, companion: r.found.companion.length },
});

export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, engine, edition, codes } = app.cordon;

  app.post('/api/cases', {
    schema: {
      tags: ['cases'], summary: 'Confirm a case: store it, trace its contacts and store them', body: ConfirmCaseBody,
      response: { 201: z.object({ case: CaseOut, trace: TraceSummary, codes: z.object({ evaluated: z.number().int(), changed: z.number().int(), colours: z.record(z.string(), z.number().int()) }).nullable() }), 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const b = req.body;
    const res = await confirmCase({
      store, engine, edition, codes,
      case: {
        caseNo: b.caseNo, personId: b.personId, kind: b.kind, onsetAt: b.onsetAt ?? null, sampledAt: b.sampledAt, confirmedAt: b.confirmedAt,
        isolatedAt: b.isolatedAt ?? null, severity: b.severity, hospitalPlaceId: b.hospitalPlaceId ?? null, outcome: 'in_treatment', detectedBy: b.detectedBy ?? null,
      },
    });
    return reply.status(201).send({ case: presentCase(res.case), trace: summarise(res.trace), codes: res.codes });
  });

  app.post('/api/cases/:id/trace', {
    schema: { tags: ['cases'], summary: 'Retrace a case (writes only contacts not yet stored)', params: IdParams, response: { 200: TraceSummary, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await store.cases.get(req.params.id))) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    return summarise(await traceCase({ store, engine, edition, caseId: req.params.id }));
  });
};
