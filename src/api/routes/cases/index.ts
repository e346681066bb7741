/**
 * GET /api/cases, /api/cases/:id, /api/cases/:id/contacts (with evidence and the persons, masked) and /api/contacts,
 * all paged; /api/cases/:id/contacts/export, /api/cases/export and /api/contacts/export as CSV or XLSX (masked,
 * audited, at most EXPORTS_PER_MINUTE a minute; a list's export at most EXPORT_MAX_ROWS rows).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse, exportRateLimit, IdParams } from '../common.ts';
import { exportCaseContacts } from '../../../services/cases/contactsExport.ts';
import { exportList } from '../../../services/exports/lists.ts';
import { CaseContactPage, CaseContactsExportQuery, CaseListExportQuery, CaseOut, CasePage, CaseQuery, ContactListExportQuery, ContactListQuery, ContactPage, ContactQuery, presentCase, presentListedContacts } from './schema.ts';

export const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.cordon;

  app.get('/api/cases', { config: { action: 'cases:read' }, schema: { tags: ['cases'], querystring: CaseQuery, response: { 200: CasePage } } }, async (req) => {
    const { kind, outcome, region, ...paging } = req.query;
    const page = await store.cases.list(paging, req.ctx.scope, { kind, outcome, regionCode: region });
    return { items: page.items.map(presentCase), nextAfter: page.nextAfter };
  });

  app.get('/api/cases/export', {
    config: { action: 'cases:export', rateLimit: exportRateLimit },
    schema: { tags: ['cases'], summary: 'The cases list (its filter) as XLSX or CSV, persons masked (audited)', querystring: CaseListExportQuery },
  }, async (req, reply) => {
    const { format, lang, region, ...rest } = req.query;
    const f = await exportList(req.ctx, app.cordon, { list: 'cases', filter: { ...rest, regionCode: region } }, format, lang, req.id);
    return reply.type(f.type).header('content-disposition', `attachment; filename="${f.filename}"`).send(f.body);
  });

  app.get('/api/cases/:id', { config: { action: 'cases:read' }, schema: { tags: ['cases'], params: IdParams, response: { 200: CaseOut, 404: ErrorResponse } } }, async (req) => {
    const c = await store.cases.get(req.params.id, req.ctx.scope);
    if (!c) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    return presentCase(c);
  });

  app.get('/api/cases/:id/contacts', { config: { action: 'contacts:read' },
    schema: { tags: ['cases'], summary: "A case's contacts with evidence (and how many live outside your region)", params: IdParams, querystring: ContactQuery, response: { 200: CaseContactPage, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await store.cases.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    const { kind, ...page } = req.query;
    const res = await store.cases.contactsOf(req.params.id, { kind }, page, req.ctx.scope);
    return { items: await presentListedContacts(store, res.items), nextAfter: res.nextAfter, outsideScope: await store.cases.contactsOutside(req.params.id, { kind }, req.ctx.scope) };
  });

  // An export leaves the system: audited, and one actor may take at most EXPORTS_PER_MINUTE a minute.
  app.get('/api/cases/:id/contacts/export', {
    config: { action: 'contacts:export', rateLimit: exportRateLimit },
    schema: { tags: ['cases'], summary: "A case's contacts as XLSX or CSV, persons masked (audited)", params: IdParams, querystring: CaseContactsExportQuery },
  }, async (req, reply) => {
    const f = await exportCaseContacts(req.ctx, app.cordon, req.params.id, req.query.format, req.query.lang, req.id, { kind: req.query.kind, setting: req.query.setting });
    return reply.type(f.type).header('content-disposition', `attachment; filename="${f.filename}"`).send(f.body);
  });

  app.get('/api/contacts/export', {
    config: { action: 'contacts:export', rateLimit: exportRateLimit },
    schema: { tags: ['cases'], summary: 'The contacts list (its filter) as XLSX or CSV, persons masked (audited)', querystring: ContactListExportQuery },
  }, async (req, reply) => {
    const { format, lang, region, ...rest } = req.query;
    const f = await exportList(req.ctx, app.cordon, { list: 'contacts', filter: { ...rest, regionCode: region } }, format, lang, req.id);
    return reply.type(f.type).header('content-disposition', `attachment; filename="${f.filename}"`).send(f.body);
  });

  app.get('/api/contacts', { config: { action: 'contacts:read' }, schema: { tags: ['cases'], querystring: ContactListQuery, response: { 200: ContactPage } } }, async (req) => {
    const { kind, status, region, ...page } = req.query;
    const res = await store.cases.listContacts({ kind, status, regionCode: region }, page, req.ctx.scope);
    return { items: await presentListedContacts(store, res.items), nextAfter: res.nextAfter };
  });
};
