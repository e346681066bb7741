/**
 * Migration 20: arrivals from risk areas in quarantine (issue "Quarantine"). An assignment may hold an arrival rather
 * than a contact: the grading of the risk area they left (`high` or `medium`) and the graded unit's code; null for a
 * contact's assignment. The health code and the due lists read what the edition asks of such an arrival from it.
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 20,
  name: 'arrivals-in-quarantine',
  tables: [],
  alter: [{ table: 'quarantine_assignments', addColumns: [c('arrival_from', 'text'), c('from_region_code', 'text')] }],
  indexes: [],
};
