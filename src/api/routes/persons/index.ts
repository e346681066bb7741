/**
 * GET /api/persons (paged, by region and code colour, masked), GET /api/persons/export (the same list as CSV or XLSX, masked, audited),
 * GET /api/persons/:id (masked), and GET /api/persons/:id/identity (the
 * full name, phone and birth date, for the roles that call or visit people, with a stated purpose; every such read
 * is written to the audit log before it is answered).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse, exportRateLimit, IdParams } from '../common.ts';
import { exportList } from '../../../services/exports/lists.ts';
import { recordAudit } from '../../../services/audit/audit.ts';
import { IdentityOut, IdentityQuery, PersonListExportQuery, PersonOut, PersonPage, PersonQuery, presentPerson } from './schema.ts';

export const personRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/persons', { config: { action: 'persons:read' }, schema: { tags: ['persons'], querystring: PersonQuery, response: { 200: PersonPage } } }, async (req) => {
    const { region, colour, ...page } = req.query;
    const res = await app.cordon.store.persons.list({ regionCode: region, colour }, page, req.ctx.scope);
    const codes = await app.cordon.store.codes.currentOf(res.items.map((p) => p.id));
    const names = await app.cordon.store.regions.names(res.items.flatMap((p) => (p.gridCode ? [p.communityCode, p.gridCode] : [p.communityCode])));
    return {
      items: res.items.map((p) => ({
        ...presentPerson(p), codeColour: codes.get(p.id)?.colour ?? 'green', communityName: names.get(p.communityCode) ?? null, gridName: p.gridCode ? names.get(p.gridCode) ?? null : null,
      })),
      nextAfter: res.nextAfter,
    };
  });

  app.get('/api/persons/export', {
    config: { action: 'persons:export', rateLimit: exportRateLimit },
    schema: { tags: ['persons'], summary: 'The persons list (by region) as XLSX or CSV, masked (audited; at most EXPORT_MAX_ROWS rows)', querystring: PersonListExportQuery },
  }, async (req, reply) => {
    const f = await exportList(req.ctx, app.cordon, { list: 'persons', filter: { regionCode: req.query.region, colour: req.query.colour } }, req.query.format, req.query.lang, req.id);
    return reply.type(f.type).header('content-disposition', `attachment; filename="${f.filename}"`).send(f.body);
  });

  app.get('/api/persons/:id', { config: { action: 'persons:read' }, schema: { tags: ['persons'], params: IdParams, response: { 200: PersonOut, 404: ErrorResponse } } }, async (req) => {
    const person = await app.cordon.store.persons.get(req.params.id, req.ctx.scope);
    if (!person) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    return presentPerson(person);
  });

  app.get('/api/persons/:id/identity', { config: { action: 'persons:read-identity' },
    schema: { tags: ['persons'], summary: 'A person\'s full identity, with the purpose (audited)', params: IdParams, querystring: IdentityQuery, response: { 200: IdentityOut, 404: ErrorResponse } },
  }, async (req) => {
    const person = await app.cordon.store.persons.get(req.params.id, req.ctx.scope);
    if (!person) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    const entry = await recordAudit(req.ctx, app.cordon.store, { action: 'persons:read-identity', subject: `person:${person.id}`, purpose: req.query.purpose, requestId: req.id });
    return {
      id: person.id, name: person.name, phone: person.phone, idMasked: person.idMasked, birthDate: person.birthDate, sex: person.sex,
      communityCode: person.communityCode, gridCode: person.gridCode, audit: { id: entry.id, purpose: req.query.purpose },
    };
  });
};
