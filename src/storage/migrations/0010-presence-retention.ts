/** Migration 10: presence by end time, for the daily deletion of records older than the retention. */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 10,
  name: 'presence-retention',
  tables: [],
  indexes: [{ table: 'presence', columns: ['end_at'] }],
};
