/**
 * For auditors: GET /api/audit lists the audit log of personal data (who read whose identity, exported or searched,
 * when, why, in which request), paged, by subject or actor; GET /api/audit/verify checks the log's hash chain.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { verifyAuditChain } from '../../../services/audit/audit.ts';
import { iso, PageQuery, pageOf, PlainText } from '../common.ts';

const AuditQuery = PageQuery.extend({
  subject: PlainText.max(100).optional().describe('e.g. person:123'),
  actor: PlainText.max(100).optional().describe('e.g. api:li.si, api:key:gate-7, cli:cordon ...'),
});
const AuditOut = z.object({
  id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), subject: z.string(), purpose: z.string().nullable(),
  requestId: z.string().nullable(), detail: z.string().nullable(), prevHash: z.string(), hash: z.string(),
});
const VerifyOut = z.object({
  entries: z.number().int().describe('entries checked before the first break (all of them when none)'), head: z.string().describe('hash of the last good entry: keep it to detect a cut-off end later'),
  broken: z.object({ id: z.number().int(), reason: z.string() }).nullable(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit', { config: { action: 'audit:read' }, schema: { tags: ['audit'], summary: 'The audit log of personal data (an auditor of a city or county: the entries about its residents)', querystring: AuditQuery, response: { 200: pageOf(AuditOut) } } }, async (req) => {
    const { subject, actor, ...page } = req.query;
    const res = await app.cordon.store.audit.list({ subject, actor }, page, req.ctx.scope);
    return { items: res.items.map((e) => ({ ...e, at: iso(e.at)! })), nextAfter: res.nextAfter };
  });

  app.get('/api/audit/verify', { config: { action: 'audit:read' }, schema: { tags: ['audit'], summary: 'Checks the audit log\'s hash chain', response: { 200: VerifyOut } } },
    async () => verifyAuditChain(app.cordon.store));
};
