/**
 * Supervision: inspections of a unit or a place with their findings (each a rectification task), the list of
 * inspections, and the re-inspection that closes a rectification or keeps it open. Open rectifications by level:
 * GET /api/tasks/summary?kind=rectification; the rectifications themselves: GET /api/tasks?kind=rectification.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordInspection, reinspect } from '../../../services/command/supervision.ts';
import type { Inspection } from '../../../storage/sql/supervision.ts';
import { MAX_ID } from '../../../storage/db.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, IdParams, iso, PageQuery } from '../common.ts';
import { UnitCode } from '../command/schema.ts';
import { InspectionBody, InspectionPage, InspectionWithTasks, ReinspectBody, Reinspected } from './schema.ts';
import { presentTask, presentTasks } from '../command/index.ts';

const present = (i: Inspection) => ({ ...i, inspectedAt: iso(i.inspectedAt)! });

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.post('/api/inspections', { config: { action: 'inspections:write' },
    schema: {
      tags: ['command'], summary: 'Record an inspection of a unit or a place; each finding becomes a rectification task for the unit',
      body: InspectionBody,
      response: { 201: InspectionWithTasks, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
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
      response: { 200: InspectionPage },
    },
  }, async (req) => {
    const { after, limit, ...filter } = req.query;
    const page = await s.store.supervision.list(filter, { after, limit }, req.ctx.scope);
    return { items: page.items.map(present), nextAfter: page.nextAfter };
  });

  app.get('/api/inspections/:id', { config: { action: 'inspections:read' },
    schema: { tags: ['command'], summary: 'An inspection with its rectification tasks as they stand', params: IdParams, response: { 200: InspectionWithTasks, 404: ErrorResponse } },
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
      body: ReinspectBody,
      response: { 200: Reinspected, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    const r = await reinspect(req.ctx, s, { taskId: req.params.id, ...req.body });
    return { inspection: present(r.inspection), task: await presentTask(s.store, r.task, req.ctx.clock.now()) };
  });
};
