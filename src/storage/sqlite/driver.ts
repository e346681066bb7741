/**
 * The embedded engine: one SQLite file through better-sqlite3 (synchronous, in-process). WAL with full sync so an
 * acknowledged write survives kill -9. Writes outside a running transaction wait for it, so an import that rolls
 * back never takes another request's write with it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { onConflict, type Conflict, type Db, type Lease, type SqlValue } from '../db.ts';
import { nowSeconds } from '../../domain/time.ts';
import { renderTable, type Dialect } from '../ddl.ts';

/**
 * SQLite's DDL: its column types; a unique constraint is dropped by rebuilding the table (SQLite cannot drop one):
 * create the new shape, copy every row, drop the old table, rename the new one, recreate its indexes.
 */
export const SQLITE_DIALECT: Dialect = {
  engine: 'sqlite',
  types: { id: 'INTEGER PRIMARY KEY', int: 'INTEGER', time: 'INTEGER', real: 'REAL', text: 'TEXT', json: 'TEXT' },
  dropUnique(before, _columns, after, indexes) {
    const kept = before.columns.map((col) => col.name).join(', ');
    const fresh = `${after.name}__rebuilt`;
    return [
      renderTable(after, SQLITE_DIALECT.types, fresh),
      `INSERT INTO ${fresh} (${kept}) SELECT ${kept} FROM ${before.name}`,
      `DROP TABLE ${before.name}`,
      `ALTER TABLE ${fresh} RENAME TO ${after.name}`,
      ...indexes,
    ];
  },
};

type Raw = Database.Database;

class SqliteDb implements Db {
  readonly engine = 'sqlite' as const;
  private readonly stmts = new Map<string, Database.Statement>();
  /** Resolves when the running transaction ends; writes from outside wait on it. */
  private lock: Promise<void> = Promise.resolve();

  constructor(private readonly raw: Raw, private readonly inTx = false) {}

  private prepare(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private async writable(): Promise<void> {
    if (!this.inTx) await this.lock;
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...(params as unknown[])) as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...(params as unknown[])) as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.writable();
    const stmt = this.prepare(sql);
    return stmt.reader ? stmt.all(...(params as unknown[])).length : stmt.run(...(params as unknown[])).changes;
  }

  async writeReturning<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.writable();
    return this.prepare(sql).all(...(params as unknown[])) as T[];
  }

  dataVersion(): number | null {
    return this.prepare('PRAGMA data_version').pluck().get() as number;
  }

  async exec(sql: string): Promise<void> {
    await this.writable();
    this.raw.exec(sql);
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][], conflict: Conflict): Promise<number> {
    await this.writable();
    // One prepared single-row INSERT run per row: in SQLite a statement costs no round trip, and a many-row VALUES
    // list was measured at half the rate (its parameters are bound and its rows materialised before the insert).
    const stmt = this.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${onConflict(conflict)}`);
    let inserted = 0;
    const insertAll = () => {
      for (const row of rows) inserted += stmt.run(...(row as unknown[])).changes;
    };
    if (this.inTx) insertAll();
    else this.raw.transaction(insertAll)();
    return inserted;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    // Take the lock before waiting: transactions begun together then run one after another in call order (had each
    // awaited the same lock, all would start at once, and one's failure would roll back another's writes).
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise((r) => (release = r));
    await previous;
    const tx = new SqliteDb(this.raw, true);
    try {
      this.raw.exec('BEGIN IMMEDIATE');
      const result = await fn(tx);
      this.raw.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      throw e;
    } finally {
      release();
    }
  }

  async maintain(): Promise<void> {
    await this.writable();
    this.raw.pragma('wal_checkpoint(TRUNCATE)');
  }

  async withoutForeignKeys<T>(fn: () => Promise<T>): Promise<T> {
    await this.lock;
    this.raw.pragma('foreign_keys = OFF');
    try {
      const result = await fn();
      const dangling = this.raw.pragma('foreign_key_check') as unknown[];
      if (dangling.length > 0) throw new Error(`schema change left ${dangling.length} dangling reference(s): ${JSON.stringify(dangling.slice(0, 3))}`);
      return result;
    } finally {
      this.raw.pragma('foreign_keys = ON');
    }
  }

  lease(name: string, periodSeconds: number): Lease {
    const holder = `${os.hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
    return {
      // Taken when free, expired or already this holder's; renewed for another period each time it is held.
      hold: async () => {
        const now = nowSeconds();
        const changed = await this.run(
          `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`, [name, holder, now + periodSeconds, now]);
        return changed > 0;
      },
      release: async () => {
        await this.run('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.lock;
    this.raw.close();
  }
}

/** Opens (creating if needed) the SQLite database file; `:memory:` gives a private in-memory database. */
/** How every connection is set up: write-ahead log, durable commits, foreign keys, a 5 s busy wait, 64 MB of page cache. */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000', 'cache_size = -65536'] as const;

export function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    // The file holds identities and the signing keys: readable by its owner only (SQLite gives its -wal and -shm
    // files the same mode), and so is a folder made for it. A file left readable by an older version is closed up.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const raw = new Database(file);
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  return new SqliteDb(raw);
}
