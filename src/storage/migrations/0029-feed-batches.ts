/**
 * Migration 29: batches of feeds received over HTTP (`POST /api/feeds/:kind`), by the sending key and the batch's
 * idempotency key: a batch sent again (a retry after a lost answer) is answered with the first outcome and changes
 * nothing; the same idempotency key with other content is refused.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 29,
  name: 'feed batches',
  tables: [{
    name: 'feed_batches',
    columns: [
      id, req('api_key_id', 'int', { references: 'api_keys' }), req('idempotency_key', 'text'), req('kind', 'text'), req('body_sha256', 'text'),
      req('outcome', 'text'), c('result', 'json'), req('received_at', 'time'),
    ],
    unique: [['api_key_id', 'idempotency_key']],
  }],
  indexes: [],
};
