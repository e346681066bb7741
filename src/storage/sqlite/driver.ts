/**
 * The embedded engine: one SQLite file through better-sqlite3 (synchronous, in-process). WAL with full sync so an
 * acknowledged write survives kill -9. Writes outside a running transaction wait for it, so an import that rolls
 * back never takes another request's write with it. A write lock held by another process (a CLI import beside the
 * server) is waited for in short sleeps off the event loop, not in SQLite's own busy wait, which would stop every
 * request of the process for as long as it waits.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isSqliteBusy, onConflict, type Conflict, type Db, type Lease, type SqlValue } from '../db.ts';
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

/**
 * How long a statement or transaction waits for another process's write lock before it fails with SQLITE_BUSY (which
 * the API answers 503 STORAGE_UNAVAILABLE), in milliseconds; and its longest single sleep between tries.
 */
export const SQLITE_BUSY_WAIT_MS = 5000;
/**
 * The longest sleep between tries (milliseconds): shorter than the pause an import in steps leaves between two
 * steps (`MOVE_PAUSE_MS`), so a waiting writer always tries again inside that pause. A try costs microseconds.
 */
export const BUSY_PAUSE_MAX_MS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When a wait that begins now must give up (wall-clock milliseconds; a bound on a wait, never stored). */
const busyDeadline = () => Date.now() + SQLITE_BUSY_WAIT_MS;

/**
 * Runs `op` (one statement, or a transaction's BEGIN, that did nothing when it failed busy) until it is not refused
 * busy, sleeping 1, 2, then 4 ms between tries, until `deadline` (by default SQLITE_BUSY_WAIT_MS from now; tried
 * once if it has passed); then the last SQLITE_BUSY error is thrown. The connection's own busy_timeout is 0, so no try
 * blocks the event loop.
 */
async function whenFree<T>(op: () => T, deadline = busyDeadline()): Promise<T> {
  for (let pause = 1; ; pause = Math.min(pause * 2, BUSY_PAUSE_MAX_MS)) {
    try {
      return op();
    } catch (e) {
      if (!isSqliteBusy(e) || Date.now() >= deadline) throw e;
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
    }
  }
}

class SqliteDb implements Db {
  readonly engine = 'sqlite' as const;
  private readonly stmts = new Map<string, Database.Statement>();
  /** Resolves when the running transaction ends; writes from outside wait on it. */
  private lock: Promise<void> = Promise.resolve();
  /** Whether a transaction or write of this connection is running or waiting its turn (`lock` is then pending). */
  private busy = false;

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

  /** A read outside a transaction is tried again while another process recovers the log (see `whenFree`). */
  private free<T>(op: () => T): Promise<T> | T {
    return this.inTx ? op() : whenFree(op);
  }

  /**
   * A write outside a transaction takes its turn after this process's transactions and writes begun before it (run
   * on this connection while one is open, it would be part of it and undone with it), then waits for another
   * process's lock (see `whenFree`) until SQLITE_BUSY_WAIT_MS after it was asked: writes queued behind one that waits
   * are refused busy by then too, not each after a wait of its own. Inside a transaction it runs at once.
   */
  private async write<T>(op: () => T): Promise<T> {
    if (this.inTx) return op();
    const deadline = busyDeadline();
    return this.exclusive(() => whenFree(op, deadline));
  }

  /** Runs `fn` when the transactions and writes of this process begun before it have ended; later ones wait for it. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    // Take the lock before waiting: those begun together then run one after another in call order (had each awaited
    // the same lock, all would start at once, and one's failure would roll back another's writes).
    const previous = this.lock;
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.lock = mine;
    this.busy = true;
    await previous;
    try {
      return await fn();
    } finally {
      if (this.lock === mine) this.busy = false;
      release();
    }
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.free(() => this.prepare(sql).all(...(params as unknown[])) as T[]);
  }

  async rows<T extends unknown[]>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.free(() => {
      const stmt = this.prepare(sql);
      // The statement is cached for `all` too: raw mode only for this call.
      try {
        return stmt.raw(true).all(...(params as unknown[])) as T[];
      } finally {
        stmt.raw(false);
      }
    });
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.free(() => this.prepare(sql).get(...(params as unknown[])) as T | undefined);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const stmt = this.prepare(sql);
    return this.write(() => (stmt.reader ? stmt.all(...(params as unknown[])).length : stmt.run(...(params as unknown[])).changes));
  }

  async runIfFree(sql: string, params: readonly SqlValue[] = []): Promise<number | null> {
    if (this.inTx) return this.run(sql, params);
    if (this.busy) return null;
    try {
      return this.prepare(sql).run(...(params as unknown[])).changes;
    } catch (e) {
      if (isSqliteBusy(e)) return null;
      throw e;
    }
  }

  async writeReturning<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.write(() => this.prepare(sql).all(...(params as unknown[])) as T[]);
  }

  dataVersion(): number | null {
    return this.prepare('PRAGMA data_version').pluck().get() as number;
  }

  async exec(sql: string): Promise<void> {
    await this.write(() => this.raw.exec(sql));
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly SqlValue[][], conflict: Conflict): Promise<number> {
    // One prepared single-row INSERT run per row: in SQLite a statement costs no round trip, and a many-row VALUES
    // list was measured at half the rate (its parameters are bound and its rows materialised before the insert).
    const stmt = this.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${onConflict(conflict)}`);
    const insertAll = () => {
      let inserted = 0;
      for (const row of rows) inserted += stmt.run(...(row as unknown[])).changes;
      return inserted;
    };
    // Outside a transaction the rows go in one of their own, tried again whole when another process holds the lock.
    return this.write(() => (this.inTx ? insertAll() : this.raw.transaction(insertAll).immediate()));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    const deadline = busyDeadline();
    return this.exclusive(async () => {
      const tx = new SqliteDb(this.raw, true);
      try {
        await whenFree(() => this.raw.exec('BEGIN IMMEDIATE'), deadline);
        const result = await fn(tx);
        this.raw.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw e;
      }
    });
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
/**
 * How every connection is set up: write-ahead log, durable commits, foreign keys, 64 MB of page cache, and no busy wait
 * inside SQLite (it would block the event loop; `whenFree` waits instead).
 */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 0', 'cache_size = -65536'] as const;

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
