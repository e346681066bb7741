/** Renders the schema description into DDL, given one engine's dialect, and applies pending migrations. */
import type { Db, Engine } from './db.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { indexName, tableAsOf, type ColumnDef, type ColumnType, type Migration, type TableDef } from './schema.ts';
import { nowSeconds } from '../domain/time.ts';

/** The SQL type (and for `id`, the primary-key clause) each engine uses for each column type. */
export type TypeMap = Record<ColumnType, string>;

/** What differs between engines in DDL: column types, and how a unique constraint is dropped. */
export interface Dialect {
  engine: Engine;
  types: TypeMap;
  /**
   * Statements that drop the unique constraint on `columns` of `table`; `after` is the table as it is to be (SQLite
   * rebuilds the table from it). Run with foreign keys deferred to the end of the migration.
   */
  dropUnique(table: TableDef, columns: string[], after: TableDef, indexes: string[]): string[];
}

/** A column's clause in CREATE TABLE or ALTER TABLE ADD COLUMN. */
export function renderColumn(col: ColumnDef, types: TypeMap): string {
  const parts = [col.name, types[col.type]];
  if (col.notNull && col.type !== 'id') parts.push('NOT NULL');
  if (col.default !== undefined) parts.push(`DEFAULT ${col.default}`);
  if (col.references) parts.push(`REFERENCES ${col.references}(id)`);
  return parts.join(' ');
}

/** CREATE TABLE for a table description (`name` overrides its name: a rebuild's new table). */
export function renderTable(t: TableDef, types: TypeMap, name = t.name): string {
  const cols = t.columns.map((col) => renderColumn(col, types));
  const uniques = (t.unique ?? []).map((u) => `UNIQUE (${u.join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${name} (\n  ${[...cols, ...uniques].join(',\n  ')}\n)`;
}

/** CREATE INDEX statements of every migration up to `version` on `table` (what a rebuild must recreate). */
function indexesOf(table: string, version: number): string[] {
  return MIGRATIONS.filter((m) => m.version <= version).flatMap((m) => m.indexes).filter((ix) => ix.table === table)
    .map((ix) => `CREATE INDEX IF NOT EXISTS ${indexName(ix)} ON ${ix.table} (${ix.columns.join(', ')})`);
}

/** The statements of one migration, for one engine. */
export function renderMigration(m: Migration, dialect: Dialect): string[] {
  const tables = m.tables.map((t) => renderTable(t, dialect.types));
  const alters: string[] = [];
  for (const a of m.alter ?? []) {
    for (const col of a.addColumns ?? []) alters.push(`ALTER TABLE ${a.table} ADD COLUMN ${renderColumn(col, dialect.types)}`);
    for (const u of a.dropUnique ?? []) {
      const before = tableAsOf(MIGRATIONS, a.table, m.version - 1);
      const after = tableAsOf(MIGRATIONS, a.table, m.version);
      if (!before || !after) throw new Error(`migration ${m.version}: no table ${a.table} to alter`);
      alters.push(...dialect.dropUnique(before, u, after, indexesOf(a.table, m.version - 1)));
    }
  }
  const indexes = m.indexes.map((ix) => `CREATE INDEX IF NOT EXISTS ${indexName(ix)} ON ${ix.table} (${ix.columns.join(', ')})`);
  return [...tables, ...alters, ...indexes, ...(m.statements ?? []), ...(m.engineStatements?.[dialect.engine] ?? [])];
}

/** Applies every migration not yet recorded (up to `upTo`), each in its own transaction. Returns the versions applied. */
export async function migrate(db: Db, dialect: Dialect, upTo = Infinity): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${dialect.types.time} NOT NULL)`);
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version) || m.version > upTo) continue;
    const apply = () => db.transaction(async (tx) => {
      for (const stmt of renderMigration(m, dialect)) await tx.exec(stmt);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, nowSeconds()]);
    });
    // Rebuilding a table that others reference needs their foreign keys checked only once it is back.
    if ((m.alter ?? []).some((a) => a.dropUnique?.length)) await db.withoutForeignKeys(apply);
    else await apply();
    applied.push(m.version);
  }
  return applied;
}
