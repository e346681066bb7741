/**
 * Migration 25: a case's interview (流调表) as the investigators fill it in: one record per case holding the answers
 * of the protocol's sections (demographics, onset and care seeking, signs, vaccination, lab results, exposures before
 * onset, diagnosis) as JSON, a version that every save raises (a save of an older version is refused), who saved it
 * last and when, and when and by whom it was completed (the protocol's 24-hour deadline runs from confirmation).
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 25,
  name: 'interviews',
  tables: [
    {
      name: 'case_interviews',
      columns: [
        id, req('case_id', 'int', { references: 'cases' }), req('answers', 'json'), req('version', 'int'), req('updated_at', 'time'), req('updated_by', 'text'),
        c('completed_at', 'time'), c('completed_by', 'text'),
      ],
      unique: [['case_id']],
    },
  ],
  indexes: [],
};
