/**
 * Daily bulletins: what a day's bulletin is made of (cases confirmed in a span with their city, cases' kind changes,
 * contact records with their status changes, samples taken, directives issued, tasks completed), and the bulletins kept for days that
 * have ended (one per day, never changed).
 */
import type { CaseKind, ContactKind, ContactStatus } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks } from './keys.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';

/** A case stands at `end` when it was not withdrawn before then (a case withdrawn later was a case that day). */
const STANDING_AT = '(c.withdrawn_at IS NULL OR c.withdrawn_at >= ?)';

/** A case as the bulletin reads it: the city its person lives in, its kind now, whether it was imported, when confirmed. */
export interface CaseState { id: number; cityCode: string; kind: CaseKind; imported: boolean; confirmedAt: number }

/** A change of a case's kind recorded as a correction. */
export interface KindChange { caseId: number; from: CaseKind; to: CaseKind; at: number }

/** A close or secondary contact record as the bulletin reads it: its person and its status now, and since when. */
export interface ContactState { id: number; personId: number; kind: ContactKind; status: ContactStatus; statusAt: number | null }

/** A kept bulletin. */
export interface KeptBulletin { id: number; day: string; figures: unknown; textZh: string; textEn: string; generatedAt: number }

interface KeptRow { id: number; day: string; figures: unknown; text_zh: string; text_en: string; generated_at: number }
const toKept = (r: KeptRow): KeptBulletin => ({ id: r.id, day: r.day, figures: fromJson(r.figures), textZh: r.text_zh, textEn: r.text_en, generatedAt: r.generated_at });

export class BulletinRepository {
  constructor(private readonly db: Db) {}

  /** Cases confirmed in [from, to) and standing at `to`, with the city their person lives in (the first 4 digits of the community code). */
  async casesConfirmed(from: number, to: number): Promise<CaseState[]> {
    return this.caseStates(`c.confirmed_at >= ? AND c.confirmed_at < ? AND ${STANDING_AT}`, [from, to, to]);
  }

  /** These cases, when standing at `to`. */
  async casesByIds(ids: readonly number[], to: number): Promise<CaseState[]> {
    const out: CaseState[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      out.push(...await this.caseStates(`c.id IN (${part.map(() => '?').join(', ')}) AND ${STANDING_AT}`, [...part, to]));
    }
    return out;
  }

  private async caseStates(where: string, params: SqlValue[]): Promise<CaseState[]> {
    const rows = await this.db.all<{ id: number; city: string; kind: CaseKind; detected_by: string | null; confirmed_at: number }>(
      `SELECT c.id, substr(p.community_code, 1, 4) AS city, c.kind, c.detected_by, c.confirmed_at FROM cases c JOIN persons p ON p.id = c.person_id WHERE ${where}`, params);
    return rows.map((r) => ({ id: r.id, cityCode: r.city, kind: r.kind, imported: r.detected_by === 'imported', confirmedAt: r.confirmed_at }));
  }

  /** The changes of cases' kinds recorded at or after `since`, oldest first. */
  async caseKindChanges(since: number): Promise<KindChange[]> {
    const rows = await this.db.all<{ entity_key: string; changes: unknown; at: number }>("SELECT entity_key, changes, at FROM corrections WHERE entity = 'case' AND at >= ? ORDER BY at, id", [since]);
    return rows.flatMap((r) => {
      const kind = fromJson<{ kind?: [CaseKind, CaseKind] }>(r.changes).kind;
      return kind ? [{ caseId: Number(r.entity_key), from: kind[0], to: kind[1], at: r.at }] : [];
    });
  }

  /** Cases confirmed before `to` and standing then, by kind. */
  async casesBefore(to: number): Promise<Map<CaseKind, number>> {
    const rows = await this.db.all<{ kind: CaseKind; n: number }>(`SELECT c.kind AS kind, COUNT(*) AS n FROM cases c WHERE c.confirmed_at < ? AND ${STANDING_AT} GROUP BY c.kind`, [to, to]);
    return new Map(rows.map((r) => [r.kind, r.n]));
  }

  /** Persons first identified in [from, to) as close or secondary contacts of a case standing at `to`, by kind. */
  async contactsTraced(from: number, to: number): Promise<Map<ContactKind, number>> {
    const rows = await this.db.all<{ kind: ContactKind; n: number }>(
      `SELECT ct.kind AS kind, COUNT(DISTINCT ct.person_id) AS n FROM contacts ct JOIN cases c ON c.id = ct.index_case_id
       WHERE ct.kind IN ('close', 'secondary') AND ct.identified_at >= ? AND ct.identified_at < ? AND ${STANDING_AT} GROUP BY ct.kind`, [from, to, to]);
    return new Map(rows.map((r) => [r.kind, r.n]));
  }

  /**
   * Close and secondary contact records identified before `to`, of a case standing at `to`, that may have been under
   * management at `to` or changed status since `since`: those whose status now is not final (released, became a
   * case), and those whose status changed at or after `since`. A record written as become a case (tracing found the
   * person already a case when it ran, so no change was recorded) was under management at `to` when the person had no
   * case confirmed before `to`: it reads as identified then.
   */
  async contactsToReplay(since: number, to: number): Promise<ContactState[]> {
    const rows = await this.db.all<{ id: number; person_id: number; kind: ContactKind; status: ContactStatus; status_at: number | null }>(
      `SELECT ct.id, ct.person_id, ct.kind, CASE WHEN ct.status = 'became_case' AND ct.status_at IS NULL THEN 'identified' ELSE ct.status END AS status, ct.status_at
       FROM contacts ct JOIN cases c ON c.id = ct.index_case_id
       WHERE ct.kind IN ('close', 'secondary') AND ct.identified_at < ? AND ${STANDING_AT}
         AND (ct.status NOT IN ('released', 'became_case') OR ct.status_at >= ?
              OR (ct.status = 'became_case' AND ct.status_at IS NULL AND NOT EXISTS (SELECT 1 FROM cases pc WHERE pc.person_id = ct.person_id AND pc.confirmed_at < ?)))`, [to, to, since, to]);
    return rows.map((r) => ({ id: r.id, personId: r.person_id, kind: r.kind, status: r.status, statusAt: r.status_at }));
  }

  /** The status changes (before, after, when) recorded at or after `since` for these contacts, oldest first. */
  async contactStatusChanges(contactIds: readonly number[], since: number): Promise<Map<number, { from: ContactStatus; to: ContactStatus; at: number }[]>> {
    const rows = await inChunks<{ entity_key: string; changes: unknown; at: number }, string>(this.db, [...new Set(contactIds)].map(String),
      (ph) => `SELECT entity_key, changes, at FROM corrections WHERE entity = 'contact' AND entity_key IN (${ph}) AND at >= ? ORDER BY at, id`, [since]);
    const out = new Map<number, { from: ContactStatus; to: ContactStatus; at: number }[]>();
    for (const r of rows.sort((a, b) => a.at - b.at)) {
      const status = fromJson<{ status?: [ContactStatus, ContactStatus] }>(r.changes).status;
      if (!status) continue;
      const id = Number(r.entity_key);
      const list = out.get(id) ?? [];
      list.push({ from: status[0], to: status[1], at: r.at });
      out.set(id, list);
    }
    return out;
  }

  /** Samples taken in [from, to). */
  async samplesTaken(from: number, to: number): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM samples WHERE sampled_at >= ? AND sampled_at < ?', [from, to]))!.n;
  }

  /** Directives issued in [from, to). */
  async directivesIssued(from: number, to: number): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM directives WHERE issued_at >= ? AND issued_at < ?', [from, to]))!.n;
  }

  /** Tasks completed in [from, to) (done is final: the time of their last change is when they were done). */
  async tasksCompleted(from: number, to: number): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM tasks WHERE status = 'done' AND status_at >= ? AND status_at < ?", [from, to]))!.n;
  }

  /** Keeps a day's bulletin, unless one is kept already (that one stays); the one kept. */
  async keep(b: Omit<KeptBulletin, 'id'>): Promise<KeptBulletin> {
    await this.db.insertMany('bulletins', ['day', 'figures', 'text_zh', 'text_en', 'generated_at'], [[b.day, JSON.stringify(b.figures), b.textZh, b.textEn, b.generatedAt]], ['day']);
    return (await this.kept(b.day))!;
  }

  /** The bulletin kept for a day (`YYYY-MM-DD`), if any. */
  async kept(day: string): Promise<KeptBulletin | undefined> {
    const r = await this.db.get<KeptRow>('SELECT * FROM bulletins WHERE day = ?', [day]);
    return r && toKept(r);
  }

  /** The days with a kept bulletin, in the order they were kept (by id), with how many there are. */
  async list(page: PageRequest): Promise<Page<{ id: number; day: string; generatedAt: number }> & { total: number }> {
    const params: SqlValue[] = [page.after ?? 0, page.limit + 1];
    const rows = await this.db.all<{ id: number; day: string; generated_at: number }>('SELECT id, day, generated_at FROM bulletins WHERE id > ? ORDER BY id LIMIT ?', params);
    const total = (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM bulletins'))!.n;
    return { ...toPage(rows, page.limit, (r) => ({ id: r.id, day: r.day, generatedAt: r.generated_at })), total };
  }
}
