/**
 * Migration 31: exposure events entered by investigators (a gathering, a venue, a journey from an affected area): a
 * place (by id, or by name when it is not a place Cordon knows) and a time window, the cases known to have been
 * infectious there and the cases exposed there. Events derived from contact evidence are not stored: they are
 * computed with the chains (`domain/chains/events.ts`).
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 31,
  name: 'exposure events',
  tables: [{
    name: 'exposure_events',
    columns: [
      id, req('name', 'text'), req('setting', 'text'), c('place_id', 'int', { references: 'places' }), req('starts_at', 'time'), req('ends_at', 'time'),
      req('sources', 'json'), req('exposed', 'json'), c('note', 'text'), req('entered_by', 'text'), req('entered_at', 'time'),
    ],
  }],
  indexes: [],
};
