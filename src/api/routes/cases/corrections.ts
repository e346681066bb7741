/**
 * Corrections with history: a case's outcome, isolation, severity, hospital, times and classification; a case
 * withdrawn as not a case; a contact's status; a contact an investigator enters; a person's details. Every change
 * keeps who, when, why and the values before and after (`.../history`), and what derives from it follows before
 * the answer.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseKindSchema, CaseOutcomeSchema, ContactStatusSchema, DetectionRouteSchema, SeveritySchema } from '../../../domain/vocab.ts';
import { correctCase, setContactStatus, withdrawCase } from '../../../services/cases/corrections.ts';
import { addManualContact } from '../../../services/cases/manualContact.ts';
import { correctPerson } from '../../../services/people/correctPerson.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, Id, IdParams, PlainText, presentChanges, TimeText } from '../common.ts';
import { presentPerson, PersonOut } from '../persons/schema.ts';
import { CaseOut, ContactOut, CorrectionReason, HistoryOut, ManualContactBody, presentCase, presentContact, presentCorrection } from './schema.ts';

const Reason = CorrectionReason;

const CaseFixBody = z.strictObject({
  kind: CaseKindSchema.optional(), onsetAt: TimeText.nullable().optional(), sampledAt: TimeText.optional(), confirmedAt: TimeText.optional(),
  isolatedAt: TimeText.nullable().optional(), severity: SeveritySchema.optional(), hospitalPlaceId: Id.nullable().optional(),
  outcome: CaseOutcomeSchema.optional(), outcomeAt: TimeText.nullable().optional().describe('when the outcome was reached; now when absent'),
  detectedBy: DetectionRouteSchema.nullable().optional(), reason: Reason,
});

const PersonFixBody = z.strictObject({
  name: PlainText.min(1).max(100).optional(), phone: PlainText.max(20).nullable().optional(), communityCode: z.string().regex(/^\d{12}$/).optional(),
  gridCode: z.string().regex(/^\d{14}$/).nullable().optional(), occupation: PlainText.max(100).nullable().optional(), reason: Reason,
});

export const correctionRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const Changes = z.record(z.string(), z.tuple([z.unknown(), z.unknown()]));

  app.patch('/api/cases/:id', { config: { action: 'cases:update' },
    schema: { tags: ['corrections'], summary: 'Correct a case (outcome, isolation, severity, hospital, times, classification) with the reason', params: IdParams, body: CaseFixBody, response: { 200: z.object({ case: CaseOut, changes: Changes }), 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => {
    const { reason, ...fix } = req.body;
    const r = await correctCase(req.ctx, s, { caseId: req.params.id, fix, reason });
    return { case: presentCase(r.case), changes: presentChanges(r.changes) };
  });

  app.post('/api/cases/:id/withdraw', { config: { action: 'cases:withdraw' },
    schema: { tags: ['corrections'], summary: 'Withdraw a case as not a case: its contacts are released and codes follow', params: IdParams, body: z.strictObject({ reason: Reason }), response: { 200: CaseOut, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req) => presentCase(await withdrawCase(req.ctx, s, { caseId: req.params.id, reason: req.body.reason })));

  app.get('/api/cases/:id/history', { config: { action: 'cases:read' },
    schema: { tags: ['corrections'], summary: 'Every correction of a case', params: IdParams, response: { 200: HistoryOut, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await s.store.cases.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    return { items: (await s.store.corrections.of('case', String(req.params.id))).map(presentCorrection) };
  });

  app.post('/api/cases/:id/contacts', { config: { action: 'contacts:add' },
    schema: {
      tags: ['corrections'], summary: 'Enter a contact by the investigators\' judgement (protocol setting 9), with the reason: the exposure within the case\'s infectious window (a secondary contact\'s: from its close contact\'s exposure until isolation); a person is a close or a secondary contact of a case, not both', params: IdParams,
      body: ManualContactBody,
      response: { 201: ContactOut, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => reply.status(201).send(presentContact(await addManualContact(req.ctx, s, { caseId: req.params.id, ...req.body }))));

  app.get('/api/contacts/:id', { config: { action: 'contacts:read' },
    schema: { tags: ['corrections'], summary: 'A contact with its evidence and the history of its status', params: IdParams, response: { 200: ContactOut.extend({ history: HistoryOut.shape.items }), 404: ErrorResponse } },
  }, async (req) => {
    const k = await s.store.cases.contact(req.params.id, req.ctx.scope);
    if (!k) throw new AppError('NOT_FOUND', `No contact with id ${req.params.id}.`);
    return { ...presentContact(k), history: (await s.store.corrections.of('contact', String(k.id))).map(presentCorrection) };
  });

  app.post('/api/contacts/:id/status', { config: { action: 'contacts:update-status' },
    schema: { tags: ['corrections'], summary: 'Move a contact through its life (notified, in quarantine, home monitoring, released, lost to follow-up)', params: IdParams, body: z.strictObject({ status: ContactStatusSchema.exclude(['became_case']).describe('became_case is set by the event flow when the person becomes a case, never by hand'), reason: Reason }), response: { 200: ContactOut, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req) => presentContact(await setContactStatus(req.ctx, s, { contactId: req.params.id, status: req.body.status, reason: req.body.reason })));

  app.patch('/api/persons/:id', { config: { action: 'persons:update' },
    schema: { tags: ['corrections'], summary: 'Correct a person\'s registered details, with the reason', params: IdParams, body: PersonFixBody, response: { 200: z.object({ person: PersonOut, changes: z.array(z.string()) }), 404: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => {
    const { reason, ...fix } = req.body;
    const r = await correctPerson(req.ctx, s, { personId: req.params.id, fix, reason });
    // The values themselves stay masked: the history names the fields only.
    return { person: presentPerson(r.person), changes: Object.keys(r.changes) };
  });

  app.get('/api/persons/:id/history', { config: { action: 'persons:read' },
    schema: { tags: ['corrections'], summary: 'Which details of a person were corrected, when, by whom and why (values are not shown)', params: IdParams, response: { 200: z.object({ items: z.array(z.object({ fields: z.array(z.string()), reason: z.string().nullable(), actor: z.string(), at: z.string(), source: z.string() })) }), 404: ErrorResponse } },
  }, async (req) => {
    if (!(await s.store.persons.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    return { items: (await s.store.corrections.of('person', String(req.params.id))).map((c) => { const p = presentCorrection(c); return { fields: Object.keys(c.changes), reason: p.reason, actor: p.actor, at: p.at, source: p.source }; }) };
  });
};
