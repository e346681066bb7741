/** Aggregates for dashboards: totals and per-city counts. */
import type { Db } from '../db.ts';

/**
 * Totals of the main tables, and the live picture: `cases` are the cases that stand (withdrawn ones are not cases),
 * `contacts` the persons under management (a contact record of a standing case not released and not become a case;
 * a person counted once however many records), `redCodes` and `yellowCodes` the persons whose current code has that colour.
 */
export interface Totals {
  persons: number; households: number; places: number; presence: number; cases: number; contacts: number; samples: number; vaccinations: number;
  redCodes: number; yellowCodes: number;
}

/** Contact records that are under management (`ct`): of a standing case (`ix`), neither released nor become a case. */
const MANAGED_FROM = 'contacts ct JOIN cases ix ON ix.id = ct.index_case_id';
const MANAGED_WHERE = "ix.withdrawn_at IS NULL AND ct.status NOT IN ('released', 'became_case')";

/** Counts for one prefecture-level city. */
export interface CityCounts { cityCode: string; persons: number; places: number; cases: number; contacts: number }

const TOTAL_TABLES = ['persons', 'households', 'places', 'presence', 'samples', 'vaccinations'] as const;

export class StatsRepository {
  constructor(private readonly db: Db) {}

  async totals(): Promise<Totals> {
    const sql = [
      ...TOTAL_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`),
      "SELECT 'cases' AS t, COUNT(*) AS n FROM cases WHERE withdrawn_at IS NULL",
      `SELECT 'contacts' AS t, COUNT(DISTINCT ct.person_id) AS n FROM ${MANAGED_FROM} WHERE ${MANAGED_WHERE}`,
      "SELECT 'redCodes' AS t, COUNT(*) AS n FROM current_codes WHERE colour = 'red'",
      "SELECT 'yellowCodes' AS t, COUNT(*) AS n FROM current_codes WHERE colour = 'yellow'",
    ].join(' UNION ALL ');
    const rows = await this.db.all<{ t: string; n: number }>(sql);
    return Object.fromEntries(rows.map((r) => [r.t, r.n])) as unknown as Totals;
  }

  /** Persons, places, standing cases and persons under management as contacts by city (the first 4 digits of the division code). */
  async byCity(): Promise<CityCounts[]> {
    const q = (sql: string) => this.db.all<{ city: string; n: number }>(sql);
    const [persons, places, cases, contacts] = await Promise.all([
      q('SELECT substr(community_code, 1, 4) AS city, COUNT(*) AS n FROM persons GROUP BY substr(community_code, 1, 4)'),
      q('SELECT substr(region_code, 1, 4) AS city, COUNT(*) AS n FROM places GROUP BY substr(region_code, 1, 4)'),
      q('SELECT substr(p.community_code, 1, 4) AS city, COUNT(*) AS n FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.withdrawn_at IS NULL GROUP BY substr(p.community_code, 1, 4)'),
      q(`SELECT substr(p.community_code, 1, 4) AS city, COUNT(DISTINCT ct.person_id) AS n FROM ${MANAGED_FROM} JOIN persons p ON p.id = ct.person_id
         WHERE ${MANAGED_WHERE} GROUP BY substr(p.community_code, 1, 4)`),
    ]);
    const cities = await this.db.all<{ code: string }>("SELECT code FROM regions WHERE level = 'city' ORDER BY code");
    const byCode = (rows: { city: string; n: number }[]) => new Map(rows.map((r) => [r.city, r.n]));
    const [pm, plm, cm, ctm] = [byCode(persons), byCode(places), byCode(cases), byCode(contacts)];
    return cities.map(({ code }) => ({
      cityCode: code, persons: pm.get(code) ?? 0, places: plm.get(code) ?? 0, cases: cm.get(code) ?? 0, contacts: ctm.get(code) ?? 0,
    }));
  }
}
