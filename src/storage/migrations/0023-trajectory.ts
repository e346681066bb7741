/**
 * Migration 23: a case's trajectory as the investigators wrote it down in the interview (issue "web app"): one row per
 * stay or ride, its times, the place found in the register (or the place as typed when it is not there), a vehicle's
 * seat and carriage, what the case did there, whether they wore a mask, the people met and notes. A row with a place
 * is also a presence record of source `investigation` (its id kept), so tracing sees it; a typed place is not traced.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 23,
  name: 'trajectory',
  tables: [
    {
      name: 'trajectory_rows',
      columns: [
        id, req('case_id', 'int', { references: 'cases' }), req('start_at', 'time'), req('end_at', 'time'), c('place_id', 'int', { references: 'places' }),
        c('place_text', 'text'), c('seat', 'text'), c('carriage', 'text'), c('activity', 'text'), c('mask', 'text'), c('people_met', 'text'), c('notes', 'text'),
        c('presence_id', 'int', { references: 'presence' }), req('created_at', 'time'), req('created_by', 'text'),
      ],
    },
  ],
  indexes: [{ table: 'trajectory_rows', columns: ['case_id', 'start_at'] }],
};
