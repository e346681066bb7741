/**
 * Region scope in SQL: an actor scoped to a region (a division code) sees the persons living under it, and the cases
 * and contacts of those persons. A person lives under a region when their community's code starts with the region's
 * code (province, city, county, township, community), or, for a grid (14 digits), when their grid is it. No scope
 * (null or undefined: the system, the CLI) sees everything.
 */
import { CODE_LENGTH } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';

/** A region scope: a division code, or null for everything. */
export type Scope = string | null | undefined;

/** Where person row `alias` lives, as one code: their grid, else their community (what a contact record carries, `contacts.home_code`). */
export const homeOf = (alias: string): string => `COALESCE(${alias}.grid_code, ${alias}.community_code)`;

/**
 * The condition that division-code column `column` lies inside region `code` (starts with its digits), as a range:
 * from the code up to the least code past all of its own (the code with its last digit below 9 raised by one: 430102
 * to 430103, 4309 to 431). Unlike `LIKE 'code%'`, a range is served by a plain index on both engines (SQLite's LIKE
 * ignores case, so its index cannot serve it; PostgreSQL's needs the C collation or pattern operators), and digits
 * sort alike in every collation, where a bound such as 'code:' would not (many collations skip punctuation).
 */
export function codeWithin(column: string, code: string): { sql: string; params: SqlValue[] } {
  if (!/^\d+$/.test(code)) throw new Error(`not a division code: ${code}`);
  let i = code.length - 1;
  while (i >= 0 && code[i] === '9') i--;
  if (i < 0) return { sql: `${column} >= ?`, params: [code] };
  return { sql: `(${column} >= ? AND ${column} < ?)`, params: [code, code.slice(0, i) + String(Number(code[i]) + 1)] };
}

/** The condition that the persons row (`persons` alias `alias`) lives under `scope`, with its parameters; null for none. */
export function personInScope(scope: Scope, alias = 'persons'): { sql: string; params: SqlValue[] } | null {
  if (!scope) return null;
  if (!/^\d{2,14}$/.test(scope)) throw new Error(`not a region scope: ${scope}`);
  if (scope.length > 12) return { sql: `(${alias}.community_code = ? AND ${alias}.grid_code = ?)`, params: [scope.slice(0, 12), scope] };
  return codeWithin(`${alias}.community_code`, scope);
}

/** The condition that the row's `column` (a person id) names a person under `scope`; null for none. */
export function personIdInScope(scope: Scope, column: string): { sql: string; params: SqlValue[] } | null {
  const inner = personInScope(scope, 'sp');
  return inner && { sql: `${column} IN (SELECT sp.id FROM persons sp WHERE ${inner.sql})`, params: inner.params };
}

/**
 * The same condition in the form that suits a scope's size, for rows many of which are in scope: a county's or a
 * narrower region's persons (thousands) read once through the index by community (`personIdInScope`); a city's or the
 * province's (up to a million) probed one row at a time by primary key, so their list is never built.
 */
export function personIdWithin(scope: Scope, column: string): { sql: string; params: SqlValue[] } | null {
  if ((scope ?? '').length > CODE_LENGTH.city) return personIdInScope(scope, column);
  const inner = personInScope(scope, 'sp');
  return inner && { sql: `EXISTS (SELECT 1 FROM persons sp WHERE sp.id = ${column} AND ${inner.sql})`, params: inner.params };
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

/**
 * `scope` as a condition on persons needs it: null (no condition) when every person registered lives under it (a
 * province's scope in an installation of one province), else the scope. Asked with two seeks of the persons' index by
 * community (is there one below the region's range, or one above it?), so a province's lists do not probe a million
 * homes to keep them all.
 */
export async function personScopeNeeded(db: Db, scope: Scope): Promise<Scope> {
  if (!scope || scope.length > 12) return scope;
  const [from, to] = codeWithin('community_code', scope).params;
  const below = 'SELECT COUNT(*) FROM (SELECT 1 FROM persons WHERE community_code < ? LIMIT 1) a';
  const above = 'SELECT COUNT(*) FROM (SELECT 1 FROM persons WHERE community_code >= ? LIMIT 1) b';
  const outside = await db.get<{ n: number }>(`SELECT (${below})${to === undefined ? '' : ` + (${above})`} AS n`, to === undefined ? [from] : [from, to]);
  return Number(outside?.n ?? 1) === 0 ? null : scope;
}
