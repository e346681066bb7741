/**
 * One place that builds what the API, the CLI and the event handlers work with: the store, the protocol edition,
 * the server's clock, health codes, the tracing engine (built on first use: it reads every presence record) and the
 * event dispatcher with its handlers. Entry points build it once instead of loading each piece again.
 */
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { systemCtx } from '../platform/context.ts';
import type { UsedTokenStore } from '../services/codes/usedTokens.ts';
import { HealthCodeService } from '../services/codes/healthCodes.ts';
import { EventDispatcher, type DispatcherOptions } from '../services/events/dispatcher.ts';
import { eventHandlers } from '../services/events/handlers.ts';
import { TracingEngine } from '../services/tracing/engine.ts';
import type { Store } from '../storage/store.ts';

export interface Services {
  store: Store;
  edition: ProtocolEdition;
  /** The server's clock: the only "now" of every use case. */
  clock: Clock;
  codes: HealthCodeService;
  /** The tracing engine over every presence record, built on first use. */
  tracing(): Promise<TracingEngine>;
  events: EventDispatcher;
  /** The installation's secret: the key of ID-number hashes (a resident's sign-in finds them by it) and of pseudonyms. */
  idHashKey: string;
}

export interface ServicesOptions {
  store: Store;
  edition: ProtocolEdition;
  clock?: Clock;
  /** The installation's secret (pseudonyms in tokens). */
  codeSecret: string;
  /** A health code service already opened on the store (otherwise opened here). */
  codes?: HealthCodeService;
  /** Where online verifications claim token ids (default: the store; the server may use Redis). */
  usedTokens?: UsedTokenStore;
  /** A tracing engine already built (the server's); otherwise one is loaded on first use. */
  engine?: TracingEngine;
  /** Where the engine keeps its snapshot (the data folder), when it loads one. */
  snapshotFile?: string;
  onInfo?: (msg: string) => void;
  onEventError?: DispatcherOptions['onError'];
  /** Told when each event handler ran (bench:codes measures from tracing's write to the tasks it causes). */
  onEventHandled?: DispatcherOptions['onHandled'];
}

/** Builds the services over an open store. */
export async function openServices(o: ServicesOptions): Promise<Services> {
  const clock = o.clock ?? systemClock;
  const codes = o.codes ?? await HealthCodeService.open(o.store, o.edition, o.codeSecret, clock.now(), o.usedTokens);
  let engine: Promise<TracingEngine> | undefined = o.engine && Promise.resolve(o.engine);
  const tracing = () => (engine ??= TracingEngine.load({ store: o.store, edition: o.edition, snapshotFile: o.snapshotFile, onInfo: o.onInfo }));
  const events = new EventDispatcher(o.store, eventHandlers({ store: o.store, edition: o.edition, codes, tracing }), systemCtx(clock, 'events'), { onError: o.onEventError, onHandled: o.onEventHandled });
  return { store: o.store, edition: o.edition, clock, codes, tracing, events, idHashKey: o.codeSecret };
}
