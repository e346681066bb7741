/**
 * The context every use case runs with: who acts, the clock, and where to log. A use case is `verbNoun(ctx, props)`;
 * `ctx.clock` is the only source of "now" (DESIGN.md, "How the next features fit").
 */
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';

/** Who asked for a change: recorded with every correction and event. */
export interface Actor {
  /** `system` for handlers and timers, `cli` for the command line, `api` for an HTTP caller. */
  kind: 'system' | 'cli' | 'api';
  /** A name for the record: a user name, `cordon <command>`, a handler's name. */
  name: string;
}

export interface Ctx {
  actor: Actor;
  clock: Clock;
  /**
   * The region the actor may see and change (a division code: repositories return only persons under it and their
   * cases and contacts); absent or null: everything (the system, the CLI, and roles scoped to the province).
   */
  scope?: string | null;
}

/** A context for the system itself (event handlers, timers, start-up) on a clock. */
export const systemCtx = (clock: Clock = systemClock, name = 'cordon'): Ctx => ({ actor: { kind: 'system', name }, clock });

/** The same context acting as someone else (a handler acting on behalf of the system). */
export const actingAs = (ctx: Ctx, actor: Actor): Ctx => ({ ...ctx, actor });

/** A short text naming the actor, for audit fields: `api:anonymous`, `cli:cordon import`, `system:codes`. */
export const actorName = (a: Actor): string => `${a.kind}:${a.name}`;
