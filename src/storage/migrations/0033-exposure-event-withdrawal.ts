/**
 * Migration 33: an exposure event entered by mistake is withdrawn, not deleted: it keeps its id (a page that still
 * shows it cannot withdraw another event under the same number, and its corrections stay its own) and leaves the
 * chains. The reason is kept in the corrections too.
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 33,
  name: 'exposure event withdrawal',
  tables: [],
  alter: [{ table: 'exposure_events', addColumns: [c('withdrawn_at', 'time'), c('withdrawal_reason', 'text')] }],
  indexes: [],
};
