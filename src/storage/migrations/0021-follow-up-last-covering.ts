/**
 * Migration 21: each person's last follow-up report read from an index alone. The daily follow-up lists join every
 * person held (100,000 at a province's scale) to their last report; an index of (person, last report) answers each
 * from the index without reading the table (SQLite, which keeps no planner statistics here, is told to use it:
 * `FollowUpRepository`).
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 21,
  name: 'follow-up-last-covering',
  tables: [],
  indexes: [{ table: 'follow_up_last', columns: ['person_id', 'last_at'] }],
};
