/** Migration 2: health codes, their signing keys and transitions. Shipped: never edit. */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 2,
  name: 'health codes and their signing keys',
  tables: [
    {
      name: 'signing_keys',
      columns: [id, req('kid', 'text'), req('public_key', 'text'), req('private_key', 'text'), req('created_at', 'time'), c('retired_at', 'time')],
      unique: [['kid']],
    },
    {
      // Every person's code now: what online verification compares a token with.
      name: 'current_codes',
      columns: [id, req('person_id', 'int', { references: 'persons' }), req('colour', 'text'), req('reasons', 'json'), req('since', 'time'), req('valid_until', 'time')],
      unique: [['person_id']],
    },
    {
      // Every change of a code, with what caused it.
      name: 'code_transitions',
      columns: [
        id, req('person_id', 'int', { references: 'persons' }), c('from_colour', 'text'), req('colour', 'text'), req('reasons', 'json'),
        req('cause', 'text'), req('at', 'time'),
      ],
    },
  ],
  indexes: [
    { table: 'code_transitions', columns: ['person_id', 'at'] },
    { table: 'risk_areas', columns: ['region_code', 'since'] },
    { table: 'check_records', columns: ['checkpoint_id', 'at'] },
    { table: 'contacts', columns: ['identified_at'] },
  ],
  // Superseded by current_codes and code_transitions (it was never written).
  statements: ['DROP TABLE IF EXISTS health_codes'],
};
