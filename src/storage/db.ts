/**
 * The driver contract each storage engine implements. Repositories in `storage/sql/` speak only this, with `?`
 * placeholders and the SQL subset both engines share; the engine folders translate and execute.
 */

/** Storage engines Cordon runs on. */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The largest id a store holds: ids are INTEGER on PostgreSQL, the narrower engine. A larger number names nothing,
 * and callers refuse it before it reaches SQL (where PostgreSQL would fail on it).
 */
export const MAX_ID = 2_147_483_647;

/** A scalar bound to a placeholder. */
export type SqlValue = string | number | boolean | null | bigint | Buffer;

export interface Db {
  readonly engine: Engine;
  /** Rows of a query. Integer columns (including counts) come back as numbers on every engine. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Rows of a query as arrays of their values in the select list's order (no object per row: for reads of millions of
   * rows, such as the tracing index's). Integer columns come back as numbers, as with `all`.
   */
  rows<T extends unknown[]>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row of a query, if any. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs a statement as `run` when the store can take it now, or gives null without waiting when it cannot (SQLite's
   * write lock held by a transaction of this process or another, as by an import): for bookkeeping a request may skip,
   * such as when a session or key was last used, never for what a user asked to write.
   */
  runIfFree(sql: string, params?: readonly SqlValue[]): Promise<number | null>;
  /** Runs a writing statement with RETURNING and gives its rows (in turn with other writes, as `run`). */
  writeReturning<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * A number that changes when another connection (another process) commits to the database: SQLite's
   * `PRAGMA data_version`. Null on engines where it is not known (PostgreSQL), where callers keep no cache.
   */
  dataVersion(): number | null;
  /** Runs several `;`-separated statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Inserts many rows in one round trip per batch; rows whose `conflict` columns match an existing row are skipped
   * (or, given `{ key, update }`, update those columns of the existing row: an upsert). An empty `conflict` list
   * inserts every row. Returns the number of rows inserted (and updated, for an upsert).
   */
  insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][], conflict: Conflict): Promise<number>;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. Writes outside wait. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Housekeeping after bulk writes: SQLite copies its write-ahead log into the database and truncates it (until
   * the next write, readers otherwise search a long log on every page); PostgreSQL refreshes planner statistics.
   */
  maintain(): Promise<void>;
  /**
   * Runs `fn` (a schema change that rebuilds a referenced table) with foreign keys enforced only at its end: SQLite
   * turns them off around it and checks every reference afterwards, failing if one dangles; PostgreSQL needs nothing.
   */
  withoutForeignKeys<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * The lease `name` (the scheduler's), held by one process at a time across every process on this database:
   * PostgreSQL's advisory lock on a connection of its own (let go by the server the moment that process dies);
   * on SQLite, a row in `leases` that its holder renews, taken over once it has not been renewed for
   * `periodSeconds`.
   */
  lease(name: string, periodSeconds: number): Lease;
  close(): Promise<void>;
}

/** A lease that one process at a time holds (`Db.lease`). */
export interface Lease {
  /** Takes the lease when no one holds it, or renews it (and checks it is still held): whether this process holds it. */
  hold(): Promise<boolean>;
  /** Lets it go: another process may take it at once. */
  release(): Promise<void>;
}

/** What a multi-row insert does with a row whose key is stored: skip it (the key's columns), or update some columns. */
export type Conflict = readonly string[] | { key: readonly string[]; update: readonly string[] };

/** The ON CONFLICT clause of a multi-row insert (none for an empty list): DO NOTHING, or DO UPDATE of the columns given. */
export function onConflict(conflict: Conflict): string {
  if ('key' in conflict) return ` ON CONFLICT (${conflict.key.join(', ')}) DO UPDATE SET ${conflict.update.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  return conflict.length > 0 ? ` ON CONFLICT (${conflict.join(', ')}) DO NOTHING` : '';
}

/**
 * Whether an error says the database is busy or cannot be reached (SQLite locked; PostgreSQL down, restarting or
 * full), or was closed under a request (the server shutting down).
 */
export function isStorageUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return isSqliteBusy(err) || ['SQLITE_LOCKED', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300', '08006', '08001', '08004'].includes(code)
    || /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|The database connection is not open/.test(String((err as Error)?.message ?? ''));
}

/** Whether SQLite refused a statement because another connection holds the lock (SQLITE_BUSY and its extended codes). */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
