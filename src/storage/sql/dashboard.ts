/**
 * The command dashboard's reads: a region's cases, contacts, samples and tasks counted for one day and broken down by
 * the units one level below it, in a few aggregate queries whatever the size of the province (no row per resident
 * reaches the process). A person lies where they live (their community, or their grid); a task at its unit.
 */
import type { Region } from '../../domain/model/index.ts';
import { CODE_LENGTH, OPEN_TASK_STATUSES, type RegionLevel, type TaskStatus } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks } from './keys.ts';
import { codeWithin, personInScope } from './scope.ts';
import { MANAGED_CONTACT } from './stats.ts';

/** A day (China time) as the half-open interval of epoch seconds [start, end). */
export interface DayWindow { start: number; end: number }

/** A standing case of the region, with where its person lives. */
export interface DashboardCase { caseId: number; personId: number; onsetAt: number | null; confirmedAt: number; communityCode: string; gridCode: string | null }

/** Contacts under management counted for one unit below the region (`unit` null: none of them, e.g. a person without a grid). */
export interface ContactCounts { unit: string | null; contacts: number; inQuarantine: number; testsDue: number }

/** Tasks of one level, status and kind: how many, past their deadline, whose status changed on the day, and of those by their deadline. */
export interface TaskCounts { level: RegionLevel; status: TaskStatus; kind: string; count: number; pastDue: number; onDay: number; onDayInTime: number }

/** An open task past its deadline or escalated. */
export interface LateTask { id: number; kind: string; title: string; level: RegionLevel; regionCode: string; regionName: string | null; dueAt: number; status: string; escalatedTo: string | null; escalatedToName: string | null }

/** A moment column falling within one of several windows (the due days of required tests): SQL and parameters. */
export interface Windows { column: 'last_exposure' | 'identified_at'; kind: 'close' | 'secondary'; ranges: DayWindow[] }

const OPEN = "status NOT IN ('done', 'cancelled')";

/**
 * The condition that person row `p` lives in `region` (nothing for the province: every resident is Hunan's; a grid's
 * persons are those of its community in it).
 */
function personWhere(region: Region): { where: string; params: SqlValue[] } {
  const c = region.level === 'province' ? null : region.level === 'grid' ? personInScope(region.code, 'p') : codeWithin('p.community_code', region.code);
  return { where: c ? ` AND ${c.sql}` : '', params: c?.params ?? [] };
}

/** The condition that a contact record's home (`column`: its person's grid, else community; migration 15) lies in `region` (nothing for the province). */
function homeWhere(region: Region, column: string): { where: string; params: SqlValue[] } {
  if (region.level === 'province') return { where: '', params: [] };
  const c = codeWithin(column, region.code);
  return { where: ` AND ${c.sql}`, params: c.params };
}

/** The expression naming the unit of `childLevel` a home (`column`) lies in: its prefix, or the home itself when it is a grid ('NULL' without a level). */
function unitOfHome(childLevel: RegionLevel | null, column: string): string {
  if (!childLevel) return 'NULL';
  const len = CODE_LENGTH[childLevel];
  return len === CODE_LENGTH.grid ? `CASE WHEN length(${column}) = ${len} THEN ${column} END` : `substr(${column}, 1, ${len})`;
}

/** The condition that a task's unit lies in `region`. */
function taskWhere(region: Region): { where: string; params: SqlValue[] } {
  if (region.level === 'province') return { where: '', params: [] };
  const c = codeWithin('region_code', region.code);
  return { where: ` AND ${c.sql}`, params: c.params };
}

export class DashboardRepository {
  constructor(private readonly db: Db) {}

  /** The standing cases (not withdrawn) of persons living in `region` confirmed before `until`. */
  async cases(region: Region, until: number): Promise<DashboardCase[]> {
    const w = personWhere(region);
    const rows = await this.db.all<{ id: number; person_id: number; onset_at: number | null; confirmed_at: number; community_code: string; grid_code: string | null }>(
      `SELECT c.id, c.person_id, c.onset_at, c.confirmed_at, p.community_code, p.grid_code FROM cases c JOIN persons p ON p.id = c.person_id
       WHERE c.withdrawn_at IS NULL AND c.confirmed_at < ?${w.where}`, [until, ...w.params]);
    return rows.map((r) => ({ caseId: r.id, personId: r.person_id, onsetAt: r.onset_at, confirmedAt: r.confirmed_at, communityCode: r.community_code, gridCode: r.grid_code }));
  }

  /**
   * Of these cases (id and person), those whose person was already a recorded contact (any kind) of another case
   * before the case's confirmation: the case ids.
   */
  async casesAmongKnownContacts(cases: readonly { caseId: number; personId: number; confirmedAt: number }[]): Promise<Set<number>> {
    const rows = await inChunks<{ person_id: number; index_case_id: number; identified_at: number }>(this.db, [...new Set(cases.map((c) => c.personId))],
      (ph) => `SELECT person_id, index_case_id, identified_at FROM contacts WHERE person_id IN (${ph})`);
    const out = new Set<number>();
    for (const c of cases) if (rows.some((r) => r.person_id === c.personId && r.index_case_id !== c.caseId && r.identified_at < c.confirmedAt)) out.add(c.caseId);
    return out;
  }

  /**
   * Persons under management as contacts in `region`, by the unit below it where they live: all of them, those in
   * quarantine (a contact record in quarantine), and those with a required test due (`due`: the windows in which the
   * moment a schedule is counted from must lie for one of its test days to fall due on the day).
   */
  async contacts(region: Region, childLevel: RegionLevel | null, due: readonly Windows[]): Promise<ContactCounts[]> {
    const w = homeWhere(region, 'ct.home_code');
    const unit = unitOfHome(childLevel, 'm.home_code');
    const dueParams: SqlValue[] = [];
    const dueSql = due.filter((d) => d.ranges.length > 0).map((d) => {
      dueParams.push(d.kind, ...d.ranges.flatMap((r) => [r.start, r.end]));
      return `(ct.kind = ? AND (${d.ranges.map(() => `(ct.${d.column} >= ? AND ct.${d.column} < ?)`).join(' OR ')}))`;
    });
    // Each person once, from the index of contacts by home and person (migration 15): a person's records lie together
    // there (they share the person's home), so they are grouped in the index's order; a region's are a range of it.
    const sql = `SELECT ${unit} AS unit, COUNT(*) AS contacts, SUM(m.q) AS in_quarantine, SUM(m.d) AS tests_due
       FROM (SELECT ct.home_code, ct.person_id, MAX(CASE WHEN ct.status = 'in_quarantine' THEN 1 ELSE 0 END) AS q,
                    MAX(CASE WHEN ${dueSql.length ? dueSql.join(' OR ') : '1 = 0'} THEN 1 ELSE 0 END) AS d
             FROM contacts ct
             WHERE ${MANAGED_CONTACT}${w.where}
             GROUP BY ct.home_code, ct.person_id) m
       GROUP BY 1`;
    const rows = await this.db.all<{ unit: string | null; contacts: number; in_quarantine: number; tests_due: number }>(sql, [...dueParams, ...w.params]);
    return rows.map((r) => ({ unit: r.unit, contacts: r.contacts, inQuarantine: r.in_quarantine, testsDue: r.tests_due }));
  }

  /**
   * Close and secondary contact records of standing cases created on `day` for persons living in `region`, and of
   * those how many were created within `withinSeconds` of their index case's confirmation.
   */
  async contactsFound(region: Region, day: DayWindow, withinSeconds: number): Promise<{ found: number; within: number }> {
    const w = homeWhere(region, 'ct.home_code');
    const r = await this.db.get<{ found: number; within: number | null }>(
      `SELECT COUNT(*) AS found, SUM(CASE WHEN ct.identified_at <= ix.confirmed_at + ? THEN 1 ELSE 0 END) AS within
       FROM contacts ct JOIN cases ix ON ix.id = ct.index_case_id
       WHERE ct.identified_at >= ? AND ct.identified_at < ? AND ct.kind IN ('close', 'secondary') AND ix.withdrawn_at IS NULL${w.where}`,
      [withinSeconds, day.start, day.end, ...w.params]);
    return { found: r?.found ?? 0, within: r?.within ?? 0 };
  }

  /**
   * Samples taken on `day` from persons living in `region`: the province's by the moment taken alone; a region's the
   * day's samples whose person is among its residents (their ids from the index on their community: no person is read).
   */
  async samplesTaken(region: Region, day: DayWindow): Promise<number> {
    const w = personWhere(region);
    return (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM samples s WHERE s.sampled_at >= ? AND s.sampled_at < ?${w.where ? ` AND s.person_id IN (SELECT p.id FROM persons p WHERE 1 = 1${w.where})` : ''}`,
      [day.start, day.end, ...w.params]))!.n;
  }

  /**
   * Tasks at units in `region` by level, status and kind: how many, how many past their deadline at `now`, how many
   * whose status changed on `day`, and of those how many by their deadline (a task done on the day: done on time).
   */
  async taskCounts(region: Region, now: number, day: DayWindow): Promise<TaskCounts[]> {
    const w = taskWhere(region);
    const onDay = 'status_at >= ? AND status_at < ?';
    const rows = await this.db.all<{ level: string; status: string; kind: string; n: number; past_due: number; on_day: number; on_day_in_time: number }>(
      `SELECT level, status, kind, COUNT(*) AS n, SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) AS past_due,
              SUM(CASE WHEN ${onDay} THEN 1 ELSE 0 END) AS on_day, SUM(CASE WHEN ${onDay} AND status_at <= due_at THEN 1 ELSE 0 END) AS on_day_in_time
       FROM tasks WHERE 1 = 1${w.where} GROUP BY level, status, kind`,
      [now, day.start, day.end, day.start, day.end, ...w.params]);
    return rows.map((r) => ({ level: r.level as RegionLevel, status: r.status as TaskStatus, kind: r.kind, count: r.n, pastDue: r.past_due, onDay: r.on_day, onDayInTime: r.on_day_in_time }));
  }

  /** Open tasks (neither done nor cancelled) at units in `region` by the unit below it: how many, and how many past their deadline at `now`. */
  async openTasksByUnit(region: Region, childLevel: RegionLevel, now: number): Promise<{ unit: string; open: number; overdue: number }[]> {
    const w = taskWhere(region);
    const rows = await this.db.all<{ unit: string; open: number; overdue: number }>(
      `SELECT substr(region_code, 1, ${CODE_LENGTH[childLevel]}) AS unit, COUNT(*) AS open, SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) AS overdue
       FROM tasks WHERE status IN (${OPEN_TASK_STATUSES.map(() => '?').join(', ')})${w.where} GROUP BY 1`, [now, ...OPEN_TASK_STATUSES, ...w.params]);
    return rows.map((r) => ({ unit: r.unit, open: r.open, overdue: r.overdue }));
  }

  /**
   * Open tasks at units in `region` past their deadline at `now` or escalated: those past their deadline first, then
   * by deadline and id; at most `limit`, with the names of their unit and of the unit they were escalated to.
   */
  async lateTasks(region: Region, now: number, limit: number): Promise<LateTask[]> {
    const w = taskWhere(region);
    const rows = await this.db.all<{ id: number; kind: string; title: string; level: string; region_code: string; name: string | null; due_at: number; status: string; escalated_to: string | null; escalated_to_name: string | null }>(
      `SELECT t.id, t.kind, t.title, t.level, t.region_code, r.name, t.due_at, t.status, t.escalated_to, e.name AS escalated_to_name
       FROM (SELECT id, kind, title, level, region_code, due_at, status, escalated_to FROM tasks
             WHERE ${OPEN} AND (due_at < ? OR status = 'escalated')${w.where}
             ORDER BY CASE WHEN due_at < ? THEN 0 ELSE 1 END, due_at, id LIMIT ?) t
       LEFT JOIN regions r ON r.code = t.region_code LEFT JOIN regions e ON e.code = t.escalated_to
       ORDER BY CASE WHEN t.due_at < ? THEN 0 ELSE 1 END, t.due_at, t.id`,
      [now, ...w.params, now, limit, now]);
    return rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, level: r.level as RegionLevel, regionCode: r.region_code, regionName: r.name, dueAt: r.due_at, status: r.status, escalatedTo: r.escalated_to, escalatedToName: r.escalated_to_name }));
  }
}
