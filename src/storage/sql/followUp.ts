/**
 * Daily follow-up: the reports of persons in quarantine or home monitoring, who is under follow-up now with their
 * last report, and the reminders sent. An actor sees a report over the person's home, or over the site of the
 * assignment it was made in.
 */
import type { QuarantineKind, ReportSource } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks } from './keys.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import { personInScope, type Scope } from './scope.ts';

/** A daily follow-up report as stored (times in epoch seconds; `day` the China Standard Time day it counts for). */
export interface FollowUpReport {
  id: number; personId: number; day: string; at: number; temperatureC: number | null; symptoms: string[]; note: string | null;
  reportedBy: string; source: ReportSource; assignmentId: number | null;
}

interface ReportRow {
  id: number; person_id: number; day: string; at: number; temperature_c: number | null; symptoms: unknown; note: string | null; reported_by: string; source: string; assignment_id: number | null;
}
const toReport = (r: ReportRow): FollowUpReport => ({
  id: r.id, personId: r.person_id, day: r.day, at: Number(r.at), temperatureC: r.temperature_c === null ? null : Number(r.temperature_c), symptoms: fromJson<string[]>(r.symptoms),
  note: r.note, reportedBy: r.reported_by, source: r.source as ReportSource, assignmentId: r.assignment_id,
});

/** A person held now (an open assignment), with their last report. */
export interface HeldForFollowUp { personId: number; assignmentId: number; kind: QuarantineKind; startedAt: number; siteId: number | null; room: string | null; lastReportAt: number | null }
/** A contact record in home monitoring of a person not held, with when they were last released and their last report. */
export interface MonitoredForFollowUp { personId: number; managedAs: string; lastExposure: number; identifiedAt: number; releasedAt: number | null; lastReportAt: number | null }

export class FollowUpRepository {
  constructor(private readonly db: Db) {}

  async insertReport(r: Omit<FollowUpReport, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO follow_up_reports (person_id, day, at, temperature_c, symptoms, note, reported_by, source, assignment_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [r.personId, r.day, r.at, r.temperatureC, JSON.stringify(r.symptoms), r.note, r.reportedBy, r.source, r.assignmentId]);
    return row.id;
  }

  /** The condition (on `r`) that a report is within `scope`: the person lives there, or it was made at a site there. */
  private scoped(scope: Scope): { sql: string; params: SqlValue[] } | null {
    const person = personInScope(scope, 'sp');
    if (!person) return null;
    return {
      sql: `(EXISTS (SELECT 1 FROM persons sp WHERE sp.id = r.person_id AND ${person.sql})
             OR r.assignment_id IN (SELECT qa.id FROM quarantine_assignments qa JOIN quarantine_sites qs ON qs.id = qa.site_id WHERE qs.region_code LIKE ?))`,
      params: [...person.params, `${scope}%`],
    };
  }

  /** Reports within `scope` (optionally of one person, of one day), the latest first, and the total. */
  async reports(filter: { personId?: number; day?: string }, page: PageRequest, scope?: Scope): Promise<Page<FollowUpReport> & { total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = this.scoped(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.personId !== undefined) { where.push('r.person_id = ?'); params.push(filter.personId); }
    if (filter.day !== undefined) { where.push('r.day = ?'); params.push(filter.day); }
    const cond = where.length ? where.join(' AND ') : '1 = 1';
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM follow_up_reports r WHERE ${cond}`, params))!.n;
    // Latest first: the cursor is the last id seen, ids falling.
    const rows = await this.db.all<ReportRow>(`SELECT r.* FROM follow_up_reports r WHERE ${cond}${page.after ? ' AND r.id < ?' : ''} ORDER BY r.id DESC LIMIT ?`, [...params, ...(page.after ? [page.after] : []), page.limit + 1]);
    return { ...toPage(rows, page.limit, toReport), total: Number(total) };
  }

  /**
   * Persons held now within `scope` (the person lives there or the site holding them lies there; optionally at one
   * site), with their last report. One read of the open assignments; the last report by the (person, time) index.
   */
  async held(filter: { siteId?: number; personId?: number }, scope?: Scope): Promise<HeldForFollowUp[]> {
    const where = ['qa.ended_at IS NULL'];
    const params: SqlValue[] = [];
    const person = personInScope(scope, 'sp');
    if (person) {
      where.push(`(qa.site_id IN (SELECT qs.id FROM quarantine_sites qs WHERE qs.region_code LIKE ?) OR EXISTS (SELECT 1 FROM persons sp WHERE sp.id = qa.person_id AND ${person.sql}))`);
      params.push(`${scope}%`, ...person.params);
    }
    if (filter.siteId !== undefined) { where.push('qa.site_id = ?'); params.push(filter.siteId); }
    if (filter.personId !== undefined) { where.push('qa.person_id = ?'); params.push(filter.personId); }
    const rows = await this.db.all<{ id: number; person_id: number; kind: string; started_at: number; site_id: number | null; room: string | null; last_report: number | null }>(
      `SELECT qa.id, qa.person_id, qa.kind, qa.started_at, qa.site_id, qa.room, (SELECT MAX(r.at) FROM follow_up_reports r WHERE r.person_id = qa.person_id) AS last_report
       FROM quarantine_assignments qa WHERE ${where.join(' AND ')}`, params);
    return rows.map((r) => ({
      personId: r.person_id, assignmentId: r.id, kind: r.kind as QuarantineKind, startedAt: Number(r.started_at), siteId: r.site_id, room: r.room,
      lastReportAt: r.last_report === null ? null : Number(r.last_report),
    }));
  }

  /**
   * Contact records in home monitoring (optionally of one person) of persons living within `scope` who are not held now, each with the last end
   * of the person's quarantine (their release) and their last report.
   */
  async monitored(filter: { personId?: number }, scope?: Scope): Promise<MonitoredForFollowUp[]> {
    const person = personInScope(scope, 'p');
    const one = filter.personId !== undefined;
    const rows = await this.db.all<{ person_id: number; kind: string; last_exposure: number; identified_at: number; released_at: number | null; last_report: number | null }>(
      `SELECT k.person_id, k.kind, k.last_exposure, k.identified_at,
              (SELECT MAX(qa.ended_at) FROM quarantine_assignments qa WHERE qa.person_id = k.person_id) AS released_at,
              (SELECT MAX(r.at) FROM follow_up_reports r WHERE r.person_id = k.person_id) AS last_report
       FROM contacts k${person ? ` JOIN persons p ON p.id = k.person_id AND ${person.sql}` : ''}
       WHERE k.status = 'home_monitoring'${one ? ' AND k.person_id = ?' : ''}
         AND NOT EXISTS (SELECT 1 FROM quarantine_assignments o WHERE o.person_id = k.person_id AND o.ended_at IS NULL)`, [...(person?.params ?? []), ...(one ? [filter.personId!] : [])]);
    return rows.map((r) => ({
      personId: r.person_id, managedAs: r.kind, lastExposure: Number(r.last_exposure), identifiedAt: Number(r.identified_at),
      releasedAt: r.released_at === null ? null : Number(r.released_at), lastReportAt: r.last_report === null ? null : Number(r.last_report),
    }));
  }

  /** Records a reminder to a person for a day; false when one was sent that day already (nothing written). */
  async recordReminder(personId: number, day: string, at: number, by: string): Promise<boolean> {
    return (await this.db.run('INSERT INTO follow_up_reminders (person_id, day, sent_at, sent_by) VALUES (?, ?, ?, ?) ON CONFLICT (person_id, day) DO NOTHING', [personId, day, at, by])) > 0;
  }

  /** Of these persons, those reminded on `day`. */
  async remindedOn(day: string, personIds: readonly number[]): Promise<Set<number>> {
    const rows = await inChunks<{ person_id: number }>(this.db, personIds, (ph) => `SELECT person_id FROM follow_up_reminders WHERE person_id IN (${ph}) AND day = ?`, [day]);
    return new Set(rows.map((r) => r.person_id));
  }
}
