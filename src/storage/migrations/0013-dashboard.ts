/**
 * Migration 13: the command dashboard's reads at a province's scale (bench:dashboard, 1,000,000 residents). Contacts
 * by person with the columns the dashboard counts (status, kind, case, identification, last exposure): read in
 * person order from the index alone, so the persons they name are read in order too, not at random. Samples by the
 * moment taken (the day's tests). Tasks by unit with the columns counted (level, status, kind, deadline, status time):
 * a region's tasks from the index alone.
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 13,
  name: 'dashboard',
  tables: [],
  indexes: [{ table: 'samples', columns: ['sampled_at'] }],
  // Named here: the generated names of these would pass PostgreSQL's 63 characters.
  statements: [
    'CREATE INDEX contacts_dashboard ON contacts (person_id, status, kind, index_case_id, identified_at, last_exposure)',
    'CREATE INDEX tasks_dashboard ON tasks (region_code, level, status, kind, due_at, status_at)',
  ],
};
