/**
 * Daily follow-up: the reports of persons in quarantine or home monitoring, who is under follow-up now with their
 * last report, and the reminders sent. An actor sees a report over the person's home, or over the site of the
 * assignment it was made in.
 */
import type { QuarantineKind, ReportSource } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { indexName } from '../schema.ts';
import { inChunks } from './keys.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import { personIdWithin, personInScope, personScopeNeeded, type Scope } from './scope.ts';
import { assignmentInScope } from './quarantine.ts';

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

/**
 * A person under follow-up: held (an open assignment, until released: `until` null) or in home monitoring (from
 * `since` until `until`), with their last report (epoch seconds).
 */
export interface UnderFollowUpRow {
  personId: number; assignmentId: number | null; kind: QuarantineKind; since: number; until: number | null; siteId: number | null; room: string | null; lastReportAt: number | null;
}

export class FollowUpRepository {
  /**
   * The last reports as the lists join them: from the (person, last report) index alone. SQLite, without planner
   * statistics, would take the unique index on the person and read the table for each of 100,000 persons held (about
   * four times slower: bench:quarantine); PostgreSQL chooses by its statistics.
   */
  private readonly lastReports: string;

  constructor(private readonly db: Db) {
    this.lastReports = db.engine === 'sqlite' ? `follow_up_last fl INDEXED BY ${indexName({ table: 'follow_up_last', columns: ['person_id', 'last_at'] })}` : 'follow_up_last fl';
  }

  async insertReport(r: Omit<FollowUpReport, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO follow_up_reports (person_id, day, at, temperature_c, symptoms, note, reported_by, source, assignment_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [r.personId, r.day, r.at, r.temperatureC, JSON.stringify(r.symptoms), r.note, r.reportedBy, r.source, r.assignmentId]);
    await this.db.run(`INSERT INTO follow_up_last (person_id, last_at) VALUES (?, ?)
                       ON CONFLICT (person_id) DO UPDATE SET last_at = excluded.last_at WHERE excluded.last_at > follow_up_last.last_at`, [r.personId, r.at]);
    return row.id;
  }

  /** The condition (on `r`) that a report is within `scope`: the person lives there, or it was made at a site there. */
  private scoped(scope: Scope): { sql: string; params: SqlValue[] } | null {
    const person = personInScope(scope, 'sp');
    if (!person) return null;
    return {
      // The persons of the scope read once through their region's index (a county's thousands), not one probe per report.
      sql: `(r.person_id IN (SELECT sp.id FROM persons sp WHERE ${person.sql})
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
   * Everyone under follow-up at `now` within `scope` (held: an open assignment, the person living there or the site
   * holding them lying there; in home monitoring: a contact record in home monitoring of a person living there and
   * not held, from their last release, or their identification when never held, for `monitoringDays` of their kind
   * of contact, or a case of theirs discharged or recovered, from the outcome for `monitoringDays.afterDischarge`), optionally at one site (those held there) or one person; filtered by `state` relative to the day
   * starting `todayStart` (missed: no report since; lost: no report and not under follow-up since `lostBefore`),
   * keyed by person id from `after`, at most `limit`; with the counts of the whole (under, reported today, lost).
   * Each person's last report is read from `follow_up_last` (kept with every report). Counted in the database, and
   * the page read in person order, for those held and for those in home monitoring.
   */
  async standings(q: {
    now: number; todayStart: number; lostBefore: number; monitoringDays: { close: number; secondary: number; afterDischarge: number }; siteId?: number; personId?: number;
    state: 'all' | 'missed' | 'lost'; after?: number; limit: number;
  }, asked?: Scope): Promise<{ items: UnderFollowUpRow[]; counts: { under: number; reportedToday: number; lost: number } }> {
    // A scope every person lives under (the province's) is no condition: a million homes are not probed to keep them all.
    const scope = await personScopeNeeded(this.db, asked);
    const held: string[] = ['qa.ended_at IS NULL'];
    const heldParams: SqlValue[] = [];
    const inScope = assignmentInScope(scope);
    if (inScope) { held.push(inScope.sql); heldParams.push(...inScope.params); }
    if (q.siteId !== undefined) { held.push('qa.site_id = ?'); heldParams.push(q.siteId); }
    if (q.personId !== undefined) { held.push('qa.person_id = ?'); heldParams.push(q.personId); }
    type Row = { person_id: number; assignment_id: number | null; kind: string; since: number; until: number | null; site_id: number | null; room: string | null; last_at: number | null };
    // Counted in the database (no row leaves it), paged in person order (the open assignments' index is by person).
    // A statement's parameters in the order of its placeholders: the select list's before the conditions'.
    const lost = (since: string) => `(CASE WHEN fl.last_at > ${since} THEN fl.last_at ELSE ${since} END) < ?`;
    const countSql = (since: string) => `COUNT(*) AS under, SUM(CASE WHEN fl.last_at >= ? THEN 1 ELSE 0 END) AS reported, SUM(CASE WHEN ${lost(since)} THEN 1 ELSE 0 END) AS lost`;
    const pageCond = (since: string): { sql: string; params: SqlValue[] } => (q.state === 'missed' ? { sql: ' AND (fl.last_at IS NULL OR fl.last_at < ?)', params: [q.todayStart] }
      : q.state === 'lost' ? { sql: ` AND ${lost(since)}`, params: [q.lostBefore] } : { sql: '', params: [] });
    const heldFrom = `FROM quarantine_assignments qa LEFT JOIN ${this.lastReports} ON fl.person_id = qa.person_id WHERE ${held.join(' AND ')}`;
    type Counts = { under: number; reported: number | null; lost: number | null };
    const heldCounts = await this.db.get<Counts>(`SELECT ${countSql('qa.started_at')} ${heldFrom}`, [q.todayStart, q.lostBefore, ...heldParams]);
    const hc = pageCond('qa.started_at');
    const rows = await this.db.all<Row>(
      `SELECT qa.person_id, qa.id AS assignment_id, qa.kind, qa.started_at AS since, NULL AS until, qa.site_id, qa.room, fl.last_at ${heldFrom}
         AND qa.person_id > ?${hc.sql} ORDER BY qa.person_id LIMIT ?`, [...heldParams, q.after ?? 0, ...hc.params, q.limit]);
    let monitoredCounts: Counts = { under: 0, reported: 0, lost: 0 };
    if (q.siteId === undefined) {
      // Those in home monitoring and not held: each record from the moment it moved to home monitoring (its release; its
      // identification when never changed) for its kind's days; a person with several, from the earliest start to the
      // latest end of those running now.
      // And the cases discharged or recovered, under management after discharge for the edition's days from the outcome.
      const home = personIdWithin(scope, 'k.person_id');
      const caseHome = personIdWithin(scope, 'c.person_id');
      const one = q.personId !== undefined ? [q.personId] : [];
      const m = `(SELECT r.person_id, MIN(r.since) AS since, MAX(r.until) AS until
                  FROM (SELECT k.person_id, COALESCE(k.status_at, k.identified_at) AS since,
                               COALESCE(k.status_at, k.identified_at) + CASE WHEN k.kind = 'secondary' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END AS until
                        FROM contacts k WHERE k.status = 'home_monitoring'${home ? ` AND ${home.sql}` : ''}${q.personId !== undefined ? ' AND k.person_id = ?' : ''}
                          AND NOT EXISTS (SELECT 1 FROM quarantine_assignments o WHERE o.person_id = k.person_id AND o.ended_at IS NULL)
                        UNION ALL
                        SELECT c.person_id, c.outcome_at AS since, c.outcome_at + CAST(? AS BIGINT) AS until
                        FROM cases c WHERE c.outcome IN ('discharged', 'recovered') AND c.outcome_at IS NOT NULL AND c.withdrawn_at IS NULL${caseHome ? ` AND ${caseHome.sql}` : ''}${q.personId !== undefined ? ' AND c.person_id = ?' : ''}
                          AND NOT EXISTS (SELECT 1 FROM quarantine_assignments o WHERE o.person_id = c.person_id AND o.ended_at IS NULL)) r
                  WHERE r.since <= ? AND r.until > ? GROUP BY r.person_id) m`;
      const mParams: SqlValue[] = [
        q.monitoringDays.secondary * 86_400, q.monitoringDays.close * 86_400, ...(home?.params ?? []), ...one,
        q.monitoringDays.afterDischarge * 86_400, ...(caseHome?.params ?? []), ...one, q.now, q.now,
      ];
      const mFrom = `FROM ${m} LEFT JOIN ${this.lastReports} ON fl.person_id = m.person_id`;
      monitoredCounts = (await this.db.get<Counts>(`SELECT ${countSql('m.since')} ${mFrom}`, [q.todayStart, q.lostBefore, ...mParams]))!;
      const mc = pageCond('m.since');
      rows.push(...await this.db.all<Row>(
        `SELECT m.person_id, NULL AS assignment_id, 'home_monitoring' AS kind, m.since, m.until, NULL AS site_id, NULL AS room, fl.last_at ${mFrom}
         WHERE m.person_id > ?${mc.sql} ORDER BY m.person_id LIMIT ?`, [...mParams, q.after ?? 0, ...mc.params, q.limit]));
      rows.sort((a, b) => a.person_id - b.person_id);
    }
    const n = (x: number | null | undefined) => Number(x ?? 0);
    return {
      items: rows.slice(0, q.limit).map((r) => ({
        personId: r.person_id, assignmentId: r.assignment_id, kind: r.kind as QuarantineKind, since: Number(r.since), until: r.until === null ? null : Number(r.until),
        siteId: r.site_id, room: r.room, lastReportAt: r.last_at === null ? null : Number(r.last_at),
      })),
      counts: {
        under: n(heldCounts?.under) + n(monitoredCounts.under), reportedToday: n(heldCounts?.reported) + n(monitoredCounts.reported), lost: n(heldCounts?.lost) + n(monitoredCounts.lost),
      },
    };
  }

  /** The last report of each of `personIds` (the latest recorded of its last second), by person; none for one never reported. */
  async lastReportsOf(personIds: readonly number[]): Promise<Map<number, FollowUpReport>> {
    const rows = await inChunks<ReportRow>(this.db, personIds, (ph) => `SELECT r.* FROM follow_up_last fl JOIN follow_up_reports r ON r.person_id = fl.person_id AND r.at = fl.last_at
                                                                         WHERE fl.person_id IN (${ph}) ORDER BY r.id`);
    return new Map(rows.map((r) => [r.person_id, toReport(r)]));
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
