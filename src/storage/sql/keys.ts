/** Lookups shared by repositories: many keys or ids in a few queries. */
import type { Db, SqlValue } from '../db.ts';

/**
 * Keys per statement when a statement lists them. Each distinct list length is a distinct prepared statement, and
 * the SQLite driver keeps every statement it prepared: 5,000 cost a presence import 128 MB more peak memory than 500
 * (527 vs 399 MB for 4.49 M rows, the same 125.7 s).
 */
const IN_LIST = 500;

/** `items` in slices a statement can list, each with its placeholder list (`?, ?, ...`). */
export function* inLists<T>(items: readonly T[]): Generator<{ part: T[]; placeholders: string }> {
  for (let i = 0; i < items.length; i += IN_LIST) {
    const part = items.slice(i, i + IN_LIST);
    yield { part, placeholders: part.map(() => '?').join(', ') };
  }
}

/** Stands for the key list in a statement written with `IN (${ph})` until `asArray` rewrites it. */
const ARRAY_KEYS = '\u0000keys\u0000';

/**
 * On PostgreSQL, more keys than one list holds go as one array parameter: one statement instead of one per slice
 * (the facts of 10,000 persons' codes took 147 statements, 360 ms). The statement's `col IN (${ph})` becomes
 * `col = ANY(?::integer[])` (`NOT IN` becomes `<> ALL`), a hashed lookup whatever the planner believes of the row
 * counts. Not `IN (SELECT unnest(?))`: the planner takes that for 10 rows, and with statistics that had not seen a
 * batch just written it chose a nested loop over the 10,000 ids for each of the 10,000 rows (bench:codes retrace on
 * PostgreSQL: 3.7 s, of which that statement 2.5 s; with `= ANY` 0.4 s).
 */
function asArray(db: Db, keys: readonly SqlValue[]): { placeholders: string; param: SqlValue; finish: (sql: string) => string } | undefined {
  if (db.engine !== 'postgres' || keys.length <= IN_LIST) return undefined;
  // Of the key columns' own type: ids are `integer`, and `integer = bigint` has no hash function, so an array of
  // bigint in a filter is searched end to end for every row (10,000 ids against 10,000 rows: 125 ms; as integer[] 15 ms).
  const int4 = (k: SqlValue) => Number.isInteger(k) && (k as number) >= -2_147_483_648 && (k as number) <= 2_147_483_647;
  const type = keys.every(int4) ? 'integer[]' : keys.every((k) => Number.isSafeInteger(k)) ? 'bigint[]' : keys.every((k) => typeof k === 'string') ? 'text[]' : undefined;
  if (!type) return undefined;
  const finish = (sql: string) => {
    const out = sql
      .replace(new RegExp(`\\bNOT\\s+IN\\s*\\(\\s*${ARRAY_KEYS}\\s*\\)`, 'gi'), `<> ALL(?::${type})`)
      .replace(new RegExp(`\\bIN\\s*\\(\\s*${ARRAY_KEYS}\\s*\\)`, 'gi'), `= ANY(?::${type})`);
    if (out.includes(ARRAY_KEYS)) throw new Error('a key list must stand alone in IN (...) or NOT IN (...)');
    return out;
  };
  return { placeholders: ARRAY_KEYS, param: keys as unknown as SqlValue, finish };
}

/** Runs `query` (given a placeholder list) over `keys` a slice at a time, `extra` parameters after the keys; all rows. */
export async function inChunks<T, K extends SqlValue = number>(db: Db, keys: readonly K[], query: (placeholders: string) => string, extra: SqlValue[] = []): Promise<T[]> {
  const whole = asArray(db, keys);
  if (whole) return db.all<T>(whole.finish(query(whole.placeholders)), [whole.param, ...extra]);
  const out: T[] = [];
  for (const { part, placeholders } of inLists(keys)) out.push(...(await db.all<T>(query(placeholders), [...part, ...extra])));
  return out;
}

/** Runs statement `sql` (given a placeholder list) over `keys` a slice at a time; the number of rows it changed. */
export async function runInChunks<K extends SqlValue = number>(db: Db, keys: readonly K[], sql: (placeholders: string) => string): Promise<number> {
  const whole = asArray(db, keys);
  if (whole) return db.run(whole.finish(sql(whole.placeholders)), [whole.param]);
  let changed = 0;
  for (const { part, placeholders } of inLists(keys)) changed += await db.run(sql(placeholders), part);
  return changed;
}

/**
 * Ids of the rows of `table` whose `column` is one of `keys` (those that exist). `column` must be unique (a natural
 * key): a key found on several rows throws rather than quietly naming one of them (for a shared value such as a phone,
 * fetch every holder and decide, as `PersonRepository.holdersByPhone` does).
 */
export async function lookupIds(db: Db, table: string, column: string, keys: Iterable<string>): Promise<Map<string, number>> {
  const rows = await inChunks<{ id: number; k: string }, string>(db, [...new Set(keys)], (ph) => `SELECT id, ${column} AS k FROM ${table} WHERE ${column} IN (${ph})`);
  const out = new Map<string, number>();
  for (const r of rows) {
    if (out.has(r.k)) throw new Error(`${table}.${column} is not a unique key: "${r.k}" is on several rows`);
    out.set(r.k, r.id);
  }
  return out;
}
