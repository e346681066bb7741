/** The outbox: domain events written with the changes that cause them, and the handlers' progress through them. */
import type { NewEvent, StoredEvent } from '../../domain/events.ts';
import type { Db } from '../db.ts';
import { fromJson } from './paging.ts';

interface EventRow { id: number; kind: string; payload: unknown; actor: string; at: number; attempts: number; done_at: number | null; last_error: string | null }

const toEvent = (r: EventRow): StoredEvent => ({ id: r.id, kind: r.kind, payload: fromJson(r.payload), actor: r.actor, at: r.at, attempts: r.attempts } as StoredEvent);

/** An event that handlers gave up on, with the last error. */
export interface FailedEvent { event: StoredEvent; error: string | null }

export class EventRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends events (call inside the transaction that makes the change they describe); `parentId`: the event whose
   * handler emits them. Returns their ids.
   */
  async append(events: readonly NewEvent[], actor: string, at: number, parentId: number | null = null): Promise<number[]> {
    const ids: number[] = [];
    for (const e of events) {
      const r = await this.db.get<{ id: number }>('INSERT INTO outbox (kind, payload, actor, at, parent_id) VALUES (?, ?, ?, ?, ?) RETURNING id',
        [e.kind, JSON.stringify(e.payload), actor, at, parentId]);
      ids.push(r!.id);
    }
    return ids;
  }

  /** Persons whose code changed while handling these events or any event they caused (what a request caused). */
  async codeChangesCausedBy(eventIds: readonly number[]): Promise<number> {
    if (eventIds.length === 0) return 0;
    const r = await this.db.get<{ n: number }>(
      `WITH RECURSIVE caused(id) AS (SELECT id FROM outbox WHERE id IN (${eventIds.map(() => '?').join(', ')})
         UNION SELECT o.id FROM outbox o JOIN caused c ON o.parent_id = c.id)
       SELECT COUNT(DISTINCT t.person_id) AS n FROM code_transitions t JOIN caused c ON t.event_id = c.id`, eventIds);
    return Number(r?.n ?? 0);
  }

  /** Whether these events and every event they caused have been handled. */
  async settled(eventIds: readonly number[]): Promise<boolean> {
    if (eventIds.length === 0) return true;
    const r = await this.db.get<{ n: number }>(
      `WITH RECURSIVE caused(id) AS (SELECT id FROM outbox WHERE id IN (${eventIds.map(() => '?').join(', ')})
         UNION SELECT o.id FROM outbox o JOIN caused c ON o.parent_id = c.id)
       SELECT COUNT(*) AS n FROM outbox o JOIN caused c ON o.id = c.id WHERE o.done_at IS NULL`, eventIds);
    return Number(r?.n ?? 0) === 0;
  }

  /**
   * Events not yet handled and due at `now` (never tried, or due for another try), oldest first. Reads what is
   * committed whatever the order ids were taken in, so no event is skipped (unlike a cursor over ids).
   */
  async pending(now: number, limit: number, maxAttempts: number): Promise<StoredEvent[]> {
    const rows = await this.db.all<EventRow>(
      'SELECT * FROM outbox WHERE done_at IS NULL AND attempts < ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?',
      [maxAttempts, now, limit]);
    return rows.map(toEvent);
  }

  /**
   * Whether an event of one of `kinds` after `afterId` waits untried: a handler whose work reads the whole current
   * state can leave it to that later event (which sees at least what this one would).
   */
  async laterUntried(afterId: number, kinds: readonly string[]): Promise<boolean> {
    const row = await this.db.get<{ id: number }>(
      `SELECT id FROM outbox WHERE id > ? AND done_at IS NULL AND attempts = 0 AND kind IN (${kinds.map(() => '?').join(', ')}) LIMIT 1`, [afterId, ...kinds]);
    return row !== undefined;
  }

  /** Marks an event handled; false when it was already (another process got there first). Call in the handlers' transaction. */
  async claimDone(id: number, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE outbox SET done_at = ?, last_error = NULL WHERE id = ? AND done_at IS NULL', [at, id])) > 0;
  }

  /** Records a failed attempt and when to try again. */
  async failed(id: number, error: string, retryAt: number): Promise<void> {
    await this.db.run('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?', [error.slice(0, 2000), retryAt, id]);
  }

  /** Events handlers gave up on (attempts used up), newest first. */
  async parked(maxAttempts: number, limit: number): Promise<FailedEvent[]> {
    const rows = await this.db.all<EventRow>('SELECT * FROM outbox WHERE done_at IS NULL AND attempts >= ? ORDER BY id DESC LIMIT ?', [maxAttempts, limit]);
    return rows.map((r) => ({ event: toEvent(r), error: r.last_error }));
  }

  /** Events not yet handled, and among them those given up on. */
  async counts(maxAttempts: number): Promise<{ pending: number; parked: number }> {
    const r = await this.db.get<{ pending: number; parked: number }>(
      'SELECT COUNT(*) AS pending, SUM(CASE WHEN attempts >= ? THEN 1 ELSE 0 END) AS parked FROM outbox WHERE done_at IS NULL', [maxAttempts]);
    return { pending: Number(r?.pending ?? 0), parked: Number(r?.parked ?? 0) };
  }

  /** Events recorded since `afterId`, oldest first (history views and tests). */
  async since(afterId: number, limit: number): Promise<(StoredEvent & { doneAt: number | null })[]> {
    const rows = await this.db.all<EventRow>('SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit]);
    return rows.map((r) => ({ ...toEvent(r), doneAt: r.done_at }));
  }
}
