/**
 * Presence imports written in short steps (SQLite; migration 32). A large import on SQLite writes its checked rows
 * a few thousand per transaction, so other processes' writes wait for one step, never for the whole file.
 *
 * Until the import's last step, its rows are in `presence` but not yet the import's: a later row may be refused and
 * the import is then taken back, step by step. So readers of new presence (`PresenceRepository.scanTuplesAfter`,
 * `watermark`) stop below the lowest id of any move still running (`MOVING_FLOOR`), and the tracing index takes the
 * rows in once the move has finished (in the transaction that also appends the import's one event). A move whose
 * process stopped (killed, or the machine lost) is no longer renewed; once its lease has run out,
 * `takeBackAbandoned` deletes its steps' rows (the scheduler's housekeeping, and every new move, call it).
 */
import type { Db } from '../db.ts';

/**
 * The lowest presence id that a running move has written (readers of new presence stop below it), or a number above
 * every id when no move runs. A subquery, for the readers' WHERE clauses.
 */
export const MOVING_FLOOR = '(SELECT COALESCE(MIN(lo), 9007199254740991) FROM presence_move_steps)';

export class PresenceMoveRepository {
  constructor(private readonly db: Db) {}

  /** Records a move of `file` that `holder` renews until `expiresAt` (seconds) at each step; returns its id. */
  async begin(holder: string, file: string, now: number, expiresAt: number): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO presence_moves (holder, file, started_at, expires_at) VALUES (?, ?, ?, ?) RETURNING id', [holder, file, now, expiresAt]);
    return row.id;
  }

  /**
   * Inside a step's transaction, before it inserts: the highest presence id stored. Holding the write lock, the
   * step's new rows take the ids after it, one after another (SQLite gives a new row the highest id plus one).
   */
  async highestId(): Promise<number> {
    return (await this.db.get<{ m: number }>('SELECT COALESCE(MAX(id), 0) AS m FROM presence'))!.m;
  }

  /** Inside a step's transaction, after it inserted `inserted` rows above `before`: records them and renews the lease. */
  async stepped(moveId: number, before: number, inserted: number, expiresAt: number): Promise<void> {
    if (inserted > 0) await this.db.run('INSERT INTO presence_move_steps (move_id, lo, hi) VALUES (?, ?, ?)', [moveId, before + 1, before + inserted]);
    await this.db.run('UPDATE presence_moves SET expires_at = ? WHERE id = ?', [expiresAt, moveId]);
  }

  /** Of these presence ids, those written by another move that has not finished (their import may yet be taken back). */
  async ofOtherMoves(moveId: number, ids: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const steps = await this.db.all<{ lo: number; hi: number; file: string }>(
      'SELECT s.lo, s.hi, m.file FROM presence_move_steps s JOIN presence_moves m ON m.id = s.move_id WHERE s.move_id <> ?', [moveId]);
    for (const id of ids) {
      const s = steps.find((x) => id >= x.lo && id <= x.hi);
      if (s) out.set(id, s.file);
    }
    return out;
  }

  /** Ends a move whose rows are all in (inside the transaction that appends its event): readers take its rows in. */
  async finish(moveId: number): Promise<void> {
    await this.db.run('DELETE FROM presence_move_steps WHERE move_id = ?', [moveId]);
    await this.db.run('DELETE FROM presence_moves WHERE id = ?', [moveId]);
  }

  /**
   * Takes a move back: deletes the rows of its steps, one step per transaction (each as short as the step was), last
   * step first, then the move. Returns the rows deleted.
   */
  async takeBack(moveId: number): Promise<number> {
    let deleted = 0;
    for (const s of await this.db.all<{ id: number; lo: number; hi: number }>('SELECT id, lo, hi FROM presence_move_steps WHERE move_id = ? ORDER BY lo DESC', [moveId])) {
      deleted += await this.db.transaction(async (tx) => {
        const n = await tx.run('DELETE FROM presence WHERE id BETWEEN ? AND ?', [s.lo, s.hi]);
        await tx.run('DELETE FROM presence_move_steps WHERE id = ?', [s.id]);
        return n;
      });
    }
    await this.db.run('DELETE FROM presence_moves WHERE id = ?', [moveId]);
    return deleted;
  }

  /** Takes back every move whose lease ran out before `now` (its process stopped mid-way): how many, and rows deleted. */
  async takeBackAbandoned(now: number): Promise<{ moves: number; rows: number }> {
    const moves = await this.db.all<{ id: number }>('SELECT id FROM presence_moves WHERE expires_at < ?', [now]);
    let rows = 0;
    for (const m of moves) rows += await this.takeBack(m.id);
    return { moves: moves.length, rows };
  }

  /** Moves still running (or abandoned and not yet taken back), oldest first. */
  async running(): Promise<{ id: number; file: string; holder: string; startedAt: number; expiresAt: number }[]> {
    const rows = await this.db.all<{ id: number; file: string; holder: string; started_at: number; expires_at: number }>('SELECT * FROM presence_moves ORDER BY id');
    return rows.map((r) => ({ id: r.id, file: r.file, holder: r.holder, startedAt: r.started_at, expiresAt: r.expires_at }));
  }
}
