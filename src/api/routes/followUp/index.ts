/**
 * Daily follow-up: record a report (temperature, symptoms) of a person in quarantine or home monitoring (site staff,
 * grid workers; the resident on their own page through /api/me/follow-up); list the reports; list who is under
 * follow-up with where each stands today (missed today, lost after the edition's days), with `total`; send reminders.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dayBounds } from '../../../domain/bulletin.ts';
import { reportFindings } from '../../../domain/rules/followUp.ts';
import type { Symptom } from '../../../domain/vocab.ts';
import type { ProtocolEdition } from '../../../domain/protocol/schema.ts';
import { LoggingCodeSender, type CodeSender } from '../../../services/accounts/residents.ts';
import { residentOf } from '../residents/index.ts';
import { recordReport, sendReminders, underFollowUp } from '../../../services/quarantine/followUp.ts';
import { MAX_ID } from '../../../storage/db.ts';
import type { FollowUpReport } from '../../../storage/sql/followUp.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, iso, PageQuery } from '../common.ts';
import { FollowUpList, MyFollowUp, RemindersOut, ReportBody, ReportOut, ReportPage, StaffReportBody } from './schema.ts';

const presentReport = (edition: ProtocolEdition, r: FollowUpReport) => ({
  id: r.id, personId: r.personId, day: r.day, at: iso(r.at)!, temperatureC: r.temperatureC, symptoms: r.symptoms as Symptom[], note: r.note,
  reportedBy: r.reportedBy, source: r.source, fever: reportFindings(edition, r.temperatureC, r.symptoms).fever,
});

export interface FollowUpRouteOptions {
  /** Sends reminders to phones (default: the server's log; a deployment plugs in its SMS gateway, as for sign-in codes). */
  messageSender?: CodeSender;
}

export const followUpRoutes: FastifyPluginAsyncZod<FollowUpRouteOptions> = async (app, opts) => {
  const s = app.cordon;
  const { store, edition } = s;
  const sender = opts.messageSender ?? new LoggingCodeSender((fields, message) => app.log.info(fields, message), 'follow-up reminder');

  app.post('/api/follow-up/reports', { config: { action: 'follow-up:report' },
    schema: {
      tags: ['follow-up'], summary: 'Record today\'s report of a person in quarantine or home monitoring (of your region, or held at a site of it); a fever or a symptom changes their code and raises a fever check',
      body: StaffReportBody,
      response: { 201: ReportOut, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const source = req.principal?.role === 'quarantine_staff' ? 'site_staff' as const : 'grid_worker' as const;
    const r = await recordReport(req.ctx, s, { ...req.body, source });
    return reply.status(201).send(presentReport(edition, r));
  });

  app.get('/api/follow-up/reports', { config: { action: 'follow-up:read' },
    schema: {
      tags: ['follow-up'], summary: 'Daily reports (of persons of your region, or made at its sites), newest first, with the total',
      querystring: PageQuery.extend({
        personId: decimal(1, MAX_ID).optional(),
        date: z.string().refine((d) => dayBounds(d) !== null, 'not a real date YYYY-MM-DD').optional().describe('only the reports of this day (China Standard Time)'),
      }),
      response: { 200: ReportPage },
    },
  }, async (req) => {
    const { after, limit, personId, date } = req.query;
    const page = await store.followUp.reports({ personId, day: date }, { after, limit }, req.ctx.scope);
    return { items: page.items.map((r) => presentReport(edition, r)), nextAfter: page.nextAfter, total: page.total };
  });

  app.get('/api/follow-up', { config: { action: 'follow-up:read' },
    schema: {
      tags: ['follow-up'], summary: 'Persons under follow-up now (of your region, or held at its sites; optionally at one site): whether each reported today, the days missed, lost to follow-up; by person id, with counts and the total',
      querystring: PageQuery.extend({
        state: z.enum(['all', 'missed', 'lost']).default('all').describe('missed: no report today; lost: the edition\'s days missed'),
        siteId: decimal(1, MAX_ID).optional(),
      }),
      response: { 200: FollowUpList, 404: ErrorResponse },
    },
  }, async (req) => {
    const { after, limit, state, siteId } = req.query;
    if (siteId !== undefined && !(await store.quarantine.site(siteId, req.ctx.scope))) throw new AppError('NOT_FOUND', `No quarantine site with id ${siteId}.`);
    const r = await underFollowUp(req.ctx, s, { siteId, state, after, limit: limit + 1 });
    const items = r.items.slice(0, limit);
    const c = r.counts;
    return {
      date: r.date, lostAfterMissedDays: edition.followUp.lostAfterMissedDays, counts: c,
      items: items.map((u) => ({
        personId: u.personId, kind: u.kind, since: iso(u.since)!, until: iso(u.until), assignmentId: u.assignmentId, siteId: u.siteId, room: u.room,
        lastReportAt: iso(u.lastReportAt), reportedToday: u.reportedToday, missedDays: u.missedDays, lost: u.lost,
        lastReport: u.lastReport && { temperatureC: u.lastReport.temperatureC, symptoms: [...u.lastReport.symptoms] as Symptom[], fever: u.lastReport.fever, abnormal: u.lastReport.abnormal },
      })),
      nextAfter: r.items.length > limit ? items.at(-1)!.personId : null, total: state === 'all' ? c.under : state === 'missed' ? c.missedToday : c.lost,
    };
  });

  app.post('/api/follow-up/reminders', { config: { action: 'follow-up:remind' },
    schema: {
      tags: ['follow-up'], summary: 'Remind everyone under follow-up (of your region, or at one site) who has not reported today, by text message to the registered phone: once a day each',
      body: z.strictObject({ siteId: z.number().int().min(1).max(MAX_ID).optional() }).nullish().describe('optional: { siteId } for one site\'s persons'),
      response: { 200: RemindersOut, 404: ErrorResponse },
    },
  }, async (req) => {
    const siteId = req.body?.siteId;
    if (siteId !== undefined && !(await store.quarantine.site(siteId, req.ctx.scope))) throw new AppError('NOT_FOUND', `No quarantine site with id ${siteId}.`);
    return sendReminders(req.ctx, s, sender, { siteId });
  });

  app.get('/api/me/follow-up', { config: { action: 'self:read' },
    schema: { tags: ['residents'], summary: 'Whether I am under follow-up (quarantine or home monitoring), whether I reported today, and my last reports', response: { 200: MyFollowUp } },
  }, async (req) => {
    const personId = residentOf(req);
    const [u] = (await underFollowUp({ ...req.ctx, scope: undefined }, s, { personId })).items;
    const reports = await store.followUp.reports({ personId }, { limit: 7 });
    return {
      under: u !== undefined, kind: u?.kind ?? null, until: iso(u?.until ?? null), reportedToday: u?.reportedToday ?? false,
      reports: reports.items.map((r) => presentReport(edition, r)),
    };
  });

  app.post('/api/me/follow-up/reports', { config: { action: 'self:report' },
    schema: {
      tags: ['residents'], summary: 'Report my temperature and symptoms today (while I am in quarantine or home monitoring)',
      body: ReportBody, response: { 201: ReportOut, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const r = await recordReport({ ...req.ctx, scope: undefined }, s, { personId: residentOf(req), ...req.body, source: 'resident' });
    return reply.status(201).send(presentReport(edition, r));
  });
};
