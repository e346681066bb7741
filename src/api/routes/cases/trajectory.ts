/**
 * A case's trajectory as the investigators enter it: GET /api/cases/:id/trajectory (its rows, with their places) and
 * POST /api/cases/:id/trajectory (rows added; presence of source `investigation` written and the case retraced before
 * the answer, so new contacts and their codes follow at once); GET and PUT /api/cases/:id/interview (the interview
 * form with its deadline, saved as drafts and completed; a save from an older version is refused).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Place } from '../../../domain/model/index.ts';
import { readInterview, saveInterview } from '../../../services/cases/interview.ts';
import { addTrajectory, noticesInForce, publishNotice } from '../../../services/cases/trajectory.ts';
import type { Store } from '../../../storage/store.ts';
import type { TrajectoryNotice, TrajectoryRow } from '../../../storage/sql/trajectory.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams, iso } from '../common.ts';
import { InterviewBody, InterviewOut, NoticeBody, NoticeList, NoticeOut, presentInterview, TrajectoryAdded, TrajectoryBody, TrajectoryOut, type TrajectoryRowOut } from './schema.ts';
import { z } from 'zod';
import { PlainText } from '../common.ts';

async function present(store: Store, rows: TrajectoryRow[]): Promise<TrajectoryRowOut[]> {
  const places = new Map<number, Place>();
  for (const id of new Set(rows.flatMap((r) => (r.placeId === null ? [] : [r.placeId])))) {
    const p = await store.places.get(id);
    if (p) places.set(id, p);
  }
  return rows.map((r) => {
    const p = r.placeId === null ? undefined : places.get(r.placeId);
    return {
      id: r.id, start: iso(r.start)!, end: iso(r.end)!, place: p ? { code: p.code, name: p.name, category: p.category } : null, placeText: r.placeText,
      seat: r.seat, carriage: r.carriage, activity: r.activity, mask: r.mask, peopleMet: r.peopleMet, notes: r.notes, traced: r.presenceId !== null,
      createdAt: iso(r.createdAt)!, createdBy: r.createdBy,
    };
  });
}

/** A notice as the public reads it, with its region's name. */
export async function presentNotice(store: Store, n: TrajectoryNotice): Promise<NoticeOut> {
  const region = await store.regions.get(n.regionCode);
  return {
    id: n.id, regionCode: n.regionCode, regionName: region?.name ?? null, title: n.title, publishedAt: iso(n.publishedAt)!,
    items: n.items.map((x) => ({ place: x.place, category: x.category as NoticeOut['items'][number]['category'], ...(x.carriage ? { carriage: x.carriage } : {}), start: iso(x.start)!, end: iso(x.end)! })),
  };
}

export const trajectoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;

  app.get('/api/cases/:id/trajectory', { config: { action: 'cases:read' },
    schema: { tags: ['cases'], summary: "A case's trajectory as entered by the investigators, in time order", params: IdParams, response: { 200: TrajectoryOut, 404: ErrorResponse } },
  }, async (req) => {
    if (!(await s.store.cases.get(req.params.id, req.ctx.scope))) throw new AppError('NOT_FOUND', `No case with id ${req.params.id}.`);
    return { items: await present(s.store, await s.store.trajectory.ofCase(req.params.id)) };
  });

  app.post('/api/cases/:id/trajectory', { config: { action: 'cases:investigate' },
    schema: {
      tags: ['cases'], summary: 'Add trajectory rows: presence of source investigation written, the case retraced, codes followed (all before answering)',
      params: IdParams, body: TrajectoryBody, response: { 201: TrajectoryAdded, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const res = await addTrajectory(req.ctx, s, req.params.id, req.body.rows);
    const t = res.traced;
    return reply.status(201).send({
      items: await present(s.store, res.rows), added: res.added,
      trace: t
        ? { written: t.written, updated: t.updated, contacts: { close: t.found.close.length, secondary: t.found.secondary.length, companion: t.found.companion.length } }
        : { written: 0, updated: 0, contacts: { close: 0, secondary: 0, companion: 0 } },
    });
  });

  app.post('/api/cases/:id/notices', { config: { action: 'cases:investigate' },
    schema: { tags: ['cases'], summary: 'Publish a nameless trajectory notice from the case\'s trajectory (places and time windows only)', params: IdParams, body: NoticeBody,
      response: { 201: NoticeOut, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req, reply) => reply.status(201).send(await presentNotice(s.store, await publishNotice(req.ctx, s, req.params.id, req.body))));

  app.get('/api/cases/:id/interview', { config: { action: 'cases:read' },
    schema: { tags: ['cases'], summary: 'The case\'s interview (流调表): its answers, version, deadline (confirmation + the edition\'s hours) and whether it is late', params: IdParams,
      response: { 200: InterviewOut, 404: ErrorResponse } },
  }, async (req) => presentInterview(await readInterview(req.ctx, s, req.params.id)));

  app.put('/api/cases/:id/interview', { config: { action: 'cases:investigate' },
    schema: { tags: ['cases'], summary: 'Save the case\'s interview as a draft, or complete it; a save from an older version than the stored one is refused (409 STALE_VERSION)', params: IdParams,
      body: InterviewBody, response: { 200: InterviewOut, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => presentInterview(await saveInterview(req.ctx, s, req.params.id, req.body)));

  app.get('/api/public/notices', { config: { action: 'public:notices' },
    schema: { tags: ['public'], summary: 'Trajectory notices in force, newest first; q keeps those naming a place, train or flight that contains it',
      querystring: z.strictObject({ q: PlainText.trim().min(1).max(100).optional() }), response: { 200: NoticeList } },
  }, async (req) => {
    const out: NoticeOut[] = [];
    for (const n of await noticesInForce(s.store, req.query.q)) out.push(await presentNotice(s.store, n));
    return { items: out };
  });
};
