/**
 * Migration 16: quarantine sites and assignments as the field runs them (issue "Quarantine"; the tables date from
 * migration 1 and nothing wrote them). A site gets its kind (a designated hotel, or another kind of site), persons per
 * room (single rooms by default: one), staff, an address, when it was opened and closed. An assignment gets the room,
 * the contact record and the task it came from, and who assigned it; when it ends, why. At most one open assignment
 * per person (a partial unique index), and an index of open assignments by site and room for occupancy.
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 16,
  name: 'quarantine',
  tables: [],
  alter: [
    {
      table: 'quarantine_sites',
      addColumns: [
        c('kind', 'text', { notNull: true, default: "'designated_hotel'" }), c('persons_per_room', 'int', { notNull: true, default: '1' }),
        c('staff', 'int', { notNull: true, default: '0' }), c('address', 'text'), c('opened_at', 'time', { notNull: true, default: '0' }), c('closed_at', 'time'),
      ],
    },
    {
      table: 'quarantine_assignments',
      addColumns: [
        c('room', 'text'), c('contact_id', 'int'), c('task_id', 'int'), c('assigned_by', 'text', { notNull: true, default: "''" }), c('end_reason', 'text'),
      ],
    },
  ],
  indexes: [{ table: 'quarantine_sites', columns: ['region_code'] }],
  statements: [
    'CREATE UNIQUE INDEX quarantine_sites_name ON quarantine_sites (region_code, name)',
    'CREATE UNIQUE INDEX quarantine_assignments_open ON quarantine_assignments (person_id) WHERE ended_at IS NULL',
    'CREATE INDEX quarantine_assignments_by_room ON quarantine_assignments (site_id, room) WHERE ended_at IS NULL',
    'CREATE INDEX quarantine_assignments_by_person ON quarantine_assignments (person_id, started_at)',
  ],
};
