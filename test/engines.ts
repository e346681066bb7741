/**
 * Runs one test body on every storage engine against a real database: SQLite always (a fresh in-memory database
 * per store), PostgreSQL when CORDON_TEST_PG_URL is set (a fresh schema per store, dropped afterwards).
 * `scripts/test.mjs` sets the URL when the server answers and says plainly when it does not.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import type { Engine } from '../src/storage/db.ts';
import { openStore, type Store, type StoreLocation } from '../src/storage/store.ts';

export const PG_URL = process.env.CORDON_TEST_PG_URL || undefined;

/** The engines this run tests. */
export const TEST_ENGINES: Engine[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A place for a fresh, empty store on an engine, and a cleanup that removes it. */
export async function freshLocation(engine: Engine): Promise<{ where: StoreLocation; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { where: { sqliteFile: ':memory:' }, drop: async () => undefined };
  if (!PG_URL) throw new Error('CORDON_TEST_PG_URL is not set');
  const schema = `cordon_t_${randomBytes(6).toString('hex')}`;
  return {
    where: { postgresUrl: PG_URL, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Opens a fresh, migrated store on an engine; `close` closes and removes it. */
export async function freshStore(engine: Engine): Promise<{ store: Store; close: () => Promise<void> }> {
  const { where, drop } = await freshLocation(engine);
  const store = await openStore(where);
  return { store, close: async () => { await store.close(); await drop(); } };
}

/** Declares `body` once per engine under a describe block named after the engine. */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of TEST_ENGINES) describe(`${name} [${engine}]`, () => body(engine));
}
