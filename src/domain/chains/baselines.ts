/**
 * Two naive infector rules, the yardsticks Cordon's inference must beat (chains issue, validation): for each case,
 * among the other cases it was seen with at a place (any exposure between the two), take
 * - `earliest`: the one whose onset is earliest, of those before the case's onset;
 * - `closest`: the one whose onset is latest before the case's (the closest onset).
 * Ties go to the lower case id. Cases of one person are never each other's. Pure.
 */
import type { ChainCase, Exposure } from './infector.ts';

export type BaselineRule = 'earliest' | 'closest';

/** The infector (or null) of every case by one naive rule, in the cases' order. */
export function baselineInfectors(cases: readonly ChainCase[], exposures: readonly Pick<Exposure, 'infector' | 'infectee'>[], rule: BaselineRule): { caseId: number; infector: number | null }[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const met = new Map<number, Set<number>>();
  const add = (a: number, b: number) => { if (!met.has(a)) met.set(a, new Set()); met.get(a)!.add(b); };
  for (const x of exposures) { add(x.infector, x.infectee); add(x.infectee, x.infector); }
  return cases.map((c) => {
    let best: ChainCase | null = null;
    // Stryker disable next-line ArrayDeclaration: equivalent: the mutant's string is no case's id, skipped as a case not listed
    for (const id of met.get(c.id) ?? []) {
      const o = byId.get(id);
      if (!o || (o.personId !== undefined && o.personId === c.personId) || !(o.onset < c.onset) ||
        // Stryker disable next-line ConditionalExpression: equivalent as false: a case that met itself has an onset not before its own, skipped just before (true, disabled with it, skips every case and fails every test)
        o.id === c.id) continue;
      const better = best === null
        || (rule === 'earliest' ? o.onset < best.onset : o.onset > best.onset)
        || (o.onset === best.onset &&
          // Stryker disable next-line EqualityOperator: equivalent for <=: the cases met are distinct (a set), so none has the best's id (>, disabled with it, fails the tie tests)
          o.id < best.id);
      if (better) best = o;
    }
    return { caseId: c.id, infector: best?.id ?? null };
  });
}
