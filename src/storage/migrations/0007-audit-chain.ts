/**
 * Migration 7: the audit log becomes a tamper-evident chain. Each entry of personal data read, exported or searched
 * by identity names its actor (as text: a user, a key, the CLI), the purpose given, the request it answered, and
 * carries the hash of the entry before it and its own hash over both (see src/services/audit/audit.ts).
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 7,
  name: 'audit-chain',
  tables: [],
  alter: [
    {
      table: 'audit_log',
      addColumns: [c('actor', 'text'), c('purpose', 'text'), c('request_id', 'text'), c('prev_hash', 'text'), c('hash', 'text')],
    },
  ],
  indexes: [{ table: 'audit_log', columns: ['subject'] }, { table: 'audit_log', columns: ['actor'] }],
};
