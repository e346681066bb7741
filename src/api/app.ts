/**
 * Builds the Fastify application (without listening): zod validation and serialisation, OpenAPI at /docs, one
 * error handler with stable codes, the API routes, and the web page from web/dist at /. Tests drive it with
 * `inject()`; `main.ts` listens. Every request gets a context (`req.ctx`) with the server's clock: no time a client
 * sends decides when anything happens. Every API route declares an action, and a request whose credentials do not
 * allow it is refused before its input is read (src/api/auth.ts). Input is read strictly: a JSON body must be UTF-8, and a query parameter or
 * body a route does not declare is refused rather than ignored.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { openServices, type Services } from '../app/container.ts';
import { ACTIONS } from '../domain/access.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { Clock } from '../platform/clock.ts';
import type { HealthCodeService } from '../services/codes/healthCodes.ts';
import type { TracingEngine } from '../services/tracing/engine.ts';
import type { Store } from '../storage/store.ts';
import { registerAuth, type DenialCounts } from './auth.ts';
import { AppError, errorHandler, routeNotFound } from './errors.ts';
import { auditRoutes } from './routes/audit/index.ts';
import { sessionRoutes } from './routes/session/index.ts';
import { residentRoutes } from './routes/residents/index.ts';
import type { CodeSender } from '../services/accounts/residents.ts';
import { caseRoutes } from './routes/cases/index.ts';
import { correctionRoutes } from './routes/cases/corrections.ts';
import { chainRoutes } from './routes/chains/index.ts';
import { NoBody, NoQuery } from './routes/common.ts';
import { testingRoutes } from './routes/testing/index.ts';
import { checkpointRoutes } from './routes/checkpoints/index.ts';
import { codeRoutes } from './routes/codes/index.ts';
import { controlRoutes } from './routes/control/index.ts';
import { commandRoutes } from './routes/command/index.ts';
import { supervisionRoutes } from './routes/supervision/index.ts';
import { quarantineRoutes } from './routes/quarantine/index.ts';
import { followUpRoutes } from './routes/followUp/index.ts';
import { hospitalRoutes } from './routes/hospitals/index.ts';
import { strandedRoutes } from './routes/stranded/index.ts';
import { bulletinRoutes } from './routes/bulletins/index.ts';
import { dashboardRoutes } from './routes/dashboard/index.ts';
import { eventRoutes } from './routes/events/index.ts';
import { feedRoutes } from './routes/feeds/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { traceRoutes } from './routes/cases/trace.ts';
import { trajectoryRoutes } from './routes/cases/trajectory.ts';
import { healthRoutes } from './routes/health/index.ts';
import { overviewRoutes } from './routes/overview/index.ts';
import { personRoutes } from './routes/persons/index.ts';
import { placeRoutes } from './routes/places/index.ts';
import { protocolRoutes } from './routes/protocol/index.ts';
import { regionRoutes } from './routes/regions/index.ts';
import { searchRoutes } from './routes/search/index.ts';

export interface BuildAppOptions {
  store: Store;
  edition: ProtocolEdition;
  engine: TracingEngine;
  /** Services already built on the store (the server's); built here otherwise. */
  services?: Services;
  /** The health code service when services are built here; `codeSecret` keys pseudonyms (random: tokens then do not survive a restart). */
  codes?: HealthCodeService;
  codeSecret?: string;
  /** The server's clock (tests pass a fixed one). */
  clock?: Clock;
  webDir: string | undefined;
  version: string;
  logger?: Logger;
  /** Close the store when the app closes (the server owns it); tests that share a store pass false. */
  ownsStore?: boolean;
  /** Sends residents' sign-in codes (default: written to the server's log; a deployment plugs in its SMS gateway). */
  codeSender?: CodeSender;
  /** Called with every route as it is registered, the documentation's included (the route fuzz test enumerates them so). */
  onRoute?: (route: RouteOptions) => void;
}

/** Security headers of every API answer (OWASP REST Security Cheat Sheet, "Security headers"). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
});

/** Paths of the web app's pages (web/src/App.tsx's routes), served its index.html. */
export const WEB_APP_PATHS = ['/command', '/command/directives/:id', '/supervision', '/quarantine', '/hospitals', '/bulletin', '/tasks', '/search', '/lists', '/check', '/cases/:id', '/notices'];

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  // frameworkErrors: a URL that cannot be decoded, or a path segment too long to route, answers with the catalogue's body too.
  const app = Fastify({ loggerInstance: opts.logger as FastifyBaseLogger | undefined, bodyLimit: 10 * 1024 * 1024, frameworkErrors: errorHandler }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // A path a route has, asked with another method, is 405 with the methods it takes; any other is 404.
  const routePaths: { re: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const re = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);
    routePaths.push({ re, methods: [route.method].flat() });
  });
  app.setNotFoundHandler(routeNotFound((path) => [...new Set(routePaths.filter((r) => r.re.test(path)).flatMap((r) => r.methods))].sort()));
  // JSON bodies are decoded strictly: bytes that are not UTF-8 refuse the body (MALFORMED_BODY) rather than becoming
  // U+FFFD in what is stored; the text is then parsed by Fastify's own parser, as before.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError('MALFORMED_BODY', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    parseJson(req, text, done);
  });
  // JSON is the only body the API takes: text/plain (which Fastify would hand a route as a string) is 415 like any
  // other media type, not a validation error about a string.
  app.removeContentTypeParser('text/plain');
  // What a route does not declare it does not take: an API route without a query schema refuses any query parameter,
  // and one that may carry a body (any method but GET and HEAD) without a body schema refuses any body but `{}`.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    // Every API route declares the action it takes (what permissions are checked against): one without is a bug,
    // refused when the app is built rather than served open.
    const action = (route.config as { action?: string } | undefined)?.action;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) {
      throw new Error(`${[route.method].flat().join(',')} ${route.url}: declares no action of the access catalogue (config.action)`);
    }
    const schema = (route.schema ??= {});
    schema.querystring ??= NoQuery;
    if ([route.method].flat().some((m) => m !== 'GET' && m !== 'HEAD')) schema.body ??= NoBody;
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  const services = opts.services ?? await openServices({
    store: opts.store, edition: opts.edition, engine: opts.engine, clock: opts.clock, codes: opts.codes, codeSecret: opts.codeSecret ?? randomBytes(32).toString('hex'),
    onEventError: (ev, handler, err) => app.log.error({ err, event: ev.id, kind: ev.kind, handler }, 'event handler failed'),
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Cordon API', description: 'Joint prevention and control platform', version: opts.version } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Security headers on every answer. The page and the documentation: helmet's defaults (a content security policy of
  // this origin's own scripts, no framing, no MIME sniffing, no referrer to other sites), the documentation's own
  // scripts and styles allowed.
  // Plain HTTP on a machine's own port is not upgraded (HOST defaults to 127.0.0.1; put a network server behind TLS).
  // No CORS plugin: other origins get no CORS headers, so browsers keep their pages from reading the API.
  // helmet's middleware is built once (the Fastify plugin rebuilds it on every request). API answers are JSON that no
  // browser renders, so they carry the fixed set OWASP's REST Security Cheat Sheet names instead: nothing may load or
  // frame them, no sniffing, no caching of personal data (a route may set its own cache-control, as the public
  // boundaries do). Six constant headers rather than helmet's twelve keep a checkpoint's verification at its target
  // (docs/BENCHMARKS.md, bench:verify). Set before the credentials are checked, so refusals carry them too.
  const swaggerCSP = (app as unknown as { swaggerCSP: { script: string[]; style: string[] } }).swaggerCSP;
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        ...helmet.contentSecurityPolicy.getDefaultDirectives(),
        'upgrade-insecure-requests': null,
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'", ...swaggerCSP.script],
        'style-src': ["'self'", "'unsafe-inline'", ...swaggerCSP.style],
      },
    },
  });
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.config?.action || req.url.startsWith('/api/')) {
      reply.headers(API_SECURITY_HEADERS);
      done();
    } else {
      pageHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
    }
  });
  const denials: DenialCounts = {};
  app.decorate('cordon', { ...services, engine: opts.engine, webDir: opts.webDir, version: opts.version, denials });
  app.decorateRequest('ctx', null as never);
  app.addHook('onRequest', async (req) => { req.ctx = { actor: { kind: 'api', name: 'anonymous' }, clock: services.clock }; });
  // Then who the request acts as, and whether its role may take the route's action (src/api/auth.ts).
  await registerAuth(app, { store: opts.store, clock: services.clock, denials });
  app.addHook('onClose', async () => services.events.stop());
  if (opts.ownsStore) app.addHook('onClose', async () => opts.store.close());

  // Rate limits only where a route asks for one (config.rateLimit: sign-in); a refusal is 429 RATE_LIMITED.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => new AppError('RATE_LIMITED', `Too many requests: at most ${context.max} a minute; try again in ${context.after}.`),
  });

  for (const routes of [sessionRoutes, healthRoutes, overviewRoutes, regionRoutes, placeRoutes, personRoutes, searchRoutes, caseRoutes, traceRoutes, trajectoryRoutes, correctionRoutes, publicRoutes, protocolRoutes, codeRoutes, checkpointRoutes, controlRoutes, commandRoutes, dashboardRoutes, supervisionRoutes, quarantineRoutes, hospitalRoutes, strandedRoutes, bulletinRoutes, chainRoutes, testingRoutes, eventRoutes, feedRoutes, auditRoutes]) {
    await app.register(routes);
  }
  await app.register(residentRoutes, { codeSender: opts.codeSender });
  await app.register(followUpRoutes, { messageSender: opts.codeSender });

  if (opts.webDir && fs.existsSync(opts.webDir)) {
    await app.register(fastifyStatic, { root: opts.webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    // The app's own paths (its router draws them) answer with the app; any other path stays a 404.
    for (const path of WEB_APP_PATHS) app.get(path, { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Cordon API is running; the web page is not built (npm run build:web). API docs: /docs\n'));
  }
  return app;
}
