/**
 * Quarantine sites and the assignments of persons to them (or to home quarantine). A site serves its region and every
 * unit inside it; an actor sees the sites of their region and those of the regions that contain it (placeInScope: a
 * grid worker sees the sites of their county and city). An assignment is seen by an actor over the person's home or
 * over the site that holds them.
 */
import type { QuarantineAssignment, QuarantineSite } from '../../domain/model/index.ts';
import type { Held, HeldAs, SiteStay } from '../../domain/rules/quarantine.ts';
import type { QuarantineKind } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks } from './keys.ts';
import { toPage, type Page, type PageRequest } from './paging.ts';
import { personIdWithin, personScopeNeeded, placeInScope, type Scope } from './scope.ts';

/** A site with who is there now: `occupants` (everyone), of whom `visitors` are stranded visitors lodged there. */
export type SiteWithOccupancy = QuarantineSite & { occupants: number; visitors: number; roomsInUse: number };

interface SiteRow {
  id: number; name: string; kind: string; place_id: number | null; region_code: string; address: string | null; rooms: number; persons_per_room: number;
  staff: number; opened_at: number; closed_at: number | null;
}
const toSite = (r: SiteRow): QuarantineSite => ({
  id: r.id, name: r.name, kind: r.kind as QuarantineSite['kind'], placeId: r.place_id, regionCode: r.region_code, address: r.address, rooms: r.rooms,
  personsPerRoom: r.persons_per_room, staff: r.staff, openedAt: r.opened_at, closedAt: r.closed_at,
});

interface AssignmentRow {
  id: number; person_id: number; kind: string; site_id: number | null; room: string | null; counted_from: number; started_at: number; planned_end: number;
  ended_at: number | null; reason: string; end_reason: string | null; contact_id: number | null; task_id: number | null; assigned_by: string;
  arrival_from: string | null; from_region_code: string | null;
}
const toAssignment = (r: AssignmentRow): QuarantineAssignment => ({
  id: r.id, personId: r.person_id, kind: r.kind as QuarantineKind, siteId: r.site_id, room: r.room, countedFrom: r.counted_from, startedAt: r.started_at,
  plannedEnd: r.planned_end, endedAt: r.ended_at, reason: r.reason, endReason: r.end_reason, contactId: r.contact_id, taskId: r.task_id, assignedBy: r.assigned_by,
  arrivalFrom: r.arrival_from === 'high' || r.arrival_from === 'medium' ? r.arrival_from : null, fromRegionCode: r.from_region_code,
});

/** The selected `managed_as`: an arrival's grading, else the kind of the contact record it holds the person as. */
const MANAGED_AS = "CASE WHEN qa.arrival_from IS NOT NULL THEN 'arrival_from_' || qa.arrival_from ELSE mk.kind END AS managed_as";
const HELD_AS: readonly string[] = ['close', 'secondary', 'arrival_from_high', 'arrival_from_medium'] satisfies HeldAs[];
const heldAs = (v: string | null): HeldAs | null => (v !== null && HELD_AS.includes(v) ? v as HeldAs : null);

/** An assignment with what it holds the person as (an arrival, or the kind of its contact record; null: none recorded). */
export type AssignmentView = QuarantineAssignment & { managedAs: HeldAs | null };
const toView = (r: AssignmentRow & { managed_as: string | null }): AssignmentView => ({ ...toAssignment(r), managedAs: heldAs(r.managed_as) });
const VIEW = `SELECT qa.*, ${MANAGED_AS} FROM quarantine_assignments qa LEFT JOIN contacts mk ON mk.id = qa.contact_id`;

/** Filters of the assignments list: one site (optionally one room), one person, held now or ended, one kind. */
export interface AssignmentFilter { siteId?: number; room?: string; personId?: number; open?: boolean; kind?: QuarantineKind }

/**
 * The condition that assignment `qa` is within `scope`: the site holding the person lies there (a handful of sites,
 * read once), or the person lives there (`personIdWithin`); null for none.
 */
export function assignmentInScope(scope: Scope): { sql: string; params: SqlValue[] } | null {
  const home = personIdWithin(scope, 'qa.person_id');
  if (!home) return null;
  return { sql: `(qa.site_id IN (SELECT qs.id FROM quarantine_sites qs WHERE qs.region_code LIKE ?) OR ${home.sql})`, params: [`${scope}%`, ...home.params] };
}

export class QuarantineRepository {
  constructor(private readonly db: Db) {}

  async insertSite(s: Omit<QuarantineSite, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO quarantine_sites (name, kind, place_id, region_code, address, rooms, persons_per_room, staff, opened_at, closed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [s.name, s.kind, s.placeId, s.regionCode, s.address, s.rooms, s.personsPerRoom, s.staff, s.openedAt, s.closedAt]);
    return row.id;
  }

  /** Changes a site's rooms, persons per room, staff or closing time. */
  async updateSite(id: number, changes: Partial<Pick<QuarantineSite, 'rooms' | 'personsPerRoom' | 'staff' | 'closedAt'>>): Promise<void> {
    const cols: Record<string, string> = { rooms: 'rooms', personsPerRoom: 'persons_per_room', staff: 'staff', closedAt: 'closed_at' };
    const keys = Object.keys(changes).filter((k) => k in cols) as (keyof typeof changes)[];
    if (keys.length === 0) return;
    await this.db.run(`UPDATE quarantine_sites SET ${keys.map((k) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k] as SqlValue), id]);
  }

  /**
   * Takes the site's row lock until the transaction ends (a no-op update: PostgreSQL locks the row; SQLite holds the
   * database's write lock already), so two transfers into one site count its rooms one after the other.
   */
  async lockSite(id: number): Promise<void> {
    await this.db.run('UPDATE quarantine_sites SET rooms = rooms WHERE id = ?', [id]);
  }

  /** A site; undefined when there is none, or none within reach of `scope`. */
  async site(id: number, scope?: Scope): Promise<QuarantineSite | undefined> {
    const s = placeInScope(scope);
    const r = await this.db.get<SiteRow>(`SELECT * FROM quarantine_sites WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toSite(r);
  }

  /** The site of that name in that region, in any case, if any (names are unique within a region). */
  async siteByName(regionCode: string, name: string): Promise<QuarantineSite | undefined> {
    const r = await this.db.get<SiteRow>('SELECT * FROM quarantine_sites WHERE region_code = ? AND LOWER(name) = LOWER(?)', [regionCode, name]);
    return r && toSite(r);
  }

  /**
   * Sites within reach of `scope` (optionally those serving a unit: in a region containing it, or inside it; only open
   * ones at `openAt`, or only closed ones at `closedAt`), in id order, each with its occupants (in quarantine, and stranded
   * visitors lodged there) and rooms in use now, and the total.
   */
  async sites(filter: { servingUnit?: string; openAt?: number; closedAt?: number }, page: PageRequest, scope?: Scope): Promise<Page<SiteWithOccupancy> & { total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = placeInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.servingUnit) {
      const u = placeInScope(filter.servingUnit)!;
      where.push(u.sql); params.push(...u.params);
    }
    if (filter.openAt !== undefined) { where.push('(closed_at IS NULL OR closed_at > ?)'); params.push(filter.openAt); }
    if (filter.closedAt !== undefined) { where.push('closed_at <= ?'); params.push(filter.closedAt); }
    const cond = where.length ? where.join(' AND ') : '1 = 1';
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantine_sites WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<SiteRow & { occupants: number; visitors: number; rooms_in_use: number }>(
      `SELECT qs.*, COALESCE(o.occupants, 0) AS occupants, COALESCE(o.visitors, 0) AS visitors, COALESCE(o.rooms_in_use, 0) AS rooms_in_use
       FROM (SELECT * FROM quarantine_sites WHERE ${cond} AND id > ? ORDER BY id LIMIT ?) qs
       LEFT JOIN (SELECT site_id, COUNT(*) AS occupants, SUM(visitor) AS visitors, COUNT(DISTINCT room) AS rooms_in_use
                  FROM (SELECT site_id, room, 0 AS visitor FROM quarantine_assignments WHERE ended_at IS NULL AND site_id IS NOT NULL
                        UNION ALL SELECT site_id, room, 1 AS visitor FROM stranded_visitors WHERE released_at IS NULL AND site_id IS NOT NULL) u
                  GROUP BY site_id) o ON o.site_id = qs.id
       ORDER BY qs.id`, [...params, page.after ?? 0, page.limit + 1]);
    return { ...toPage(rows, page.limit, (r) => ({ ...toSite(r), occupants: Number(r.occupants), visitors: Number(r.visitors), roomsInUse: Number(r.rooms_in_use) })), total: Number(total) };
  }

  /**
   * How full site `siteId` is now: persons held (in quarantine, and stranded visitors lodged there; `visitors` counts
   * the latter), rooms in use, the most held in one room, and those held in room `room` (0 when none is asked about).
   * One read of its open assignments and lodged visitors by room.
   */
  async occupancy(siteId: number, room?: string): Promise<{ occupants: number; visitors: number; roomsInUse: number; mostInRoom: number; inRoom: number }> {
    const r = await this.db.get<{ rooms: number; occupants: number | null; visitors: number | null; most: number | null; in_room: number | null }>(
      `SELECT COUNT(*) AS rooms, SUM(n) AS occupants, SUM(v) AS visitors, MAX(n) AS most, SUM(CASE WHEN room = ? THEN n ELSE 0 END) AS in_room
       FROM (SELECT room, COUNT(*) AS n, SUM(visitor) AS v FROM (SELECT room, 0 AS visitor FROM quarantine_assignments WHERE site_id = ? AND ended_at IS NULL
                                              UNION ALL SELECT room, 1 AS visitor FROM stranded_visitors WHERE site_id = ? AND released_at IS NULL) u GROUP BY room) r`, [room ?? null, siteId, siteId]);
    return { occupants: Number(r?.occupants ?? 0), visitors: Number(r?.visitors ?? 0), roomsInUse: Number(r?.rooms ?? 0), mostInRoom: Number(r?.most ?? 0), inRoom: Number(r?.in_room ?? 0) };
  }

  /**
   * The stays at a site that overlap [from, to) (epoch seconds): persons held there and stranded visitors lodged there,
   * each from its start to its end (null: there still).
   */
  async siteStays(siteId: number, from: number, to: number): Promise<SiteStay[]> {
    const rows = await this.db.all<{ s: number; e: number | null }>(
      `SELECT started_at AS s, ended_at AS e FROM quarantine_assignments WHERE site_id = ? AND started_at < ? AND (ended_at IS NULL OR ended_at >= ?)
       UNION ALL SELECT registered_at AS s, released_at AS e FROM stranded_visitors WHERE site_id = ? AND registered_at < ? AND (released_at IS NULL OR released_at >= ?)`,
      [siteId, to, from, siteId, to, from]);
    return rows.map((r) => ({ from: Number(r.s), to: r.e === null ? null : Number(r.e) }));
  }

  async insertAssignment(a: Omit<QuarantineAssignment, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO quarantine_assignments (person_id, kind, site_id, room, counted_from, started_at, planned_end, ended_at, reason, end_reason, contact_id, task_id, assigned_by, arrival_from, from_region_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [a.personId, a.kind, a.siteId, a.room, a.countedFrom, a.startedAt, a.plannedEnd, a.endedAt, a.reason, a.endReason, a.contactId, a.taskId, a.assignedBy, a.arrivalFrom, a.fromRegionCode]);
    return row.id;
  }

  /** Ends an open assignment at `endedAt` with the reason; false when it had ended already. */
  async endAssignment(id: number, endedAt: number, reason: string): Promise<boolean> {
    return (await this.db.run('UPDATE quarantine_assignments SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL', [endedAt, reason, id])) > 0;
  }

  /** The person's assignment open now, if any (there is at most one). */
  async openAssignmentOf(personId: number): Promise<QuarantineAssignment | undefined> {
    const r = await this.db.get<AssignmentRow>('SELECT * FROM quarantine_assignments WHERE person_id = ? AND ended_at IS NULL', [personId]);
    return r && toAssignment(r);
  }

  /** The open assignments of these persons, by person. */
  async openAssignmentsOf(personIds: readonly number[]): Promise<Map<number, QuarantineAssignment>> {
    const rows = await inChunks<AssignmentRow>(this.db, [...new Set(personIds)], (ph) => `SELECT * FROM quarantine_assignments WHERE person_id IN (${ph}) AND ended_at IS NULL`);
    return new Map(rows.map((r) => [r.person_id, toAssignment(r)]));
  }

  /**
   * Moves an open assignment's schedule: its planned end, the moment its days count from, the record it follows; an
   * arrival's, held now as that contact, is no longer an arrival's (`asContact`; the area it left stays on record).
   */
  async setSchedule(id: number, s: { plannedEnd: number; countedFrom: number; contactId: number; asContact?: boolean }): Promise<void> {
    await this.db.run(`UPDATE quarantine_assignments SET planned_end = ?, counted_from = ?, contact_id = ?${s.asContact ? ', arrival_from = NULL' : ''} WHERE id = ? AND ended_at IS NULL`,
      [s.plannedEnd, s.countedFrom, s.contactId, id]);
  }

  /** The condition (on `qa`) that an assignment is within `scope` and matches the filter, with its parameters. */
  private filtered(filter: AssignmentFilter, scope: Scope): { cond: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = assignmentInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.siteId !== undefined) { where.push('qa.site_id = ?'); params.push(filter.siteId); }
    if (filter.room !== undefined) { where.push('qa.room = ?'); params.push(filter.room); }
    if (filter.personId !== undefined) { where.push('qa.person_id = ?'); params.push(filter.personId); }
    if (filter.kind !== undefined) { where.push('qa.kind = ?'); params.push(filter.kind); }
    if (filter.open !== undefined) where.push(filter.open ? 'qa.ended_at IS NULL' : 'qa.ended_at IS NOT NULL');
    return { cond: where.length ? where.join(' AND ') : '1 = 1', params };
  }

  /** An assignment; undefined when there is none, or none within `scope`. */
  async assignment(id: number, scope?: Scope): Promise<AssignmentView | undefined> {
    const s = assignmentInScope(scope);
    const r = await this.db.get<AssignmentRow & { managed_as: string | null }>(`${VIEW} WHERE qa.id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toView(r);
  }

  /**
   * Every person held now within `scope` (optionally at one site), as the due lists need them: with what they are held
   * as (an arrival, or their kind of contact), site and room. One read of the open assignments (indexed by person, open ones only).
   */
  async heldNow(filter: { siteId?: number }, scope?: Scope): Promise<(Held & { siteId: number | null; room: string | null; startedAt: number })[]> {
    const { cond, params } = this.filtered({ ...filter, open: true }, await personScopeNeeded(this.db, scope));
    const rows = await this.db.all<{ id: number; person_id: number; kind: string; counted_from: number; planned_end: number; site_id: number | null; room: string | null; started_at: number; managed_as: string | null }>(
      `SELECT qa.id, qa.person_id, qa.kind, qa.counted_from, qa.planned_end, qa.site_id, qa.room, qa.started_at, ${MANAGED_AS}
       FROM quarantine_assignments qa LEFT JOIN contacts mk ON mk.id = qa.contact_id WHERE ${cond} ORDER BY qa.id`, params);
    return rows.map((r) => ({
      assignmentId: r.id, personId: r.person_id, kind: r.kind as QuarantineKind, countedFrom: Number(r.counted_from), plannedEnd: Number(r.planned_end),
      managedAs: heldAs(r.managed_as), siteId: r.site_id, room: r.room, startedAt: Number(r.started_at),
    }));
  }

  /** When the persons held now (optionally at one site) had samples taken in [from, to) (epoch seconds), by person. */
  async sampleTimesOfHeld(from: number, to: number, filter: { siteId?: number }): Promise<Map<number, number[]>> {
    const rows = await this.db.all<{ person_id: number; sampled_at: number }>(
      `SELECT s.person_id, s.sampled_at FROM quarantine_assignments qa JOIN samples s ON s.person_id = qa.person_id AND s.sampled_at >= ? AND s.sampled_at < ?
       WHERE qa.ended_at IS NULL${filter.siteId !== undefined ? ' AND qa.site_id = ?' : ''}`, filter.siteId !== undefined ? [from, to, filter.siteId] : [from, to]);
    const out = new Map<number, number[]>();
    for (const r of rows) {
      const list = out.get(r.person_id);
      if (list) list.push(Number(r.sampled_at));
      else out.set(r.person_id, [Number(r.sampled_at)]);
    }
    return out;
  }

  /** Assignments within `scope` matching the filter, in id order, and the total. */
  async assignments(filter: AssignmentFilter, page: PageRequest, scope?: Scope): Promise<Page<AssignmentView> & { total: number }> {
    const { cond, params } = this.filtered(filter, await personScopeNeeded(this.db, scope));
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantine_assignments qa WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<AssignmentRow & { managed_as: string | null }>(`${VIEW} WHERE ${cond} AND qa.id > ? ORDER BY qa.id LIMIT ?`, [...params, page.after ?? 0, page.limit + 1]);
    return { ...toPage(rows, page.limit, toView), total: Number(total) };
  }
}
