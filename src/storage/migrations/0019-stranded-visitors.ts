/**
 * Migration 19: stranded visitors (issue "Quarantine"). A visitor caught in a sealed area (its region), from another
 * province (two digits, GB/T 2260), identified by a keyed hash of the ID number with its masked form, a name and a
 * phone; moved to a quarantine site's room (a designated hotel: free meals, medicine, counselling), until released
 * with their journey home. The care given is logged, one row per meal, medicine or counselling given.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 19,
  name: 'stranded-visitors',
  tables: [
    {
      name: 'stranded_visitors',
      columns: [
        id, req('id_hash', 'text'), req('id_masked', 'text'), req('name', 'text'), c('phone', 'text'), req('origin_province', 'text'), req('sealed_region_code', 'text'),
        c('site_id', 'int', { references: 'quarantine_sites' }), c('room', 'text'), req('registered_at', 'time'), req('registered_by', 'text'),
        c('released_at', 'time'), c('journey_home', 'text'), c('note', 'text'),
      ],
    },
    {
      name: 'stranded_care',
      columns: [id, req('visitor_id', 'int', { references: 'stranded_visitors' }), req('kind', 'text'), req('at', 'time'), req('given_by', 'text'), c('note', 'text')],
    },
  ],
  indexes: [
    { table: 'stranded_visitors', columns: ['sealed_region_code'] },
    { table: 'stranded_care', columns: ['visitor_id'] },
  ],
  statements: [
    'CREATE UNIQUE INDEX stranded_visitors_open ON stranded_visitors (id_hash) WHERE released_at IS NULL',
    'CREATE INDEX stranded_visitors_by_room ON stranded_visitors (site_id, room) WHERE released_at IS NULL',
  ],
};
