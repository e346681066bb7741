/** Aggregates for dashboards: totals and per-city counts. */
import type { Db, SqlValue } from '../db.ts';
import { personIdInScope, personInScope, type Scope } from './scope.ts';

/**
 * Totals of the main tables, and the live picture: `cases` are the cases that stand (withdrawn ones are not cases),
 * `contacts` the persons under management (a contact record of a standing case not released and not become a case;
 * a person counted once however many records), `redCodes` and `yellowCodes` the persons whose current code has that colour.
 */
export interface Totals {
  persons: number; households: number; places: number; presence: number; cases: number; contacts: number; samples: number; vaccinations: number;
  redCodes: number; yellowCodes: number;
}

/**
 * The condition that contact record `ct` is under management: of a standing case (not withdrawn; the few withdrawn
 * cases listed rather than each record's case looked up), neither released nor become a case. The overview and the
 * command dashboard (dashboard.ts) count by it.
 */
export const MANAGED_CONTACT = "ct.index_case_id NOT IN (SELECT id FROM cases WHERE withdrawn_at IS NOT NULL) AND ct.status NOT IN ('released', 'became_case')";

/** Counts for one prefecture-level city. */
export interface CityCounts { cityCode: string; persons: number; places: number; cases: number; contacts: number }


export class StatsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Totals of the province, or of the region `scope` (see scope.ts): persons living under it and what concerns them
   * (their presence, samples, vaccinations, cases, contacts and codes), households and places in it.
   */
  async totals(scope?: Scope): Promise<Totals> {
    const params: SqlValue[] = [];
    /** ` WHERE`/` AND` plus a scope condition for the person column given (nothing without a scope). */
    const byPerson = (column: string, joiner: 'WHERE' | 'AND') => {
      const c = personIdInScope(scope, column);
      if (!c) return '';
      params.push(...c.params);
      return ` ${joiner} ${c.sql}`;
    };
    // A household lies where its members live: the persons' rule, on the household's own community and grid.
    const byHousehold = () => {
      const c = personInScope(scope, 'households');
      if (!c) return '';
      params.push(...c.params);
      return ` WHERE ${c.sql}`;
    };
    const byRegion = (column: string) => {
      if (!scope) return '';
      params.push(`${scope}%`);
      return ` WHERE ${column} LIKE ?`;
    };
    const sql = [
      `SELECT 'persons' AS t, COUNT(*) AS n FROM persons${byPerson('id', 'WHERE')}`,
      `SELECT 'households' AS t, COUNT(*) AS n FROM households${byHousehold()}`,
      `SELECT 'places' AS t, COUNT(*) AS n FROM places${byRegion('region_code')}`,
      ...(['presence', 'samples', 'vaccinations'] as const).map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}${byPerson('person_id', 'WHERE')}`),
      `SELECT 'cases' AS t, COUNT(*) AS n FROM cases WHERE withdrawn_at IS NULL${byPerson('person_id', 'AND')}`,
      `SELECT 'contacts' AS t, COUNT(DISTINCT ct.person_id) AS n FROM contacts ct WHERE ${MANAGED_CONTACT}${byPerson('ct.person_id', 'AND')}`,
      `SELECT 'redCodes' AS t, COUNT(*) AS n FROM current_codes WHERE colour = 'red'${byPerson('person_id', 'AND')}`,
      `SELECT 'yellowCodes' AS t, COUNT(*) AS n FROM current_codes WHERE colour = 'yellow'${byPerson('person_id', 'AND')}`,
    ].join(' UNION ALL ');
    const rows = await this.db.all<{ t: string; n: number }>(sql, params);
    return Object.fromEntries(rows.map((r) => [r.t, r.n])) as unknown as Totals;
  }

  /** Persons, places, standing cases and persons under management as contacts by city (the first 4 digits of the division code). */
  async byCity(scope?: Scope): Promise<CityCounts[]> {
    // Under a scope: the scope's own figures in its city's row (a city or anything below it lies in one city), zeros
    // elsewhere, without counting the whole province; a province scope sees every city.
    if (!scope || scope.length <= 2) {
      const total = await this.byCityAll();
      return !scope ? total : total.map((c) => (c.cityCode.startsWith(scope) ? c : { ...c, persons: 0, places: 0, cases: 0, contacts: 0 }));
    }
    const [t, cities] = await Promise.all([this.totals(scope), this.db.all<{ code: string }>("SELECT code FROM regions WHERE level = 'city' ORDER BY code")]);
    return cities.map(({ code }) => (code === scope.slice(0, 4)
      ? { cityCode: code, persons: t.persons, places: t.places, cases: t.cases, contacts: t.contacts }
      : { cityCode: code, persons: 0, places: 0, cases: 0, contacts: 0 }));
  }

  private async byCityAll(): Promise<CityCounts[]> {
    const q = (sql: string) => this.db.all<{ city: string; n: number }>(sql);
    const [persons, places, cases, contacts] = await Promise.all([
      q('SELECT substr(community_code, 1, 4) AS city, COUNT(*) AS n FROM persons GROUP BY substr(community_code, 1, 4)'),
      q('SELECT substr(region_code, 1, 4) AS city, COUNT(*) AS n FROM places GROUP BY substr(region_code, 1, 4)'),
      q('SELECT substr(p.community_code, 1, 4) AS city, COUNT(*) AS n FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.withdrawn_at IS NULL GROUP BY substr(p.community_code, 1, 4)'),
      q(`SELECT substr(ct.home_code, 1, 4) AS city, COUNT(DISTINCT ct.person_id) AS n FROM contacts ct WHERE ${MANAGED_CONTACT} GROUP BY substr(ct.home_code, 1, 4)`),
    ]);
    const cities = await this.db.all<{ code: string }>("SELECT code FROM regions WHERE level = 'city' ORDER BY code");
    const byCode = (rows: { city: string; n: number }[]) => new Map(rows.map((r) => [r.city, r.n]));
    const [pm, plm, cm, ctm] = [byCode(persons), byCode(places), byCode(cases), byCode(contacts)];
    return cities.map(({ code }) => ({
      cityCode: code, persons: pm.get(code) ?? 0, places: plm.get(code) ?? 0, cases: cm.get(code) ?? 0, contacts: ctm.get(code) ?? 0,
    }));
  }
}
