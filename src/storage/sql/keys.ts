/** Natural-key lookups shared by repositories: many keys to ids in a few queries. */
import type { Db } from '../db.ts';

/** Ids of the rows of `table` whose `column` is one of `keys` (those that exist), 500 keys a query. */
export async function lookupIds(db: Db, table: string, column: string, keys: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db.all<{ id: number; k: string }>(
      `SELECT id, ${column} AS k FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) out.set(r.k, r.id);
  }
  return out;
}
