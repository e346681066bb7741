/**
 * Stranded visitors: visitors from other provinces caught in a sealed area, lodged at a quarantine site's room (a
 * designated hotel), the care they are given, and their release with the journey home. An actor sees a visitor of a
 * sealed area in their region, or lodged at a site there.
 */
import type { CareKind } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { toPage, type Page, type PageRequest } from './paging.ts';
import type { Scope } from './scope.ts';

export interface StrandedVisitor {
  id: number; idHash: string; idMasked: string; name: string; phone: string | null; originProvince: string; sealedRegionCode: string; siteId: number | null;
  room: string | null; registeredAt: number; registeredBy: string; releasedAt: number | null; journeyHome: string | null; note: string | null;
}
export interface CareGiven { id: number; visitorId: number; kind: CareKind; at: number; givenBy: string; note: string | null }

interface Row {
  id: number; id_hash: string; id_masked: string; name: string; phone: string | null; origin_province: string; sealed_region_code: string; site_id: number | null;
  room: string | null; registered_at: number; registered_by: string; released_at: number | null; journey_home: string | null; note: string | null;
}
const toVisitor = (r: Row): StrandedVisitor => ({
  id: r.id, idHash: r.id_hash, idMasked: r.id_masked, name: r.name, phone: r.phone, originProvince: r.origin_province, sealedRegionCode: r.sealed_region_code,
  siteId: r.site_id, room: r.room, registeredAt: Number(r.registered_at), registeredBy: r.registered_by, releasedAt: r.released_at === null ? null : Number(r.released_at),
  journeyHome: r.journey_home, note: r.note,
});

/** Filters of the list: one origin province, one site, lodged now or released. */
export interface StrandedFilter { originProvince?: string; siteId?: number; open?: boolean }

export class StrandedRepository {
  constructor(private readonly db: Db) {}

  async insert(v: Omit<StrandedVisitor, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO stranded_visitors (id_hash, id_masked, name, phone, origin_province, sealed_region_code, site_id, room, registered_at, registered_by, released_at, journey_home, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [v.idHash, v.idMasked, v.name, v.phone, v.originProvince, v.sealedRegionCode, v.siteId, v.room, v.registeredAt, v.registeredBy, v.releasedAt, v.journeyHome, v.note]);
    return row.id;
  }

  /** The visitor of that ID hash lodged now, if any (one at a time). */
  async openByHash(idHash: string): Promise<StrandedVisitor | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM stranded_visitors WHERE id_hash = ? AND released_at IS NULL', [idHash]);
    return r && toVisitor(r);
  }

  /** The condition that a visitor is within `scope`: stranded in a sealed area there, or lodged at a site there. */
  private scoped(scope: Scope): { sql: string; params: SqlValue[] } | null {
    if (!scope) return null;
    return { sql: '(v.sealed_region_code LIKE ? OR v.site_id IN (SELECT qs.id FROM quarantine_sites qs WHERE qs.region_code LIKE ?))', params: [`${scope}%`, `${scope}%`] };
  }

  async get(id: number, scope?: Scope): Promise<StrandedVisitor | undefined> {
    const s = this.scoped(scope);
    const r = await this.db.get<Row>(`SELECT v.* FROM stranded_visitors v WHERE v.id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toVisitor(r);
  }

  private where(filter: StrandedFilter, scope: Scope): { cond: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = this.scoped(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.originProvince !== undefined) { where.push('v.origin_province = ?'); params.push(filter.originProvince); }
    if (filter.siteId !== undefined) { where.push('v.site_id = ?'); params.push(filter.siteId); }
    if (filter.open !== undefined) where.push(filter.open ? 'v.released_at IS NULL' : 'v.released_at IS NOT NULL');
    return { cond: where.length ? where.join(' AND ') : '1 = 1', params };
  }

  /** Visitors within `scope` matching the filter, in id order, and the total. */
  async list(filter: StrandedFilter, page: PageRequest, scope?: Scope): Promise<Page<StrandedVisitor> & { total: number }> {
    const { cond, params } = this.where(filter, scope);
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM stranded_visitors v WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<Row>(`SELECT v.* FROM stranded_visitors v WHERE ${cond} AND v.id > ? ORDER BY v.id LIMIT ?`, [...params, page.after ?? 0, page.limit + 1]);
    return { ...toPage(rows, page.limit, toVisitor), total: Number(total) };
  }

  /** Visitors within `scope` matching the filter, counted by origin province (lodged now and released). */
  async byOrigin(filter: StrandedFilter, scope?: Scope): Promise<{ originProvince: string; lodged: number; released: number }[]> {
    const { cond, params } = this.where(filter, scope);
    const rows = await this.db.all<{ origin_province: string; lodged: number; released: number }>(
      `SELECT v.origin_province, SUM(CASE WHEN v.released_at IS NULL THEN 1 ELSE 0 END) AS lodged, SUM(CASE WHEN v.released_at IS NULL THEN 0 ELSE 1 END) AS released
       FROM stranded_visitors v WHERE ${cond} GROUP BY v.origin_province ORDER BY v.origin_province`, params);
    return rows.map((r) => ({ originProvince: r.origin_province, lodged: Number(r.lodged), released: Number(r.released) }));
  }

  async insertCare(c: Omit<CareGiven, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>('INSERT INTO stranded_care (visitor_id, kind, at, given_by, note) VALUES (?, ?, ?, ?, ?) RETURNING id',
      [c.visitorId, c.kind, c.at, c.givenBy, c.note]);
    return row.id;
  }

  async careOf(visitorId: number): Promise<CareGiven[]> {
    const rows = await this.db.all<{ id: number; visitor_id: number; kind: string; at: number; given_by: string; note: string | null }>(
      'SELECT * FROM stranded_care WHERE visitor_id = ? ORDER BY at, id', [visitorId]);
    return rows.map((r) => ({ id: r.id, visitorId: r.visitor_id, kind: r.kind as CareKind, at: Number(r.at), givenBy: r.given_by, note: r.note }));
  }

  /** Releases a lodged visitor with the journey home; false when released already. */
  async release(id: number, at: number, journeyHome: string): Promise<boolean> {
    return (await this.db.run('UPDATE stranded_visitors SET released_at = ?, journey_home = ? WHERE id = ? AND released_at IS NULL', [at, journeyHome, id])) > 0;
  }
}
