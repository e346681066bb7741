/**
 * The roles a Cordon process plays (DESIGN.md, "Process roles"):
 * - `http` answers the API and serves the web page; any number of such processes share one database. A request still
 *   handles the events its own writes cause before it answers (so it answers with what they caused).
 * - `worker` handles events written by other processes (the CLI's imports, a request that failed half-way), looking
 *   every second, and takes the presence stored elsewhere into its tracing engine, retracing the cases it touches;
 *   with CORDON_NATS_URL, it also writes the batches of the agencies' feed streams (`feedStream.ts`).
 * - `scheduler` runs the timers (codes whose validity ran out, venue orders, overdue tasks, the day's bulletin, risk
 *   grading, deleting old presence), in one process at a time: the one that holds the database's `scheduler` lease
 *   (`Store.lease`). When that process dies, another scheduler takes the lease within a lease period and goes on.
 *
 * `cordon start` plays all three in one process (the embedded default); `cordon serve`, `cordon worker` and
 * `cordon scheduler` play one each.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { DAY, HOUR } from '../domain/time.ts';
import { systemCtx } from '../platform/context.ts';
import { keepYesterdaysBulletin } from '../services/command/bulletin.ts';
import { escalateOverdue, refreshExpiringCodes } from '../services/command/tasks.ts';
import { applyVenueOrders, gradeRiskAreasNow } from '../services/control.ts';
import { purgeOldPresence } from '../services/tracing/retention.ts';
import { startFeedConsumer } from '../services/import/feedStream.ts';
import { catchUp } from '../services/tracing/traceCase.ts';
import { isStorageUnavailable } from '../storage/db.ts';
import type { Services } from './container.ts';

export const ROLES = ['http', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/** How often a worker looks for events written by other processes (milliseconds). */
const EVENT_POLL_MS = 1000;

/** A role's timers, stopped by calling it (waits for a running step to end). */
export type Stop = () => Promise<void>;

/** Runs `step` every `ms` (and at once when `now`), never two at once; errors are logged. Returns how to stop it. */
function every(ms: number, log: Logger, what: string, step: () => Promise<void>, now = false): Stop {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    // Storage busy (another process's import holds SQLite) or unreachable: tried again next time, said without a stack.
    running = step().catch((err: unknown) => (isStorageUnavailable(err)
      ? log.warn({ reason: (err as Error).message }, `${what} put off: storage busy or unreachable`)
      : log.error({ err }, `${what} failed`))).finally(() => { running = null; });
  };
  const timer = setInterval(tick, ms);
  timer.unref();
  if (now) tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * The worker role: handles the events an earlier run left (a process killed mid-way), then every second those other
 * processes wrote; every `traceCatchUpSeconds`, the tracing engine takes in presence stored elsewhere and retraces the
 * cases it touches. Without the scheduler in the same process, the engine also forgets, every hour, the presence
 * that ended before the retention (the scheduler deletes it from storage; a process holds none of it in memory more
 * than an hour past the retention). The hourly check costs one pass over the index's ends when nothing is old.
 */
export async function startWorker(config: Config, services: Services, log: Logger, withScheduler: boolean): Promise<Stop> {
  const { store, edition, events, clock } = services;
  const engine = await services.tracing();
  const settled = await events.settle();
  if (settled.handled || settled.failed) log.info(settled, 'events left by an earlier run handled');
  events.start(EVENT_POLL_MS);
  const stops: Stop[] = [() => events.stop()];
  if (config.traceCatchUpSeconds > 0) {
    const ctx = systemCtx(clock, 'catch-up');
    stops.push(every(config.traceCatchUpSeconds * 1000, log, 'tracing catch-up', async () => {
      const r = await catchUp({ ctx, store, engine, edition });
      if (r.added) { log.info(r, 'tracing caught up on new presence records'); await events.settle(); }
    }));
  }
  // The agencies' feed streams, when the deployment has NATS: batches imported here, each acknowledged after commit.
  if (config.natsUrl) stops.push(await startFeedConsumer(config.natsUrl, services, log));
  if (!withScheduler && config.presenceRetentionDays > 0) {
    stops.push(every(HOUR * 1000, log, 'forgetting old presence', async () => {
      const dropped = await engine.forgetEndedBefore(clock.now() - config.presenceRetentionDays * DAY, 0);
      if (dropped) log.info({ dropped }, 'presence older than the retention dropped from the tracing index');
    }));
  }
  return async () => { for (const stop of stops) await stop(); };
}

/**
 * The scheduler role: tries for the `scheduler` lease every third of a lease period; while it holds it, runs the
 * housekeeping every `housekeepingSeconds` (at once when it takes the lease over). With the worker in the same
 * process, deleting old presence also makes its tracing engine forget it.
 */
export function startScheduler(config: Config, services: Services, log: Logger, withWorker: boolean): Stop {
  const { store, edition, codes, events, clock } = services;
  const lease = store.lease('scheduler', config.leaseSeconds);
  const ctx = systemCtx(clock, 'housekeeping');
  let holding = false, lastRun = -Infinity, runs = 0;
  const housekeeping = async () => {
    const now = clock.now();
    const r = await refreshExpiringCodes(ctx, { store, edition, codes });
    if (r.changed) log.info(r, 'codes re-evaluated');
    await applyVenueOrders(store, now);
    // A presence import stopped mid-move (its process killed) holds back what readers see of new presence: take it back.
    const takenBack = await store.presenceMoves.takeBackAbandoned(now);
    if (takenBack.moves) log.warn(takenBack, 'presence imports stopped mid-move taken back');
    await codes.forgetUsedTokens(now);
    const escalated = await escalateOverdue(ctx, store);
    if (escalated) log.info({ escalated }, 'tasks past their deadline escalated');
    // The first run after midnight (China Standard Time), or on start: the day that ended is kept (once).
    const kept = await keepYesterdaysBulletin(ctx, { store, edition });
    if (kept) log.info({ day: kept }, 'bulletin of the day that ended kept');
    // Once a day (the first run after taking the lease): presence older than the retention goes from storage, and
    // from this process's tracing index and snapshot when it has the worker's engine.
    if (runs % Math.max(1, Math.round(DAY / config.housekeepingSeconds)) === 0) {
      const purged = await purgeOldPresence(ctx, store, withWorker ? await services.tracing() : undefined, config.presenceRetentionDays);
      if (purged?.deleted || purged?.dropped) log.info(purged, 'presence older than the retention deleted');
    }
    if (runs % 10 === 0) {
      const changes = await gradeRiskAreasNow(ctx, { store, edition, events });
      if (changes.length) log.info({ changes: changes.length }, 'risk areas graded');
    }
    runs++;
    log.info({ run: runs, pid: process.pid }, 'housekeeping run');
  };
  const stop = every(Math.max(1, Math.floor((config.leaseSeconds * 1000) / 3)), log, 'housekeeping', async () => {
    const held = await lease.hold();
    if (held !== holding) {
      holding = held;
      if (held) { lastRun = -Infinity; runs = 0; }
      log.info({ pid: process.pid }, held ? 'scheduler lease taken: running the timers' : 'scheduler lease lost: timers stopped');
    }
    if (!held || Date.now() - lastRun < config.housekeepingSeconds * 1000) return;
    lastRun = Date.now();
    await housekeeping();
  }, true);
  return async () => {
    await stop();
    await lease.release();
  };
}
