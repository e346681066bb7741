/**
 * Checks the times a request or a command brings in against the edition's plausible range at the server's now, so
 * a mistyped year or an epoch in milliseconds is refused with the field named and nothing is written.
 */
import { DomainError, type FieldIssue } from '../domain/errors.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { implausible, plausibleRange } from '../domain/rules/plausibleTime.ts';
import type { Ctx } from '../platform/context.ts';

/** Throws TIME_IMPLAUSIBLE naming every field whose time is outside the plausible range (null and undefined pass). */
export function assertPlausibleTimes(ctx: Ctx, edition: ProtocolEdition, times: Record<string, number | null | undefined>, opts: { whatIf?: boolean } = {}): void {
  const range = plausibleRange(edition, ctx.clock.now(), opts);
  const issues: FieldIssue[] = [];
  for (const [field, t] of Object.entries(times)) {
    if (t === null || t === undefined) continue;
    const reason = implausible(t, range);
    if (reason) issues.push({ field, reason });
  }
  if (issues.length > 0) throw new DomainError('invalid', 'TIME_IMPLAUSIBLE', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), issues);
}
