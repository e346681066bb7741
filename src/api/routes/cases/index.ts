/** GET /api/cases, /api/cases/:id, /api/cases/:id/contacts (with evidence) and /api/contacts, all paged. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams } from '../common.ts';
import { CaseOut, CasePage, CaseQuery, ContactListQuery, ContactPage, ContactQuery, presentCase, presentContact } from './schema.ts';

export const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.cordon;

  app.get('/api/cases', { config: { action: 'cases:read' }, schema: { tags: ['cases'], querystring: CaseQuery, response: { 200: CasePage } } }, async (req) => {
    const { kind, outcome, region, ...paging } = req.query;
    const page = await store.cases.list(paging, req.ctx.scope, { kind, outcome, regionCode: region });
    return { items: page.items.map(presentCase), nextAfter: page.nextAfter };
  });

  app.get('/api/cases/:id', { config: { action: 'cases:read' }, schema: { tags: ['cases'], params: IdParams, response: { 200: CaseOut, 404: ErrorResponse } } }, async (req) => {
    const c = await store.cases.get(req.params.id, req.ctx.scope);
    if (!c) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    return presentCase(c);
  });

  app.get('/api/cases/:id/contacts', { config: { action: 'contacts:read' },
    schema: { tags: ['cases'], summary: "A case's contacts with evidence", params: IdParams, querystring: ContactQuery, response: { 200: ContactPage, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await store.cases.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    const { kind, ...page } = req.query;
    const res = await store.cases.contactsOf(req.params.id, { kind }, page, req.ctx.scope);
    return { items: res.items.map(presentContact), nextAfter: res.nextAfter };
  });

  app.get('/api/contacts', { config: { action: 'contacts:read' }, schema: { tags: ['cases'], querystring: ContactListQuery, response: { 200: ContactPage } } }, async (req) => {
    const { kind, status, region, ...page } = req.query;
    const res = await store.cases.listContacts({ kind, status, regionCode: region }, page, req.ctx.scope);
    return { items: res.items.map(presentContact), nextAfter: res.nextAfter };
  });
};
