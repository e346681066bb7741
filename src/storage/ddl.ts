/** Renders the schema description into DDL, given one engine's column types, and applies pending migrations. */
import type { Db } from './db.ts';
import { indexName, MIGRATIONS, type ColumnType, type Migration, type TableDef } from './schema.ts';
import { nowSeconds } from '../domain/time.ts';

/** The SQL type (and for `id`, the primary-key clause) each engine uses for each column type. */
export type TypeMap = Record<ColumnType, string>;

/** CREATE TABLE and CREATE INDEX statements of one migration, for one engine. */
export function renderMigration(m: Migration, types: TypeMap): string[] {
  const tables = m.tables.map((t) => renderTable(t, types));
  const indexes = m.indexes.map((ix) => `CREATE INDEX IF NOT EXISTS ${indexName(ix)} ON ${ix.table} (${ix.columns.join(', ')})`);
  return [...tables, ...indexes, ...(m.statements ?? [])];
}

function renderTable(t: TableDef, types: TypeMap): string {
  const cols = t.columns.map((col) => {
    const parts = [col.name, types[col.type]];
    if (col.notNull && col.type !== 'id') parts.push('NOT NULL');
    if (col.default !== undefined) parts.push(`DEFAULT ${col.default}`);
    if (col.references) parts.push(`REFERENCES ${col.references}(id)`);
    return parts.join(' ');
  });
  const uniques = (t.unique ?? []).map((u) => `UNIQUE (${u.join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${[...cols, ...uniques].join(',\n  ')}\n)`;
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the versions applied. */
export async function migrate(db: Db, types: TypeMap): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${types.time} NOT NULL)`);
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const stmt of renderMigration(m, types)) await tx.exec(stmt);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, nowSeconds()]);
    });
    applied.push(m.version);
  }
  return applied;
}
