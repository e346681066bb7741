/**
 * Migration 24: nameless trajectory notices. A notice published from a case's trajectory lists places and time
 * windows only (no name, no case number, nothing of the person), under a title, for the region it concerns; the
 * public pages list notices not withdrawn, newest first.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 24,
  name: 'trajectory-notices',
  tables: [
    {
      name: 'trajectory_notices',
      columns: [
        id, req('case_id', 'int', { references: 'cases' }), req('region_code', 'text'), req('title', 'text'), req('items', 'json'),
        req('published_at', 'time'), req('published_by', 'text'), c('withdrawn_at', 'time'),
      ],
    },
  ],
  indexes: [{ table: 'trajectory_notices', columns: ['published_at'] }, { table: 'trajectory_notices', columns: ['case_id'] }],
};
