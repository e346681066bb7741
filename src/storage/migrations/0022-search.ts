/**
 * Migration 22: search. Persons are found by their full name (an index on the name, so a name common in a province
 * reads only its holders); cases by their number and places by their code already have unique indexes.
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 22,
  name: 'search',
  tables: [],
  indexes: [{ table: 'persons', columns: ['name'] }],
};
