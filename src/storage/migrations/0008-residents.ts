/**
 * Migration 8: residents prove who they are with a one-time code sent to their registered phone (kept as a hash, with
 * its expiry and the attempts made at it) and then hold a session of their own, kept as its token's hash like staff
 * sessions but naming the person instead of a user.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 8,
  name: 'residents',
  tables: [
    {
      name: 'resident_codes',
      columns: [
        id, req('person_id', 'int', { references: 'persons' }), req('code_hash', 'text'), req('created_at', 'time'), req('expires_at', 'time'),
        req('attempts', 'int', { default: '0' }), c('used_at', 'time'),
      ],
    },
    {
      name: 'resident_sessions',
      columns: [id, req('token_hash', 'text'), req('person_id', 'int', { references: 'persons' }), req('created_at', 'time'), req('expires_at', 'time'), c('last_seen_at', 'time')],
      unique: [['token_hash']],
    },
  ],
  indexes: [{ table: 'resident_codes', columns: ['person_id'] }, { table: 'resident_sessions', columns: ['person_id'] }],
};
