/** Cases and the contacts traced from them. */
import type {
  Case, CaseKind, CaseOutcome, Contact, ContactKind, ContactStatus, DetectionRoute, Evidence, Severity,
} from '../../domain/model/index.ts';
import type { Db } from '../db.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';

interface CaseRow {
  id: number; case_no: string; person_id: number; kind: string; onset_at: number | null; sampled_at: number; confirmed_at: number;
  isolated_at: number | null; severity: string; hospital_place_id: number | null; outcome: string; detected_by: string | null;
}

const toCase = (r: CaseRow): Case => ({
  id: r.id, caseNo: r.case_no, personId: r.person_id, kind: r.kind as CaseKind, onsetAt: r.onset_at, sampledAt: r.sampled_at,
  confirmedAt: r.confirmed_at, isolatedAt: r.isolated_at, severity: r.severity as Severity, hospitalPlaceId: r.hospital_place_id,
  outcome: r.outcome as CaseOutcome, detectedBy: r.detected_by as DetectionRoute | null,
});

interface ContactRow {
  id: number; person_id: number; kind: string; index_case_id: number; via_contact_id: number | null; first_exposure: number;
  last_exposure: number; evidence: unknown; status: string; identified_at: number;
}

const toContact = (r: ContactRow): Contact => ({
  id: r.id, personId: r.person_id, kind: r.kind as ContactKind, indexCaseId: r.index_case_id, viaContactId: r.via_contact_id,
  firstExposure: r.first_exposure, lastExposure: r.last_exposure, evidence: fromJson<Evidence[]>(r.evidence),
  status: r.status as ContactStatus, identifiedAt: r.identified_at,
});

export type NewCase = Omit<Case, 'id'>;
export type NewContact = Omit<Contact, 'id'>;

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** Inserts cases, skipping case numbers (and persons) already recorded; returns how many were new. */
  insertMany(rows: NewCase[]): Promise<number> {
    return this.db.insertMany(
      'cases',
      ['case_no', 'person_id', 'kind', 'onset_at', 'sampled_at', 'confirmed_at', 'isolated_at', 'severity', 'hospital_place_id', 'outcome', 'detected_by'],
      rows.map((c) => [c.caseNo, c.personId, c.kind, c.onsetAt, c.sampledAt, c.confirmedAt, c.isolatedAt, c.severity, c.hospitalPlaceId, c.outcome, c.detectedBy]),
      ['case_no'],
    );
  }

  async get(id: number): Promise<Case | undefined> {
    const r = await this.db.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
    return r && toCase(r);
  }

  async byCaseNo(caseNo: string): Promise<Case | undefined> {
    const r = await this.db.get<CaseRow>('SELECT * FROM cases WHERE case_no = ?', [caseNo]);
    return r && toCase(r);
  }

  /** Cases in id order, paged. */
  async list(page: PageRequest): Promise<Page<Case>> {
    const rows = await this.db.all<CaseRow>('SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?', [page.after ?? 0, page.limit + 1]);
    return toPage(rows, page.limit, toCase);
  }

  /** Every case (for case windows in public look-ups and retracing); cases number in the thousands, not millions. */
  async all(): Promise<Case[]> {
    return (await this.db.all<CaseRow>('SELECT * FROM cases ORDER BY id')).map(toCase);
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

  /** Inserts contacts, skipping (index case, person, kind) already recorded, so retracing writes only what is new. */
  insertContacts(rows: NewContact[]): Promise<number> {
    return this.db.insertMany(
      'contacts',
      ['person_id', 'kind', 'index_case_id', 'via_contact_id', 'first_exposure', 'last_exposure', 'evidence', 'status', 'identified_at'],
      rows.map((c) => [c.personId, c.kind, c.indexCaseId, c.viaContactId, c.firstExposure, c.lastExposure, JSON.stringify(c.evidence), c.status, c.identifiedAt]),
      ['index_case_id', 'person_id', 'kind'],
    );
  }

  /** Contacts of one index case (all of them, or one kind), paged. */
  async contactsOf(caseId: number, filter: { kind?: ContactKind }, page: PageRequest): Promise<Page<Contact>> {
    const where = ['index_case_id = ?', 'id > ?'];
    const params: (string | number)[] = [caseId, page.after ?? 0];
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toContact);
  }

  /** Contacts of every case, optionally one kind, paged. */
  async listContacts(filter: { kind?: ContactKind }, page: PageRequest): Promise<Page<Contact>> {
    const where = ['id > ?'];
    const params: (string | number)[] = [page.after ?? 0];
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toContact);
  }
}
