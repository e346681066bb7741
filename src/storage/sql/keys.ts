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

/**
 * On PostgreSQL, more keys than one list holds go as one array parameter (`IN (SELECT unnest(?::bigint[]))`): one
 * statement instead of one per slice (the facts of 10,000 persons' codes took 147 statements, 360 ms).
 */
function asArray(db: Db, keys: readonly SqlValue[]): { placeholders: string; param: SqlValue } | undefined {
  if (db.engine !== 'postgres' || keys.length <= IN_LIST) return undefined;
  const type = keys.every((k) => Number.isSafeInteger(k)) ? 'bigint[]' : keys.every((k) => typeof k === 'string') ? 'text[]' : undefined;
  return type && { placeholders: `SELECT unnest(?::${type})`, param: keys as unknown as SqlValue };
}

/** Runs `query` (given a placeholder list) over `keys` a slice at a time, `extra` parameters after the keys; all rows. */
export async function inChunks<T, K extends SqlValue = number>(db: Db, keys: readonly K[], query: (placeholders: string) => string, extra: SqlValue[] = []): Promise<T[]> {
  const whole = asArray(db, keys);
  if (whole) return db.all<T>(query(whole.placeholders), [whole.param, ...extra]);
  const out: T[] = [];
  for (const { part, placeholders } of inLists(keys)) out.push(...(await db.all<T>(query(placeholders), [...part, ...extra])));
  return out;
}

/** Runs statement `sql` (given a placeholder list) over `keys` a slice at a time; the number of rows it changed. */
export async function runInChunks<K extends SqlValue = number>(db: Db, keys: readonly K[], sql: (placeholders: string) => string): Promise<number> {
  const whole = asArray(db, keys);
  if (whole) return db.run(sql(whole.placeholders), [whole.param]);
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
