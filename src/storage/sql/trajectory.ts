/** A case's trajectory rows as investigators entered them (migration 23). */
import type { Db } from '../db.ts';
import { fromJson } from './paging.ts';

/** Whether the case wore a mask at the place, as they said. */
export type MaskWorn = 'yes' | 'no' | 'unknown';

export interface TrajectoryRow {
  id: number; caseId: number; start: number; end: number; placeId: number | null; placeText: string | null; seat: string | null; carriage: string | null;
  activity: string | null; mask: MaskWorn | null; peopleMet: string | null; notes: string | null; presenceId: number | null; createdAt: number; createdBy: string;
}
export type NewTrajectoryRow = Omit<TrajectoryRow, 'id'>;

interface Row {
  id: number; case_id: number; start_at: number; end_at: number; place_id: number | null; place_text: string | null; seat: string | null; carriage: string | null;
  activity: string | null; mask: string | null; people_met: string | null; notes: string | null; presence_id: number | null; created_at: number; created_by: string;
}
const toRow = (r: Row): TrajectoryRow => ({
  id: r.id, caseId: r.case_id, start: Number(r.start_at), end: Number(r.end_at), placeId: r.place_id, placeText: r.place_text, seat: r.seat, carriage: r.carriage,
  activity: r.activity, mask: r.mask as MaskWorn | null, peopleMet: r.people_met, notes: r.notes, presenceId: r.presence_id, createdAt: Number(r.created_at), createdBy: r.created_by,
});

export class TrajectoryRepository {
  constructor(private readonly db: Db) {}

  async insert(v: NewTrajectoryRow): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      `INSERT INTO trajectory_rows (case_id, start_at, end_at, place_id, place_text, seat, carriage, activity, mask, people_met, notes, presence_id, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [v.caseId, v.start, v.end, v.placeId, v.placeText, v.seat, v.carriage, v.activity, v.mask, v.peopleMet, v.notes, v.presenceId, v.createdAt, v.createdBy]);
    return row.id;
  }

  /** A case's rows in time order (then in the order entered). */
  async ofCase(caseId: number): Promise<TrajectoryRow[]> {
    return (await this.db.all<Row>('SELECT * FROM trajectory_rows WHERE case_id = ? ORDER BY start_at, id', [caseId])).map(toRow);
  }
}

/** One place and time window of a notice: what the public reads (no person, no case). */
export interface NoticeItem { place: string; category: string | null; carriage?: string; start: number; end: number }
export interface TrajectoryNotice {
  id: number; caseId: number; regionCode: string; title: string; items: NoticeItem[]; publishedAt: number; publishedBy: string; withdrawnAt: number | null;
}
interface NoticeRow { id: number; case_id: number; region_code: string; title: string; items: unknown; published_at: number; published_by: string; withdrawn_at: number | null }
const toNotice = (r: NoticeRow): TrajectoryNotice => ({
  id: r.id, caseId: r.case_id, regionCode: r.region_code, title: r.title, items: fromJson<NoticeItem[]>(r.items), publishedAt: Number(r.published_at),
  publishedBy: r.published_by, withdrawnAt: r.withdrawn_at === null ? null : Number(r.withdrawn_at),
});

export class NoticeRepository {
  constructor(private readonly db: Db) {}

  async insert(n: Omit<TrajectoryNotice, 'id' | 'withdrawnAt'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO trajectory_notices (case_id, region_code, title, items, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [n.caseId, n.regionCode, n.title, JSON.stringify(n.items), n.publishedAt, n.publishedBy]);
    return row.id;
  }

  /** Notices in force (not withdrawn), newest first, at most `limit`. */
  async published(limit: number): Promise<TrajectoryNotice[]> {
    return (await this.db.all<NoticeRow>('SELECT * FROM trajectory_notices WHERE withdrawn_at IS NULL ORDER BY published_at DESC, id DESC LIMIT ?', [limit])).map(toNotice);
  }

  /** A case's notices, oldest first. */
  async ofCase(caseId: number): Promise<TrajectoryNotice[]> {
    return (await this.db.all<NoticeRow>('SELECT * FROM trajectory_notices WHERE case_id = ? ORDER BY id', [caseId])).map(toNotice);
  }
}
