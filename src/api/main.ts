/**
 * Runs a Cordon process in its roles (`src/app/roles.ts`): the HTTP server on the configured port, the worker (events
 * written elsewhere, the tracing catch-up) and the scheduler (the timers, under the database's lease), and stops them
 * cleanly on SIGINT/SIGTERM.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Services } from '../app/container.ts';
import type { Config } from '../config.ts';
import { ROLES, startScheduler, startWorker, type Role, type Stop } from '../app/roles.ts';
import { buildApp } from './app.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(ROOT, 'web/dist');
export const VERSION = '0.1.0';

/** How often the server looks for signing keys rotated by other processes (milliseconds). */
const KEY_REFRESH_MS = 3000;

/**
 * The server's logger. Secrets and identities never reach the log: credentials in headers, and any field named as a
 * password, token, key, ID number, phone or name, wherever a log line carries one (one level deep).
 */
export function serverLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const paths = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
    ...['password', 'newPassword', 'currentPassword', 'token', 'key', 'idNumber', 'id_number', 'phone', 'name'].flatMap((f) => [f, `*.${f}`])];
  return pino({ level, redact: { paths, censor: '[redacted]' } }, destination);
}

/**
 * Runs the roles given in this process (all three by default, as `cordon start` does): for `http`, builds the app on
 * the services' store and listens, resolving with the app and its URL once it accepts connections; `worker` and
 * `scheduler` as `src/app/roles.ts` says. SIGINT and SIGTERM stop every role, then the process.
 */
export async function serve(config: Config, services: Services, roles: readonly Role[] = ROLES): Promise<{ app?: FastifyInstance; url?: string; stop: Stop }> {
  const logger = serverLogger(config.logLevel);
  const { store, edition, codes } = services;
  const stops: Stop[] = [];
  const stopAll: Stop = async () => { for (const stop of stops.splice(0).reverse()) await stop(); };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void stopAll().finally(() => process.exit(0));
    });
  }
  if (roles.includes('worker')) stops.push(await startWorker(config, services, logger, roles.includes('scheduler')));
  if (roles.includes('scheduler')) stops.push(startScheduler(config, services, logger, roles.includes('worker')));
  if (!roles.includes('http')) {
    // Last, once the roles have stopped.
    stops.unshift(async () => { await codes.close(); await store.close(); });
    return { stop: stopAll };
  }
  const engine = await services.tracing();
  const app = await buildApp({ store, engine, edition, services, webDir: WEB_DIST, version: VERSION, logger, ownsStore: true });
  // Signing keys rotated by another process (the CLI, another server) are picked up within KEY_REFRESH_MS.
  const keyRefresh = setInterval(() => {
    codes.keys.refresh()
      .then((changed) => { if (changed) app.log.info({ keys: codes.keys.publicKeys().map((k) => k.kid) }, 'signing keys changed elsewhere: reloaded'); })
      .catch((err: unknown) => app.log.error({ err }, 'signing key refresh failed'));
  }, KEY_REFRESH_MS);
  keyRefresh.unref();
  app.addHook('onClose', async () => clearInterval(keyRefresh));
  app.addHook('onClose', async () => codes.close());
  // The app closes the store: the other roles stop first.
  stops.unshift(() => app.close());
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return { app, url: `http://localhost:${port}/`, stop: stopAll };
}
