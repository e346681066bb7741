/**
 * Quarantine: sites (open one; list those within reach with their occupancy and `total`) and assignments (put a
 * close or secondary contact in quarantine at a site's room or at home, on the edition's schedule; list them with
 * `total`; one with its required tests; release once the edition's conditions hold). A transfer task done
 * (POST /api/tasks/:id/complete with `siteId` and `room`) makes an assignment too.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { heldRules, heldTests } from '../../../domain/rules/quarantine.ts';
import { dayBounds } from '../../../domain/bulletin.ts';
import { QuarantineKindSchema } from '../../../domain/vocab.ts';
import type { ProtocolEdition } from '../../../domain/protocol/schema.ts';
import { assignArrival, assignQuarantine, changeSite, dueAt, openSite, releaseFromQuarantine, siteOccupancy } from '../../../services/quarantine/quarantine.ts';
import { MAX_ID } from '../../../storage/db.ts';
import type { AssignmentView, SiteWithOccupancy } from '../../../storage/sql/quarantine.ts';
import type { Store } from '../../../storage/store.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, IdParams, iso, PageQuery, said } from '../common.ts';
import { searchByIdNumber } from '../../../services/accounts/residents.ts';
import { UnitCode } from '../command/schema.ts';
import { ArrivalBody, AssignmentOut, AssignmentPage, DueOut, OccupancyOut, RoomText, SiteBody, SiteChangeBody, SiteOut, SitePage } from './schema.ts';

const presentSites = async (store: Store, sites: SiteWithOccupancy[]) => {
  const names = await store.regions.names(sites.map((x) => x.regionCode));
  return sites.map((x) => ({
    id: x.id, name: x.name, kind: x.kind, regionCode: x.regionCode, regionName: names.get(x.regionCode) ?? x.regionCode, address: x.address, rooms: x.rooms,
    personsPerRoom: x.personsPerRoom, staff: x.staff, openedAt: iso(x.openedAt)!, closedAt: iso(x.closedAt), occupants: x.occupants, visitors: x.visitors, roomsInUse: x.roomsInUse,
    // Free places in the rooms in use, and the rooms not in use, whole.
    bedsFree: Math.max(0, x.roomsInUse * x.personsPerRoom - x.occupants) + Math.max(0, x.rooms - x.roomsInUse) * x.personsPerRoom,
  }));
};

const presentAssignments = async (store: Store, edition: ProtocolEdition, items: AssignmentView[]) => {
  const siteIds = [...new Set(items.map((a) => a.siteId).filter((x): x is number => x !== null))];
  const sites = new Map((await Promise.all(siteIds.map((id) => store.quarantine.site(id)))).filter((x) => x !== undefined).map((x) => [x.id, x.name]));
  return items.map((a) => {
    const as = a.managedAs ?? 'close';
    return {
      id: a.id, personId: a.personId, kind: a.kind, siteId: a.siteId, siteName: a.siteId === null ? null : sites.get(a.siteId) ?? null, room: a.room,
      countedFrom: iso(a.countedFrom)!, startedAt: iso(a.startedAt)!, plannedEnd: iso(a.plannedEnd)!, endedAt: iso(a.endedAt), reason: a.reason, endReason: a.endReason,
      contactId: a.contactId, taskId: a.taskId, assignedBy: a.assignedBy, managedAs: a.managedAs, arrivalFrom: a.arrivalFrom, fromRegionCode: a.fromRegionCode,
      tests: a.kind === heldRules(edition, as).kind ? heldTests(edition, as, a.countedFrom).map((x) => ({ day: x.day, from: iso(x.from)!, dueBy: iso(x.dueBy)! })) : [],
    };
  });
};

export const quarantineRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store } = s;

  app.get('/api/quarantine/sites', { config: { action: 'quarantine:read' },
    schema: {
      tags: ['quarantine'], summary: 'Quarantine sites within reach (of your region, and of the regions containing it), each with its occupancy now, and the total',
      querystring: PageQuery.extend({
        servingUnit: UnitCode.optional().describe('only sites that serve this unit (in a region containing it, or inside it)'),
        open: z.enum(['true', 'false']).optional().describe('true: only sites open now; false: only sites closed to arrivals'),
      }),
      response: { 200: SitePage },
    },
  }, async (req) => {
    const { after, limit, servingUnit, open } = req.query;
    const now = req.ctx.clock.now();
    const page = await store.quarantine.sites({ servingUnit, openAt: open === 'true' ? now : undefined, closedAt: open === 'false' ? now : undefined }, { after, limit }, req.ctx.scope);
    return { items: await presentSites(store, page.items), nextAfter: page.nextAfter, total: page.total };
  });

  app.post('/api/quarantine/sites', { config: { action: 'quarantine:sites' },
    schema: {
      tags: ['quarantine'], summary: 'Open a quarantine site serving a region of yours (its name unique in the region)',
      body: SiteBody,
      response: { 201: SiteOut, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const site = await openSite(req.ctx, s, req.body);
    return reply.status(201).send((await presentSites(store, [{ ...site, occupants: 0, visitors: 0, roomsInUse: 0 }]))[0]);
  });

  app.patch('/api/quarantine/sites/:id', { config: { action: 'quarantine:sites' },
    schema: {
      tags: ['quarantine'], summary: 'Change a site of your region: rooms, persons per room, staff; close it to new arrivals (those held stay) or reopen it',
      params: IdParams,
      body: SiteChangeBody,
      response: { 200: SiteOut, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    const site = await changeSite(req.ctx, s, { siteId: req.params.id, ...req.body });
    return (await presentSites(store, [{ ...site, ...(await store.quarantine.occupancy(site.id)) }]))[0];
  });

  app.get('/api/quarantine/sites/:id/occupancy', { config: { action: 'quarantine:read' },
    schema: {
      tags: ['quarantine'], summary: 'A site\'s occupancy by day: persons there at each day\'s end (held, and stranded visitors lodged), arrivals and departures; the 14 days to today by default, at most 92',
      params: IdParams,
      querystring: z.strictObject({
        from: z.string().refine((d) => dayBounds(d) !== null, 'not a real date YYYY-MM-DD').optional().describe('first day, YYYY-MM-DD (China Standard Time); 13 days before `to` by default'),
        to: z.string().refine((d) => dayBounds(d) !== null, 'not a real date YYYY-MM-DD').optional().describe('last day, YYYY-MM-DD; today by default'),
      }),
      response: { 200: OccupancyOut, 400: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    const o = await siteOccupancy(req.ctx, s, { siteId: req.params.id, ...req.query });
    return { siteId: o.site.id, places: o.site.rooms * o.site.personsPerRoom, days: o.days };
  });

  app.get('/api/quarantine/assignments', { config: { action: 'quarantine:read' },
    schema: {
      tags: ['quarantine'], summary: 'Persons put in quarantine (of your region, or held at a site of it), oldest first, with the total',
      querystring: PageQuery.extend({
        siteId: decimal(1, MAX_ID).optional(), personId: decimal(1, MAX_ID).optional(), kind: QuarantineKindSchema.optional(),
        open: z.enum(['true', 'false']).optional().describe('true: held now; false: released'),
      }),
      response: { 200: AssignmentPage },
    },
  }, async (req) => {
    const { after, limit, open, ...filter } = req.query;
    const page = await store.quarantine.assignments({ ...filter, open: open === undefined ? undefined : open === 'true' }, { after, limit }, req.ctx.scope);
    return { items: await presentAssignments(store, s.edition, page.items), nextAfter: page.nextAfter, total: page.total };
  });

  app.get('/api/quarantine/due', { config: { action: 'quarantine:read' },
    schema: {
      tags: ['quarantine'], summary: 'What the persons held now (of your region or at its sites; optionally at one site) owe on a day: the required tests whose day overlaps it, taken or not, those overdue (missed in the week before, none taken), the releases due by its end, and the arrivals that day',
      querystring: z.strictObject({
        date: z.string().refine((d) => dayBounds(d) !== null, 'not a real date YYYY-MM-DD').optional().describe('YYYY-MM-DD, China Standard Time; today by default'),
        siteId: decimal(1, MAX_ID).optional(), limit: decimal(1, 1000).default(100).describe('items listed of each (the totals count all)'),
      }),
      response: { 200: DueOut, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    const due = await dueAt(req.ctx, s, { date: req.query.date, siteId: req.query.siteId });
    const where = (id: number) => ({ siteId: due.held.get(id)!.siteId, room: due.held.get(id)!.room });
    return {
      date: due.date, held: due.held.size,
      tests: {
        total: due.tests.length, taken: due.tests.filter((x) => x.taken).length,
        items: due.tests.slice(0, req.query.limit).map((x) => ({ assignmentId: x.assignmentId, personId: x.personId, ...where(x.assignmentId), day: x.day, from: iso(x.from)!, dueBy: iso(x.dueBy)!, taken: x.taken })),
      },
      overdue: {
        total: due.overdue.length,
        items: due.overdue.slice(0, req.query.limit).map((x) => ({ assignmentId: x.assignmentId, personId: x.personId, ...where(x.assignmentId), day: x.day, from: iso(x.from)!, dueBy: iso(x.dueBy)! })),
      },
      releases: { total: due.releases.length, items: due.releases.slice(0, req.query.limit).map((x) => ({ assignmentId: x.assignmentId, personId: x.personId, ...where(x.assignmentId), plannedEnd: iso(x.plannedEnd)! })) },
      arrivals: { total: due.arrivals.length, items: due.arrivals.slice(0, req.query.limit).map((x) => ({ assignmentId: x.assignmentId, personId: x.personId, ...where(x.assignmentId), startedAt: iso(x.startedAt)! })) },
    };
  });

  app.get('/api/quarantine/assignments/:id', { config: { action: 'quarantine:read' },
    schema: { tags: ['quarantine'], summary: 'One assignment with the tests its schedule requires', params: IdParams, response: { 200: AssignmentOut, 404: ErrorResponse } },
  }, async (req) => {
    const a = await store.quarantine.assignment(req.params.id, req.ctx.scope);
    if (!a) throw new AppError('NOT_FOUND', `No quarantine assignment with id ${req.params.id}.`);
    return (await presentAssignments(store, s.edition, [a]))[0];
  });

  app.post('/api/quarantine/assignments', { config: { action: 'quarantine:assign' },
    schema: {
      tags: ['quarantine'], summary: 'Put a close or secondary contact of your region in quarantine: at a site\'s room for centralized quarantine, at home otherwise, as the edition says',
      body: z.strictObject({ personId: z.number().int().min(1).max(MAX_ID), siteId: z.number().int().min(1).max(MAX_ID).optional(), room: RoomText.optional(), reason: said(500) }),
      response: { 201: AssignmentOut, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const a = await assignQuarantine(req.ctx, s, req.body);
    return reply.status(201).send((await presentAssignments(store, s.edition, [(await store.quarantine.assignment(a.id))!]))[0]);
  });

  app.post('/api/quarantine/arrivals', { config: { action: 'quarantine:assign' },
    schema: {
      tags: ['quarantine'],
      summary: 'Put an arrival from a medium- or high-risk area, a person of your region, in quarantine as the edition says (riskAreas.arrivalsFromHigh / arrivalsFromMedium): the area and departure from their stays on record, or the area named when none is',
      body: ArrivalBody,
      response: { 201: AssignmentOut, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const { idNumber, personId, ...rest } = req.body;
    let id = personId;
    if (idNumber !== undefined) {
      // Found only among the persons of the actor's region; recorded as a search by identity before anything is done.
      const { person } = await searchByIdNumber(req.ctx, store, s.idHashKey, idNumber, {
        action: 'quarantine:assign', requestId: req.id,
        purpose: (found) => (found ? 'arrival from a risk area put in quarantine, found by ID number' : 'arrival from a risk area searched by ID number: not found in reach'),
      });
      if (!person) throw new AppError('NOT_FOUND', 'No resident of your region is registered with this ID number.');
      id = person.id;
    }
    const a = await assignArrival(req.ctx, s, { ...rest, personId: id! });
    return reply.status(201).send((await presentAssignments(store, s.edition, [(await store.quarantine.assignment(a.id))!]))[0]);
  });

  app.post('/api/quarantine/assignments/:id/release', { config: { action: 'quarantine:assign' },
    schema: {
      tags: ['quarantine'], summary: 'Release a person once the edition\'s conditions hold (days served, the required negative samples); they move on to home monitoring where the edition says so',
      params: IdParams, body: z.strictObject({ note: said(500).describe('required: who checked the conditions and what was seen, kept in the record of changes') }), response: { 200: AssignmentOut, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    const a = await releaseFromQuarantine(req.ctx, s, { assignmentId: req.params.id, note: req.body.note });
    return (await presentAssignments(store, s.edition, [(await store.quarantine.assignment(a.id))!]))[0];
  });
};
