/**
 * Migration 6: accounts. Users get a password hash (scrypt, with its parameters and salt in the text), a flag that
 * the password was set by someone else and must be changed, and when they were disabled and last signed in. API keys
 * for machine feeds and checkpoint devices are kept as hashes with a short prefix to recognise them by, a role and a
 * region, and when they were revoked and last used. Web sessions are kept as hashes of their tokens.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 6,
  name: 'accounts',
  tables: [
    {
      name: 'api_keys',
      columns: [
        id, req('name', 'text'), req('key_hash', 'text'), req('key_prefix', 'text'), req('role', 'text'), c('agency_id', 'int', { references: 'agencies' }),
        c('region_code', 'text'), req('created_at', 'time'), c('revoked_at', 'time'), c('last_used_at', 'time'),
      ],
      unique: [['key_hash'], ['name']],
    },
    {
      name: 'sessions',
      columns: [id, req('token_hash', 'text'), req('user_id', 'int', { references: 'users' }), req('created_at', 'time'), req('expires_at', 'time'), c('last_seen_at', 'time')],
      unique: [['token_hash']],
    },
  ],
  alter: [
    {
      table: 'users',
      addColumns: [
        c('password_hash', 'text'), req('must_change_password', 'int', { default: '0' }), c('created_at', 'time'), c('disabled_at', 'time'), c('last_login_at', 'time'),
      ],
    },
  ],
  indexes: [{ table: 'sessions', columns: ['user_id'] }, { table: 'sessions', columns: ['expires_at'] }],
};
