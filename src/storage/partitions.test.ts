/**
 * Partitioned storage on PostgreSQL (migration 30): presence by place, contacts and codes by person, as hash
 * partitions. A store that already holds rows is moved to it with its rows and ids intact; the natural keys still
 * make a re-import change nothing; and the tracing reference query (the close-contact self-join of presence at one
 * place) is planned partition by partition: each join pairs a partition of presence with the same partition.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { Random } from '../synth/random.ts';
import type { Db } from './db.ts';
import { migrate } from './ddl.ts';
import { PARTITIONED_TABLES } from './migrations/0030-partitions.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { openPostgres, POSTGRES_DIALECT } from './postgres/driver.ts';
import { Store } from './store.ts';

const T = 1_630_000_000;
const PLACES = 40, PERSONS = 60, RECORDS = 1500;

/**
 * The tracing reference query on Cordon's schema: persons whose presence overlapped `personId`'s at the same place
 * by at least `minOverlap` seconds within [from, to), with the place (the engine adds each setting's rules on top).
 */
const REFERENCE_QUERY = `
  SELECT DISTINCT o.person_id, o.place_id
  FROM presence c JOIN presence o ON o.place_id = c.place_id AND o.start_at < c.end_at AND o.end_at > c.start_at
  WHERE c.person_id = $1 AND c.end_at > $2 AND c.start_at < $3 AND o.person_id <> c.person_id
    AND LEAST(o.end_at, c.end_at, $3) - GREATEST(o.start_at, c.start_at, $2) >= $4
  ORDER BY o.person_id, o.place_id`;

/** The query with `?` for each `$n` (the store's placeholders) and its values in that order. */
const bound = (sql: string, values: readonly number[]): [string, number[]] => {
  const params: number[] = [];
  return [sql.replace(/\$(\d)/g, (_m, n: string) => { params.push(values[Number(n) - 1]); return '?'; }), params];
};

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] }
const relationsUnder = (n: PlanNode): string[] => [...(n['Relation Name'] ? [n['Relation Name']] : []), ...(n.Plans ?? []).flatMap(relationsUnder)];
const joinsIn = (n: PlanNode): PlanNode[] => [...(/Join|Nested Loop/.test(n['Node Type']) ? [n] : []), ...(n.Plans ?? []).flatMap(joinsIn)];

describe.skipIf(!PG_URL)('partitioned storage on PostgreSQL', () => {
  const schema = `cordon_part_${randomBytes(5).toString('hex')}`;
  let db: Db;
  let store: Store;
  const rows: { personId: number; placeId: number; start: number; end: number }[] = [];

  beforeAll(async () => {
    db = await openPostgres(PG_URL!, { schema });
    // A store made before partitions, holding rows; then moved to the latest schema.
    await migrate(db, POSTGRES_DIALECT, 29);
    store = new Store(db);
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany(Array.from({ length: PERSONS }, (_, i) => personRow(i + 1)));
    await store.places.insertMany(Array.from({ length: PLACES }, (_, i) => ({ code: `P${i + 1}`, name: `场所${i + 1}`, category: 'restaurant', regionCode: '430102001001', lng: null, lat: null, status: 'open' as const, vehicleSetting: null })));
    const rnd = new Random(7);
    for (let i = 0; i < RECORDS; i++) {
      // Distinct starts, so no two records share a natural key.
      const start = T + i * 288 + rnd.int(288);
      rows.push({ personId: 1 + rnd.int(PERSONS), placeId: 1 + rnd.int(PLACES), start, end: start + 60 + rnd.int(7200) });
    }
    await store.presence.insertMany(rows.slice(0, 1000).map((r) => ({ ...r, source: 'venue_scan', seat: null, carriage: null })));
    await db.run("INSERT INTO current_codes (person_id, colour, reasons, since, valid_until) VALUES (1, 'green', '[]', 1, 2), (2, 'red', '[]', 1, 2)");
    await db.run("INSERT INTO code_transitions (person_id, from_colour, colour, reasons, cause, at) VALUES (2, 'green', 'red', '[]', 'test', 1)");
    expect(await migrate(db, POSTGRES_DIALECT)).toEqual(MIGRATIONS.filter((m) => m.version >= 30).map((m) => m.version));
    await store.presence.insertMany(rows.slice(1000).map((r) => ({ ...r, source: 'venue_scan', seat: null, carriage: null })));
    await db.exec('ANALYZE');
  });
  afterAll(async () => {
    await db?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('partitions presence by place and the person-keyed tables by person, keeping every row, id and key', async () => {
    const parts = await db.all<{ table: string; strategy: string; key: string; n: number }>(
      `SELECT c.relname AS table, p.partstrat AS strategy, a.attname AS key,
              (SELECT COUNT(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::int AS n
       FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace s ON s.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
       WHERE s.nspname = current_schema() ORDER BY c.relname`);
    expect(parts).toEqual(PARTITIONED_TABLES.map((t) => ({ table: t.table, strategy: 'h', key: t.key, n: t.partitions })).sort((a, b) => a.table.localeCompare(b.table)));
    // Rows from before and after the move, ids continuing from one sequence.
    const stored = await db.all<{ id: number; person_id: number; place_id: number; start_at: number }>('SELECT id, person_id, place_id, start_at FROM presence ORDER BY id');
    expect(stored.map((r) => r.id)).toEqual(Array.from({ length: RECORDS }, (_, i) => i + 1));
    expect(stored.map((r) => [r.person_id, r.place_id, r.start_at])).toEqual(rows.map((r) => [r.personId, r.placeId, r.start]));
    // Rows really spread over the partitions (not all in one).
    const perPartition = await db.all<{ n: number }>("SELECT COUNT(*)::int AS n FROM presence GROUP BY tableoid");
    expect(perPartition.length).toBeGreaterThan(8);
    // The natural key still makes a re-import change nothing.
    expect(await store.presence.insertMany(rows.slice(0, 50).map((r) => ({ ...r, source: 'venue_scan', seat: null, carriage: null })))).toBe(0);
    // The commit-order column and its default came along (migration 27): new rows carry their transaction's id.
    expect(await db.get("SELECT COUNT(*)::int AS n FROM presence WHERE id > 1000 AND tx = '0'")).toEqual({ n: 0 });
    // Codes: one current code per person, its history, and the upsert on person still works.
    expect(await store.codes.coloursOf([1, 2, 3])).toEqual(new Map([[1, 'green'], [2, 'red']]));
    await expect(db.run("INSERT INTO current_codes (person_id, colour, reasons, since, valid_until) VALUES (1, 'red', '[]', 1, 2)")).rejects.toThrow(/unique|duplicate/);
    expect((await store.codes.transitionsOf(2)).map((t) => t.colour)).toEqual(['red']);
    // A foreign key still guards a partitioned table's own references.
    await expect(db.run('INSERT INTO presence (person_id, place_id, start_at, end_at, source) VALUES (999, 1, 1, 2, \'venue_scan\')')).rejects.toThrow(/foreign key/);
  });

  it('answers the tracing reference query as brute force does, planned partition by partition', async () => {
    const rnd = new Random(3);
    for (let k = 0; k < 5; k++) {
      const personId = 1 + rnd.int(PERSONS), from = T + rnd.int(86400), to = from + 3 * 86400, minOverlap = 900;
      const expected = new Set<string>();
      for (const c of rows) {
        if (c.personId !== personId || c.end <= from || c.start >= to) continue;
        for (const o of rows) {
          if (o.placeId !== c.placeId || o.personId === personId || o.start >= c.end || o.end <= c.start) continue;
          if (Math.min(o.end, c.end, to) - Math.max(o.start, c.start, from) >= minOverlap) expected.add(`${o.personId}:${o.placeId}`);
        }
      }
      const got = await db.all<{ person_id: number; place_id: number }>(...bound(REFERENCE_QUERY, [personId, from, to, minOverlap]));
      expect(got.map((r) => `${r.person_id}:${r.place_id}`).sort()).toEqual([...expected].sort());
    }
    const [{ 'QUERY PLAN': [plan] }] = await db.all<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(...bound(`EXPLAIN (FORMAT JSON) ${REFERENCE_QUERY}`, [1, T, T + 86400, 900]));
    const joins = joinsIn(plan.Plan).filter((j) => relationsUnder(j).every((r) => r.startsWith('presence')));
    // One join per partition, each within a single partition (presence_pN with presence_pN).
    expect(joins.length).toBe(PARTITIONED_TABLES[0].partitions);
    for (const j of joins) expect(new Set(relationsUnder(j)).size).toBe(1);
  });
});
