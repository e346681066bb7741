/**
 * Builds the Fastify application (without listening): zod validation and serialisation, OpenAPI at /docs, one
 * error handler with stable codes, the API routes, and the web page from web/dist at /. Tests drive it with
 * `inject()`; `main.ts` listens.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { HealthCodeService } from '../services/codes/healthCodes.ts';
import type { AppContext } from './context.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { caseRoutes } from './routes/cases/index.ts';
import { chainRoutes } from './routes/chains/index.ts';
import { testingRoutes } from './routes/testing/index.ts';
import { checkpointRoutes } from './routes/checkpoints/index.ts';
import { codeRoutes } from './routes/codes/index.ts';
import { controlRoutes } from './routes/control/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { traceRoutes } from './routes/cases/trace.ts';
import { healthRoutes } from './routes/health/index.ts';
import { overviewRoutes } from './routes/overview/index.ts';
import { personRoutes } from './routes/persons/index.ts';
import { placeRoutes } from './routes/places/index.ts';
import { protocolRoutes } from './routes/protocol/index.ts';
import { regionRoutes } from './routes/regions/index.ts';
import { nowSeconds } from '../domain/time.ts';

export interface BuildAppOptions extends Omit<AppContext, 'codes'> {
  /** The health code service; built on the store when absent, with `codeSecret` (random when absent: tokens then do not survive a restart). */
  codes?: HealthCodeService;
  codeSecret?: string;
  logger?: Logger;
  /** Close the store when the app closes (the server owns it); tests that share a store pass false. */
  ownsStore?: boolean;
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: opts.logger as FastifyBaseLogger | undefined, bodyLimit: 10 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  const codes = opts.codes ?? await HealthCodeService.open(opts.store, opts.edition, opts.codeSecret ?? randomBytes(32).toString('hex'), nowSeconds());
  app.decorate('cordon', { store: opts.store, edition: opts.edition, engine: opts.engine, codes, webDir: opts.webDir, version: opts.version });
  if (opts.ownsStore) app.addHook('onClose', async () => opts.store.close());

  await app.register(swagger, {
    openapi: { info: { title: 'Cordon API', description: 'Joint prevention and control platform', version: opts.version } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const routes of [healthRoutes, overviewRoutes, regionRoutes, placeRoutes, personRoutes, caseRoutes, traceRoutes, publicRoutes, protocolRoutes, codeRoutes, checkpointRoutes, controlRoutes, chainRoutes, testingRoutes]) {
    await app.register(routes);
  }

  if (opts.webDir && fs.existsSync(opts.webDir)) {
    await app.register(fastifyStatic, { root: opts.webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Cordon API is running; the web page is not built (npm run build:web). API docs: /docs\n'));
  }
  return app;
}
