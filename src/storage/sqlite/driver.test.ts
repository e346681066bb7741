// The embedded database's files are readable by their owner only: a new file and its WAL, its folder when made for
// it, and a file an older version left readable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, SQLITE_BUSY_WAIT_MS } from './driver.ts';

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('SQLite file permissions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-perm-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the database, its WAL and its folder for the owner only, and closes up a file left readable', async () => {
    const file = path.join(dir, 'data', 'cordon.sqlite');
    const db = openSqlite(file);
    await db.exec('CREATE TABLE t (x INTEGER)');
    await db.run('INSERT INTO t (x) VALUES (1)');
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    await db.close();
    fs.chmodSync(file, 0o644);
    const again = openSqlite(file);
    expect(mode(file)).toBe(0o600);
    expect(await again.get<{ x: number }>('SELECT x FROM t')).toEqual({ x: 1 });
    await again.close();
  });
});

describe('SQLite write lock held by another process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-lock-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('waits for it in sleeps that let the process go on, then writes; gives up busy after the wait; skips bookkeeping at once', async () => {
    const file = path.join(dir, 'cordon.sqlite');
    const db = openSqlite(file);
    await db.exec('CREATE TABLE t (x INTEGER)');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    // Bookkeeping is skipped at once (null), a read answers, a write and a transaction wait.
    expect(await db.runIfFree('INSERT INTO t (x) VALUES (0)')).toBeNull();
    expect(await db.get('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 0 });
    const done: string[] = [];
    const write = db.run('INSERT INTO t (x) VALUES (1)').then(() => done.push('write'));
    const tx = db.transaction(async (t) => { await t.run('INSERT INTO t (x) VALUES (2)'); }).then(() => done.push('transaction'));
    // While both wait, this process's timers run (SQLite's own busy wait would have held the thread).
    let ticks = 0;
    await new Promise<void>((resolve) => { const i = setInterval(() => { if (++ticks === 5) { clearInterval(i); resolve(); } }, 5); });
    expect(done).toEqual([]);
    other.exec('COMMIT');
    await Promise.all([write, tx]);
    expect(done).toEqual(['write', 'transaction']);
    expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
    // Held past the wait: the write fails with SQLite's busy error (the API's 503) and writes nothing.
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(db.run('INSERT INTO t (x) VALUES (3)')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(SQLITE_BUSY_WAIT_MS - 50);
    // Three writes asked together are all refused when the wait is over, not one wait after another (15 s).
    const together = Date.now();
    const refused = await Promise.allSettled([db.run('INSERT INTO t (x) VALUES (5)'), db.transaction((t) => t.run('INSERT INTO t (x) VALUES (6)')), db.run('INSERT INTO t (x) VALUES (7)')]);
    expect(refused.map((r) => r.status === 'rejected' && (r.reason as { code?: string }).code)).toEqual(['SQLITE_BUSY', 'SQLITE_BUSY', 'SQLITE_BUSY']);
    expect(Date.now() - together).toBeLessThan(2 * SQLITE_BUSY_WAIT_MS);
    other.exec('ROLLBACK');
    other.close();
    expect(await db.runIfFree('INSERT INTO t (x) VALUES (4)')).toBe(1);
    expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }, { x: 4 }]);
    await db.close();
  }, 30_000);

  it('skips bookkeeping while a transaction of its own process runs, and does it once that one ends', async () => {
    const db = openSqlite(path.join(dir, 'own.sqlite'));
    await db.exec('CREATE TABLE t (x INTEGER)');
    let skipped: number | null | undefined;
    await db.transaction(async (t) => {
      await t.run('INSERT INTO t (x) VALUES (1)');
      skipped = await db.runIfFree('INSERT INTO t (x) VALUES (2)');
    });
    expect(skipped).toBeNull();
    expect(await db.runIfFree('INSERT INTO t (x) VALUES (3)')).toBe(1);
    expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 3 }]);
    await db.close();
  });
});
