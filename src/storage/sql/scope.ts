/**
 * Region scope in SQL: an actor scoped to a region (a division code) sees the persons living under it, and the cases
 * and contacts of those persons. A person lives under a region when their community's code starts with the region's
 * code (province, city, county, township, community), or, for a grid (14 digits), when their grid is it. No scope
 * (null or undefined: the system, the CLI) sees everything.
 */
import type { SqlValue } from '../db.ts';

/** A region scope: a division code, or null for everything. */
export type Scope = string | null | undefined;

/** Where person row `alias` lives, as one code: their grid, else their community (what a contact record carries, `contacts.home_code`). */
export const homeOf = (alias: string): string => `COALESCE(${alias}.grid_code, ${alias}.community_code)`;

/** The condition that the persons row (`persons` alias `alias`) lives under `scope`, with its parameters; null for none. */
export function personInScope(scope: Scope, alias = 'persons'): { sql: string; params: SqlValue[] } | null {
  if (!scope) return null;
  if (!/^\d{2,14}$/.test(scope)) throw new Error(`not a region scope: ${scope}`);
  if (scope.length > 12) return { sql: `(${alias}.community_code = ? AND ${alias}.grid_code = ?)`, params: [scope.slice(0, 12), scope] };
  return { sql: `${alias}.community_code LIKE ?`, params: [`${scope}%`] };
}

/** The condition that the row's `column` (a person id) names a person under `scope`; null for none. */
export function personIdInScope(scope: Scope, column: string): { sql: string; params: SqlValue[] } | null {
  const inner = personInScope(scope, 'sp');
  return inner && { sql: `${column} IN (SELECT sp.id FROM persons sp WHERE ${inner.sql})`, params: inner.params };
}

/**
 * The condition that a place (its `region_code`, of any level) is within reach of `scope`: in the scope's region, or
 * in a region that contains it (a grid worker sees the venues of their county, not another county's); null for none.
 */
export function placeInScope(scope: Scope, column = 'region_code'): { sql: string; params: SqlValue[] } | null {
  if (!scope) return null;
  if (!/^\d{2,14}$/.test(scope)) throw new Error(`not a region scope: ${scope}`);
  return { sql: `(${column} LIKE ? OR ? LIKE ${column} || '%')`, params: [`${scope}%`, scope] };
}
