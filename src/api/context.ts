/** What every route can reach: the services (store, edition, clock, codes, tracing, events), and the request's context. */
import type { Services } from '../app/container.ts';
import type { TracingEngine } from '../services/tracing/engine.ts';
import type { Action } from '../domain/access.ts';
import type { Ctx } from '../platform/context.ts';

export interface AppContext extends Services {
  /** The tracing engine over every presence record (the server builds it before it listens). */
  engine: TracingEngine;
  /** Folder of the built web page (web/dist); the page is not served when it is absent. */
  webDir: string | undefined;
  version: string;
  /** Requests refused, by error code, since the app started (authentication and permission denials). */
  denials: import('./auth.ts').DenialCounts;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route does, in the access catalogue's terms (src/domain/access.ts): every API route declares one. */
    action?: Action;
  }
  interface FastifyInstance {
    cordon: AppContext;
  }
  interface FastifyRequest {
    /** The use cases' context for this request: who asks (anonymous until accounts arrive) and the server's clock. */
    ctx: Ctx;
  }
}
