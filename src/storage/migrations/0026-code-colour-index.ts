/**
 * Migration 26: current codes by colour, person by person. The persons list filtered by a code's colour (red, yellow)
 * reads the persons of that colour in id order from this index, and keeps those in the region and scope asked for,
 * instead of probing every person of a region in turn (a city with no red code would read all of its residents).
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 26,
  name: 'current codes by colour',
  tables: [],
  indexes: [{ table: 'current_codes', columns: ['colour', 'person_id'] }],
};
