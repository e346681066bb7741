/** Keyset paging shared by list queries: rows after an id, in id order, one more fetched to know if more exist. */

/** A page of rows and the cursor for the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextAfter: number | null;
}

/** Arguments of a paged list: return rows whose id is greater than `after`, at most `limit` of them. */
export interface PageRequest {
  after?: number;
  limit: number;
}

/** Turns `limit + 1` fetched rows into a page. */
export function toPage<R extends { id: number }, T>(rows: R[], limit: number, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextAfter: more ? kept[kept.length - 1].id : null };
}

/** JSON column value as stored: text on SQLite, already parsed on PostgreSQL. */
export function fromJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
