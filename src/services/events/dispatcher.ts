/**
 * Runs the handlers of domain events: takes pending events from the outbox, oldest first, and for each runs every
 * handler that subscribes to its kind inside one transaction that also marks the event done, so an event is handled
 * completely or not at all; a process killed in between leaves it pending, and the next run (this process after a
 * restart, or another) handles it again. Handlers are idempotent, so at-least-once is enough. A handler that throws
 * leaves the event pending with the error and a later retry time; after the last attempt it is parked for a person
 * to look at (`cordon events`, GET /api/events).
 *
 * `settle()` runs until nothing is pending (one run at a time in a process; callers share it), which is what a use
 * case awaits after its write so that a request answers once what it causes has happened; `start()` also polls for
 * events written by other processes (the CLI's imports).
 */
import type { NewEvent, StoredEvent, EventKind } from '../../domain/events.ts';
import type { Ctx } from '../../platform/context.ts';
import { actorName } from '../../platform/context.ts';
import type { Repositories, Store } from '../../storage/store.ts';

/** What a handler works with: the event's transaction, a context acting as the handler, and a way to emit events. */
export interface HandlerScope {
  tx: Repositories;
  ctx: Ctx;
  /** Emits follow-up events in the same transaction (they are handled after this one), naming this event as their parent. */
  emit(events: NewEvent[]): Promise<number[]>;
  /** The event being handled: what a derived change records as its cause. */
  eventId: number;
}

export interface EventHandler {
  /** Name in logs and in the actor of what it writes (`system:<name>`). */
  name: string;
  kinds: readonly EventKind[];
  handle(scope: HandlerScope, event: StoredEvent): Promise<void>;
}

export interface DispatcherOptions {
  /** Attempts before an event is parked (default 5). */
  maxAttempts?: number;
  /** Seconds before a failed event is tried again, doubled each attempt (default 5). */
  retryAfterSeconds?: number;
  onError?: (event: StoredEvent, handler: string, error: unknown) => void;
  /** Called after each handler ran for an event, with when it started and ended (performance.now(), ms); for measuring. */
  onHandled?: (event: StoredEvent, handler: string, startMs: number, endMs: number) => void;
}

/** What a settle did. */
export interface SettleResult {
  handled: number;
  failed: number;
}

export class EventDispatcher {
  private running: Promise<SettleResult> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  readonly maxAttempts: number;
  private readonly retryAfter: number;

  constructor(private readonly store: Store, private readonly handlers: readonly EventHandler[], private readonly ctx: Ctx, private readonly opts: DispatcherOptions = {}) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.retryAfter = opts.retryAfterSeconds ?? 5;
  }

  /**
   * Handles pending events until none is left (events emitted by handlers included). Concurrent callers share the
   * running pass; a call made during a pass makes it look once more, so its own event is handled before it resolves.
   */
  settle(): Promise<SettleResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => { this.running = null; });
    return this.running;
  }

  private async drain(): Promise<SettleResult> {
    const total: SettleResult = { handled: 0, failed: 0 };
    do {
      this.again = false;
      for (;;) {
        const batch = await this.store.events.pending(this.ctx.clock.now(), 100, this.maxAttempts);
        if (batch.length === 0) break;
        let progressed = false;
        for (const ev of batch) {
          if (await this.handle(ev)) { total.handled++; progressed = true; } else total.failed++;
        }
        if (!progressed) break;
      }
    } while (this.again);
    return total;
  }

  /** Handles one event in one transaction; false when a handler failed (recorded on the event). */
  private async handle(ev: StoredEvent): Promise<boolean> {
    let current = '';
    try {
      await this.store.transaction(async (tx) => {
        const now = this.ctx.clock.now();
        if (!(await tx.events.claimDone(ev.id, now))) return; // another process handled it
        for (const h of this.handlers) {
          if (!h.kinds.includes(ev.kind)) continue;
          current = h.name;
          const ctx: Ctx = { ...this.ctx, actor: { kind: 'system', name: h.name } };
          const started = performance.now();
          await h.handle({ tx, ctx, eventId: ev.id, emit: (events) => tx.events.append(events, actorName(ctx.actor), ctx.clock.now(), ev.id) }, ev);
          this.opts.onHandled?.(ev, h.name, started, performance.now());
        }
      });
      return true;
    } catch (e) {
      this.opts.onError?.(ev, current, e);
      const now = this.ctx.clock.now();
      await this.store.events.failed(ev.id, `${current}: ${(e as Error)?.stack ?? String(e)}`, now + this.retryAfter * 2 ** ev.attempts).catch(() => undefined);
      return false;
    }
  }

  /** Also handles events written elsewhere (another process), looking every `intervalMs`. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => { void this.settle(); }, intervalMs);
    this.timer.unref();
  }

  /** Stops polling and waits for a running pass to end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
