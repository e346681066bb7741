/**
 * Tracing recall on the synthetic outbreak: the share of true infections whose infectee had already been found as a
 * close (or secondary) contact of an earlier-confirmed case: before their own confirmation, or by the end of the
 * period when they were never confirmed. The platform's view only: cases as reported (onset, sampling,
 * confirmation), presence from the feeds; the ground truth is used only to score. Also scores the chains: top-1
 * infector accuracy (= recall of the true links between confirmed cases), precision of the inferred links, and the
 * adjusted Rand index of the inferred clusters against the true transmission tree (each case labelled by the root of
 * its true chain, followed through infected people who were never confirmed).
 *   npm run validate:recall -- [--persons 200000] [--seeds 1,2,3,42]
 */
import { adjustedRandIndex, clusterOf } from '../src/domain/chains/clusters.ts';
import { inferInfectors, type Exposure } from '../src/domain/chains/infector.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { caseWindow, contactIsolationDeadline } from '../src/domain/rules/caseWindow.ts';
import { readDivisions } from '../src/services/divisions.ts';
import { placeKindsOf, simulateToColumns } from '../src/synth/province.ts';
import { PresenceIndex } from '../src/tracing/presenceIndex.ts';
import { compileRules } from '../src/tracing/rules.ts';
import { Tracer } from '../src/tracing/tracer.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const persons = Number(opt('persons', '200000'));
const seeds = opt('seeds', '1,2,3,42').split(',').map(Number);
const edition = loadEdition(opt('edition', 'ed8-delta-2021'));
const communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);

const rows = [];
for (const seed of seeds) {
  const sim = simulateToColumns({ persons, days: 14, seed, communities, cellSizeMeters: edition.companion.cellSizeMeters });
  const end = sim.start + 14 * 86400;
  const index = PresenceIndex.build(sim.columns);
  const kinds = placeKindsOf(sim.world);
  const tracer = new Tracer(index, kinds, compileRules(edition));
  const cases = sim.result.infections.filter((x) => x.confirmedAt !== null && x.confirmedAt < end).sort((a, b) => a.confirmedAt! - b.confirmedAt!);
  // When each person was first found as a close / secondary contact.
  const foundClose = new Map<number, number>(), foundAny = new Map<number, number>();
  let closeTotal = 0;
  const caseOfPerson = new Map(cases.map((x, k) => [x.person + 1, k]));
  const exposures: Exposure[] = [];
  for (const x of cases) {
    const w = caseWindow({ onsetAt: x.onset, sampledAt: x.sampledAt!, confirmedAt: x.confirmedAt!, isolatedAt: x.confirmedAt!, detectedBy: null }, edition);
    const input = { personId: x.person + 1, from: w.from, to: w.to, confirmedAt: x.confirmedAt! };
    const close = tracer.close(input);
    const secondary = tracer.secondary(input, close, () => contactIsolationDeadline(x.confirmedAt!, edition));
    closeTotal += close.count;
    for (const f of close.found()) {
      const k = caseOfPerson.get(f.personId);
      if (k === undefined) continue;
      const best = f.evidence.reduce((a, e) => (e.minutes > a.minutes ? e : a));
      exposures.push({ infector: caseOfPerson.get(x.person + 1)!, infectee: k, setting: best.setting, minutes: f.evidence.reduce((s, e) => s + e.minutes, 0) });
    }
    for (const id of close.personIds()) { if (!foundClose.has(id)) foundClose.set(id, x.confirmedAt!); if (!foundAny.has(id)) foundAny.set(id, x.confirmedAt!); }
    for (const id of secondary.personIds()) if (!foundAny.has(id)) foundAny.set(id, x.confirmedAt!);
  }
  const inference = inferInfectors({ cases: cases.map((x, k) => ({ id: k, onset: x.onset ?? x.sampledAt! })), exposures, edition });
  // Top-1 accuracy over the cases whose true infector is itself a confirmed case (the only ones it can get right).
  const scorable = inference.filter((r) => { const t = cases[r.caseId].infector; return t !== null && caseOfPerson.has(t + 1); });
  const top1 = scorable.filter((r) => r.infector !== null && cases[r.infector].person === cases[r.caseId].infector).length;
  const inferredLinks = inference.filter((r) => r.infector !== null);
  const correctLinks = inferredLinks.filter((r) => cases[r.infector!].person === cases[r.caseId].infector).length;
  const infectorOfPerson = new Map(sim.result.infections.map((x) => [x.person, x.infector]));
  const rootOf = (p: number) => { let r = p; const seen = new Set<number>(); for (let i = infectorOfPerson.get(r); i !== null && i !== undefined && !seen.has(i); i = infectorOfPerson.get(r)) { seen.add(r); r = i; } return r; };
  const trueLabels = cases.map((x) => rootOf(x.person));
  const found = clusterOf(cases.map((_, k) => k), inferredLinks.map((r) => [r.infector!, r.caseId] as const));
  const ari = cases.length ? adjustedRandIndex(trueLabels, cases.map((_, k) => found.get(k)!)) : null;
  // Pairs of cases in one true chain that the inferred clusters also put together (the adjusted Rand index is
  // degenerate when the truth is a single chain, as when the outbreak starts from one index case).
  const pairs = (labels: (number | string)[]) => { const m = new Map<number | string, number>(); for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1); return [...m.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0); };
  const truePairs = pairs(trueLabels), bothPairs = pairs(cases.map((_, k) => `${trueLabels[k]}|${found.get(k)}`));
  const local = sim.result.infections.filter((x) => x.infector !== null);
  const known = (m: Map<number, number>, x: (typeof local)[number]) => { const t = m.get(x.person + 1); return t !== undefined && t <= (x.confirmedAt ?? end); };
  const confirmedLocal = local.filter((x) => x.confirmedAt !== null && x.confirmedAt < end);
  rows.push({
    seed, persons, records: sim.columns.length, infections: local.length, confirmed_cases: cases.length,
    share_close: local.length ? Math.round((local.filter((x) => known(foundClose, x)).length / local.length) * 1000) / 1000 : null,
    share_close_or_secondary: local.length ? Math.round((local.filter((x) => known(foundAny, x)).length / local.length) * 1000) / 1000 : null,
    confirmed_share_already_contacts: confirmedLocal.length ? Math.round((confirmedLocal.filter((x) => known(foundAny, x)).length / confirmedLocal.length) * 1000) / 1000 : null,
    close_contacts_per_case: cases.length ? Math.round((closeTotal / cases.length) * 10) / 10 : null,
    infector_scorable_cases: scorable.length,
    infector_top1_accuracy: scorable.length ? Math.round((top1 / scorable.length) * 1000) / 1000 : null,
    inferred_link_precision: inferredLinks.length ? Math.round((correctLinks / inferredLinks.length) * 1000) / 1000 : null,
    true_chains: new Set(trueLabels).size, inferred_clusters: new Set(found.values()).size,
    ari_vs_true_tree: ari === null || Number.isNaN(ari) ? null : Math.round(ari * 1000) / 1000,
    same_chain_pair_recall: truePairs ? Math.round((bothPairs / truePairs) * 1000) / 1000 : null,
    source_unknown_share: cases.length ? Math.round((inference.filter((r) => r.sourceUnknown).length / cases.length) * 1000) / 1000 : null,
  });
  console.error(rows[rows.length - 1]);
}
console.log(JSON.stringify({ edition: edition.id, runs: rows }));
