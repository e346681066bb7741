/** GET /api/persons (paged, by region, masked) and GET /api/persons/:id. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdParams } from '../common.ts';
import { PersonOut, PersonPage, PersonQuery, presentPerson } from './schema.ts';

export const personRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/persons', { config: { action: 'persons:read' }, schema: { tags: ['persons'], querystring: PersonQuery, response: { 200: PersonPage } } }, async (req) => {
    const { region, ...page } = req.query;
    const res = await app.cordon.store.persons.list({ regionCode: region }, page);
    return { items: res.items.map(presentPerson), nextAfter: res.nextAfter };
  });

  app.get('/api/persons/:id', { config: { action: 'persons:read' }, schema: { tags: ['persons'], params: IdParams, response: { 200: PersonOut, 404: ErrorResponse } } }, async (req) => {
    const person = await app.cordon.store.persons.get(req.params.id);
    if (!person) throw new AppError('NOT_FOUND', `No person with id ${req.params.id}.`);
    return presentPerson(person);
  });
};
