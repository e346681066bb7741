/**
 * The database's lease (the scheduler's): one process at a time holds it, across processes on one database. Two
 * stores opened on one database stand for two processes (for SQLite, one file opened twice).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshLocation } from '../../test/engines.ts';
import type { StoreLocation } from './store.ts';
import { openStore, type Store } from './store.ts';

describeEachEngine('lease', (engine) => {
  let where: StoreLocation;
  let drop: () => Promise<void>;
  let a: Store, b: Store;
  let dir = '';
  beforeEach(async () => {
    if (engine === 'sqlite') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-lease-'));
      where = { sqliteFile: path.join(dir, 'cordon.db') };
      drop = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      ({ where, drop } = await freshLocation(engine));
    }
    a = await openStore(where);
    b = await openStore(where);
  });
  afterEach(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await drop?.();
  });

  it('is held by one process at a time, renewed by its holder, and free for another once let go', async () => {
    const la = a.lease('scheduler', 60), lb = b.lease('scheduler', 60);
    expect(await la.hold()).toBe(true);
    expect(await lb.hold()).toBe(false);
    expect(await la.hold()).toBe(true); // renewed
    expect(await lb.hold()).toBe(false);
    // Another name is another lease.
    const other = b.lease('other', 60);
    expect(await other.hold()).toBe(true);
    await other.release();
    await la.release();
    expect(await lb.hold()).toBe(true);
    expect(await la.hold()).toBe(false);
    await lb.release();
  });

  it('passes to another process when its holder is gone without letting it go', async () => {
    const la = a.lease('scheduler', 1), lb = b.lease('scheduler', 1);
    expect(await la.hold()).toBe(true);
    expect(await lb.hold()).toBe(false);
    // The holder dies: PostgreSQL lets its lock go with its connection (ended here by the server, as when the
    // process is killed); on SQLite its row runs out unrenewed.
    if (engine === 'postgres' && 'postgresUrl' in where) {
      const c = new pg.Client({ connectionString: where.postgresUrl, options: `-c search_path=${where.schema}` });
      await c.connect();
      try {
        const ended = await c.query(`WITH k AS (SELECT hashtext(current_schema() || ':lease:scheduler')::bigint AS key)
          SELECT pg_terminate_backend(l.pid) FROM pg_locks l, k WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
            AND l.classid = ((k.key >> 32) & 4294967295)::oid AND l.objid = (k.key & 4294967295)::oid`);
        expect(ended.rowCount).toBe(1);
      } finally {
        await c.end();
      }
    } else {
      await a.close();
      expect(await lb.hold()).toBe(false);
      await new Promise((r) => setTimeout(r, 2100));
    }
    await expect.poll(() => lb.hold(), { timeout: 5000, interval: 100 }).toBe(true);
    expect(await lb.hold()).toBe(true);
    // The old holder (when it lives on, reconnected) does not hold it any more.
    if (engine === 'postgres') expect(await la.hold()).toBe(false);
    await lb.release();
    await la.release();
  });
});
