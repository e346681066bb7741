/**
 * When a person is known to be isolated from others, so that tracing counts no exposure then: a case from its
 * isolation (or its confirmation, when no isolation time is recorded) until its outcome (discharge, recovery ...) or
 * its withdrawal, open-ended while in treatment; a person in centralized quarantine from its start until it ended
 * (or, while it runs, its planned end). Times are epoch seconds.
 */
import type { QuarantineKind } from '../vocab.ts';

/**
 * Kinds of quarantine that isolate a person from everyone. Centralized quarantine only: a person in home quarantine
 * still lives with the household (whose exposure goes on), and home health monitoring restricts no movement.
 */
export const ISOLATING_QUARANTINE_KINDS: readonly QuarantineKind[] = ['centralized'];

/** A fact that isolates a person, as storage holds it. */
export type IsolationFact =
  | { personId: number; kind: 'case'; isolatedAt: number | null; confirmedAt: number; outcomeAt: number | null; withdrawnAt: number | null }
  | { personId: number; kind: QuarantineKind; startedAt: number; endedAt: number | null; plannedEnd: number };

/** The isolation interval [start, end) a fact gives (end null: open-ended), or null when the fact isolates no one. */
export function isolationInterval(f: IsolationFact): { personId: number; start: number; end: number | null } | null {
  if (f.kind === 'case') {
    const ends = [f.outcomeAt, f.withdrawnAt].filter((t): t is number => t !== null);
    const start = f.isolatedAt ?? f.confirmedAt;
    const end = ends.length ? Math.min(...ends) : null;
    return end !== null && end <= start ? null : { personId: f.personId, start, end };
  }
  if (!ISOLATING_QUARANTINE_KINDS.includes(f.kind)) return null;
  return { personId: f.personId, start: f.startedAt, end: f.endedAt ?? f.plannedEnd };
}
