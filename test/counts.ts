/** The row count of every table of a store: what tests compare to tell that a refused request wrote nothing. */
import type { Db } from '../src/storage/db.ts';
import type { Store } from '../src/storage/store.ts';

/** The store's database (tests only: nothing else reaches past the repositories). */
const dbOf = (store: Store) => (store as unknown as { db: Db }).db;
const tablesOf = new WeakMap<Store, Promise<string[]>>();

/** The tables of a store's database, as its catalogue lists them (the migrations' tables, less those a later one dropped). */
export function tables(store: Store): Promise<string[]> {
  const db = dbOf(store);
  let t = tablesOf.get(store);
  if (!t) {
    const sql = db.engine === 'sqlite'
      ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";
    t = db.all<{ t: string }>(sql).then((rows) => rows.map((r) => r.t));
    tablesOf.set(store, t);
  }
  return t;
}

/** The number of rows in every table, in one statement. */
export async function rowCounts(store: Store): Promise<Record<string, number>> {
  const rows = await dbOf(store).all<{ t: string; n: number }>((await tables(store)).map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}
