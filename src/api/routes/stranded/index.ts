/**
 * Stranded visitors: register a visitor caught in a sealed area of your region and lodge them at a site's room (a
 * designated hotel); list them (of your region, or lodged at its sites) with `total` and counts by origin province;
 * one with its care log; log care (meals, medicine, counselling); release them with their journey home.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listIdMask, maskName, maskPhone } from '../../../domain/identity.ts';
import { PROVINCES } from '../../../domain/provinces.ts';
import { CareKindSchema } from '../../../domain/vocab.ts';
import { recordCare, registerVisitor, releaseVisitor } from '../../../services/quarantine/stranded.ts';
import { MAX_ID } from '../../../storage/db.ts';
import type { StrandedVisitor } from '../../../storage/sql/stranded.ts';
import type { Store } from '../../../storage/store.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, IdParams, iso, PageQuery, PlainText, said } from '../common.ts';
import { StrandedBody, StrandedList, VisitorDetail } from './schema.ts';

const originName = (p: string) => PROVINCES[p]?.zh ?? p;

const present = async (store: Store, items: StrandedVisitor[]) => {
  const regions = await store.regions.names(items.map((v) => v.sealedRegionCode));
  const siteIds = [...new Set(items.map((v) => v.siteId).filter((x): x is number => x !== null))];
  const sites = new Map((await Promise.all(siteIds.map((id) => store.quarantine.site(id)))).filter((x) => x !== undefined).map((x) => [x.id, x.name]));
  return Promise.all(items.map(async (v) => {
    const log = await store.stranded.careOf(v.id);
    return {
      id: v.id, name: maskName(v.name), idMasked: listIdMask(v.idMasked), phone: v.phone === null ? null : maskPhone(v.phone), originProvince: v.originProvince, originName: originName(v.originProvince),
      sealedRegionCode: v.sealedRegionCode, sealedRegionName: regions.get(v.sealedRegionCode) ?? v.sealedRegionCode, siteId: v.siteId, siteName: v.siteId === null ? null : sites.get(v.siteId) ?? null,
      room: v.room, registeredAt: iso(v.registeredAt)!, releasedAt: iso(v.releasedAt), journeyHome: v.journeyHome,
      care: { meals: log.filter((c) => c.kind === 'meals').length, medicine: log.filter((c) => c.kind === 'medicine').length, counselling: log.filter((c) => c.kind === 'counselling').length },
      careLog: log.map((c) => ({ kind: c.kind, at: iso(c.at)!, givenBy: c.givenBy, note: c.note })),
    };
  }));
};

export const strandedRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store } = s;

  app.get('/api/stranded', { config: { action: 'stranded:read' },
    schema: {
      tags: ['stranded'], summary: 'Stranded visitors (of sealed areas of your region, or lodged at its sites), oldest first, with the total and the counts by origin province',
      querystring: PageQuery.extend({
        originProvince: z.string().regex(/^\d{2}$/).optional().describe('two digits (GB/T 2260)'), siteId: decimal(1, MAX_ID).optional(),
        state: z.enum(['lodged', 'released']).optional(),
      }),
      response: { 200: StrandedList, 404: ErrorResponse },
    },
  }, async (req) => {
    const { after, limit, state, ...rest } = req.query;
    // A site out of reach is answered as the other lists answer it: none such.
    if (rest.siteId !== undefined && !(await store.quarantine.site(rest.siteId, req.ctx.scope))) throw new AppError('NOT_FOUND', `No quarantine site with id ${rest.siteId}.`);
    const filter = { ...rest, open: state === undefined ? undefined : state === 'lodged' };
    const page = await store.stranded.list(filter, { after, limit }, req.ctx.scope);
    // The counts by origin hold both states whatever the page shows (lodged and gone home side by side).
    const byOrigin = await store.stranded.byOrigin({ ...filter, originProvince: undefined, open: undefined }, req.ctx.scope);
    return {
      items: (await present(store, page.items)).map(({ careLog: _log, ...v }) => v), nextAfter: page.nextAfter, total: page.total,
      byOrigin: byOrigin.map((o) => ({ ...o, originName: originName(o.originProvince) })),
    };
  });

  app.get('/api/stranded/:id', { config: { action: 'stranded:read' },
    schema: { tags: ['stranded'], summary: 'One stranded visitor with the care given', params: IdParams, response: { 200: VisitorDetail, 404: ErrorResponse } },
  }, async (req) => {
    const v = await store.stranded.get(req.params.id, req.ctx.scope);
    if (!v) throw new AppError('NOT_FOUND', `No stranded visitor with id ${req.params.id}.`);
    return (await present(store, [v]))[0];
  });

  app.post('/api/stranded', { config: { action: 'stranded:manage' },
    schema: {
      tags: ['stranded'], summary: 'Register a visitor stranded in a sealed area of your region and lodge them at a site\'s room (a designated hotel)',
      body: StrandedBody,
      response: { 201: VisitorDetail, 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const v = await registerVisitor(req.ctx, { store, idHashKey: s.idHashKey }, req.body);
    return reply.status(201).send((await present(store, [v]))[0]);
  });

  app.post('/api/stranded/:id/care', { config: { action: 'stranded:manage' },
    schema: {
      tags: ['stranded'], summary: 'Log care given to a lodged visitor now: meals, medicine or counselling',
      params: IdParams, body: z.strictObject({ kind: CareKindSchema, note: said(500).optional() }), response: { 201: VisitorDetail, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req, reply) => {
    await recordCare(req.ctx, { store, idHashKey: s.idHashKey }, { visitorId: req.params.id, ...req.body });
    return reply.status(201).send((await present(store, [(await store.stranded.get(req.params.id))!]))[0]);
  });

  app.post('/api/stranded/:id/release', { config: { action: 'stranded:manage' },
    schema: {
      tags: ['stranded'], summary: 'Release a lodged visitor with their journey home (a train, a flight, a car)',
      params: IdParams, body: z.strictObject({ journeyHome: said(200, PlainText).describe('how they go home: a train, a flight, a car'), note: said(500).describe('required: on what grounds they may leave, kept in the record of changes') }), response: { 200: VisitorDetail, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    await releaseVisitor(req.ctx, { store, idHashKey: s.idHashKey }, { visitorId: req.params.id, ...req.body });
    return (await present(store, [(await store.stranded.get(req.params.id))!]))[0];
  });
};
