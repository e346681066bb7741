/**
 * Tracing recall on the synthetic outbreak: the share of true infections whose infectee had already been found as a
 * close (or secondary) contact of an earlier-confirmed case: before their own confirmation, or by the end of the
 * period when they were never confirmed. The platform's view only: cases as reported (onset, sampling,
 * confirmation), presence from the feeds; the ground truth is used only to score. Also scores the chains (the
 * chains issue's targets), Cordon beside two naive rules (`domain/chains/baselines.ts`: "earliest earlier case at the
 * same place", "closest onset at the same place"):
 * - top-1 infector accuracy over the confirmed cases whose true infector is a confirmed case, and link precision;
 * - the adjusted Rand index of the clusters against the true clusters: the same definition applied to the truth (the
 *   true infections at one place and window, as `eventsFromExposures` groups them, form a cluster; others follow their
 *   true infector, through infected people never confirmed), and against the true trees (each case by its root);
 * - calibration: the mean probability of the chosen infector against the share right.
 * `--index-cases N` seeds N index cases in several cities (docs/synth.md). Prints per run, then the mean and standard
 * deviation over the runs.
 *   npm run validate:recall -- [--persons 200000] [--seeds 1,2,3,42] [--index-cases 1]
 */
import { baselineInfectors } from '../src/domain/chains/baselines.ts';
import { adjustedRandIndex, clusterOf } from '../src/domain/chains/clusters.ts';
import { clustersWithEvents, eventsFromExposures, type PlacedExposure } from '../src/domain/chains/events.ts';
import { inferInfectors, type Exposure } from '../src/domain/chains/infector.ts';
import { asExposure, sharedPlaceExposures, type CaseRecord } from '../src/domain/chains/shared.ts';
import { PLACE_CATEGORIES } from '../src/domain/vocab.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { caseWindow, contactIsolationDeadline } from '../src/domain/rules/caseWindow.ts';
import { readDivisions } from '../src/services/divisions.ts';
import { investigationRecords, type TrueVisit } from '../src/synth/investigation.ts';
import { placeKindsOf, simulateToColumns } from '../src/synth/province.ts';
import { PresenceIndex } from '../src/tracing/presenceIndex.ts';
import { compileRules } from '../src/tracing/rules.ts';
import { Tracer } from '../src/tracing/tracer.ts';
import { readOptions } from './options.ts';

const o = readOptions('npm run validate:recall --', {
  persons: { default: '200000', help: 'residents of the synthetic province' },
  seeds: { default: '1,2,3,42', help: 'seeds, one run each, comma-separated' },
  'index-cases': { default: '1', help: 'index cases seeding the outbreak (docs/synth.md)' },
  recall: { default: '0.7', help: 'share of a case\'s true visits its investigation records (0 to 1)' },
  edition: { default: 'ed8-delta-2021', help: 'protocol edition' },
});
const persons = Number(o.persons);
const seeds = o.seeds.split(',').map(Number);
const indexCases = Number(o['index-cases']);
const recall = Number(o.recall);
if (!(Number.isInteger(persons) && persons > 0) || !seeds.every(Number.isInteger) || !(Number.isInteger(indexCases) && indexCases >= 1)) throw new Error('--persons, --seeds and --index-cases take whole numbers (persons and index cases at least 1)');
if (!(recall >= 0 && recall <= 1)) throw new Error(`--recall: a share from 0 to 1 (not ${o.recall})`);
const edition = loadEdition(o.edition);
const communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);

const rows = [];
const r3 = (x: number | null) => (x === null || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
for (const seed of seeds) {
  const sim = simulateToColumns({ persons, days: 14, seed, communities, cellSizeMeters: edition.companion.cellSizeMeters, indexCases });
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
  const placed: PlacedExposure[] = [];
  const noExposure = new Set<string>(edition.chains.nonExposureCategories);
  for (const x of cases) {
    const w = caseWindow({ onsetAt: x.onset, sampledAt: x.sampledAt!, confirmedAt: x.confirmedAt!, isolatedAt: x.confirmedAt!, detectedBy: null }, edition);
    const input = { personId: x.person + 1, from: w.from, to: w.to, confirmedAt: x.confirmedAt! };
    const close = tracer.close(input);
    const secondary = tracer.secondary(input, close, () => contactIsolationDeadline(x.confirmedAt!, edition));
    closeTotal += close.count;
    for (const f of close.found()) {
      const k = caseOfPerson.get(f.personId);
      if (k === undefined) continue;
      const infector = caseOfPerson.get(x.person + 1)!;
      for (const e of f.evidence) {
        if (e.placeId !== null && noExposure.has(PLACE_CATEGORIES[kinds.category[e.placeId]])) continue;
        exposures.push({ infector, infectee: k, setting: e.setting, minutes: e.minutes, start: e.overlapStart, end: e.overlapEnd, placeId: e.placeId },
          { infector: k, infectee: infector, setting: e.setting, minutes: e.minutes, start: e.overlapStart, end: e.overlapEnd, placeId: e.placeId });
        if (e.placeId !== null) placed.push({ infector, infectee: k, placeId: e.placeId, setting: e.setting, start: e.overlapStart, end: e.overlapEnd });
      }
    }
    for (const id of close.personIds()) { if (!foundClose.has(id)) foundClose.set(id, x.confirmedAt!); if (!foundAny.has(id)) foundAny.set(id, x.confirmedAt!); }
    for (const id of secondary.personIds()) if (!foundAny.has(id)) foundAny.set(id, x.confirmedAt!);
  }
  // Shared places of the cases within the source investigation's look-back (as the platform finds them).
  const windows = new Map(cases.map((x, k) => [k, { from: (x.onset ?? x.sampledAt!) - edition.investigation.lookBackDaysBeforeOnset * 86400, to: x.confirmedAt! }]));
  const records: CaseRecord[] = [];
  for (let r = 0; r < sim.columns.length; r++) {
    const k = caseOfPerson.get(sim.columns.person[r]);
    if (k !== undefined) records.push({ caseId: k, placeId: sim.columns.place[r], category: PLACE_CATEGORIES[kinds.category[sim.columns.place[r]]], start: sim.columns.start[r], end: sim.columns.end[r] });
  }
  // What the cases' investigations recorded (trajectory rows): their true visits, each recalled with `--recall`. The
  // same run again, seeing every visit of the persons who became cases (the first run did not know who they were).
  let investigated: TrueVisit[] = [];
  if (recall > 0) {
    const wanted = new Set(cases.map((x) => x.person));
    const visits: TrueVisit[] = [];
    simulateToColumns({ persons, days: 14, seed, communities, cellSizeMeters: edition.companion.cellSizeMeters, indexCases,
      onVisit: (person, place, start, end) => { if (wanted.has(person)) visits.push({ person, place, start, end }); } });
    investigated = investigationRecords(cases.map((x) => ({ person: x.person, onset: x.onset, sampledAt: x.sampledAt!, confirmedAt: x.confirmedAt! })), visits,
      { lookBackDays: edition.investigation.lookBackDaysBeforeOnset, recall, roundMinutes: 30, seed });
    for (const v of investigated) {
      const place = v.place + 1;
      records.push({ caseId: caseOfPerson.get(v.person + 1)!, placeId: place, category: PLACE_CATEGORIES[kinds.category[place]], start: v.start, end: v.end });
    }
  }
  for (const x of sharedPlaceExposures(records, windows, edition)) {
    placed.push(x);
    exposures.push(asExposure(x));
  }
  // The chains: Cordon's inference and events, and the two naive rules, on the same cases and exposures.
  const chainCases = cases.map((x, k) => ({ id: k, onset: x.onset ?? x.sampledAt!, confirmedAt: x.confirmedAt!, isolatedAt: x.confirmedAt!, asymptomatic: x.onset === null }));
  const inference = inferInfectors({ cases: chainCases, exposures, edition });
  const ids = cases.map((_, k) => k);
  const derived = eventsFromExposures(placed, (id) => `place ${id}`, edition.chains);
  const exposureStart = new Map(inference.map((r) => [r.caseId, r.candidates.find((c) => c.infector === r.infector)?.exposureStart]));
  const cordonClusters = (infectorOf: Map<number, number | null>) =>
    clustersWithEvents(ids, infectorOf, derived.events, derived.eventOfPair, edition.chains.minCasesExposed, exposureStart).cluster;
  const linkClusters = (infectorOf: Map<number, number | null>) =>
    clusterOf(ids, [...infectorOf].flatMap(([b, a]) => (a === null ? [] : [[a, b] as const])));
  // The truth: each infected person's true infector; clusters by the same definition (events at places and windows).
  const infectorOfPerson = new Map(sim.result.infections.map((x) => [x.person, x.infector]));
  const truePlaced: PlacedExposure[] = sim.result.infections.flatMap((x) => (x.infector === null || x.place === null ? [] : [{
    infector: x.infector, infectee: x.person, placeId: x.place, setting: x.setting, start: x.at, end: x.at,
  }]));
  const trueEvents = eventsFromExposures(truePlaced, (id) => `place ${id}`, edition.chains);
  const people = sim.result.infections.map((x) => x.person);
  const trueByPerson = clustersWithEvents(people, infectorOfPerson, trueEvents.events, trueEvents.eventOfPair, edition.chains.minCasesExposed, new Map(sim.result.infections.map((x) => [x.person, x.at]))).cluster;
  const rootOf = (p: number) => { let r = p; const seen = new Set<number>(); for (let i = infectorOfPerson.get(r); i !== null && i !== undefined && !seen.has(i); i = infectorOfPerson.get(r)) { seen.add(r); r = i; } return r; };
  const trueClusters = cases.map((x) => trueByPerson.get(x.person)!);
  const trueTrees = cases.map((x) => rootOf(x.person));
  // Top-1 accuracy over the cases whose true infector is itself a confirmed case (the only ones it can get right).
  const scorable = ids.filter((k) => { const t = cases[k].infector; return t !== null && caseOfPerson.has(t + 1); });
  const score = (name: string, infector: Map<number, number | null>, clusters: Map<number, number>) => {
    const right = (k: number) => infector.get(k) !== null && infector.get(k) !== undefined && cases[infector.get(k)!].person === cases[k].infector;
    const links = ids.filter((k) => (infector.get(k) ?? null) !== null);
    const labels = ids.map((k) => clusters.get(k)!);
    return {
      [`${name}_top1`]: scorable.length ? r3(scorable.filter(right).length / scorable.length) : null,
      [`${name}_link_precision`]: links.length ? r3(links.filter(right).length / links.length) : null,
      [`${name}_ari_true_clusters`]: cases.length > 1 ? r3(adjustedRandIndex(trueClusters, labels)) : null,
      [`${name}_ari_true_trees`]: cases.length > 1 ? r3(adjustedRandIndex(trueTrees, labels)) : null,
      [`${name}_clusters`]: new Set(labels).size,
    };
  };
  const cordonInfector = new Map(inference.map((r) => [r.caseId, r.infector]));
  const chosen = inference.filter((r) => r.infector !== null && !r.byInvestigator);
  const calibration = chosen.length ? {
    cordon_mean_probability_chosen: r3(chosen.reduce((s, r) => s + r.candidates[0].probability, 0) / chosen.length),
    cordon_share_chosen_right: r3(chosen.filter((r) => cases[r.infector!].person === cases[r.caseId].infector).length / chosen.length),
  } : {};
  const scores = {
    ...score('cordon', cordonInfector, cordonClusters(cordonInfector)),
    ...Object.assign({}, ...(['earliest', 'closest'] as const).map((rule) => {
      const m = new Map(baselineInfectors(chainCases, exposures, rule).map((r) => [r.caseId, r.infector]));
      return score(rule, m, linkClusters(m));
    })),
    ...calibration,
    cordon_source_unknown_share: cases.length ? r3(inference.filter((r) => r.sourceUnknown).length / cases.length) : null,
  };
  const local = sim.result.infections.filter((x) => x.infector !== null);
  const known = (m: Map<number, number>, x: (typeof local)[number]) => { const t = m.get(x.person + 1); return t !== undefined && t <= (x.confirmedAt ?? end); };
  const confirmedLocal = local.filter((x) => x.confirmedAt !== null && x.confirmedAt < end);
  rows.push({
    seed, persons, records: sim.columns.length, investigation_records: investigated.length, recall, infections: local.length, confirmed_cases: cases.length,
    share_close: local.length ? Math.round((local.filter((x) => known(foundClose, x)).length / local.length) * 1000) / 1000 : null,
    share_close_or_secondary: local.length ? Math.round((local.filter((x) => known(foundAny, x)).length / local.length) * 1000) / 1000 : null,
    confirmed_share_already_contacts: confirmedLocal.length ? Math.round((confirmedLocal.filter((x) => known(foundAny, x)).length / confirmedLocal.length) * 1000) / 1000 : null,
    close_contacts_per_case: cases.length ? Math.round((closeTotal / cases.length) * 10) / 10 : null,
    infector_scorable_cases: scorable.length, true_clusters: new Set(trueClusters).size, true_trees: new Set(trueTrees).size,
    ...scores,
  });
  console.error(rows[rows.length - 1]);
}
// Mean and standard deviation over the runs of every score (runs without a value left out).
const summary: Record<string, { mean: number; sd: number; runs: number }> = {};
for (const key of Object.keys(rows[0] ?? {}).filter((k) => /^(cordon|earliest|closest)_/.test(k))) {
  const xs = rows.map((r) => (r as Record<string, unknown>)[key]).filter((v): v is number => typeof v === 'number');
  if (!xs.length) continue;
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  summary[key] = { mean: r3(mean)!, sd: r3(Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1)))!, runs: xs.length };
}
console.log(JSON.stringify({ edition: edition.id, index_cases: indexCases, recall, runs: rows, summary }));
