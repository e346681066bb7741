/** An API app on a fresh store of one engine, seeded by the test: what the API tests start from. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../src/api/app.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { TracingEngine } from '../src/services/tracing/engine.ts';
import type { Engine } from '../src/storage/db.ts';
import type { Store } from '../src/storage/store.ts';
import { actAsPermittedRoles, routeCollector } from './credentials.ts';
import { freshStore } from './engines.ts';

/**
 * Opens a fresh store, runs `seed` on it, then builds the app (edition ed8-delta-2021); `close` closes both. The
 * app's `inject` acts as a role that may take each request's action (test/credentials.ts).
 */
export async function testApp(engine: Engine, seed: (store: Store) => Promise<void>, options: Partial<BuildAppOptions> = {}): Promise<{ app: FastifyInstance; store: Store; close: () => Promise<void> }> {
  const fresh = await freshStore(engine);
  await seed(fresh.store);
  const edition = loadEdition('ed8-delta-2021');
  const { routes, onRoute } = routeCollector();
  const app = await buildApp({
    store: fresh.store, edition, engine: await TracingEngine.load({ store: fresh.store, edition }), webDir: undefined, version: 'test', ...options,
    onRoute: (r) => { onRoute(r); options.onRoute?.(r); },
  });
  await actAsPermittedRoles(app, fresh.store, routes);
  return { app, store: fresh.store, close: async () => { await app.close(); await fresh.close(); } };
}

/**
 * A fresh token of a person's code, as their phone gets it (GET /api/me/code, signed in as the resident): tests that
 * verify or check tokens start from one. Staff routes give no tokens.
 */
export async function phoneToken(app: FastifyInstance, personId: number): Promise<string> {
  return (await app.cordon.codes.issue(personId, app.cordon.clock.now())).token;
}
