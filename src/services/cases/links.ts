/**
 * An investigator's verdict on a link between two cases (confirmed or rejected), which overrides the inferred one, or
 * its withdrawal (cleared: the link is inferred again).
 * The two cases are of two persons (a reinfected person's cases do not infect each other). A confirmation that
 * contradicts the confirmed links of standing cases (a second infector, a cycle) is refused with 409; a verdict that
 * replaces an earlier one keeps the earlier one in the corrections. A withdrawn case takes no new verdict (409
 * CASE_WITHDRAWN), but a verdict naming it may be cleared. Clearing a pair that has no verdict is 404 NO_VERDICT and
 * writes nothing. Each verdict keeps the name of the actor who entered it.
 */
import type { Services } from '../../app/container.ts';
import { linkContradiction, linkWarnings, type LinkWarning } from '../../domain/chains/links.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorName, type Ctx } from '../../platform/context.ts';

/** `cleared` withdraws the verdict on the pair (an undone confirmation or rejection): the link is inferred again, as the evidence says. */
export interface LinkVerdict { infectorCaseId: number; infecteeCaseId: number; verdict: 'confirmed' | 'rejected' | 'cleared'; note: string | null }

export async function setTransmissionLink(ctx: Ctx, s: Pick<Services, 'store' | 'events'>, v: LinkVerdict): Promise<LinkVerdict & { warnings: LinkWarning[] }> {
  if (v.infectorCaseId === v.infecteeCaseId) throw new DomainError('invalid', 'VALIDATION_FAILED', 'a case cannot infect itself', [{ field: 'infecteeCaseId', reason: 'the same case' }]);
  const persons: number[] = [];
  const onsets: (number | null)[] = [];
  for (const id of [v.infectorCaseId, v.infecteeCaseId]) {
    const c = await s.store.cases.get(id, ctx.scope);
    if (!c) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No case with id ${id}.`);
    // A verdict that names a withdrawn case may still be withdrawn (it left the chains with the case); no new one.
    if (c.withdrawnAt !== null && v.verdict !== 'cleared') throw new DomainError('conflict', 'CASE_WITHDRAWN', `case ${c.caseNo} was withdrawn`);
    persons.push(c.personId);
    onsets.push(c.onsetAt);
  }
  if (persons[0] === persons[1]) throw new DomainError('invalid', 'VALIDATION_FAILED', 'two cases of one person (a reinfection) do not infect each other', [{ field: 'infecteeCaseId', reason: 'a case of the same person' }]);
  const now = ctx.clock.now();
  await s.store.transaction(async (tx) => {
    const links = await tx.chains.links();
    if (v.verdict === 'confirmed') {
      // Confirmed links of withdrawn cases are out of the chains, so they contradict nothing.
      const confirmed = links.filter((l) => l.verdict === 'confirmed');
      const withdrawn = new Set((await tx.cases.byIds([...new Set(confirmed.flatMap((l) => [l.infectorCaseId, l.infecteeCaseId]))])).filter((c) => c.withdrawnAt !== null).map((c) => c.id));
      const standing = confirmed.filter((l) => !withdrawn.has(l.infectorCaseId) && !withdrawn.has(l.infecteeCaseId));
      const problem = linkContradiction(standing.map((l) => ({ infector: l.infectorCaseId, infectee: l.infecteeCaseId })), v.infectorCaseId, v.infecteeCaseId);
      if (problem) throw new DomainError('conflict', problem.code, problem.message);
    }
    const before = links.find((l) => l.infectorCaseId === v.infectorCaseId && l.infecteeCaseId === v.infecteeCaseId);
    // Nothing to withdraw: said, and nothing written (no event, no correction).
    if (v.verdict === 'cleared' && !before) throw new DomainError('not_found', 'NO_VERDICT', `No verdict on the link from case ${v.infectorCaseId} to case ${v.infecteeCaseId} to clear.`);
    if (v.verdict === 'cleared') await tx.chains.clearLink(v.infectorCaseId, v.infecteeCaseId);
    else await tx.chains.setLink({ ...v, verdict: v.verdict, enteredAt: now, enteredBy: actorName(ctx.actor) });
    if (before && (before.verdict !== v.verdict || before.note !== v.note)) {
      await tx.corrections.record([{ entity: 'case', entityKey: String(v.infecteeCaseId), changes: { [`link from case ${v.infectorCaseId}`]: [before.verdict, v.verdict] }, reason: v.note, actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    }
    await tx.events.append([{ kind: 'link.set', payload: { infectorCaseId: v.infectorCaseId, infecteeCaseId: v.infecteeCaseId } }], actorName(ctx.actor), now);
  });
  await s.events.settle();
  // A confirmation is answered with what is worth a second look (domain/chains/links.ts).
  return { ...v, warnings: v.verdict === 'confirmed' ? linkWarnings(onsets[0], onsets[1]) : [] };
}
