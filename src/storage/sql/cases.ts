/** Cases and the contacts traced from them. */
import type {
  Case, CaseKind, CaseOutcome, Contact, ContactKind, ContactOrigin, ContactStatus, DetectionRoute, Evidence, Severity,
} from '../../domain/model/index.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks } from './keys.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import { homeOf, personIdInScope, personIdWithin, personScopeNeeded, type Scope } from './scope.ts';

interface CaseRow {
  id: number; case_no: string; person_id: number; kind: string; onset_at: number | null; sampled_at: number; confirmed_at: number;
  isolated_at: number | null; severity: string; hospital_place_id: number | null; outcome: string; outcome_at: number | null; detected_by: string | null;
  withdrawn_at: number | null; withdrawal_reason: string | null;
}

const toCase = (r: CaseRow): Case => ({
  id: r.id, caseNo: r.case_no, personId: r.person_id, kind: r.kind as CaseKind, onsetAt: r.onset_at, sampledAt: r.sampled_at,
  confirmedAt: r.confirmed_at, isolatedAt: r.isolated_at, severity: r.severity as Severity, hospitalPlaceId: r.hospital_place_id,
  outcome: r.outcome as CaseOutcome, outcomeAt: r.outcome_at, detectedBy: r.detected_by as DetectionRoute | null,
  withdrawnAt: r.withdrawn_at, withdrawalReason: r.withdrawal_reason,
});

interface ContactRow {
  id: number; person_id: number; kind: string; index_case_id: number; via_contact_id: number | null; first_exposure: number;
  last_exposure: number; evidence: unknown; status: string; identified_at: number; origin: string; status_at: number | null;
}

const toContact = (r: ContactRow): Contact => ({
  id: r.id, personId: r.person_id, kind: r.kind as ContactKind, indexCaseId: r.index_case_id, viaContactId: r.via_contact_id,
  firstExposure: r.first_exposure, lastExposure: r.last_exposure, evidence: fromJson<Evidence[]>(r.evidence),
  status: r.status as ContactStatus, identifiedAt: r.identified_at, origin: r.origin as ContactOrigin, statusAt: r.status_at,
});

/** A case to record: outcome time and withdrawal default to none. */
export type NewCase = Omit<Case, 'id' | 'outcomeAt' | 'withdrawnAt' | 'withdrawalReason'> & Partial<Pick<Case, 'outcomeAt' | 'withdrawnAt' | 'withdrawalReason'>>;
/** A contact to record: origin defaults to tracing, no status change yet. */
export type NewContact = Omit<Contact, 'id' | 'origin' | 'statusAt'> & Partial<Pick<Contact, 'origin' | 'statusAt'>>;
/** The fields of a case a correction may change. */
export type CaseUpdate = Partial<Omit<Case, 'id' | 'caseNo' | 'personId'>>;
/** The fields of a contact that tracing may update on an existing record. */
export type ContactUpdate = Partial<Pick<Contact, 'viaContactId' | 'firstExposure' | 'lastExposure' | 'evidence' | 'status' | 'statusAt'>>;

const CASE_COLUMNS: Record<keyof CaseUpdate, string> = {
  kind: 'kind', onsetAt: 'onset_at', sampledAt: 'sampled_at', confirmedAt: 'confirmed_at', isolatedAt: 'isolated_at', severity: 'severity',
  hospitalPlaceId: 'hospital_place_id', outcome: 'outcome', outcomeAt: 'outcome_at', detectedBy: 'detected_by', withdrawnAt: 'withdrawn_at',
  withdrawalReason: 'withdrawal_reason',
};

const CONTACT_COLUMNS: Record<keyof ContactUpdate, string> = {
  viaContactId: 'via_contact_id', firstExposure: 'first_exposure', lastExposure: 'last_exposure', evidence: 'evidence', status: 'status', statusAt: 'status_at',
};

/** `SET a = ?, b = ?` and its values for the fields given (JSON for objects). */
function setClause<T extends object>(fields: T, columns: Record<keyof T, string>): { sql: string; values: SqlValue[] } {
  const parts: string[] = [];
  const values: SqlValue[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    parts.push(`${columns[k as keyof T]} = ?`);
    values.push(v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as SqlValue));
  }
  return { sql: parts.join(', '), values };
}

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** Inserts cases, skipping case numbers already recorded; returns how many were new. */
  insertMany(rows: NewCase[]): Promise<number> {
    return this.db.insertMany(
      'cases',
      ['case_no', 'person_id', 'kind', 'onset_at', 'sampled_at', 'confirmed_at', 'isolated_at', 'severity', 'hospital_place_id', 'outcome', 'outcome_at', 'detected_by', 'withdrawn_at', 'withdrawal_reason'],
      rows.map((c) => [c.caseNo, c.personId, c.kind, c.onsetAt, c.sampledAt, c.confirmedAt, c.isolatedAt, c.severity, c.hospitalPlaceId, c.outcome, c.outcomeAt ?? null, c.detectedBy, c.withdrawnAt ?? null, c.withdrawalReason ?? null]),
      ['case_no'],
    );
  }

  /** A case; undefined when there is none, or none of a person under `scope` (the actor's region; see scope.ts). */
  async get(id: number, scope?: Scope): Promise<Case | undefined> {
    const s = personIdInScope(scope, 'person_id');
    const r = await this.db.get<CaseRow>(`SELECT * FROM cases WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toCase(r);
  }

  async byCaseNo(caseNo: string): Promise<Case | undefined> {
    const r = await this.db.get<CaseRow>('SELECT * FROM cases WHERE case_no = ?', [caseNo]);
    return r && toCase(r);
  }

  /** Cases of these case numbers (those that exist). */
  async byCaseNos(caseNos: readonly string[]): Promise<Map<string, Case>> {
    const rows = await inChunks<CaseRow, string>(this.db, caseNos, (ph) => `SELECT * FROM cases WHERE case_no IN (${ph})`);
    return new Map(rows.map((r) => [r.case_no, toCase(r)]));
  }

  /**
   * Cases of these ids (those that exist), in no order; with `scope`, only those of persons under it (one query a
   * slice of ids, not one a case). Without it unscoped: the caller has scoped what names them.
   */
  async byIds(ids: readonly number[], scope?: Scope): Promise<Case[]> {
    const s = personIdInScope(scope, 'person_id');
    return (await inChunks<CaseRow>(this.db, [...new Set(ids)], (ph) => `SELECT * FROM cases WHERE id IN (${ph})${s ? ` AND ${s.sql}` : ''}`, s?.params ?? [])).map(toCase);
  }

  /** Every case of a person (a person can be a case again after recovery), oldest first. */
  async ofPerson(personId: number): Promise<Case[]> {
    return (await this.db.all<CaseRow>('SELECT * FROM cases WHERE person_id = ? ORDER BY confirmed_at, id', [personId])).map(toCase);
  }

  /** Per person who is a case that stands (not withdrawn), when their latest case was confirmed. */
  async standingCaseSince(): Promise<Map<number, number>> {
    const rows = await this.db.all<{ person_id: number; t: number }>('SELECT person_id, MAX(confirmed_at) AS t FROM cases WHERE withdrawn_at IS NULL GROUP BY person_id');
    return new Map(rows.map((r) => [r.person_id, Number(r.t)]));
  }

  /** Changes a case's fields. */
  async update(id: number, fields: CaseUpdate): Promise<void> {
    const { sql, values } = setClause(fields, CASE_COLUMNS);
    if (sql) await this.db.run(`UPDATE cases SET ${sql} WHERE id = ?`, [...values, id]);
  }

  /** Cases in id order, optionally of one kind and outcome, of persons living under `regionCode` and under `scope`, paged. */
  async list(page: PageRequest, scope?: Scope, filter: { kind?: CaseKind; outcome?: CaseOutcome; regionCode?: string } = {}): Promise<Page<Case>> {
    const where = ['id > ?'];
    const params: SqlValue[] = [page.after ?? 0];
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    if (filter.outcome) { where.push('outcome = ?'); params.push(filter.outcome); }
    for (const s of [personIdWithin(filter.regionCode, 'person_id'), personIdWithin(await personScopeNeeded(this.db, scope), 'person_id')]) {
      if (s) { where.push(s.sql); params.push(...s.params); }
    }
    const rows = await this.db.all<CaseRow>(`SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toCase);
  }

  /** Every case, withdrawn ones included (for case windows in public look-ups and retracing); cases number in the thousands, not millions. */
  async all(): Promise<Case[]> {
    return (await this.db.all<CaseRow>('SELECT * FROM cases ORDER BY id')).map(toCase);
  }

  /**
   * Every case that stands (not withdrawn), in id order: what chains, public look-ups and reports are about; with a
   * scope, those of persons living under it.
   */
  async standing(scope?: Scope): Promise<Case[]> {
    const s = personIdInScope(scope, 'person_id');
    return (await this.db.all<CaseRow>(`SELECT * FROM cases WHERE withdrawn_at IS NULL${s ? ` AND ${s.sql}` : ''} ORDER BY id`, s?.params ?? [])).map(toCase);
  }

  /** Cases not yet traced (no contact record of any kind and no tracing recorded), in order of confirmation. */
  async untraced(): Promise<Case[]> {
    const rows = await this.db.all<CaseRow>(
      'SELECT c.* FROM cases c WHERE c.withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM contacts ct WHERE ct.index_case_id = c.id) ORDER BY c.confirmed_at, c.id');
    return rows.map(toCase);
  }

  /** Ids of a case's contacts of one kind, by person. */
  async contactIds(caseId: number, kind: ContactKind): Promise<Map<number, number>> {
    const rows = await this.db.all<{ id: number; person_id: number }>('SELECT id, person_id FROM contacts WHERE index_case_id = ? AND kind = ?', [caseId, kind]);
    return new Map(rows.map((r) => [r.person_id, r.id]));
  }

  /** Number of a case's contacts of each kind. */
  async contactCounts(caseId: number): Promise<Record<ContactKind, number>> {
    const rows = await this.db.all<{ kind: ContactKind; n: number }>('SELECT kind, COUNT(*) AS n FROM contacts WHERE index_case_id = ? GROUP BY kind', [caseId]);
    const out = { close: 0, secondary: 0, companion: 0, general: 0 };
    for (const r of rows) out[r.kind] = r.n;
    return out;
  }

  /**
   * Inserts contacts, skipping (index case, person, kind) already recorded, so retracing writes only what is new.
   * Each record carries where its person lives now (`home_code`: grid, else community; read here), which the
   * command dashboard counts by.
   */
  async insertContacts(rows: NewContact[]): Promise<number> {
    if (rows.length === 0) return 0;
    const homes = new Map((await inChunks<{ id: number; home: string }>(this.db, [...new Set(rows.map((c) => c.personId))],
      (ph) => `SELECT p.id, ${homeOf('p')} AS home FROM persons p WHERE p.id IN (${ph})`)).map((r) => [r.id, r.home]));
    return this.db.insertMany(
      'contacts',
      ['person_id', 'kind', 'index_case_id', 'via_contact_id', 'first_exposure', 'last_exposure', 'evidence', 'status', 'identified_at', 'origin', 'status_at', 'home_code'],
      rows.map((c) => [c.personId, c.kind, c.indexCaseId, c.viaContactId, c.firstExposure, c.lastExposure, JSON.stringify(c.evidence), c.status, c.identifiedAt, c.origin ?? 'tracing', c.statusAt ?? null, homes.get(c.personId) ?? null]),
      ['index_case_id', 'person_id', 'kind'],
    );
  }

  /** Changes a contact's fields. */
  async updateContact(id: number, fields: ContactUpdate): Promise<void> {
    const { sql, values } = setClause(fields, CONTACT_COLUMNS);
    if (sql) await this.db.run(`UPDATE contacts SET ${sql} WHERE id = ?`, [...values, id]);
  }

  /** A contact record; undefined when there is none, or none of a person under `scope` (see scope.ts). */
  async contact(id: number, scope?: Scope): Promise<Contact | undefined> {
    const s = personIdInScope(scope, 'person_id');
    const r = await this.db.get<ContactRow>(`SELECT * FROM contacts WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toContact(r);
  }

  /** Every contact record of one index case (all kinds), in id order. */
  async contactsOfCase(caseId: number): Promise<Contact[]> {
    return (await this.db.all<ContactRow>('SELECT * FROM contacts WHERE index_case_id = ? ORDER BY id', [caseId])).map(toContact);
  }

  /** Every contact record naming a person (as a contact of any case), in id order. */
  async contactsOfPerson(personId: number): Promise<Contact[]> {
    return (await this.db.all<ContactRow>('SELECT * FROM contacts WHERE person_id = ? ORDER BY id', [personId])).map(toContact);
  }

  /** Contacts of one index case (all of them, or one kind; persons under `scope`), paged. */
  async contactsOf(caseId: number, filter: { kind?: ContactKind }, page: PageRequest, scope?: Scope): Promise<Page<Contact>> {
    const where = ['index_case_id = ?', 'id > ?'];
    const params: SqlValue[] = [caseId, page.after ?? 0];
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    const s = personIdInScope(scope, 'person_id');
    if (s) { where.push(s.sql); params.push(...s.params); }
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toContact);
  }

  /**
   * How many contacts of a case (optionally one kind) live outside `scope`: those a region's investigator does not
   * see, whose own region follows them up. 0 without a scope.
   */
  async contactsOutside(caseId: number, filter: { kind?: ContactKind }, scope?: Scope): Promise<number> {
    const inner = personIdInScope(scope, 'person_id');
    if (!inner) return 0;
    const kind = filter.kind ? ' AND kind = ?' : '';
    const row = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM contacts WHERE index_case_id = ?${kind} AND NOT (${inner.sql})`,
      [caseId, ...(filter.kind ? [filter.kind] : []), ...inner.params]);
    return Number(row?.n ?? 0);
  }

  /**
   * Contacts of every case, optionally one kind and one status, of persons living under `regionCode` (a division
   * code of any level) and under `scope`, paged.
   */
  async listContacts(filter: { kind?: ContactKind; status?: ContactStatus; regionCode?: string }, page: PageRequest, scope?: Scope): Promise<Page<Contact>> {
    const where = ['id > ?'];
    const params: SqlValue[] = [page.after ?? 0];
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    if (filter.status) { where.push('status = ?'); params.push(filter.status); }
    for (const s of [personIdWithin(filter.regionCode, 'person_id'), personIdWithin(await personScopeNeeded(this.db, scope), 'person_id')]) {
      if (s) { where.push(s.sql); params.push(...s.params); }
    }
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toContact);
  }
}
