/**
 * Retraces a case on demand (an investigator after new data, `cordon trace`): stores what is new or changed with its
 * `contacts.written` event, and waits until the codes have followed.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { traceCase, type TraceResult } from '../tracing/traceCase.ts';

export async function retraceCase(ctx: Ctx, s: Services, caseId: number, opts: { identifiedAt?: number } = {}): Promise<TraceResult> {
  // A case outside the actor's region is answered as unknown.
  if (!(await s.store.cases.get(caseId, ctx.scope))) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  const r = await traceCase({ ctx, store: s.store, engine: await s.tracing(), edition: s.edition, caseId, path: 'retrace', identifiedAt: opts.identifiedAt });
  await s.events.settle();
  return r;
}
