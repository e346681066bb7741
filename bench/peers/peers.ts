/**
 * The SQL engines the tracing engine is compared with, each loaded with the same records and given its best index:
 * SQLite (better-sqlite3, covering indexes), PostgreSQL (COPY, covering indexes with INCLUDE), DuckDB (columnar,
 * no index: its hash joins). Each returns person ids for a query.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { NO_SEAT, seatCarriage, seatRow, type PresenceColumns } from '../../src/tracing/columns.ts';
import { SQLITE, STANDARD, type Dialect } from './sql.ts';

/** A place row for the peers: kind (close/general/companion), minimum overlap, vehicle scope and rows, crew. */
export interface PlaceRow { id: number; kind: number; minOv: number; scope: number | null; rowsEach: number; crew: number }

export interface Peer {
  name: 'sqlite' | 'postgres' | 'duckdb';
  dialect: Dialect;
  /** Loads the records and places; returns load and index times (ms). */
  load(cols: PresenceColumns, places: PlaceRow[], csvFile: string): Promise<{ loadMs: number; indexMs: number }>;
  /** Person ids a query returns. */
  ids(sql: string): Promise<number[]>;
  /** Runs query lists on two connections at once (both cores), where the engine allows it; undefined otherwise. */
  concurrent?(lists: string[][]): Promise<void>;
  close(): Promise<void>;
}

const PRESENCE_DDL = 'CREATE TABLE presence (person_id INTEGER NOT NULL, place_id INTEGER NOT NULL, start_at BIGINT NOT NULL, end_at BIGINT NOT NULL, seat_row INTEGER, seat_car INTEGER)';
const PLACES_DDL = 'CREATE TABLE places (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, min_ov INTEGER NOT NULL, scope INTEGER, rows_each INTEGER NOT NULL, crew INTEGER NOT NULL, max_dur BIGINT NOT NULL DEFAULT 0)';
const MAX_DUR = 'UPDATE places SET max_dur = COALESCE((SELECT MAX(end_at - start_at) FROM presence WHERE presence.place_id = places.id), 0)';

/** Multi-row INSERT statements for the places table, 5,000 rows each. */
function placeInserts(places: PlaceRow[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < places.length; i += 5000) {
    const rows = places.slice(i, i + 5000).map((p) => `(${p.id},${p.kind},${p.minOv},${p.scope ?? 'NULL'},${p.rowsEach},${p.crew})`);
    out.push(`INSERT INTO places (id, kind, min_ov, scope, rows_each, crew) VALUES ${rows.join(',')}`);
  }
  return out;
}

/** Writes the records as CSV (person, place, start, end, seat row, seat carriage) for COPY-style loaders. */
export async function writeCsv(cols: PresenceColumns, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  let buf = '';
  for (let i = 0; i < cols.length; i++) {
    const seat = cols.seat[i];
    buf += `${cols.person[i]},${cols.place[i]},${cols.start[i]},${cols.end[i]},${seat === NO_SEAT ? '' : seatRow(seat)},${seat === NO_SEAT ? '' : seatCarriage(seat)}\n`;
    if (buf.length > 1 << 20) { if (!out.write(buf)) await once(out, 'drain'); buf = ''; }
  }
  out.end(buf);
  await once(out, 'finish');
}

export function sqlitePeer(): Peer {
  const db = new Database(':memory:');
  db.pragma('cache_size = -4000000');
  return {
    name: 'sqlite', dialect: SQLITE,
    async load(cols, places) {
      const t0 = performance.now();
      db.exec(PRESENCE_DDL); db.exec(PLACES_DDL);
      const ins = db.prepare('INSERT INTO presence VALUES (?, ?, ?, ?, ?, ?)');
      db.transaction(() => {
        for (let i = 0; i < cols.length; i++) {
          const seat = cols.seat[i];
          ins.run(cols.person[i], cols.place[i], cols.start[i], cols.end[i], seat === NO_SEAT ? null : seatRow(seat), seat === NO_SEAT ? null : seatCarriage(seat));
        }
      })();
      const pins = db.prepare('INSERT INTO places (id, kind, min_ov, scope, rows_each, crew) VALUES (?, ?, ?, ?, ?, ?)');
      db.transaction(() => { for (const p of places) pins.run(p.id, p.kind, p.minOv, p.scope, p.rowsEach, p.crew); })();
      const t1 = performance.now();
      db.exec('CREATE INDEX ix_place ON presence (place_id, start_at, end_at, person_id, seat_row, seat_car)');
      db.exec('CREATE INDEX ix_person ON presence (person_id, place_id, start_at, end_at, seat_row, seat_car)');
      db.exec(MAX_DUR);
      db.exec('ANALYZE');
      return { loadMs: t1 - t0, indexMs: performance.now() - t1 };
    },
    async ids(sql) {
      return (db.prepare(sql).raw().all() as number[][]).map((r) => Number(r[0]));
    },
    async close() { db.close(); },
  };
}

export function postgresPeer(url: string): Peer {
  const client = new pg.Client({ connectionString: url });
  const second = new pg.Client({ connectionString: url });
  const schema = `bench_trace_${process.pid}`;
  return {
    name: 'postgres', dialect: STANDARD,
    async load(_cols, places, csvFile) {
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      await client.query("SET work_mem = '256MB'; SET maintenance_work_mem = '2GB'; SET max_parallel_workers_per_gather = 2");
      const t0 = performance.now();
      await client.query(PRESENCE_DDL); await client.query(PLACES_DDL);
      await pipeline(fs.createReadStream(csvFile), client.query(copyFrom('COPY presence FROM STDIN WITH (FORMAT csv)')));
      for (const sql of placeInserts(places)) await client.query(sql);
      const t1 = performance.now();
      await client.query('CREATE INDEX ix_place ON presence (place_id, start_at) INCLUDE (end_at, person_id, seat_row, seat_car)');
      await client.query('CREATE INDEX ix_person ON presence (person_id) INCLUDE (place_id, start_at, end_at, seat_row, seat_car)');
      await client.query('UPDATE places SET max_dur = m.d FROM (SELECT place_id, MAX(end_at - start_at) AS d FROM presence GROUP BY place_id) m WHERE m.place_id = places.id');
      await client.query('VACUUM ANALYZE presence');
      await client.query('ANALYZE places');
      await second.connect();
      await second.query(`SET search_path TO ${schema}; SET work_mem = '256MB'; SET max_parallel_workers_per_gather = 2`);
      return { loadMs: t1 - t0, indexMs: performance.now() - t1 };
    },
    async ids(sql) {
      return (await client.query({ text: sql, rowMode: 'array' })).rows.map((r: unknown[]) => Number(r[0]));
    },
    async concurrent(lists) {
      await Promise.all(lists.slice(0, 2).map(async (list, i) => { for (const sql of list) await (i === 0 ? client : second).query(sql); }));
    },
    async close() {
      await second.end().catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
    },
  };
}

export function duckdbPeer(): Peer {
  let conn: DuckDBConnection;
  let second: DuckDBConnection;
  return {
    name: 'duckdb', dialect: STANDARD,
    async load(_cols, places, csvFile) {
      const inst = await DuckDBInstance.create(':memory:');
      conn = await inst.connect();
      const t0 = performance.now();
      await conn.run(PRESENCE_DDL); await conn.run(PLACES_DDL);
      await conn.run(`COPY presence FROM '${csvFile}' (FORMAT csv, HEADER false)`);
      for (const sql of placeInserts(places)) await conn.run(sql);
      const t1 = performance.now();
      await conn.run('CREATE TABLE md AS SELECT place_id, MAX(end_at - start_at) AS d FROM presence GROUP BY place_id');
      await conn.run('UPDATE places SET max_dur = md.d FROM md WHERE md.place_id = places.id');
      second = await inst.connect();
      return { loadMs: t1 - t0, indexMs: performance.now() - t1 };
    },
    async ids(sql) {
      const r = await conn.runAndReadAll(sql);
      return r.getRows().map((row) => Number(row[0]));
    },
    async concurrent(lists) {
      await Promise.all(lists.slice(0, 2).map(async (list, i) => { for (const sql of list) await (i === 0 ? conn : second).run(sql); }));
    },
    async close() { second?.closeSync(); conn?.closeSync(); },
  };
}
