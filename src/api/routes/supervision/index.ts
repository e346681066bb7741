/**
 * Supervision: inspections of a unit or a place with their findings (each a rectification task), the list of
 * inspections, and the re-inspection that closes a rectification or keeps it open. Open rectifications by level:
 * GET /api/tasks/summary?kind=rectification; the rectifications themselves: GET /api/tasks?kind=rectification.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordInspection, reinspect } from '../../../services/command/supervision.ts';
import type { Inspection } from '../../../storage/sql/supervision.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, IdParams, iso, IsoTime, PageQuery, PlainText, said, TimeText } from '../common.ts';
import { TaskOut, UnitCode } from '../command/schema.ts';
import { presentTask, presentTasks } from '../command/index.ts';

const InspectionOut = z.object({
  id: z.number().int(), regionCode: z.string(), placeId: z.number().int().nullable(), kind: z.enum(['inspection', 're-inspection']), taskId: z.number().int().nullable(),
  passed: z.boolean().nullable(), summary: z.string(), findings: z.array(z.object({ text: z.string(), withinHours: z.number(), taskId: z.number().int().nullable() })),
  inspector: z.string(), inspectedAt: IsoTime,
});
const present = (i: Inspection) => ({ ...i, inspectedAt: iso(i.inspectedAt)! });

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.post('/api/inspections', { config: { action: 'inspections:write' },
    schema: {
      tags: ['command'], summary: 'Record an inspection of a unit or a place; each finding becomes a rectification task for the unit',
      body: z.strictObject({
        regionCode: UnitCode.optional(), placeId: z.number().int().min(1).max(MAX_ID).optional(), summary: said(2000, PlainText),
        findings: z.array(z.strictObject({ text: said(500, PlainText), withinHours: z.number().int().min(1).max(720).optional().describe('hours to put it right; default the edition\'s') })).max(50),
      }),
      response: { 201: z.object({ inspection: InspectionOut, tasks: z.array(TaskOut) }), 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const r = await recordInspection(req.ctx, s, req.body);
    const now = req.ctx.clock.now();
    return reply.status(201).send({ inspection: present(r.inspection), tasks: await presentTasks(s.store, r.tasks, now) });
  });

  app.get('/api/inspections', { config: { action: 'inspections:read' },
    schema: {
      tags: ['command'], summary: 'Inspections and re-inspections in your region (of a unit and what lies in it, or of one rectification), oldest first',
      querystring: PageQuery.extend({ regionCode: UnitCode.optional(), taskId: decimal(1, MAX_ID).optional() }),
      response: { 200: z.object({ items: z.array(InspectionOut), nextAfter: z.number().int().nullable() }) },
    },
  }, async (req) => {
    const { after, limit, ...filter } = req.query;
    const page = await s.store.supervision.list(filter, { after, limit }, req.ctx.scope);
    return { items: page.items.map(present), nextAfter: page.nextAfter };
  });

  app.get('/api/inspections/:id', { config: { action: 'inspections:read' },
    schema: { tags: ['command'], summary: 'An inspection with its rectification tasks as they stand', params: IdParams, response: { 200: z.object({ inspection: InspectionOut, tasks: z.array(TaskOut) }), 404: ErrorResponse } },
  }, async (req) => {
    const i = await s.store.supervision.get(req.params.id, req.ctx.scope);
    if (!i) throw new AppError('NOT_FOUND', `No inspection with id ${req.params.id}.`);
    const now = req.ctx.clock.now();
    const tasks = await Promise.all(i.findings.filter((f) => f.taskId !== null).map((f) => s.store.command.task(f.taskId!)));
    return { inspection: present(i), tasks: await presentTasks(s.store, tasks.filter((t) => t !== undefined), now) };
  });

  app.post('/api/tasks/:id/reinspect', { config: { action: 'inspections:write' },
    schema: {
      tags: ['command'], summary: 'Re-inspect a rectification: passed, it is done; not passed, it stays open (optionally with a new deadline)', params: IdParams,
      body: z.strictObject({ passed: z.boolean(), note: said(2000), dueAt: TimeText.optional() }),
      response: { 200: z.object({ inspection: InspectionOut, task: TaskOut }), 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    const r = await reinspect(req.ctx, s, { taskId: req.params.id, ...req.body });
    return { inspection: present(r.inspection), task: await presentTask(s.store, r.task, req.ctx.clock.now()) };
  });
};
