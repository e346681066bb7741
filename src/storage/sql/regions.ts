/** Regions and grids: the division tree from province to grid. */
import type { Region, RegionLevel } from '../../domain/model/index.ts';
import type { Db } from '../db.ts';
import { inChunks } from './keys.ts';
import { toPage, type Page, type PageRequest } from './paging.ts';

interface RegionRow { id: number; code: string; name: string; level: string; parent_code: string | null; functional_zone: number }

const toRegion = (r: RegionRow): Region => ({
  code: r.code, name: r.name, level: r.level as RegionLevel, parentCode: r.parent_code, functionalZone: r.functional_zone === 1,
});

export class RegionRepository {
  constructor(private readonly db: Db) {}

  /** Inserts regions, skipping codes already present. Returns how many were new. */
  insertMany(regions: Region[]): Promise<number> {
    return this.db.insertMany(
      'regions', ['code', 'name', 'level', 'parent_code', 'functional_zone'],
      regions.map((r) => [r.code, r.name, r.level, r.parentCode, r.functionalZone ? 1 : 0]), ['code'],
    );
  }

  async get(code: string): Promise<Region | undefined> {
    const r = await this.db.get<RegionRow>('SELECT * FROM regions WHERE code = ?', [code]);
    return r && toRegion(r);
  }

  /** The units directly below `code`, by code. */
  async children(code: string): Promise<Region[]> {
    return (await this.db.all<RegionRow>('SELECT * FROM regions WHERE parent_code = ? ORDER BY code', [code])).map(toRegion);
  }

  /** Names of these region codes (codes that are no region are left out). */
  async names(codes: readonly string[]): Promise<Map<string, string>> {
    const rows = await inChunks<{ code: string; name: string }, string>(this.db, [...new Set(codes)], (ph) => `SELECT code, name FROM regions WHERE code IN (${ph})`);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** Names of every region of one level, by code. */
  async namesAt(level: RegionLevel): Promise<Map<string, string>> {
    const rows = await this.db.all<{ code: string; name: string }>('SELECT code, name FROM regions WHERE level = ?', [level]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** Regions filtered by level and/or parent, paged in insertion order. */
  async list(filter: { level?: RegionLevel; parentCode?: string }, page: PageRequest): Promise<Page<Region>> {
    const where: string[] = ['id > ?'];
    const params: (string | number)[] = [page.after ?? 0];
    if (filter.level) { where.push('level = ?'); params.push(filter.level); }
    if (filter.parentCode) { where.push('parent_code = ?'); params.push(filter.parentCode); }
    const rows = await this.db.all<RegionRow>(`SELECT * FROM regions WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toRegion);
  }

  /** Number of regions at each level. */
  async countByLevel(): Promise<Record<string, number>> {
    const rows = await this.db.all<{ level: string; n: number }>('SELECT level, COUNT(*) AS n FROM regions GROUP BY level');
    return Object.fromEntries(rows.map((r) => [r.level, r.n]));
  }

  /** The regions inside `code` (not itself), with their levels, top down. */
  async inside(code: string): Promise<{ code: string; level: RegionLevel }[]> {
    const rows = await this.db.all<{ code: string; level: string }>('SELECT code, level FROM regions WHERE code LIKE ? AND code <> ? ORDER BY LENGTH(code), code', [`${code}%`, code]);
    return rows.map((r) => ({ code: r.code, level: r.level as RegionLevel }));
  }

  /** Every code at the given levels, for validating imported rows without a query each. */
  async codes(levels: RegionLevel[]): Promise<Set<string>> {
    const rows = await this.db.all<{ code: string }>(`SELECT code FROM regions WHERE level IN (${levels.map(() => '?').join(', ')})`, levels);
    return new Set(rows.map((r) => r.code));
  }
}
