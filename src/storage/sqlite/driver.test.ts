// The embedded database's files are readable by their owner only: a new file and its WAL, its folder when made for
// it, and a file an older version left readable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './driver.ts';

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
