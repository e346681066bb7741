/**
 * Retention of presence (issue "Trust", item 4): movements are personal data kept only as long as tracing needs
 * them. Records that ended more than the configured number of days ago (CORDON_PRESENCE_RETENTION_DAYS, default 28;
 * the longest look-back the editions use is 14 days before onset plus the case's infectious period) are deleted from
 * storage, and the tracing index and its snapshot forget them. The server runs this once a day.
 */
import { DAY } from '../../domain/time.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import type { TracingEngine } from './engine.ts';

export interface PresencePurge {
  /** Records that ended before this time (epoch seconds) were deleted. */
  cutoff: number;
  /** Presence records deleted from storage. */
  deleted: number;
  /** Stays dropped from the tracing index. */
  dropped: number;
}

/**
 * Deletes presence that ended more than `retentionDays` before now (the context's clock) and makes `engine` (the
 * process's tracing index, when it has one) forget it. `retentionDays` 0 keeps everything (returns null).
 */
export async function purgeOldPresence(ctx: Ctx, store: Store, engine: TracingEngine | undefined, retentionDays: number): Promise<PresencePurge | null> {
  if (retentionDays <= 0) return null;
  const cutoff = ctx.clock.now() - retentionDays * DAY;
  const deleted = await store.presence.deleteEndedBefore(cutoff);
  const dropped = engine ? await engine.forgetEndedBefore(cutoff, deleted) : 0;
  return { cutoff, deleted, dropped };
}
