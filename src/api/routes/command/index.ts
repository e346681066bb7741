/**
 * The command mechanism: directives (issue, list, one with its completion by level) and tasks (list within scope with
 * `total`, one with its history, accept, start, complete with evidence, reassign, cancel, move the deadline).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Directive, Task } from '../../../domain/model/index.ts';
import type { RegionLevel, TaskStatus } from '../../../domain/vocab.ts';
import { cancelTask, issueDirective, reassignTask, setTaskDeadline, workOnTask, type TaskActor } from '../../../services/command/tasks.ts';
import { AppError } from '../../errors.ts';
import { MAX_ID } from '../../../storage/db.ts';
import type { Store } from '../../../storage/store.ts';
import { ErrorResponse, IdParams, iso, PageQuery, presentChanges, said, TimeText } from '../common.ts';
import { DirectiveBody, DirectiveDetail, DirectiveIssued, DirectivePage, TaskCompleteBody, TaskDetail, TaskOut, TaskPage, TaskQuery, TaskStepBody, TaskSummary } from './schema.ts';

/** Names of units by code (the units tasks and directives name), for people to read. */
const namesOf = (store: Store, codes: (string | null)[]) => store.regions.names(codes.filter((c): c is string => c !== null));

const directiveOut = (d: Directive, names: Map<string, string>) => ({ ...d, dueAt: iso(d.dueAt)!, issuedAt: iso(d.issuedAt)!, cancelledAt: iso(d.cancelledAt), regionName: names.get(d.regionCode) ?? d.regionCode });
/** Directives as the API answers them, with their units' names. */
const presentDirectives = async (store: Store, ds: Directive[]) => {
  const names = await namesOf(store, ds.map((d) => d.regionCode));
  return ds.map((d) => directiveOut(d, names));
};
/** Tasks as the API answers them (late: past the deadline at `now` and open), with their units' names. */
export const presentTasks = async (store: Store, ts: Task[], now: number) => {
  const names = await namesOf(store, ts.flatMap((t) => [t.regionCode, t.escalatedTo]));
  return ts.map((t) => ({ ...taskOut(t, now), regionName: names.get(t.regionCode) ?? t.regionCode, escalatedToName: t.escalatedTo === null ? null : names.get(t.escalatedTo) ?? t.escalatedTo }));
};
export const presentTask = async (store: Store, t: Task, now: number) => (await presentTasks(store, [t], now))[0];
const taskOut = (t: Task, now: number) => ({
  id: t.id, parentId: t.parentId, directiveId: t.directiveId, title: t.title, kind: t.kind, level: t.level, regionCode: t.regionCode, ownerUserId: t.ownerUserId,
  ownerRole: t.ownerRole, dueAt: iso(t.dueAt)!, status: t.status, statusAt: iso(t.statusAt)!, subjectPersonId: t.subjectPersonId, subjectKey: t.subjectKey, note: t.note,
  escalatedTo: t.escalatedTo, createdAt: iso(t.createdAt)!, late: t.dueAt < now && t.status !== 'done' && t.status !== 'cancelled',
});

/** Tasks of each level: how many, by status, and the share done (of those not cancelled). */
function byLevel(counts: { level: RegionLevel; status: TaskStatus; count: number }[]) {
  const levels = ['province', 'city', 'county', 'township', 'community', 'grid'] as const;
  return levels.flatMap((level) => {
    const here = counts.filter((c) => c.level === level);
    if (here.length === 0) return [];
    const total = here.reduce((n, c) => n + c.count, 0);
    const of = (s: TaskStatus) => here.find((c) => c.status === s)?.count ?? 0;
    const live = total - of('cancelled');
    return [{ level, total, counts: Object.fromEntries(here.map((c) => [c.status, c.count])) as Record<TaskStatus, number>, doneShare: live === 0 ? 0 : Math.round((of('done') / live) * 1000) / 1000 }];
  });
}

const actorOf = (req: FastifyRequest): TaskActor => {
  const p = req.principal;
  return { userId: p?.kind === 'user' ? p.id : null, role: p?.role ?? null };
};

export const commandRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store } = s;

  app.post('/api/directives', { config: { action: 'directives:issue' },
    schema: {
      tags: ['command'], summary: 'Issue a directive at a unit (default: yours) covering units inside it; decomposed into a task per unit down to the grids',
      body: DirectiveBody,
      response: { 201: DirectiveIssued, 403: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const r = await issueDirective(req.ctx, s, req.body);
    return reply.status(201).send({ directive: (await presentDirectives(store, [r.directive]))[0], tasks: r.tasks });
  });

  app.get('/api/directives', { config: { action: 'directives:read' },
    schema: { tags: ['command'], summary: 'Directives issued in your region or reaching it, newest first', querystring: PageQuery, response: { 200: DirectivePage } },
  }, async (req) => {
    const page = await store.command.directives(req.ctx.scope, req.query);
    return { items: await presentDirectives(store, page.items), nextAfter: page.nextAfter };
  });

  app.get('/api/directives/:id', { config: { action: 'directives:read' },
    schema: { tags: ['command'], summary: 'A directive and the completion of its tasks in your region, level by level', params: IdParams, response: { 200: DirectiveDetail, 404: ErrorResponse } },
  }, async (req) => {
    const d = await store.command.directive(req.params.id, req.ctx.scope);
    if (!d) throw new AppError('NOT_FOUND', `No directive with id ${req.params.id}.`);
    return { directive: (await presentDirectives(store, [d]))[0], levels: byLevel(await store.command.counts({ directiveId: d.id }, req.ctx.scope)) };
  });

  app.get('/api/tasks', { config: { action: 'tasks:read' },
    schema: { tags: ['command'], summary: 'Tasks in your region, filtered, paged, with how many match in all', querystring: TaskQuery, response: { 200: TaskPage } },
  }, async (req) => {
    const { after, limit, mine, open, ...filter } = req.query;
    const who = actorOf(req);
    if (filter.escalatedTo && req.ctx.scope && !filter.escalatedTo.startsWith(req.ctx.scope)) throw new AppError('OUT_OF_SCOPE', `${filter.escalatedTo} is outside your region (${req.ctx.scope}).`);
    const page = await store.command.tasks({ ...filter, ...(open === 'true' ? { open: true } : {}), ...(mine === 'true' ? { ownerUserId: who.userId ?? -1 } : {}) }, { after, limit }, req.ctx.scope);
    const now = req.ctx.clock.now();
    return { items: await presentTasks(store, page.items, now), nextAfter: page.nextAfter, total: page.total };
  });

  app.get('/api/tasks/summary', { config: { action: 'tasks:read' },
    schema: { tags: ['command'], summary: 'Tasks in your region by level and status (completion rolled up by level)', querystring: z.strictObject({ kind: z.string().regex(/^[a-z_]{1,40}$/).optional() }), response: { 200: TaskSummary } },
  }, async (req) => ({ levels: byLevel(await store.command.counts(req.query, req.ctx.scope)) }));

  app.get('/api/tasks/:id', { config: { action: 'tasks:read' },
    schema: { tags: ['command'], summary: 'A task with every change made to it (who, when, why, before and after)', params: IdParams, response: { 200: TaskDetail, 404: ErrorResponse } },
  }, async (req) => {
    const t = await store.command.task(req.params.id, req.ctx.scope);
    if (!t) throw new AppError('NOT_FOUND', `No task with id ${req.params.id}.`);
    const history = (await store.corrections.of('task', String(t.id))).map((c) => ({ changes: presentChanges(c.changes), reason: c.reason, actor: c.actor, at: iso(c.at), source: c.source }));
    return { task: await presentTask(store, t, req.ctx.clock.now()), history };
  });

  const work = (status: 'accepted' | 'in_progress' | 'done', summary: string, body: z.ZodType<{ note?: string; siteId?: number; room?: string }>) =>
    app.post(`/api/tasks/:id/${status === 'accepted' ? 'accept' : status === 'in_progress' ? 'start' : 'complete'}`, { config: { action: 'tasks:work' },
      schema: { tags: ['command'], summary, params: IdParams, body, response: { 200: TaskOut, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
    }, async (req) => presentTask(store, await workOnTask(req.ctx, s, actorOf(req), { taskId: req.params.id, status, ...(req.body as { note?: string; siteId?: number; room?: string }) }), req.ctx.clock.now()));
  work('accepted', 'Accept a task of your unit', TaskStepBody);
  work('in_progress', 'Start work on a task', TaskStepBody);
  work('done', 'Complete a task with evidence (`note`); a transfer to quarantine names the site (`siteId`, GET /api/quarantine/sites) and the room, and puts the contact in quarantine there on the edition\'s schedule',
    TaskCompleteBody);

  app.post('/api/tasks/:id/reassign', { config: { action: 'tasks:manage' },
    schema: { tags: ['command'], summary: 'Give a task to a user of its unit, with the reason', params: IdParams, body: z.strictObject({ userId: z.number().int().min(1).max(MAX_ID), reason: said(2000) }), response: { 200: TaskOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => presentTask(store, await reassignTask(req.ctx, s, actorOf(req), { taskId: req.params.id, ...req.body }), req.ctx.clock.now()));

  app.post('/api/tasks/:id/cancel', { config: { action: 'tasks:manage' },
    schema: { tags: ['command'], summary: 'Cancel a task and the open tasks below it, with the reason', params: IdParams, body: z.strictObject({ reason: said(2000) }), response: { 200: TaskOut, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req) => presentTask(store, await cancelTask(req.ctx, s, actorOf(req), { taskId: req.params.id, ...req.body }), req.ctx.clock.now()));

  app.post('/api/tasks/:id/deadline', { config: { action: 'tasks:manage' },
    schema: { tags: ['command'], summary: 'Move a task\'s deadline (not after its parent\'s; tasks below due later are brought forward), with the reason', params: IdParams, body: z.strictObject({ dueAt: TimeText, reason: said(2000) }), response: { 200: TaskOut, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => presentTask(store, await setTaskDeadline(req.ctx, s, actorOf(req), { taskId: req.params.id, ...req.body }), req.ctx.clock.now()));
};
