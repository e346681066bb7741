/**
 * Designated hospitals, the admissions of cases to them with severity over time and treatments, and the expert teams
 * dispatched to them. A hospital is within reach of an actor of its region or of a region inside it (placeInScope, as
 * quarantine sites); an admission is seen over the case's person or over the hospital.
 */
import type { DischargeOutcome, HospitalKind, Severity, TreatmentKind } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import { personInScope, placeInScope, type Scope } from './scope.ts';

export interface Hospital { id: number; name: string; kind: HospitalKind; regionCode: string; address: string | null; beds: number; icuBeds: number; designatedAt: number }
/** A hospital with its patients now: admitted, and severe or critical among them. */
export type HospitalWithLoad = Hospital & { inHospital: number; severeOrCritical: number };

export interface Admission {
  id: number; caseId: number; hospitalId: number; admittedAt: number; severity: Severity; dischargedAt: number | null; outcome: DischargeOutcome | null;
  followUpUntil: number | null; admittedBy: string; note: string | null;
}
/** An admission with its case's number and person (for lists). */
export type AdmissionView = Admission & { caseNo: string; personId: number; tcm: boolean };
export interface SeverityChange { id: number; admissionId: number; severity: Severity; at: number; recordedBy: string; note: string | null }
export interface Treatment { id: number; admissionId: number; kind: TreatmentKind; tcm: boolean; startedAt: number; recordedBy: string; note: string | null }
export interface ExpertMember { name: string; title: string; institution: string }
export interface ExpertTeam { id: number; name: string; specialty: string; members: ExpertMember[]; hospitalId: number; fromAt: number; toAt: number | null; dispatchedBy: string }

interface HospitalRow { id: number; name: string; kind: string; region_code: string; address: string | null; beds: number; icu_beds: number; designated_at: number }
const toHospital = (r: HospitalRow): Hospital => ({
  id: r.id, name: r.name, kind: r.kind as HospitalKind, regionCode: r.region_code, address: r.address, beds: Number(r.beds), icuBeds: Number(r.icu_beds), designatedAt: Number(r.designated_at),
});
interface AdmissionRow {
  id: number; case_id: number; hospital_id: number; admitted_at: number; severity: string; discharged_at: number | null; outcome: string | null; follow_up_until: number | null;
  admitted_by: string; note: string | null;
}
const toAdmission = (r: AdmissionRow): Admission => ({
  id: r.id, caseId: r.case_id, hospitalId: r.hospital_id, admittedAt: Number(r.admitted_at), severity: r.severity as Severity,
  dischargedAt: r.discharged_at === null ? null : Number(r.discharged_at), outcome: r.outcome as DischargeOutcome | null,
  followUpUntil: r.follow_up_until === null ? null : Number(r.follow_up_until), admittedBy: r.admitted_by, note: r.note,
});
const VIEW = `SELECT a.*, c.case_no, c.person_id, CASE WHEN EXISTS (SELECT 1 FROM treatments t WHERE t.admission_id = a.id AND t.tcm = 1) THEN 1 ELSE 0 END AS tcm
              FROM admissions a JOIN cases c ON c.id = a.case_id`;
const toView = (r: AdmissionRow & { case_no: string; person_id: number; tcm: number }): AdmissionView => ({ ...toAdmission(r), caseNo: r.case_no, personId: r.person_id, tcm: Number(r.tcm) === 1 });

/** Filters of the admissions list: one hospital, in hospital now, in follow-up after discharge at `followUpAt`. */
export interface AdmissionFilter { hospitalId?: number; open?: boolean; followUpAt?: number; caseId?: number }

export class HospitalRepository {
  constructor(private readonly db: Db) {}

  async insertHospital(h: Omit<Hospital, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO hospitals (name, kind, region_code, address, beds, icu_beds, designated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [h.name, h.kind, h.regionCode, h.address, h.beds, h.icuBeds, h.designatedAt]);
    return row.id;
  }

  /** A hospital; undefined when there is none, or none within reach of `scope`. */
  async hospital(id: number, scope?: Scope): Promise<Hospital | undefined> {
    const s = placeInScope(scope);
    const r = await this.db.get<HospitalRow>(`SELECT * FROM hospitals WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toHospital(r);
  }

  async hospitalByName(regionCode: string, name: string): Promise<Hospital | undefined> {
    const r = await this.db.get<HospitalRow>('SELECT * FROM hospitals WHERE region_code = ? AND LOWER(name) = LOWER(?)', [regionCode, name]);
    return r && toHospital(r);
  }

  /** Takes the hospital's row lock until the transaction ends (two admissions count its beds one after the other). */
  async lockHospital(id: number): Promise<void> {
    await this.db.run('UPDATE hospitals SET beds = beds WHERE id = ?', [id]);
  }

  /** Hospitals within reach of `scope`, in id order, each with its patients now, and the total. */
  async hospitals(page: PageRequest, scope?: Scope): Promise<Page<HospitalWithLoad> & { total: number }> {
    const s = placeInScope(scope);
    const cond = s ? s.sql : '1 = 1';
    const params = s?.params ?? [];
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM hospitals WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<HospitalRow & { in_hospital: number | null; severe: number | null }>(
      `SELECT h.*, l.in_hospital, l.severe FROM (SELECT * FROM hospitals WHERE ${cond} AND id > ? ORDER BY id LIMIT ?) h
       LEFT JOIN (SELECT hospital_id, COUNT(*) AS in_hospital, SUM(CASE WHEN severity IN ('severe', 'critical') THEN 1 ELSE 0 END) AS severe
                  FROM admissions WHERE discharged_at IS NULL GROUP BY hospital_id) l ON l.hospital_id = h.id
       ORDER BY h.id`, [...params, page.after ?? 0, page.limit + 1]);
    return { ...toPage(rows, page.limit, (r) => ({ ...toHospital(r), inHospital: Number(r.in_hospital ?? 0), severeOrCritical: Number(r.severe ?? 0) })), total: Number(total) };
  }

  /** Patients in hospital `id` now. */
  async inHospital(id: number): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM admissions WHERE hospital_id = ? AND discharged_at IS NULL', [id]))!.n);
  }

  async insertAdmission(a: Omit<Admission, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO admissions (case_id, hospital_id, admitted_at, severity, discharged_at, outcome, follow_up_until, admitted_by, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [a.caseId, a.hospitalId, a.admittedAt, a.severity, a.dischargedAt, a.outcome, a.followUpUntil, a.admittedBy, a.note]);
    return row.id;
  }

  /** The case's admission open now, if any (there is at most one). */
  async openAdmissionOf(caseId: number): Promise<Admission | undefined> {
    const r = await this.db.get<AdmissionRow>('SELECT * FROM admissions WHERE case_id = ? AND discharged_at IS NULL', [caseId]);
    return r && toAdmission(r);
  }

  async setSeverity(admissionId: number, severity: Severity): Promise<void> {
    await this.db.run('UPDATE admissions SET severity = ? WHERE id = ?', [severity, admissionId]);
  }

  /** Ends an open admission; false when it had ended already. */
  async discharge(admissionId: number, at: number, outcome: DischargeOutcome, followUpUntil: number | null): Promise<boolean> {
    return (await this.db.run('UPDATE admissions SET discharged_at = ?, outcome = ?, follow_up_until = ? WHERE id = ? AND discharged_at IS NULL', [at, outcome, followUpUntil, admissionId])) > 0;
  }

  async insertSeverityChange(c: Omit<SeverityChange, 'id'>): Promise<void> {
    await this.db.run('INSERT INTO severity_changes (admission_id, severity, at, recorded_by, note) VALUES (?, ?, ?, ?, ?)', [c.admissionId, c.severity, c.at, c.recordedBy, c.note]);
  }

  async severityChanges(admissionId: number): Promise<SeverityChange[]> {
    const rows = await this.db.all<{ id: number; admission_id: number; severity: string; at: number; recorded_by: string; note: string | null }>(
      'SELECT * FROM severity_changes WHERE admission_id = ? ORDER BY at, id', [admissionId]);
    return rows.map((r) => ({ id: r.id, admissionId: r.admission_id, severity: r.severity as Severity, at: Number(r.at), recordedBy: r.recorded_by, note: r.note }));
  }

  async insertTreatment(t: Omit<Treatment, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO treatments (admission_id, kind, tcm, started_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [t.admissionId, t.kind, t.tcm ? 1 : 0, t.startedAt, t.recordedBy, t.note]);
    return row.id;
  }

  async treatments(admissionId: number): Promise<Treatment[]> {
    const rows = await this.db.all<{ id: number; admission_id: number; kind: string; tcm: number; started_at: number; recorded_by: string; note: string | null }>(
      'SELECT * FROM treatments WHERE admission_id = ? ORDER BY started_at, id', [admissionId]);
    return rows.map((r) => ({ id: r.id, admissionId: r.admission_id, kind: r.kind as TreatmentKind, tcm: Number(r.tcm) === 1, startedAt: Number(r.started_at), recordedBy: r.recorded_by, note: r.note }));
  }

  /** The condition (on `a`) that an admission is within `scope`: the case's person lives there, or the hospital lies there. */
  private scoped(scope: Scope): { sql: string; params: SqlValue[] } | null {
    const person = personInScope(scope, 'sp');
    if (!person) return null;
    return {
      sql: `(a.hospital_id IN (SELECT h.id FROM hospitals h WHERE h.region_code LIKE ?) OR EXISTS (SELECT 1 FROM cases sc JOIN persons sp ON sp.id = sc.person_id WHERE sc.id = a.case_id AND ${person.sql}))`,
      params: [`${scope}%`, ...person.params],
    };
  }

  /** An admission; undefined when there is none, or none within `scope`. */
  async admission(id: number, scope?: Scope): Promise<AdmissionView | undefined> {
    const s = this.scoped(scope);
    const r = await this.db.get<AdmissionRow & { case_no: string; person_id: number; tcm: number }>(`${VIEW} WHERE a.id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toView(r);
  }

  /** Admissions within `scope` matching the filter, in id order, and the total. */
  async admissions(filter: AdmissionFilter, page: PageRequest, scope?: Scope): Promise<Page<AdmissionView> & { total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = this.scoped(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.hospitalId !== undefined) { where.push('a.hospital_id = ?'); params.push(filter.hospitalId); }
    if (filter.caseId !== undefined) { where.push('a.case_id = ?'); params.push(filter.caseId); }
    if (filter.open !== undefined) where.push(filter.open ? 'a.discharged_at IS NULL' : 'a.discharged_at IS NOT NULL');
    if (filter.followUpAt !== undefined) { where.push('a.follow_up_until > ? AND a.discharged_at <= ?'); params.push(filter.followUpAt, filter.followUpAt); }
    const cond = where.length ? where.join(' AND ') : '1 = 1';
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM admissions a WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<AdmissionRow & { case_no: string; person_id: number; tcm: number }>(`${VIEW} WHERE ${cond} AND a.id > ? ORDER BY a.id LIMIT ?`, [...params, page.after ?? 0, page.limit + 1]);
    return { ...toPage(rows, page.limit, toView), total: Number(total) };
  }

  /**
   * The TCM participation rate by hospital within reach of `scope`: cases admitted (ever), and those with at least one
   * treatment flagged TCM. One grouped read.
   */
  async tcmByHospital(scope?: Scope): Promise<{ hospitalId: number; name: string; regionCode: string; admitted: number; withTcm: number }[]> {
    const s = placeInScope(scope, 'h.region_code');
    const rows = await this.db.all<{ id: number; name: string; region_code: string; admitted: number; with_tcm: number | null }>(
      `SELECT h.id, h.name, h.region_code, COUNT(DISTINCT a.case_id) AS admitted,
              COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM treatments t WHERE t.admission_id = a.id AND t.tcm = 1) THEN a.case_id END) AS with_tcm
       FROM hospitals h LEFT JOIN admissions a ON a.hospital_id = h.id
       ${s ? `WHERE ${s.sql}` : ''} GROUP BY h.id, h.name, h.region_code ORDER BY h.id`, s?.params ?? []);
    return rows.map((r) => ({ hospitalId: r.id, name: r.name, regionCode: r.region_code, admitted: Number(r.admitted), withTcm: Number(r.with_tcm ?? 0) }));
  }

  /** Cases admitted anywhere in the province, and those with a TCM treatment (distinct cases). */
  async tcmProvince(): Promise<{ admitted: number; withTcm: number }> {
    const r = await this.db.get<{ admitted: number; with_tcm: number | null }>(
      `SELECT COUNT(DISTINCT a.case_id) AS admitted, COUNT(DISTINCT CASE WHEN t.id IS NOT NULL THEN a.case_id END) AS with_tcm
       FROM admissions a LEFT JOIN treatments t ON t.admission_id = a.id AND t.tcm = 1`);
    return { admitted: Number(r?.admitted ?? 0), withTcm: Number(r?.with_tcm ?? 0) };
  }

  async insertTeam(t: Omit<ExpertTeam, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO expert_teams (name, specialty, members, hospital_id, from_at, to_at, dispatched_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [t.name, t.specialty, JSON.stringify(t.members), t.hospitalId, t.fromAt, t.toAt, t.dispatchedBy]);
    return row.id;
  }

  /** Expert teams at hospitals within reach of `scope` (optionally one hospital), in the order dispatched, and the total. */
  async teams(filter: { hospitalId?: number }, page: PageRequest, scope?: Scope): Promise<Page<ExpertTeam> & { total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = placeInScope(scope, 'h.region_code');
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.hospitalId !== undefined) { where.push('e.hospital_id = ?'); params.push(filter.hospitalId); }
    const cond = where.length ? where.join(' AND ') : '1 = 1';
    const from = 'FROM expert_teams e JOIN hospitals h ON h.id = e.hospital_id';
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from} WHERE ${cond}`, params))!.n;
    const rows = await this.db.all<{ id: number; name: string; specialty: string; members: unknown; hospital_id: number; from_at: number; to_at: number | null; dispatched_by: string }>(
      `SELECT e.* ${from} WHERE ${cond} AND e.id > ? ORDER BY e.id LIMIT ?`, [...params, page.after ?? 0, page.limit + 1]);
    return {
      ...toPage(rows, page.limit, (r) => ({
        id: r.id, name: r.name, specialty: r.specialty, members: fromJson<ExpertMember[]>(r.members), hospitalId: r.hospital_id, fromAt: Number(r.from_at),
        toAt: r.to_at === null ? null : Number(r.to_at), dispatchedBy: r.dispatched_by,
      })),
      total: Number(total),
    };
  }
}
