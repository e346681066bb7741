/**
 * The database schema, described once and rendered to each engine's DDL by its folder. A migration is a list of
 * tables and indexes; applied migrations are recorded in `schema_migrations`.
 */
import type { Engine } from './db.ts';

/** Column types: `id` is the integer primary key; `time` is epoch seconds; `json` is JSON text (JSONB on PostgreSQL). */
export type ColumnType = 'id' | 'int' | 'time' | 'real' | 'text' | 'json';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  notNull?: boolean;
  /** SQL literal default, identical on both engines (a number or a quoted string). */
  default?: string;
  references?: string;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  /** Column lists that must be unique together: the natural keys that make re-imports change nothing. */
  unique?: string[][];
}

export interface IndexDef {
  table: string;
  columns: string[];
}

/** A change to a table created by an earlier migration. */
export interface AlterDef {
  table: string;
  /** Columns added (a NOT NULL column needs a default). */
  addColumns?: ColumnDef[];
  /** Unique constraints dropped (each as the column list it was declared with). */
  dropUnique?: string[][];
}

export interface Migration {
  version: number;
  name: string;
  tables: TableDef[];
  /** Changes to existing tables, applied after the new tables are created. */
  alter?: AlterDef[];
  indexes: IndexDef[];
  /** Statements run after the tables and indexes (the same SQL on both engines). */
  statements?: string[];
  /** Statements run after those, on one engine only (what the other engine needs nothing for). */
  engineStatements?: Partial<Record<Engine, string[]>>;
}

export const c = (name: string, type: ColumnType, opts: Omit<ColumnDef, 'name' | 'type'> = {}): ColumnDef => ({ name, type, ...opts });
export const req = (name: string, type: ColumnType, opts: Omit<ColumnDef, 'name' | 'type' | 'notNull'> = {}): ColumnDef => c(name, type, { ...opts, notNull: true });
export const id = c('id', 'id');

/**
 * A table as the migrations up to (and including) `version` leave it: created by one, then altered by later ones.
 * Undefined when no migration up to `version` creates it.
 */
export function tableAsOf(migrations: readonly Migration[], name: string, version: number): TableDef | undefined {
  let t: TableDef | undefined;
  for (const m of migrations) {
    if (m.version > version) break;
    const created = m.tables.find((x) => x.name === name);
    if (created) t = { ...created, columns: [...created.columns], unique: [...(created.unique ?? [])] };
    for (const a of m.alter ?? []) {
      if (a.table !== name || !t) continue;
      t.columns.push(...(a.addColumns ?? []));
      const dropped = new Set((a.dropUnique ?? []).map((u) => u.join(',')));
      t.unique = (t.unique ?? []).filter((u) => !dropped.has(u.join(',')));
    }
  }
  return t;
}

/** Name of an index: table and columns, so that re-running a migration finds it. */
export function indexName(ix: IndexDef): string {
  return `ix_${ix.table}_${ix.columns.join('_')}`;
}
