/** What every route can reach: the store, the protocol edition in force, and the configuration. */
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { HealthCodeService } from '../services/codes/healthCodes.ts';
import type { TracingEngine } from '../services/tracing/engine.ts';
import type { Store } from '../storage/store.ts';

export interface AppContext {
  store: Store;
  edition: ProtocolEdition;
  /** The tracing engine over every presence record. */
  engine: TracingEngine;
  /** Health codes: evaluation, tokens, online verification. */
  codes: HealthCodeService;
  /** Folder of the built web page (web/dist); the page is not served when it is absent. */
  webDir: string | undefined;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    cordon: AppContext;
  }
}
