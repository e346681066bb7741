/**
 * Migration 9: token ids verified online, shared by every server process on the store, so a token passes once
 * whichever process sees it first and a second process answers a replay; forgotten a while after they expire.
 */
import { id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 9,
  name: 'used-tokens',
  tables: [{ name: 'used_tokens', columns: [id, req('jti', 'text'), req('expires_at', 'time')], unique: [['jti']] }],
  indexes: [{ table: 'used_tokens', columns: ['expires_at'] }],
};
