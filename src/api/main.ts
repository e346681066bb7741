/**
 * Starts the HTTP server on the configured port and stops it cleanly on SIGINT/SIGTERM. Before it listens, events a
 * previous run wrote but did not handle (the process was killed) are handled; while it runs, it handles events
 * written by other processes (the CLI's imports) and runs the timers: codes whose validity ran out, venue orders
 * starting and ending, risk areas graded again, the tracing catch-up, and yesterday's bulletin kept after midnight.
 */
import { escalateOverdue, refreshExpiringCodes } from '../services/command/tasks.ts';
import { keepYesterdaysBulletin } from '../services/command/bulletin.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Services } from '../app/container.ts';
import type { Config } from '../config.ts';
import { systemCtx } from '../platform/context.ts';
import { applyVenueOrders, gradeRiskAreasNow } from '../services/control.ts';
import { purgeOldPresence } from '../services/tracing/retention.ts';
import { catchUp } from '../services/tracing/traceCase.ts';
import { buildApp } from './app.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(ROOT, 'web/dist');
export const VERSION = '0.1.0';

/** How often the server looks for signing keys rotated by other processes (milliseconds). */
const KEY_REFRESH_MS = 3000;

/** Minutes in a day: the housekeeping's ticks between two purges of old presence. */
const MINUTES_A_DAY = 1440;

/** How often the server looks for events written by other processes (milliseconds). */
const EVENT_POLL_MS = 1000;

/**
 * The server's logger. Secrets and identities never reach the log: credentials in headers, and any field named as a
 * password, token, key, ID number, phone or name, wherever a log line carries one (one level deep).
 */
export function serverLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const paths = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
    ...['password', 'newPassword', 'currentPassword', 'token', 'key', 'idNumber', 'id_number', 'phone', 'name'].flatMap((f) => [f, `*.${f}`])];
  return pino({ level, redact: { paths, censor: '[redacted]' } }, destination);
}

/** Builds the app on the services' store and listens; resolves with the app and its URL once it accepts connections. */
export async function serve(config: Config, services: Services): Promise<{ app: FastifyInstance; url: string }> {
  const logger = serverLogger(config.logLevel);
  const { store, edition, codes, events, clock } = services;
  const engine = await services.tracing();
  const app = await buildApp({ store, engine, edition, services, webDir: WEB_DIST, version: VERSION, logger, ownsStore: true });
  const settled = await events.settle();
  if (settled.handled || settled.failed) logger.info(settled, 'events left by an earlier run handled');
  events.start(EVENT_POLL_MS);
  // Codes whose validity ran out are evaluated again, places follow the venue orders in force, and tasks past their
  // deadline are escalated, every minute;
  // risk areas are graded again every ten minutes (so they step down when their time has come).
  let housekeeping = false, ticks = 0;
  const ctx = systemCtx(clock, 'housekeeping');
  const minutely = setInterval(() => {
    if (housekeeping) return;
    housekeeping = true;
    const now = clock.now();
    refreshExpiringCodes(ctx, { store, edition, codes })
      .then(async (r) => {
        if (r.changed) app.log.info(r, 'codes re-evaluated');
        await applyVenueOrders(store, now);
        await codes.forgetUsedTokens(now);
        const escalated = await escalateOverdue(ctx, store);
        if (escalated) app.log.info({ escalated }, 'tasks past their deadline escalated');
        // The first minute after midnight (China Standard Time), or on start: the day that ended is kept (once).
        const kept = await keepYesterdaysBulletin(ctx, { store, edition });
        if (kept) app.log.info({ day: kept }, 'bulletin of the day that ended kept');
        // Once a day (the first time a minute after start): presence older than the retention goes, from storage
        // and from this process's tracing index and snapshot.
        if (ticks % MINUTES_A_DAY === 0) {
          const purged = await purgeOldPresence(ctx, store, engine, config.presenceRetentionDays);
          if (purged?.deleted || purged?.dropped) app.log.info(purged, 'presence older than the retention deleted');
        }
        if (ticks++ % 10 === 0) {
          const changes = await gradeRiskAreasNow(ctx, { store, edition, events });
          if (changes.length) app.log.info({ changes: changes.length }, 'risk areas graded');
        }
      })
      .catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'))
      .finally(() => { housekeeping = false; });
  }, 60_000);
  minutely.unref();
  // Signing keys rotated by another process (the CLI, another server) are picked up within KEY_REFRESH_MS.
  const keyRefresh = setInterval(() => {
    codes.keys.refresh()
      .then((changed) => { if (changed) app.log.info({ keys: codes.keys.publicKeys().map((k) => k.kid) }, 'signing keys changed elsewhere: reloaded'); })
      .catch((err: unknown) => app.log.error({ err }, 'signing key refresh failed'));
  }, KEY_REFRESH_MS);
  keyRefresh.unref();
  app.addHook('onClose', async () => clearInterval(keyRefresh));
  app.addHook('onClose', async () => codes.close());
  app.addHook('onClose', async () => clearInterval(minutely));
  if (config.traceCatchUpSeconds > 0) {
    let running = false;
    const ctx = systemCtx(clock, 'catch-up');
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      catchUp({ ctx, store, engine, edition })
        .then(async (r) => { if (r.added) { app.log.info(r, 'tracing caught up on new presence records'); await events.settle(); } })
        .catch((err: unknown) => app.log.error({ err }, 'tracing catch-up failed'))
        .finally(() => { running = false; });
    }, config.traceCatchUpSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://localhost:${port}/`;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      void app.close().then(() => process.exit(0));
    });
  }
  return { app, url };
}
