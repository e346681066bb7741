/**
 * Chains of transmission from what is stored: every case, the contact records that tie cases together (with their
 * evidence), and investigators' verdicts on links; the infector of each case inferred from them, then clusters,
 * trees and indicators. Also the tracing-efficacy report. A reinfected person's cases are episodes of their own: a
 * contact record of the person is evidence for the episode it belongs to only (`domain/chains/episodes.ts`), and a
 * person's cases are never linked to each other.
 */
import { buildChains, CHAIN_VIEW_DEFAULTS, efficacyOf, type Chain, type ChainIndicators, type ChainState, type EfficacyReport } from '../domain/chains/chains.ts';
import { episodesOf, type EpisodeOf } from '../domain/chains/episodes.ts';
import { reproductionSeries, type ReproductionSeries } from '../domain/chains/reproduction.ts';
import { enteredEventKey, eventsFromExposures, type ExposureEvent, type PlacedExposure } from '../domain/chains/events.ts';
import { asExposure, sharedPlaceExposures, type CaseRecord } from '../domain/chains/shared.ts';
import { inferInfectors, type Exposure, type Inference } from '../domain/chains/infector.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { ContactSetting } from '../domain/vocab.ts';
import type { Case, Place } from '../domain/model/index.ts';
import type { CaseContactRow, EnteredEventRow, KnownContactRow, LinkRow } from '../storage/sql/chains.ts';
import type { Scope } from '../storage/sql/scope.ts';
import type { Store } from '../storage/store.ts';
import type { TrueInfection } from '../synth/groundTruth.ts';

export interface ChainsView {
  chains: Chain[];
  indicators: ChainIndicators;
  /** R(t) of the view's cases by onset (Cori et al. 2013, the edition's serial interval). */
  reproduction: ReproductionSeries;
  inferences: Inference[];
  /** The exposure events the chains' clusters were formed around (entered by investigators, or from contact evidence). */
  events: ExposureEvent[];
  /** Links investigators rejected between two of the view's cases (the case's page offers to undo them), oldest first. */
  rejected: { infector: number; infectee: number; enteredAt: number; enteredBy: string | null }[];
  caseNo: (id: number) => string;
}

/** A case's onset, or its sampling when asymptomatic. */
const onset = (c: { onsetAt: number | null; sampledAt: number }) => c.onsetAt ?? c.sampledAt;
/** A case as the inference reads it. */
const chainCase = (c: Case) => ({ id: c.id, onset: onset(c), personId: c.personId, confirmedAt: c.confirmedAt, isolatedAt: c.isolatedAt, asymptomatic: c.onsetAt === null });
/** The contact records that are evidence for the episode of the case they name (see episodes.ts). */
const inEpisode = <R extends { infecteeCaseId: number; infecteePersonId: number; firstExposure: number }>(rows: R[], episodeOf: EpisodeOf) =>
  rows.filter((r) => episodeOf(r.infecteePersonId, r.firstExposure) === r.infecteeCaseId);
/** Pairs of cases an investigator confirmed as linked (of two persons: a person's two cases are never linked). */
function joinedBy(links: LinkRow[], cases: Case[]): [number, number][] {
  const personOf = new Map(cases.map((c) => [c.id, c.personId]));
  return links.filter((l) => l.verdict === 'confirmed' && personOf.has(l.infectorCaseId) && personOf.has(l.infecteeCaseId) && personOf.get(l.infectorCaseId) !== personOf.get(l.infecteeCaseId))
    .map((l) => [l.infectorCaseId, l.infecteeCaseId]);
}
/** Per case, the first time its person was identified as another person's contact in the case's own episode. */
function knownContactSince(rows: KnownContactRow[], episodeOf: EpisodeOf): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) {
    if (episodeOf(r.personId, r.firstExposure) !== r.caseId) continue;
    const t = out.get(r.caseId);
    if (t === undefined || r.identifiedAt < t) out.set(r.caseId, r.identifiedAt);
  }
  return out;
}
/**
 * Investigators' verdicts as the inference reads them: those between two of the view's cases. A verdict naming a case
 * that is withdrawn, or not yet confirmed at the view's time, says nothing of these chains (its other case is inferred
 * from the evidence, as if the verdict were not there).
 */
const verdicts = (links: LinkRow[], caseIds: ReadonlySet<number>) => links
  .filter((l) => caseIds.has(l.infectorCaseId) && caseIds.has(l.infecteeCaseId))
  .map((l) => ({ infector: l.infectorCaseId, infectee: l.infecteeCaseId, verdict: l.verdict }));

export async function chainsOf(store: Store, edition: ProtocolEdition, now: number, opts: { recentDays?: number; fewContactsThreshold?: number } = {}, scope?: Scope): Promise<ChainsView> {
  const [standing, caseContacts, links, counts, entered] = await Promise.all([
    store.cases.standing(), store.chains.caseContacts(), store.chains.links(), store.chains.contactCounts(), store.chains.events(),
  ]);
  // The chains as they stood at `now`: cases confirmed later are not yet cases then (investigators' links and events, as
  // findings about the past, apply whenever they were entered; an event that had not started by `now`, not yet).
  const cases = standing.filter((c) => c.confirmedAt <= now);
  const caseIds = new Set(cases.map((c) => c.id));
  const episodeOf = episodesOf(cases);
  // The records naming a case's person are the case contacts read above (their infectee is the case): no second read.
  const known = knownContactSince(caseContacts.map((r) => ({ caseId: r.infecteeCaseId, personId: r.infecteePersonId, firstExposure: r.firstExposure, identifiedAt: r.identifiedAt })), episodeOf);
  const rows = inEpisode(caseContacts, episodeOf);
  const places = await store.places.byIds([...new Set(rows.flatMap((r) => r.evidence.flatMap((e) => (e.placeId === null ? [] : [e.placeId]))))]);
  const evidence = exposuresOf(rows, places, edition);
  for (const x of await sharedPlacesOf(store, edition, cases, episodeOf, places)) {
    evidence.placed.push(x);
    evidence.exposures.push(asExposure(x));
  }
  const placeName = (id: number) => places.get(id)?.name ?? `place ${id}`;
  const fromEvidence = eventsFromExposures(evidence.placed, placeName, edition.chains);
  // An entered event that had not started by `now` is not yet a finding of that time.
  const events = [...eventsOf(entered.filter((e) => e.start <= now), caseIds), ...fromEvidence.events];
  const exposures = [...evidence.exposures, ...eventExposures(events.filter((e) => e.origin === 'investigator'))];
  const inferences = inferInfectors({ cases: cases.map(chainCase), exposures, links: verdicts(links, caseIds), edition });
  const settings = [...evidence.where].map(([k, w]) => {
    const [infector, infectee] = k.split('>').map(Number);
    return { infector, infectee, setting: w.setting, place: w.placeId === null ? null : placeName(w.placeId) };
  });
  const info = cases.map((c) => ({
    id: c.id, caseNo: c.caseNo, onset: onset(c), symptomOnset: c.onsetAt, confirmedAt: c.confirmedAt, knownContactSince: known.get(c.id) ?? null, contacts: counts.get(c.id) ?? 0,
  }));
  const options = {
    now, followUpDays: edition.closeContact.management.days, recentDays: opts.recentDays ?? CHAIN_VIEW_DEFAULTS.recentDays, fewContactsThreshold: opts.fewContactsThreshold ?? CHAIN_VIEW_DEFAULTS.fewContactsThreshold,
  };
  const joined = joinedBy(links, cases);
  const nos = new Map(cases.map((c) => [c.id, c.caseNo]));
  const caseNo = (id: number) => nos.get(id) ?? String(id);
  const withEvents = { events, eventOfPair: fromEvidence.eventOfPair, minCasesExposed: edition.chains.minCasesExposed };
  const all = buildChains(info, inferences, settings, options, joined, withEvents);
  // Imported cases infect here but were not infected here (Thompson et al. 2019): told apart by how they were found.
  const importedIds = new Set(cases.filter((c) => c.detectedBy === 'imported').map((c) => c.id));
  const reproduction = (ids: (id: number) => boolean, imported: (id: number) => boolean) => reproductionSeries(info.filter((c) => ids(c.id) && !imported(c.id)).map((c) => c.onset), now, edition.naturalHistory.serialInterval,
    { importedOnsets: info.filter((c) => ids(c.id) && imported(c.id)).map((c) => c.onset), reportingDelays: info.filter((c) => ids(c.id)).map((c) => c.confirmedAt - c.onset) });
  const rejected = links.filter((l) => l.verdict === 'rejected' && caseIds.has(l.infectorCaseId) && caseIds.has(l.infecteeCaseId))
    .map((l) => ({ infector: l.infectorCaseId, infectee: l.infecteeCaseId, enteredAt: l.enteredAt, enteredBy: l.enteredBy }));
  if (!scope) return { chains: all.chains, indicators: all.indicators, reproduction: reproduction(() => true, (id) => importedIds.has(id)), inferences, events: all.events, rejected, caseNo };
  // A region's view: the chains that reach it (a chain is one outbreak: its cases elsewhere appear by number only),
  // with the indicators of those chains' cases, and the inferences about its own cases. R(t) is the region's own: its
  // residents' cases, those infected by a case living elsewhere counted as imported into it (as an imported case).
  const own = new Set((await store.cases.standing(scope)).filter((c) => c.confirmedAt <= now).map((c) => c.id));
  const seen = new Set(all.chains.filter((c) => c.caseIds.some((id) => own.has(id))).flatMap((c) => c.caseIds));
  const view = buildChains(info.filter((c) => seen.has(c.id)), inferences.filter((i) => seen.has(i.caseId)), settings, options, joined.filter(([a, b]) => seen.has(a) && seen.has(b)), withEvents);
  const infectorOf = new Map(all.chains.flatMap((c) => [...c.links, ...c.sourceLinks]).map((l) => [l.infectee, l.infector]));
  const importedHere = (id: number) => importedIds.has(id) || (infectorOf.has(id) && !own.has(infectorOf.get(id)!));
  return { chains: view.chains, indicators: view.indicators, reproduction: reproduction((id) => own.has(id), importedHere), inferences: inferences.filter((i) => own.has(i.caseId)), events: view.events, rejected: rejected.filter((l) => own.has(l.infectee)), caseNo };
}

/**
 * The cases' shared places (`domain/chains/shared.ts`): each case's window runs from the edition's source-investigation
 * look-back before its onset to its isolation (or confirmation); each presence record belongs to its person's case of
 * that time (episodes). The places read are added to `places` (the caller names events after them).
 */
async function sharedPlacesOf(store: Store, edition: ProtocolEdition, cases: Case[], episodeOf: EpisodeOf, places: Map<number, Place>): Promise<PlacedExposure[]> {
  if (cases.length < 2) return [];
  const lookBack = edition.investigation.lookBackDaysBeforeOnset * 86400;
  const windows = new Map(cases.map((c) => [c.id, { from: onset(c) - lookBack, to: c.isolatedAt ?? c.confirmedAt }]));
  const from = Math.min(...[...windows.values()].map((w) => w.from)), to = Math.max(...[...windows.values()].map((w) => w.to));
  const presence = await store.presence.ofPersons(cases.map((c) => c.personId), from, to, edition.chains.nonExposureCategories);
  for (const [id, p] of await store.places.byIds([...new Set(presence.map((r) => r.placeId))].filter((id) => !places.has(id)))) places.set(id, p);
  const records: CaseRecord[] = [];
  for (const r of presence) {
    const caseId = episodeOf(r.personId, r.start), category = places.get(r.placeId)?.category;
    if (caseId !== undefined && category !== undefined) records.push({ caseId, placeId: r.placeId, category, start: r.start, end: r.end });
  }
  return sharedPlaceExposures(records, windows, edition);
}

/** Entered events as the chains read them: only their cases that stand. */
function eventsOf(rows: EnteredEventRow[], caseIds: ReadonlySet<number>): ExposureEvent[] {
  return rows.map((e) => ({
    key: enteredEventKey(e.id), name: e.name, setting: e.setting, placeId: e.placeId, start: e.start, end: e.end, origin: 'investigator' as const,
    sources: e.sources.filter((id) => caseIds.has(id)), exposed: e.exposed.filter((id) => caseIds.has(id)),
  }));
}

/** An entered event's exposures: each of its sources to each case exposed there, over the event's window. */
function eventExposures(events: ExposureEvent[]): Exposure[] {
  return events.flatMap((e) => e.sources.flatMap((s) => e.exposed.filter((x) => x !== s).map((x) => ({
    infector: s, infectee: x, setting: e.setting as ContactSetting, minutes: Math.max(0, e.end - e.start) / 60, start: e.start, end: e.end, placeId: e.placeId,
  }))));
}

/**
 * Exposures between cases as the inference and the events read them: one per piece of evidence of a close contact or
 * companion record (with its window), each way (the traced case may have been infected by its contact), except
 * evidence at places of the edition's `chains.nonExposureCategories` (a screening queue, a fever clinic); `where` keeps
 * each pair's longest evidence, for naming a cluster.
 */
function exposuresOf(rows: CaseContactRow[], places: ReadonlyMap<number, { category: string }>, edition: ProtocolEdition): { exposures: Exposure[]; placed: PlacedExposure[]; where: Map<string, { setting: string; placeId: number | null }> } {
  const exposures: Exposure[] = [];
  const placed: PlacedExposure[] = [];
  const where = new Map<string, { setting: string; placeId: number | null }>();
  const noExposure = new Set<string>(edition.chains.nonExposureCategories);
  for (const r of rows) {
    if (r.kind !== 'close' && r.kind !== 'companion') continue;
    const evidence = r.evidence.filter((e) => e.placeId === null || !noExposure.has(places.get(e.placeId)?.category ?? ''));
    const best = [...evidence].sort((a, b) => b.minutes - a.minutes)[0];
    if (!best) continue;
    for (const e of evidence) {
      // Both ways: the record says the two met; which infected which is the inference's to weigh.
      exposures.push({ infector: r.indexCaseId, infectee: r.infecteeCaseId, setting: e.setting, minutes: e.minutes, start: e.overlapStart, end: e.overlapEnd, placeId: e.placeId },
        { infector: r.infecteeCaseId, infectee: r.indexCaseId, setting: e.setting, minutes: e.minutes, start: e.overlapStart, end: e.overlapEnd, placeId: e.placeId });
      if (e.placeId !== null) placed.push({ infector: r.indexCaseId, infectee: r.infecteeCaseId, placeId: e.placeId, setting: e.setting, start: e.overlapStart, end: e.overlapEnd });
    }
    where.set(`${r.indexCaseId}>${r.infecteeCaseId}`, { setting: best.setting, placeId: best.placeId });
  }
  return { exposures, placed, where };
}

/**
 * Adds one newly confirmed case to chains kept in memory: reads its own exposures (one indexed query) and the exposure
 * events investigators entered with it among the exposed, infers its infector among the cases it met, and attaches it.
 * Investigators' verdicts on its links are honoured. Shared places are not read here (they need the other cases'
 * presence over the look-back): `chainsOf` finds them when the chains are next computed whole.
 */
export async function addCaseToChains(store: Store, edition: ProtocolEdition, state: ChainState, caseId: number): Promise<{ infector: number | null; chain: number; generation: number; size: number }> {
  const c = await store.cases.get(caseId);
  if (!c) throw new RangeError(`no case ${caseId}`);
  const episodeOf = episodesOf((await store.cases.ofPerson(c.personId)).filter((x) => x.withdrawnAt === null));
  const rows = inEpisode(await store.chains.exposuresOf(caseId), episodeOf);
  const places = await store.places.byIds(rows.flatMap((r) => r.evidence.flatMap((e) => (e.placeId === null ? [] : [e.placeId]))));
  const { exposures } = exposuresOf(rows, places, edition);
  const entered = (await store.chains.events()).filter((e) => e.exposed.includes(caseId));
  const links = (await store.chains.links()).filter((l) => l.infecteeCaseId === caseId);
  const ids = [...new Set([...exposures.map((x) => x.infector), ...entered.flatMap((e) => e.sources), ...links.map((l) => l.infectorCaseId)])];
  const others = (await Promise.all(ids.map((id) => store.cases.get(id)))).filter((o): o is Case => o !== undefined && o.id !== c.id && o.withdrawnAt === null);
  const known = new Set([c.id, ...others.map((o) => o.id)]);
  exposures.push(...eventExposures(eventsOf(entered, known)).filter((x) => x.infectee === caseId));
  const [inf] = inferInfectors({ cases: [chainCase(c), ...others.map(chainCase)], exposures, links: verdicts(links, known), edition });
  return { infector: inf.infector, ...state.add(caseId, inf.infector) };
}

/** Tracing efficacy of every stored case (see efficacyOf). */
export async function efficacyReport(store: Store, scope?: Scope): Promise<EfficacyReport> {
  const [cases, known, first, counts] = await Promise.all([store.cases.standing(), store.chains.knownContacts(), store.chains.firstContactIdentified(), store.chains.contactCounts()]);
  // Episodes are of every case (a person's earlier case elsewhere still ends their episode); the report counts the region's.
  const own = scope ? new Set((await store.cases.standing(scope)).map((c) => c.id)) : null;
  return efficacyOf(own ? cases.filter((c) => own.has(c.id)) : cases, knownContactSince(known, episodesOf(cases)), first, counts);
}

export interface TruthReport {
  /** Local infections in the truth (those with an infector). */
  trueInfections: number;
  /** Of them, the share already identified as a close or secondary contact or companion when confirmed (or by `now`, if never confirmed). */
  alreadyContacts: number;
  /** Confirmed cases whose true infector is a confirmed case, and the share whose inferred infector is that case. */
  scorableCases: number;
  inferredInfectorCorrect: number | null;
}

/** Scores what the platform knows against a synthetic outbreak's ground truth (ID numbers hashed with the store's key). */
export async function efficacyAgainstTruth(store: Store, edition: ProtocolEdition, truth: TrueInfection[], hash: (idNumber: string) => string, now: number): Promise<TruthReport> {
  const ids = await store.persons.idsByHash([...new Set(truth.flatMap((t) => [t.idNumber, ...(t.infectorIdNumber ? [t.infectorIdNumber] : [])]))].map(hash));
  const personOf = (idNumber: string) => ids.get(hash(idNumber));
  const local = truth.filter((t) => t.infectorIdNumber !== null);
  const first = await store.chains.firstIdentifiedAsContact(local.map((t) => personOf(t.idNumber)).filter((p): p is number => p !== undefined));
  const already = local.filter((t) => { const p = personOf(t.idNumber); const f = p === undefined ? undefined : first.get(p); return f !== undefined && f <= (t.confirmedAt ?? now); }).length;
  const v = await chainsOf(store, edition, now);
  const cases = await store.cases.standing();
  const caseOfPerson = new Map(cases.map((c) => [c.personId, c.id]));
  const inferred = new Map(v.inferences.map((i) => [i.caseId, i.infector]));
  const scorable = local.flatMap((t) => {
    const infectee = caseOfPerson.get(personOf(t.idNumber) ?? -1), infector = caseOfPerson.get(personOf(t.infectorIdNumber!) ?? -1);
    return infectee !== undefined && infector !== undefined ? [{ infectee, infector }] : [];
  });
  const correct = scorable.filter((s) => inferred.get(s.infectee) === s.infector).length;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { trueInfections: local.length, alreadyContacts: local.length ? r3(already / local.length) : 0, scorableCases: scorable.length, inferredInfectorCorrect: scorable.length ? r3(correct / scorable.length) : null };
}
