/** Starts the HTTP server on the configured port and stops it cleanly on SIGINT/SIGTERM. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Config } from '../config.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import type { TracingEngine } from '../services/tracing/engine.ts';
import { catchUp } from '../services/tracing/traceCase.ts';
import type { Store } from '../storage/store.ts';
import { buildApp } from './app.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(ROOT, 'web/dist');
export const VERSION = '0.1.0';

/** Builds the app on an open store and listens; resolves with the app and its URL once it accepts connections. */
export async function serve(config: Config, store: Store, engine: TracingEngine): Promise<{ app: FastifyInstance; url: string }> {
  const logger = pino({ level: config.logLevel });
  const app = await buildApp({ store, engine, edition: loadEdition(config.protocolEdition), webDir: WEB_DIST, version: VERSION, logger, ownsStore: true });
  if (config.traceCatchUpSeconds > 0) {
    const edition = loadEdition(config.protocolEdition);
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      catchUp({ store, engine, edition })
        .then((r) => { if (r.added) app.log.info(r, 'tracing caught up on new presence records'); })
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
