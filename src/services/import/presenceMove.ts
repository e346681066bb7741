/**
 * A presence import on SQLite that never holds the database for long: each chunk of checked, resolved rows is written
 * in steps sized to take about `MOVE_STEP_TARGET_MS`, each its own transaction, with a pause between them in which
 * other processes write (a server beside a CLI import waits for one step, not for the file). Still all or nothing: a
 * refused row (a bad field, an unknown person, a record stored with another end, seat or carriage, by an earlier row
 * of the file or by another writer) takes back every step made. The import's one `presence.recorded` event is
 * appended when the move finishes, and readers of new presence see none of its rows before that (see
 * `storage/sql/presenceMoves.ts`).
 */
import os from 'node:os';
import { BUSY_PAUSE_MAX_MS } from '../../storage/sqlite/driver.ts';
import type { NewPresence } from '../../storage/sql/places.ts';
import type { Store } from '../../storage/store.ts';
import { emit, insertPresence, type ImportContext, type RowProblem } from './kinds.ts';

/** Rows in the first step; later steps are sized from how long the one before took. */
export const MOVE_FIRST_STEP_ROWS = 2_000;
/** How long a step should hold the write lock (milliseconds): well under the 100 ms a server may be kept waiting. */
export const MOVE_STEP_TARGET_MS = 50;
/** Bounds of a step's rows. */
const MOVE_STEP_MIN_ROWS = 200;
const MOVE_STEP_MAX_ROWS = 50_000;
/**
 * The pause after a step (milliseconds): twice the longest sleep of a writer waiting for the lock
 * (`BUSY_PAUSE_MAX_MS` in the SQLite driver), so a waiting writer always gets its turn between two steps.
 */
export const MOVE_PAUSE_MS = 2 * BUSY_PAUSE_MAX_MS;
/** How long a move stays its process's after its last step (seconds); past it, anyone takes it back. */
export const MOVE_LEASE_SECONDS = 60;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A step refused by its rows' problems: thrown inside its transaction so that it rolls back. */
class StepRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('refused presence');
  }
}

export interface MoveOptions {
  /** Stops before the next step (the caller takes the move back). */
  signal?: AbortSignal;
  /** Rows per step, fixed (tests); by default sized to `MOVE_STEP_TARGET_MS`. */
  stepRows?: number;
  /** Called after each step with the rows written so far. */
  onStep?: (written: number) => void;
}

/** One import's move: begun at its first step, then finished (its rows become the import's) or taken back. */
export class PresenceMove {
  private id: number | null = null;
  private size: number;
  private written = 0;
  private inserted = 0;
  private readonly span = { from: Infinity, to: -Infinity };

  constructor(private readonly store: Store, private readonly ctx: ImportContext, private readonly opts: MoveOptions = {}) {
    this.size = opts.stepRows ?? MOVE_FIRST_STEP_ROWS;
  }

  private lease(): number {
    return this.ctx.ctx.clock.now() + MOVE_LEASE_SECONDS;
  }

  /**
   * Writes records (with their rows' lines) in steps. Returns the rows inserted, or the problems of the first step
   * that had any (nothing of that step is written; the caller refuses the file and takes the move back).
   */
  async write(lines: readonly number[], records: NewPresence[]): Promise<{ inserted: number; problems: RowProblem[] }> {
    if (this.id === null) {
      const now = this.ctx.ctx.clock.now();
      // A move left by a process that stopped mid-way holds back what readers see of presence: take it back first.
      await this.store.presenceMoves.takeBackAbandoned(now);
      this.id = await this.store.presenceMoves.begin(`${os.hostname()}:${process.pid}`, this.ctx.file, now, this.lease());
    }
    const id = this.id;
    let inserted = 0;
    for (let at = 0; at < records.length;) {
      this.opts.signal?.throwIfAborted();
      const slice = records.slice(at, at + this.size);
      const started = performance.now();
      try {
        inserted += await this.store.transaction(async (repos) => {
          const before = await repos.presenceMoves.highestId();
          // A record that another import is writing right now is refused too: it may yet be taken back.
          const step = await insertPresence(repos, lines.slice(at, at + slice.length), slice, (ids) => repos.presenceMoves.ofOtherMoves(id, ids));
          if (step.problems.length > 0) throw new StepRefused(step.problems);
          await repos.presenceMoves.stepped(id, before, step.inserted, this.lease());
          return step.inserted;
        });
      } catch (e) {
        if (e instanceof StepRefused) return { inserted, problems: e.problems };
        throw e;
      }
      for (const r of slice) { if (r.start < this.span.from) this.span.from = r.start; if (r.end > this.span.to) this.span.to = r.end; }
      at += slice.length;
      this.written += slice.length;
      this.opts.onStep?.(this.written);
      if (this.opts.stepRows === undefined) {
        const took = Math.max(1, performance.now() - started);
        this.size = Math.min(MOVE_STEP_MAX_ROWS, Math.max(MOVE_STEP_MIN_ROWS, Math.round(this.size * Math.min(2, MOVE_STEP_TARGET_MS / took))));
      }
      await sleep(MOVE_PAUSE_MS);
    }
    this.inserted += inserted;
    return { inserted, problems: [] };
  }

  /** Ends the move: its rows become the import's, with its one event (when any row was new). */
  async finish(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    await this.store.transaction(async (repos) => {
      if (this.inserted > 0) await emit(repos, this.ctx, [{ kind: 'presence.recorded', payload: { count: this.inserted, from: this.span.from, to: this.span.to } }]);
      await repos.presenceMoves.finish(id);
    });
    this.id = null;
  }

  /** Takes back every step made (nothing of the file stays). */
  async takeBack(): Promise<void> {
    if (this.id === null) return;
    await this.store.presenceMoves.takeBack(this.id);
    this.id = null;
  }
}
