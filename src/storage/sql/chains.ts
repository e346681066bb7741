/** What chains of transmission are computed from: cases traced as contacts of other cases, investigators' links. */
import type { Evidence } from '../../domain/model/index.ts';
import type { Db } from '../db.ts';
import { inChunks } from './keys.ts';
import { fromJson } from './paging.ts';

/**
 * A contact record of a person who is a case, once per case of that person (a reinfected person has several): which of
 * them the exposure belongs to is the episodes' rule (`domain/chains/episodes.ts`).
 */
export interface CaseContactRow { indexCaseId: number; infecteeCaseId: number; infecteePersonId: number; kind: string; evidence: Evidence[]; firstExposure: number; identifiedAt: number }
/** A contact record naming a case's person (as anybody's contact), once per case of that person. */
export interface KnownContactRow { caseId: number; personId: number; firstExposure: number; identifiedAt: number }
/** An exposure event an investigator entered (seconds; case ids). */
export interface EnteredEventRow { id: number; name: string; setting: string; placeId: number | null; start: number; end: number; sources: number[]; exposed: number[]; note: string | null; enteredBy: string; enteredAt: number }
type EventDbRow = { id: number; name: string; setting: string; place_id: number | null; starts_at: number; ends_at: number; sources: unknown; exposed: unknown; note: string | null; entered_by: string; entered_at: number };
const toEvent = (r: EventDbRow): EnteredEventRow => ({
  id: r.id, name: r.name, setting: r.setting, placeId: r.place_id, start: Number(r.starts_at), end: Number(r.ends_at), sources: fromJson<number[]>(r.sources),
  exposed: fromJson<number[]>(r.exposed), note: r.note, enteredBy: r.entered_by, enteredAt: Number(r.entered_at),
});

/** An investigator's verdict on a link; `enteredBy` is the actor's name (null for verdicts entered before migration 34). */
export interface LinkRow { infectorCaseId: number; infecteeCaseId: number; verdict: 'confirmed' | 'rejected'; note: string | null; enteredAt: number; enteredBy: string | null }

type CaseContactDbRow = { index_case_id: number; infectee: number; person_id: number; kind: string; evidence: unknown; first_exposure: number; identified_at: number };
const toCaseContact = (r: CaseContactDbRow): CaseContactRow => ({
  indexCaseId: r.index_case_id, infecteeCaseId: r.infectee, infecteePersonId: r.person_id, kind: r.kind, evidence: fromJson<Evidence[]>(r.evidence),
  firstExposure: r.first_exposure, identifiedAt: r.identified_at,
});

export class ChainRepository {
  constructor(private readonly db: Db) {}

  /**
   * Every contact record whose person became a case: exposure between two cases (of two persons: a person's cases
   * never expose each other), with its evidence. The records are found through the cases' persons (the contacts' index by
   * person), not by reading every contact record: SQLite's planner otherwise walks the contacts table in id order
   * (1,000,000 records for 6,500 rows: 440 ms; this way 130 ms, `bench:chains`).
   */
  async caseContacts(): Promise<CaseContactRow[]> {
    const rows = await this.db.all<CaseContactDbRow>(
      `SELECT ct.index_case_id, c2.id AS infectee, c2.person_id, ct.kind, ct.evidence, ct.first_exposure, ct.identified_at
       FROM contacts ct JOIN cases c2 ON c2.person_id = ct.person_id JOIN cases c1 ON c1.id = ct.index_case_id
       WHERE ct.person_id IN (SELECT person_id FROM cases WHERE withdrawn_at IS NULL)
         AND c1.person_id <> c2.person_id AND c1.withdrawn_at IS NULL AND c2.withdrawn_at IS NULL ORDER BY ct.id`);
    return rows.map(toCaseContact);
  }

  /** The contact records naming one case's person: its exposures to other persons' cases (for adding one case). */
  async exposuresOf(caseId: number): Promise<CaseContactRow[]> {
    const rows = await this.db.all<CaseContactDbRow>(
      `SELECT ct.index_case_id, c2.id AS infectee, c2.person_id, ct.kind, ct.evidence, ct.first_exposure, ct.identified_at
       FROM cases c2 JOIN contacts ct ON ct.person_id = c2.person_id JOIN cases c1 ON c1.id = ct.index_case_id
       WHERE c2.id = ? AND c1.person_id <> c2.person_id AND c1.withdrawn_at IS NULL ORDER BY ct.id`, [caseId]);
    return rows.map(toCaseContact);
  }

  /** Close and secondary contacts traced from each case. */
  async contactCounts(): Promise<Map<number, number>> {
    const rows = await this.db.all<{ index_case_id: number; n: number }>(
      "SELECT index_case_id, COUNT(*) AS n FROM contacts WHERE kind IN ('close', 'secondary') GROUP BY index_case_id");
    return new Map(rows.map((r) => [r.index_case_id, Number(r.n)]));
  }

  /** Per case, every record of its person as another person's contact (a standing index case), with its exposure and identification. */
  async knownContacts(): Promise<KnownContactRow[]> {
    const rows = await this.db.all<{ id: number; person_id: number; first_exposure: number; identified_at: number }>(
      `SELECT c.id, c.person_id, ct.first_exposure, ct.identified_at FROM cases c JOIN contacts ct ON ct.person_id = c.person_id
       JOIN cases c1 ON c1.id = ct.index_case_id AND c1.withdrawn_at IS NULL AND c1.person_id <> c.person_id
       WHERE ct.person_id IN (SELECT person_id FROM cases) ORDER BY ct.id`);
    return rows.map((r) => ({ caseId: r.id, personId: r.person_id, firstExposure: r.first_exposure, identifiedAt: r.identified_at }));
  }

  /** Per person, the first time they were identified as a close or secondary contact (or companion) of any case. */
  async firstIdentifiedAsContact(personIds: readonly number[]): Promise<Map<number, number>> {
    const rows = await inChunks<{ person_id: number; t: number }>(this.db, personIds,
      (ph) => `SELECT person_id, MIN(identified_at) AS t FROM contacts WHERE person_id IN (${ph}) GROUP BY person_id`);
    return new Map(rows.map((r) => [r.person_id, Number(r.t)]));
  }

  /** Per case, when its first contact was identified. */
  async firstContactIdentified(): Promise<Map<number, number>> {
    const rows = await this.db.all<{ index_case_id: number; t: number }>('SELECT index_case_id, MIN(identified_at) AS t FROM contacts GROUP BY index_case_id');
    return new Map(rows.map((r) => [r.index_case_id, Number(r.t)]));
  }

  async links(): Promise<LinkRow[]> {
    const rows = await this.db.all<{ infector_case_id: number; infectee_case_id: number; verdict: string; note: string | null; entered_at: number; entered_by_actor: string | null }>(
      'SELECT infector_case_id, infectee_case_id, verdict, note, entered_at, entered_by_actor FROM transmission_links ORDER BY id');
    return rows.map((r) => ({ infectorCaseId: r.infector_case_id, infecteeCaseId: r.infectee_case_id, verdict: r.verdict as LinkRow['verdict'], note: r.note, enteredAt: Number(r.entered_at), enteredBy: r.entered_by_actor }));
  }

  /** Records an investigator's verdict on a link (replacing an earlier verdict on the same pair). Call in a transaction. */
  async setLink(l: Omit<LinkRow, 'enteredBy'> & { enteredBy?: string | null }): Promise<void> {
    await this.db.run('DELETE FROM transmission_links WHERE infector_case_id = ? AND infectee_case_id = ?', [l.infectorCaseId, l.infecteeCaseId]);
    await this.db.run('INSERT INTO transmission_links (infector_case_id, infectee_case_id, verdict, note, entered_at, entered_by_actor) VALUES (?, ?, ?, ?, ?, ?)',
      [l.infectorCaseId, l.infecteeCaseId, l.verdict, l.note, l.enteredAt, l.enteredBy ?? null]);
  }

  /** Removes an investigator's verdict on a link (the link is inferred again, or not, as the evidence says). Call in a transaction. */
  async clearLink(infectorCaseId: number, infecteeCaseId: number): Promise<void> {
    await this.db.run('DELETE FROM transmission_links WHERE infector_case_id = ? AND infectee_case_id = ?', [infectorCaseId, infecteeCaseId]);
  }

  /** Every exposure event investigators entered and did not withdraw, oldest first. */
  async events(): Promise<EnteredEventRow[]> {
    return (await this.db.all<EventDbRow>('SELECT * FROM exposure_events WHERE withdrawn_at IS NULL ORDER BY id')).map(toEvent);
  }

  /** One exposure event by id, withdrawn or not (`withdrawnAt` seconds, or null while it stands). */
  async event(id: number): Promise<(EnteredEventRow & { withdrawnAt: number | null }) | undefined> {
    const r = await this.db.get<EventDbRow & { withdrawn_at: number | null }>('SELECT * FROM exposure_events WHERE id = ?', [id]);
    return r && { ...toEvent(r), withdrawnAt: r.withdrawn_at === null ? null : Number(r.withdrawn_at) };
  }

  /** Withdraws an investigator's exposure event (it leaves `events()`; the row and its id stay); whether it stood. */
  async withdrawEvent(id: number, at: number, reason: string): Promise<boolean> {
    return (await this.db.run('UPDATE exposure_events SET withdrawn_at = ?, withdrawal_reason = ? WHERE id = ? AND withdrawn_at IS NULL', [at, reason, id])) > 0;
  }

  /** Records an investigator's exposure event; returns its id. Call in a transaction. */
  async insertEvent(e: Omit<EnteredEventRow, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO exposure_events (name, setting, place_id, starts_at, ends_at, sources, exposed, note, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [e.name, e.setting, e.placeId, e.start, e.end, JSON.stringify(e.sources), JSON.stringify(e.exposed), e.note, e.enteredBy, e.enteredAt]);
    return row.id;
  }
}
