/**
 * Migration 28: leases, held by one process at a time (the scheduler's timers run in the process that holds
 * `scheduler`). On SQLite a lease is a row its holder renews, taken over once it has run out; PostgreSQL uses its
 * advisory locks instead (let go the moment the holding process dies), and keeps this table empty.
 */
import { id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 28,
  name: 'leases',
  tables: [{
    name: 'leases',
    columns: [id, req('name', 'text'), req('holder', 'text'), req('expires_at', 'time')],
    unique: [['name']],
  }],
  indexes: [],
};
