/**
 * Migration 30: on PostgreSQL, the tables that grow with the province are declarative hash partitions on the keys a
 * distributed PostgreSQL (Citus) shards them by (DESIGN.md, "Scale"):
 * - `presence` by place (`place_id`): the tracing join matches records at one place, so it stays within one partition
 *   (a partition-wise join; `enable_partitionwise_join` is on for Cordon's connections, see `openPostgres`);
 * - `contacts`, `current_codes` and `code_transitions` by person (`person_id`): a person's contacts, code and history
 *   live in one partition.
 *
 * Each table is rebuilt as a partitioned table with the same columns, defaults, identity, constraints and indexes
 * (read from the catalogue, so columns and indexes added by earlier migrations come along), its rows copied with their
 * ids, and its identity continued after the highest id. A primary key of a partitioned table must hold the partition
 * key, so `id` becomes unique together with it (`PRIMARY KEY (id, place_id)`); ids still come from one sequence and
 * stay unique. A foreign key cannot point at such a table by `id` alone: the one that did (`trajectory_rows.presence_id`,
 * the presence record written from a trajectory row) is dropped and kept by the application.
 *
 * When the Citus extension is installed in the database, the same tables are then distributed on the same keys
 * (`create_distributed_table`): `presence` alone, the person-keyed tables co-located with `contacts`. Citus cannot be
 * installed on the machines where Cordon is tested, so that branch is not exercised by the suite.
 *
 * SQLite needs nothing: the embedded default is one file on one machine.
 */
import type { Migration } from '../schema.ts';

/**
 * Partitions per table (fixed here, since changing them means rebuilding the table), and the table Citus co-locates
 * it with (`none`: a group of its own; `default`: the first of its key's group).
 */
export const PARTITIONED_TABLES = [
  { table: 'presence', key: 'place_id', partitions: 16, colocateWith: 'none' },
  { table: 'contacts', key: 'person_id', partitions: 8, colocateWith: 'default' },
  { table: 'current_codes', key: 'person_id', partitions: 8, colocateWith: 'contacts' },
  { table: 'code_transitions', key: 'person_id', partitions: 8, colocateWith: 'contacts' },
] as const;

/**
 * One PL/pgSQL block that rebuilds `table` as hash partitions on `key` (`table_p0` ...), in the migration's
 * transaction: constraints and plain indexes are read from the catalogue first, recreated under their own names on
 * the new table, and foreign keys of other tables that point at it are dropped.
 */
function partitionByHash(table: string, key: string, partitions: number): string {
  return `DO $$
DECLARE
  r record;
  stmt text;
  later text[] := '{}';
BEGIN
  IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = '${table}'::regclass) THEN RETURN; END IF;
  FOR r IN SELECT conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
           WHERE conrelid = '${table}'::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname LOOP
    later := later || format('ALTER TABLE ${table} ADD CONSTRAINT %I %s', r.conname,
      CASE WHEN r.contype = 'p' THEN 'PRIMARY KEY (id, ${key})' ELSE r.def END);
  END LOOP;
  FOR r IN SELECT indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = '${table}'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = '${table}'::regclass AND c.conname = i.indexname) LOOP
    later := later || r.indexdef;
  END LOOP;
  FOR r IN SELECT conrelid::regclass AS referrer, conname FROM pg_constraint WHERE confrelid = '${table}'::regclass AND contype = 'f' LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.referrer, r.conname);
  END LOOP;
  EXECUTE 'CREATE TABLE ${table}_partitioned (LIKE ${table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE) PARTITION BY HASH (${key})';
  FOR i IN 0..${partitions - 1} LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF ${table}_partitioned FOR VALUES WITH (MODULUS ${partitions}, REMAINDER %s)', '${table}_p' || i, i);
  END LOOP;
  EXECUTE 'INSERT INTO ${table}_partitioned SELECT * FROM ${table}';
  EXECUTE 'DROP TABLE ${table}';
  EXECUTE 'ALTER TABLE ${table}_partitioned RENAME TO ${table}';
  PERFORM setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false);
  FOREACH stmt IN ARRAY later LOOP EXECUTE stmt; END LOOP;
END $$`;
}

/** Distributes the partitioned tables on their keys where the Citus extension is installed (not tested here). */
const CITUS = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN RETURN; END IF;
${PARTITIONED_TABLES.map((t) => `  EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', '${t.table}', '${t.key}', '${t.colocateWith}');`).join('\n')}
END $$`;

export const migration: Migration = {
  version: 30,
  name: 'partitions',
  tables: [],
  indexes: [],
  engineStatements: {
    postgres: [...PARTITIONED_TABLES.map((t) => partitionByHash(t.table, t.key, t.partitions)), CITUS],
  },
};
