/**
 * Chains are a forest whatever the cases, exposures and investigators' verdicts: every case has at most one infector,
 * no case descends from itself, and a confirmed link is always kept (property test, fixed seed), with hand-made loops.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test/property.ts';
import { loadEdition } from '../protocol/editions.ts';
import { CONTACT_SETTINGS } from '../vocab.ts';
import { buildChains } from './chains.ts';
import { inferInfectors, type Exposure, type InvestigatorLink } from './infector.ts';
import { linkContradiction } from './links.ts';

const edition = loadEdition('ed8-delta-2021');
const D = 86400;

/** Each case's infector in the chains (failing on a second one), and whether following infectors ever comes back. */
function treeOf(chains: ReturnType<typeof buildChains>['chains']) {
  const infector = new Map<number, number>();
  for (const l of chains.flatMap((c) => c.links)) {
    expect(infector.has(l.infectee), `case ${l.infectee} has two infectors`).toBe(false);
    infector.set(l.infectee, l.infector);
  }
  for (const start of infector.keys()) {
    const seen = new Set<number>();
    for (let at: number | undefined = start; at !== undefined; at = infector.get(at)) {
      expect(seen.has(at), `a cycle through case ${start}`).toBe(false);
      seen.add(at);
    }
  }
  return infector;
}

const chainsOf = (n: number, onsets: number[], exposures: Exposure[], links: InvestigatorLink[], persons?: number[]) => {
  const cases = onsets.slice(0, n).map((d, k) => ({ id: k + 1, onset: d * D, personId: persons?.[k] }));
  const inferences = inferInfectors({ cases, exposures, links, edition });
  const info = cases.map((c) => ({ ...c, caseNo: `C${c.id}`, confirmedAt: c.onset + D, knownContactSince: null, contacts: 0 }));
  const confirmedPairs = links.filter((l) => l.verdict === 'confirmed').map((l) => [l.infector, l.infectee] as const);
  return { inferences, ...buildChains(info, inferences, [], { now: 40 * D, followUpDays: 14, recentDays: 7, fewContactsThreshold: 5 }, confirmedPairs) };
};

describe('chains are a forest', () => {
  it('on random cases, exposures and verdicts: one infector at most, no cycle, every confirmed link kept, every inferred link a candidate, no person infecting themself', () => {
    const pair = (n: number) => fc.tuple(fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n }));
    const world = fc.integer({ min: 2, max: 24 }).chain((n) => fc.tuple(
      fc.constant(n),
      // Onsets on few days, so that equal onsets occur.
      fc.array(fc.integer({ min: 0, max: 12 }), { minLength: n, maxLength: n }),
      // Persons: some with two cases (a reinfection).
      fc.array(fc.integer({ min: 1, max: n }), { minLength: n, maxLength: n }),
      fc.array(fc.tuple(pair(n), fc.constantFrom(...CONTACT_SETTINGS), fc.integer({ min: 0, max: 900 })), { maxLength: 60 }),
      // Verdicts in the order entered: confirmations against the onsets too.
      fc.array(fc.tuple(pair(n), fc.constantFrom('confirmed' as const, 'rejected' as const)), { maxLength: 12 }),
    ));
    fc.assert(fc.property(world, ([n, onsets, persons, xs, verdicts]) => {
      const exposures: Exposure[] = xs.map(([[a, b], setting, minutes]) => ({ infector: a, infectee: b, setting, minutes }));
      // As the links service keeps them: a confirmation that contradicts the confirmed links is refused.
      const links: InvestigatorLink[] = [];
      for (const [[a, b], verdict] of verdicts) {
        if (persons[a - 1] === persons[b - 1]) continue;
        const others = links.filter((l) => !(l.infector === a && l.infectee === b));
        if (verdict === 'confirmed' && linkContradiction(others.filter((l) => l.verdict === 'confirmed'), a, b)) continue;
        links.splice(0, links.length, ...others, { infector: a, infectee: b, verdict });
      }
      const { inferences, chains } = chainsOf(n, onsets, exposures, links, persons);
      const infector = treeOf(chains);
      for (const [infectee, inf] of infector) expect(persons[inf - 1], `cases ${inf} and ${infectee} of one person linked`).not.toBe(persons[infectee - 1]);
      expect(chains.flatMap((c) => c.caseIds).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
      for (const l of links.filter((x) => x.verdict === 'confirmed')) {
        expect(infector.get(l.infectee), `confirmed ${l.infector} -> ${l.infectee}`).toBe(l.infector);
        expect(chains.flatMap((c) => c.links).find((x) => x.infectee === l.infectee)?.byInvestigator).toBe(true);
      }
      const rejected = new Set(links.filter((l) => l.verdict === 'rejected').map((l) => `${l.infector}>${l.infectee}`));
      for (const i of inferences) {
        expect(i.infector === null).toBe(i.sourceUnknown);
        if (i.byInvestigator || i.infector === null) continue;
        expect(i.candidates.map((c) => c.infector)).toContain(i.infector);
        expect(onsets[i.infector - 1]).toBeLessThan(onsets[i.caseId - 1]);
        expect(rejected.has(`${i.infector}>${i.caseId}`)).toBe(false);
      }
    }), propertyRuns(300));
  });

  it('drops the lowest-ranked inferred link of a loop that a confirmed link against the onsets would close', () => {
    // 1 (day 0) -> 2 (day 3) -> 3 (day 6) inferred, 2 -> 3 ranked higher; investigators confirm 3 -> 1.
    const exposures: Exposure[] = [{ infector: 1, infectee: 2, setting: 'work_study', minutes: 30 }, { infector: 2, infectee: 3, setting: 'household', minutes: 600 }];
    const { inferences, chains } = chainsOf(3, [0, 3, 6], exposures, [{ infector: 3, infectee: 1, verdict: 'confirmed' }]);
    expect([...treeOf(chains)].sort()).toEqual([[1, 3], [3, 2]]);
    expect(inferences.find((i) => i.caseId === 2)).toMatchObject({ infector: null, sourceUnknown: true, candidates: [expect.objectContaining({ infector: 1 })] });
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatchObject({ roots: [2], generations: 3 });
  });

  it('keeps a two-case loop apart: the confirmed link stands, the inferred one back is dropped', () => {
    const { inferences } = chainsOf(2, [0, 3], [{ infector: 1, infectee: 2, setting: 'household', minutes: 600 }], [{ infector: 2, infectee: 1, verdict: 'confirmed' }]);
    expect(inferences.map((i) => [i.caseId, i.infector, i.byInvestigator])).toEqual([[1, 2, true], [2, null, false]]);
  });
});
