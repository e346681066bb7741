/** A case's interview record (migration 25): the answers as JSON, versioned, and when it was completed. */
import type { Db } from '../db.ts';
import { fromJson } from './paging.ts';

export interface InterviewRecord<A = unknown> {
  caseId: number; answers: A; version: number; updatedAt: number; updatedBy: string; completedAt: number | null; completedBy: string | null;
}
interface Row { case_id: number; answers: unknown; version: number; updated_at: number; updated_by: string; completed_at: number | null; completed_by: string | null }
const toRecord = <A>(r: Row): InterviewRecord<A> => ({
  caseId: r.case_id, answers: fromJson<A>(r.answers), version: Number(r.version), updatedAt: Number(r.updated_at), updatedBy: r.updated_by,
  completedAt: r.completed_at === null ? null : Number(r.completed_at), completedBy: r.completed_by,
});

export class InterviewRepository {
  constructor(private readonly db: Db) {}

  /** The case's interview; undefined before its first save. */
  async of<A>(caseId: number): Promise<InterviewRecord<A> | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM case_interviews WHERE case_id = ?', [caseId]);
    return r && toRecord<A>(r);
  }

  /**
   * Writes the interview as version `r.version`, if the stored one is `r.version - 1` (none stored: version 1).
   * Returns false, writing nothing, when another save came first.
   */
  async save(r: InterviewRecord): Promise<boolean> {
    const answers = JSON.stringify(r.answers);
    if (r.version === 1) {
      const [row] = await this.db.writeReturning<{ id: number }>(
        `INSERT INTO case_interviews (case_id, answers, version, updated_at, updated_by, completed_at, completed_by) VALUES (?, ?, 1, ?, ?, ?, ?)
         ON CONFLICT (case_id) DO NOTHING RETURNING id`,
        [r.caseId, answers, r.updatedAt, r.updatedBy, r.completedAt, r.completedBy]);
      return row !== undefined;
    }
    const n = await this.db.run(
      'UPDATE case_interviews SET answers = ?, version = ?, updated_at = ?, updated_by = ?, completed_at = ?, completed_by = ? WHERE case_id = ? AND version = ?',
      [answers, r.version, r.updatedAt, r.updatedBy, r.completedAt, r.completedBy, r.caseId, r.version - 1]);
    return n > 0;
  }
}
