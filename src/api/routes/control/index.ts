/** Risk areas (published list, grading, a unit's history) and venue orders (list, issue). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PlaceCategorySchema, RiskLevelSchema, VenueOrderActionSchema } from '../../../domain/vocab.ts';
import type { VenueOrder } from '../../../domain/model/index.ts';
import { AppError } from '../../errors.ts';
import { changeVenueOrderEnd, gradeRiskAreasNow, issueVenueOrder, riskAreasAsOf } from '../../../services/control.ts';
import { AtQuery, ErrorResponse, iso, IsoTime, NoBody, presentChanges, readAt, said, Text, TimeText } from '../common.ts';
import { RiskAreaList, RiskAreaOut } from './schema.ts';

const OrderIn = z.strictObject({
  orderNo: Text.min(1).max(64), action: VenueOrderActionSchema, categories: z.array(PlaceCategorySchema).min(1),
  regionCodes: z.array(z.string().regex(/^43\d{0,10}$/)).min(1), startsAt: TimeText, endsAt: TimeText.nullable().default(null), issuedBy: Text.min(1).max(200),
});
const OrderOut = z.object({
  id: z.number().int(), orderNo: z.string(), action: VenueOrderActionSchema, categories: z.array(PlaceCategorySchema), regionCodes: z.array(z.string()),
  startsAt: IsoTime, endsAt: IsoTime.nullable(), issuedBy: z.string(), inForce: z.boolean(),
});

const presentOrder = (o: VenueOrder, now: number) => ({ ...o, startsAt: iso(o.startsAt)!, endsAt: iso(o.endsAt), inForce: o.startsAt <= now && (o.endsAt === null || o.endsAt > now) });

export const controlRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store, edition } = s;
  const name = async (code: string) => (await store.regions.get(code))?.name ?? null;
  const present = async (r: { regionCode: string; level: z.infer<typeof RiskLevelSchema>; since: number; reviewAt: number | null; ruleSet: string; reason: string; reasonCode: string; reasonArgs: Record<string, number> }) =>
    ({ regionCode: r.regionCode, name: await name(r.regionCode), level: r.level, since: iso(r.since)!, reviewAt: iso(r.reviewAt), ruleSet: r.ruleSet, reason: r.reason, reasonCode: r.reasonCode, reasonArgs: r.reasonArgs });

  app.get('/api/risk-areas', { config: { action: 'risk-areas:read' },
    schema: { tags: ['risk areas'], summary: 'The published list: areas graded medium or high, highest first; with `at`, as stored then, or for a moment still to come worked out from the cases that stand now (stored nowhere)', querystring: AtQuery, response: { 200: RiskAreaList } },
  }, async (req) => ({ ruleSet: edition.riskAreas.ruleSet.id, items: await Promise.all((await riskAreasAsOf(store, edition, readAt(req.ctx, edition, req.query.at), req.ctx.clock.now())).map(present)) }));

  app.post('/api/risk-areas/grade', { config: { action: 'risk-areas:grade' },
    schema: {
      tags: ['risk areas'], summary: 'Grade risk areas now from the standing cases (stores the units whose grading changed; codes of those seen there follow). The event flow already grades after every change of a case',
      body: NoBody, response: { 200: z.object({ changes: z.array(RiskAreaOut) }) },
    },
  }, async (req) => ({ changes: await Promise.all((await gradeRiskAreasNow(req.ctx, s)).map(present)) }));

  app.get('/api/risk-areas/:regionCode/history', { config: { action: 'risk-areas:read' },
    schema: { tags: ['risk areas'], summary: 'Every grading of a unit', params: z.object({ regionCode: z.string().regex(/^43\d{0,10}$/) }), response: { 200: z.object({ items: z.array(RiskAreaOut) }) } },
  }, async (req) => ({ items: await Promise.all((await store.control.riskHistory(req.params.regionCode)).map(present)) }));

  app.get('/api/venue-orders', { config: { action: 'venue-orders:read' },
    schema: { tags: ['venue orders'], summary: 'Every venue order, with whether it is in force', querystring: AtQuery, response: { 200: z.object({ items: z.array(OrderOut) }) } },
  }, async (req) => {
    const now = readAt(req.ctx, edition, req.query.at);
    return { items: (await store.control.orders(req.ctx.scope)).map((o) => presentOrder(o, now)) };
  });

  app.post('/api/venue-orders', { config: { action: 'venue-orders:write' },
    schema: {
      tags: ['venue orders'], summary: 'Close or rectify places by category and region for a period; places\' status follows',
      body: OrderIn, response: { 201: z.object({ order: OrderOut, placesUnderOrders: z.number().int() }), 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const r = await issueVenueOrder(req.ctx, s, req.body);
    return reply.status(201).send({ order: presentOrder(r.order, req.ctx.clock.now()), placesUnderOrders: r.placesUnderOrders });
  });

  app.post('/api/venue-orders/:orderNo/lift', { config: { action: 'venue-orders:write' },
    schema: {
      tags: ['venue orders'], summary: 'Lift an order now (or end it later with `endsAt`), with the reason; places\' status follows',
      params: z.object({ orderNo: Text.min(1).max(64) }), body: z.strictObject({ reason: said(2000), endsAt: TimeText.optional() }),
      response: { 200: z.object({ order: OrderOut, placesUnderOrders: z.number().int() }), 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    const r = await changeVenueOrderEnd(req.ctx, s, { orderNo: req.params.orderNo, endsAt: req.body.endsAt, reason: req.body.reason });
    return { order: presentOrder(r.order, req.ctx.clock.now()), placesUnderOrders: r.placesUnderOrders };
  });

  app.get('/api/venue-orders/:orderNo/history', { config: { action: 'venue-orders:read' },
    schema: { tags: ['venue orders'], summary: 'Every change of an order, with who, when and why', params: z.object({ orderNo: Text.min(1).max(64) }) },
  }, async (req) => {
    // An order that does not concern the actor's region is not theirs to read: unknown, as an unknown order is.
    const order = (await store.control.orders(req.ctx.scope)).find((o) => o.orderNo === req.params.orderNo);
    if (!order) throw new AppError('NOT_FOUND', `No venue order ${req.params.orderNo}.`);
    return { items: (await store.corrections.of('venue_order', req.params.orderNo)).map((c) => ({ changes: presentChanges(c.changes), reason: c.reason, actor: c.actor, at: iso(c.at), source: c.source })) };
  });
};
