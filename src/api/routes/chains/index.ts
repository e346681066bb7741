/**
 * Chains of transmission: clusters with their trees and indicators, exports (JSON, CSV edge list, GraphML), an
 * investigator's verdict on a link, and the tracing-efficacy report. A region-scoped actor sees the chains that reach
 * its region (whole: their cases elsewhere by number only) and a report of its region's cases.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CHAIN_VIEW_DEFAULTS, chainsCsv, chainsGraphml, chainsJson } from '../../../domain/chains/chains.ts';
import { narrowScope } from '../../../domain/access.ts';
import { AppError } from '../../errors.ts';
import { UnitCode } from '../command/schema.ts';
import { recordAudit } from '../../../services/audit/audit.ts';
import { recordExposureEvent, withdrawExposureEvent } from '../../../services/cases/exposureEvents.ts';
import { setTransmissionLink } from '../../../services/cases/links.ts';
import { chainsOf, efficacyReport } from '../../../services/chains.ts';
import { AtQuery, decimal, ErrorResponse, exportRateLimit, IdParams, iso, readAt } from '../common.ts';
import { CorrectionReason } from '../cases/schema.ts';
import { ExposureEventBody, ExposureEventOut, LinkBody, LinkOut, presentChains } from './schema.ts';

const ChainsQuery = AtQuery.extend({
  recentDays: decimal(1, 90).default(CHAIN_VIEW_DEFAULTS.recentDays),
  fewContacts: decimal(1, 1000).default(CHAIN_VIEW_DEFAULTS.fewContactsThreshold).describe('threshold of the "cases with fewer than X contacts" indicator'),
  region: UnitCode.optional().describe('the chains reaching this division and R(t) of its residents (a dashboard drilled down to it); default: all you may see. 404 NOT_FOUND for a code of no division'),
  lang: z.enum(['zh', 'en']).default('zh').describe('the language of the cluster names, as in the exports'),
});

export const chainRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store, edition } = s;

  app.get('/api/chains', { config: { action: 'chains:read' },
    schema: { tags: ['chains'], summary: 'Clusters (trees of inferred or confirmed links) with generations, activity and names, and the indicators', querystring: ChainsQuery },
  }, async (req) => {
    const scope = narrowScope(req.ctx.scope, req.query.region, 'region');
    // A region that does not exist is not one without transmission (as the dashboard answers it).
    if (req.query.region !== undefined && !(await store.regions.get(req.query.region))) throw new AppError('NOT_FOUND', `No region with code ${req.query.region}.`);
    const v = await chainsOf(store, edition, readAt(req.ctx, edition, req.query.at), { recentDays: req.query.recentDays, fewContactsThreshold: req.query.fewContacts }, scope);
    return presentChains(v, req.query.lang);
  });

  // An export leaves the system: each is audited, and one actor may take at most EXPORTS_PER_MINUTE a minute.
  app.get('/api/chains/export', {
    config: { action: 'chains:export', rateLimit: exportRateLimit },
    schema: {
      tags: ['chains'],
      summary: 'Every chain as JSON (with the exposure events), a CSV edge list or GraphML (events as nodes), audited; each link with its log-likelihood and probability; cluster names in Chinese, or English with lang=en',
      querystring: AtQuery.extend({
        format: z.enum(['json', 'csv', 'graphml']).default('json'), lang: z.enum(['zh', 'en']).default('zh'),
        region: UnitCode.optional().describe('the chains reaching this division, as GET /api/chains; 404 NOT_FOUND for a code of no division'),
      }),
    },
  }, async (req, reply) => {
    const scope = narrowScope(req.ctx.scope, req.query.region, 'region');
    if (req.query.region !== undefined && !(await store.regions.get(req.query.region))) throw new AppError('NOT_FOUND', `No region with code ${req.query.region}.`);
    const v = await chainsOf(store, edition, readAt(req.ctx, edition, req.query.at), {}, scope);
    await recordAudit(req.ctx, store, { action: 'chains:export', subject: 'export:chains', purpose: null, requestId: req.id, detail: `format=${req.query.format}; chains=${v.chains.length}${req.query.region ? `; region=${req.query.region}` : ''}` });
    // A byte-order mark, as every CSV export has: a spreadsheet then reads the Chinese names as UTF-8.
    // A region's file is named after it (chains-4308.csv): downloads of several regions are told apart.
    const file = `chains${req.query.region ? `-${req.query.region}` : ''}.${req.query.format}`;
    if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(`\uFEFF${chainsCsv(v.chains, v.caseNo, req.query.lang)}`);
    if (req.query.format === 'graphml') return reply.type('application/graphml+xml; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(chainsGraphml(v.chains, v.caseNo, req.query.lang, v.events));
    // Times as GET /api/chains gives them (ISO-8601, China time), and a file name as the other formats have.
    reply.header('content-disposition', `attachment; filename="${file}"`);
    return chainsJson(v.chains, v.events, v.caseNo, req.query.lang);
  });

  app.post('/api/links', { config: { action: 'links:write' },
    schema: {
      tags: ['chains'], summary: 'An investigator confirms or rejects a link between two cases (overrides the inference)',
      body: LinkBody,
      response: { 201: LinkOut, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const v = await setTransmissionLink(req.ctx, s, req.body);
    return reply.status(201).send({ ...v, warnings: v.warnings.map((w) => ({ ...w, infectorOnset: iso(w.infectorOnset)!, infecteeOnset: iso(w.infecteeOnset)! })) });
  });

  app.post('/api/exposure-events', { config: { action: 'links:write' },
    schema: {
      tags: ['chains'], summary: 'An investigator enters an exposure event: a place and window, the cases infectious there and the cases exposed there (one cluster in the chains)',
      body: ExposureEventBody,
      response: { 201: ExposureEventOut, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const e = await recordExposureEvent(req.ctx, s, req.body);
    return reply.status(201).send({ ...e, start: iso(e.start)!, end: iso(e.end)! });
  });

  app.post('/api/exposure-events/:id/withdraw', { config: { action: 'links:write' },
    schema: {
      tags: ['chains'], summary: 'An investigator withdraws an exposure event entered by mistake, with the reason (kept in the corrections; to change one, withdraw it and enter it again)',
      params: IdParams, body: z.strictObject({ reason: CorrectionReason }),
      response: { 200: z.object({ id: z.number().int(), name: z.string(), withdrawn: z.literal(true) }), 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => ({ ...(await withdrawExposureEvent(req.ctx, s, { eventId: req.params.id, reason: req.body.reason })), withdrawn: true as const }));

  app.get('/api/reports/efficacy', { config: { action: 'reports:read' },
    schema: { tags: ['chains'], summary: 'Tracing efficacy: cases already contacts when confirmed, hours to contacts identified, contacts per case' },
  }, async (req) => efficacyReport(store, req.ctx.scope));
};
