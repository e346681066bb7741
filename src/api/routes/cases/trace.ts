/** POST /api/cases (confirm a case: store it, trace it, change codes) and POST /api/cases/:id/trace (retrace). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseKindSchema, DetectionRouteSchema, SeveritySchema } from '../../../domain/vocab.ts';
import { confirmCase } from '../../../services/cases/confirmCase.ts';
import { retraceCase } from '../../../services/cases/retraceCase.ts';
import { ErrorResponse, Id, IdParams, iso, Text, TimeText } from '../common.ts';
import { CaseOut, presentCase } from './schema.ts';

export const ConfirmCaseBody = z.strictObject({
  caseNo: Text.min(1).max(64),
  personId: Id,
  kind: CaseKindSchema,
  onsetAt: TimeText.nullable().optional(),
  sampledAt: TimeText,
  confirmedAt: TimeText,
  isolatedAt: TimeText.nullable().optional(),
  severity: SeveritySchema.default('mild'),
  hospitalPlaceId: Id.nullable().optional(),
  detectedBy: DetectionRouteSchema.nullable().optional(),
  // Compared only when both times were read: an unreadable one has its own error, not a second misleading one.
}).refine((b) => typeof b.confirmedAt !== 'number' || typeof b.sampledAt !== 'number' || b.confirmedAt >= b.sampledAt, { message: 'confirmed before the sample was taken', path: ['confirmedAt'] })
  .refine((b) => !(b.kind === 'asymptomatic' && b.onsetAt), { message: 'an asymptomatic infection has no onset', path: ['onsetAt'] });

export const TraceSummary = z.object({
  caseId: z.number().int(),
  window: z.object({ from: z.string(), to: z.string() }),
  contacts: z.object({ close: z.number().int(), secondary: z.number().int(), companion: z.number().int() }),
  written: z.number().int().describe('contacts newly stored by this call'),
  updated: z.number().int().optional().describe('stored contacts whose exposure or evidence changed'),
  released: z.number().int().optional().describe('stored contacts released because tracing no longer finds them'),
  elapsedMs: z.number(),
});

const CodesSummary = z.object({
  evaluated: z.number().int().describe('the case\'s person and its contacts: how many hold a code now'),
  changed: z.number().int().describe('every code the write changed, its contacts\' and the arrivals from a risk area it graded alike, so it can exceed `evaluated`'),
  colours: z.record(z.string(), z.number().int()).describe('the colours of those counted in `evaluated`'),
});

export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.post('/api/cases', { config: { action: 'cases:confirm' },
    schema: {
      tags: ['cases'], summary: 'Confirm a case: store it, trace its contacts, change their codes (all before answering)', body: ConfirmCaseBody,
      response: { 201: z.object({ case: CaseOut, trace: TraceSummary, codes: CodesSummary }), 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const b = req.body;
    const res = await confirmCase(req.ctx, s, {
      caseNo: b.caseNo, personId: b.personId, kind: b.kind, onsetAt: b.onsetAt ?? null, sampledAt: b.sampledAt, confirmedAt: b.confirmedAt,
      isolatedAt: b.isolatedAt ?? null, severity: b.severity, hospitalPlaceId: b.hospitalPlaceId ?? null, detectedBy: b.detectedBy ?? null,
    });
    const t = res.trace;
    return reply.status(201).send({
      case: presentCase(res.case), codes: res.codes,
      trace: { caseId: t.caseId, window: { from: iso(t.window.from)!, to: iso(t.window.to)! }, contacts: t.contacts, written: t.written, elapsedMs: Math.round(t.elapsedMs * 100) / 100 },
    });
  });

  app.post('/api/cases/:id/trace', { config: { action: 'cases:trace' },
    schema: { tags: ['cases'], summary: 'Retrace a case: writes what is new or changed; codes follow before answering', params: IdParams, response: { 200: TraceSummary, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req) => {
    const r = await retraceCase(req.ctx, s, req.params.id);
    return {
      caseId: r.caseId, window: { from: iso(r.window.from)!, to: iso(r.window.to)! }, written: r.written, updated: r.updated, released: r.released,
      elapsedMs: Math.round(r.elapsedMs * 100) / 100, contacts: { close: r.found.close.length, secondary: r.found.secondary.length, companion: r.found.companion.length },
    };
  });
};
