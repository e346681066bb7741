/**
 * Storage busy or unreachable answers 503 STORAGE_UNAVAILABLE with the stable body, never 500, and writes nothing:
 * an SQLite file locked by another writer, a PostgreSQL server that cannot be reached, and a store already closed
 * (a request that arrives while the server shuts down) on every engine.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachEngine, freshLocation, PG_URL } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { rowCounts } from '../../test/counts.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import { formatTime, nowSeconds } from '../domain/time.ts';
import { TracingEngine } from '../services/tracing/engine.ts';
import { openStore, type Store, type StoreLocation } from '../storage/store.ts';
import { actAsPermittedRoles, routeCollector } from '../../test/credentials.ts';
import { buildApp } from './app.ts';
import { ERRORS } from './errors.ts';

const UNAVAILABLE = { error: { code: 'STORAGE_UNAVAILABLE', message: ERRORS.STORAGE_UNAVAILABLE.message } };
const BUSY = { error: { code: 'STORAGE_UNAVAILABLE', message: 'The database is busy with another writer (such as a file being imported); try again in a few seconds.' } };
const edition = loadEdition('ed8-delta-2021');

/** A store at `where` with the fixture's regions and two persons, and an app on it (the system clock). */
async function appOn(where: StoreLocation): Promise<{ store: Store; app: FastifyInstance }> {
  const store = await openStore(where);
  await store.regions.insertMany(MINI_REGIONS);
  await store.persons.insertMany([personRow(1), personRow(2)]);
  const { routes, onRoute } = routeCollector();
  const app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), codeSecret: 'unavailable-test', webDir: undefined, version: 'test', onRoute });
  await actAsPermittedRoles(app, store, routes);
  return { store, app };
}

const sample = (sampleNo: string) => ({
  method: 'POST' as const, url: '/api/samples', payload: { sampleNo, personId: 1, method: 'single', sampledAt: formatTime(nowSeconds() - 3600).slice(0, 16).replace('T', ' ') },
});

describe('SQLite locked by another writer', () => {
  let dir: string | undefined;
  afterEach(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });
  /** An app on an SQLite file of its own, and the file (another process's connection opens it). */
  const appOnFile = async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-busy-'));
    const file = path.join(dir, 'cordon.sqlite');
    return { file, ...(await appOn({ sqliteFile: file })) };
  };

  it('answers POST /api/samples with 503 after the 5 s busy timeout, writes nothing, and takes the sample once the lock is gone', async () => {
    const { file, store, app } = await appOnFile();
    try {
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      const before = await rowCounts(store);
      const started = Date.now();
      const r = await app.inject(sample('S-BUSY'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
      // Busy, not down: the message says so, and when to try again.
      expect({ status: r.statusCode, body: r.json() }).toEqual({ status: 503, body: BUSY });
      expect(r.headers['retry-after']).toBe('5');
      other.exec('ROLLBACK');
      other.close();
      expect(await rowCounts(store)).toEqual(before);
      expect((await app.inject(sample('S-BUSY'))).statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
    }
  }, 30_000);

  it('waits for the lock off the event loop: reads answer while a write waits, and the write goes in once the lock is gone', async () => {
    const { file, store, app } = await appOnFile();
    try {
      const before = await rowCounts(store);
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      const order: string[] = [];
      // A timer of the process ticks all along: SQLite's own busy wait would have held it for the whole wait.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const write = app.inject(sample('S-WAIT')).then((r) => { order.push('write'); return r; });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      order.push('health');
      const read = await app.inject({ method: 'GET', url: '/api/places' });
      order.push('read');
      expect([health.statusCode, read.statusCode]).toEqual([200, 200]);
      const ticksWhileLocked = ticks;
      other.exec('COMMIT');
      other.close();
      const r = await write;
      clearInterval(timer);
      expect(order).toEqual(['health', 'read', 'write']);
      expect(ticksWhileLocked).toBeGreaterThan(0);
      expect(r.statusCode, r.body).toBe(201);
      expect((await rowCounts(store)).samples).toBe(before.samples + 1);
    } finally {
      await app.close();
      await store.close();
    }
  }, 30_000);
});

/** A TCP proxy to the PostgreSQL server that can be cut (every connection dropped, the port closed) and restored on the same port. */
async function cuttableProxy(target: URL): Promise<{ url: string; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  const port = await listen(0);
  const url = new URL(target.href);
  url.host = `127.0.0.1:${port}`;
  const cut = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return { url: url.href, cut, restore: async () => { await listen(port); }, close: async () => { if (server.listening) await cut(); } };
}

describe.runIf(PG_URL)('PostgreSQL that cannot be reached', () => {
  it('answers reads and writes with 503 while the server is cut off, writes nothing, and recovers when it is back', async () => {
    const proxy = await cuttableProxy(new URL(PG_URL!));
    const { where, drop } = await freshLocation('postgres');
    const { store, app } = await appOn({ ...where, postgresUrl: proxy.url } as StoreLocation);
    try {
      const before = await rowCounts(store);
      await proxy.cut();
      for (const req of [sample('S-DOWN'), { method: 'GET' as const, url: '/api/persons/1' }, { method: 'GET' as const, url: '/api/health' }]) {
        const r = await app.inject(req);
        expect({ url: req.url, status: r.statusCode, body: r.json() }).toEqual({ url: req.url, status: 503, body: UNAVAILABLE });
      }
      await proxy.restore();
      expect(await rowCounts(store)).toEqual(before);
      expect((await app.inject(sample('S-DOWN'))).statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
      await proxy.close();
      await drop();
    }
  }, 30_000);
});

describe.runIf(PG_URL)('PostgreSQL closing the connections (a restart)', () => {
  it('keeps the process alive with the pool\'s idle connections dropped, and answers the next requests on new ones', async () => {
    const { where, drop } = await freshLocation('postgres');
    // Only this test's connections are terminated: they carry their own application name.
    const name = `cordon-restart-${process.pid}`;
    const url = new URL(PG_URL!);
    url.searchParams.set('application_name', name);
    const { store, app } = await appOn({ ...where, postgresUrl: url.href } as StoreLocation);
    try {
      await Promise.all([1, 2, 1, 2].map((id) => app.inject({ method: 'GET', url: `/api/persons/${id}` })));
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await app.inject({ method: 'GET', url: '/api/persons/1' })).statusCode).toBe(200);
      expect((await app.inject(sample('S-RESTART'))).statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
      await drop();
    }
  }, 30_000);
});

describeEachEngine('a store already closed', (engine) => {
  it('answers reads and writes with 503, not 500', async () => {
    const { where, drop } = await freshLocation(engine);
    const { store, app } = await appOn(where);
    try {
      await store.close();
      for (const req of [sample('S-CLOSED'), { method: 'GET' as const, url: '/api/persons/1' }, { method: 'GET' as const, url: '/api/cases' }]) {
        const r = await app.inject(req);
        expect({ url: req.url, status: r.statusCode, body: r.json() }).toEqual({ url: req.url, status: 503, body: UNAVAILABLE });
      }
    } finally {
      await app.close();
      await drop();
    }
  });
});
