/**
 * Search (GET /api/search/...): persons by ID number, phone, name or household address within the actor's scope
 * (masked, audited); a case by its number; places by code or name; trips (trains, flights, coaches) by number and
 * service date. A person found carries, for a role that reads them, their code's colour now and their cases. Each answers a short list, never a page: a search that finds too much says so (`more`) and is narrowed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mayAct } from '../../../domain/access.ts';
import { searchCase, searchPersons, searchPlaces, searchTrips } from '../../../services/search/search.ts';
import { presentCase } from '../cases/schema.ts';
import { presentPerson } from '../persons/schema.ts';
import { presentPlace } from '../places/schema.ts';
import { CaseHits, PersonSearchOut, PersonSearchQuery, PlaceHits, TextQuery, TripQuery } from './schema.ts';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.cordon;

  app.get('/api/search/persons', { config: { action: 'persons:search' },
    schema: { tags: ['search'], summary: 'Persons by ID number, phone, name or address, within your scope (masked; audited)', querystring: PersonSearchQuery, response: { 200: PersonSearchOut } },
  }, async (req) => {
    const res = await searchPersons(req.ctx, store, app.cordon.idHashKey, req.query.q, { purpose: req.query.purpose ?? null, requestId: req.id });
    // Where the investigator goes next: the person's code now, and their cases (for a role that reads cases).
    const role = req.principal?.role ?? null;
    const readsCodes = mayAct(role, 'codes:read');
    const codes = readsCodes ? await store.codes.currentOf(res.persons.map((p) => p.id)) : new Map();
    const readsCases = mayAct(role, 'cases:read');
    const cases = readsCases ? await Promise.all(res.persons.map((p) => store.cases.ofPerson(p.id))) : [];
    const communities = await store.regions.names(res.persons.map((p) => p.communityCode));
    return {
      by: res.by,
      items: res.persons.map((p, i) => ({
        ...presentPerson(p), matched: p.matched, communityName: communities.get(p.communityCode) ?? null, codeColour: readsCodes ? codes.get(p.id)?.colour ?? 'green' : null,
        cases: (cases[i] ?? []).filter((c) => c.withdrawnAt === null).sort((a, b) => b.confirmedAt - a.confirmedAt).map((c) => ({ id: c.id, caseNo: c.caseNo })),
      })),
      more: res.more, idNumberProblem: res.idNumberProblem,
    };
  });

  app.get('/api/search/cases', { config: { action: 'cases:read' },
    schema: { tags: ['search'], summary: 'A case by its number, within your scope', querystring: TextQuery, response: { 200: CaseHits } },
  }, async (req) => {
    const found = await searchCase(req.ctx, store, req.query.q);
    return { items: found ? [presentCase(found)] : [] };
  });

  app.get('/api/search/places', { config: { action: 'places:read' },
    schema: { tags: ['search'], summary: 'Places by code or a part of their name, within reach of your region', querystring: TextQuery, response: { 200: PlaceHits } },
  }, async (req) => ({ items: (await searchPlaces(req.ctx, store, req.query.q)).map((p) => presentPlace(req, p)) }));

  app.get('/api/search/trips', { config: { action: 'places:read' },
    schema: { tags: ['search'], summary: 'The vehicles of a train, flight or coach number on a date', querystring: TripQuery, response: { 200: PlaceHits } },
  }, async (req) => ({ items: (await searchTrips(store, req.query.number, req.query.date)).map((p) => presentPlace(req, p)) }));
};
