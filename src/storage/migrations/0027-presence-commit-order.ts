/**
 * Migration 27: the order in which presence records became visible, on PostgreSQL. There, a record's id is taken when
 * it is inserted but the record is seen only when its transaction commits, so a long import can commit rows below ids
 * that a reader has already passed; a reader that goes by `id > last id` would never see them (they were never
 * traced). Each record now carries the id of the transaction that wrote it (`tx`, xid8), and readers of new records
 * go by (tx, id) up to the oldest transaction still running (`pg_snapshot_xmin`): every transaction below it has
 * ended, so nothing can appear there any more (see `PresenceRepo.scanAfter`). Records stored before this migration
 * count as written by transaction 0, before every other.
 *
 * SQLite needs nothing: one writer at a time holds the database until it commits, so ids are visible in their order.
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 27,
  name: 'presence commit order',
  tables: [],
  indexes: [],
  engineStatements: {
    postgres: [
      // A constant default first (no rewrite of the stored rows), then the writing transaction's id for new rows.
      "ALTER TABLE presence ADD COLUMN IF NOT EXISTS tx xid8 NOT NULL DEFAULT '0'",
      'ALTER TABLE presence ALTER COLUMN tx SET DEFAULT pg_current_xact_id()',
      'CREATE INDEX IF NOT EXISTS ix_presence_tx_id ON presence (tx, id)',
    ],
  },
};
