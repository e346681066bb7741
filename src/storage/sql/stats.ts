/** Aggregates for dashboards: totals and per-city counts. */
import type { Db } from '../db.ts';

/** Totals of the main tables. */
export interface Totals {
  persons: number; households: number; places: number; presence: number; cases: number; contacts: number; samples: number; vaccinations: number;
}

/** Counts for one prefecture-level city. */
export interface CityCounts { cityCode: string; persons: number; places: number; cases: number; contacts: number }

const TOTAL_TABLES = ['persons', 'households', 'places', 'presence', 'cases', 'contacts', 'samples', 'vaccinations'] as const;

export class StatsRepository {
  constructor(private readonly db: Db) {}

  async totals(): Promise<Totals> {
    const sql = TOTAL_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`).join(' UNION ALL ');
    const rows = await this.db.all<{ t: string; n: number }>(sql);
    return Object.fromEntries(rows.map((r) => [r.t, r.n])) as unknown as Totals;
  }

  /** Persons, places, cases and contacts by city (the first 4 digits of the division code). */
  async byCity(): Promise<CityCounts[]> {
    const q = (sql: string) => this.db.all<{ city: string; n: number }>(sql);
    const [persons, places, cases, contacts] = await Promise.all([
      q('SELECT substr(community_code, 1, 4) AS city, COUNT(*) AS n FROM persons GROUP BY substr(community_code, 1, 4)'),
      q('SELECT substr(region_code, 1, 4) AS city, COUNT(*) AS n FROM places GROUP BY substr(region_code, 1, 4)'),
      q('SELECT substr(p.community_code, 1, 4) AS city, COUNT(*) AS n FROM cases c JOIN persons p ON p.id = c.person_id GROUP BY substr(p.community_code, 1, 4)'),
      q('SELECT substr(p.community_code, 1, 4) AS city, COUNT(*) AS n FROM contacts c JOIN persons p ON p.id = c.person_id GROUP BY substr(p.community_code, 1, 4)'),
    ]);
    const cities = await this.db.all<{ code: string }>("SELECT code FROM regions WHERE level = 'city' ORDER BY code");
    const byCode = (rows: { city: string; n: number }[]) => new Map(rows.map((r) => [r.city, r.n]));
    const [pm, plm, cm, ctm] = [byCode(persons), byCode(places), byCode(cases), byCode(contacts)];
    return cities.map(({ code }) => ({
      cityCode: code, persons: pm.get(code) ?? 0, places: plm.get(code) ?? 0, cases: cm.get(code) ?? 0, contacts: ctm.get(code) ?? 0,
    }));
  }
}
