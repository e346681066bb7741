/**
 * Chains of transmission from inferred (or investigator-entered) infectors: clusters with their trees, generations,
 * a readable name, whether they are still active, and the dashboard's indicators (Go.Data's and more): contacts per
 * case, cases that were known contacts, cases outside known chains, serial intervals and the reproduction number over
 * time. Pure: cases, inferences and contact counts in; chains and indicators out.
 */
import type { Inference } from './infector.ts';
import { generations, joinPairs } from './clusters.ts';
import { clustersWithEvents, enteredEventId, type ExposureEvent } from './events.ts';
import { linkWarnings, type LinkWarning } from './links.ts';
import { toCsv } from '../csv.ts';
import { CONTACT_LABELS, type Lang } from '../labels.ts';
import type { ContactSetting } from '../vocab.ts';
import { chinaWeekStart, formatTime } from '../time.ts';

export interface ChainCaseInfo {
  id: number;
  caseNo: string;
  /** Onset, or sampling when asymptomatic (epoch seconds). */
  onset: number;
  /** Onset of symptoms alone (epoch seconds; null or absent: asymptomatic or not known): what a confirmed link's warnings read. */
  symptomOnset?: number | null;
  confirmedAt: number;
  /** When the case was first identified as somebody's contact (null: never before confirmation). */
  knownContactSince: number | null;
  /** Contacts traced from this case (close + secondary). */
  contacts: number;
}

/** Where a link's exposure happened (for naming a cluster). */
export interface LinkSetting { infector: number; infectee: number; setting: string; place: string | null }

/**
 * What a cluster is named after, in no language: its first case (by onset), whether it is a single case, and the
 * exposure event or most frequent link setting it was named after (`setting` a ContactSetting, `place` a place's or
 * an investigator's event's name). `chainName` words it.
 */
export interface ChainNaming { firstCase: string; single: boolean; setting: string | null; place: string | null }

/**
 * A cluster's name in `lang`: "HN-1 聚集（欢乐KTV，同餐饮娱乐）" / "HN-1 cluster (dining or entertainment at 欢乐KTV)";
 * an investigator's event by its name alone ("G-1 聚集（周日礼拜）"); a single case with no known link
 * "C-9（无已知关联）" / "C-9 (no known link)".
 */
export function chainName(n: ChainNaming, lang: Lang): string {
  const setting = n.setting === null ? null : n.setting === 'manual' && n.place !== null ? null : (CONTACT_LABELS[lang].settings[n.setting as ContactSetting] ?? n.setting.replace(/_/g, ' '));
  if (lang === 'zh') {
    const what = [n.place, setting].filter((x) => x !== null).join('，');
    if (what) return `${n.firstCase} 聚集（${what}）`;
    return n.single ? `${n.firstCase}（无已知关联）` : `${n.firstCase} 聚集`;
  }
  const what = setting === null ? n.place : n.place === null ? setting.toLowerCase() : `${setting.toLowerCase()} at ${n.place}`;
  if (what) return `${n.firstCase} cluster (${what})`;
  return n.single ? `${n.firstCase} (no known link)` : `${n.firstCase} cluster`;
}

/**
 * A link of a chain: the inferred infector's log-likelihood (`score`) and probability (0..1, three decimals, against
 * the other candidates and "source unknown"), both null for a link an investigator confirmed; a confirmed link's
 * `warnings` (`linkWarnings` in links.ts: the infector fell ill after the infectee), for as long as it stands, not only
 * in the answer to its confirmation. An inferred link has none (the inference weighs the onsets itself).
 */
export interface ChainLink { infector: number; infectee: number; score: number | null; probability: number | null; byInvestigator: boolean; warnings: LinkWarning[] }

export interface Chain {
  id: number;
  /** The name in English (`chainName(naming, 'en')`); exports and pages word `naming` in the reader's language. */
  name: string;
  naming: ChainNaming;
  caseIds: number[];
  roots: number[];
  /** Links between two cases of the cluster (its trees). */
  links: ChainLink[];
  /** Links into the cluster from a case of another cluster (the source of an event the cluster was cut at). */
  sourceLinks: ChainLink[];
  generations: number;
  sourceUnknown: number;
  firstOnset: number;
  lastConfirmed: number;
  active: boolean;
  /** The exposure events of the cluster (their keys; see `ChainsBuilt.events`), largest first. */
  events: string[];
  /** The cases of the cluster that belong to one of its events, each with that event's key (by case id): where each was infected. */
  exposedAt: { caseId: number; event: string }[];
}

/** Exposure events and, per exposure (`exposureKey`), its event (`domain/chains/events.ts`). */
export interface ChainEvents { events: ExposureEvent[]; eventOfPair: ReadonlyMap<string, string>; minCasesExposed: number }
// Stryker disable next-line ArrayDeclaration: equivalent: a string in the default list has neither key nor origin, so no case is exposed at it and it is not among the events shown
const NO_EVENTS: ChainEvents = { events: [], eventOfPair: new Map(), minCasesExposed: 2 };

export interface ChainIndicators {
  cases: number;
  clusters: number;
  activeClusters: number;
  sourceUnknown: number;
  casesWithFewerContactsThan: { threshold: number; cases: number };
  newCasesAmongKnownContacts: { days: number; cases: number };
  newCasesOutsideKnownChains: { days: number; cases: number };
  casesThatWereKnownContacts: number;
  chainsStartedByKnownContacts: number;
  contactsPerCase: { mean: number; median: number };
  serialIntervalDays: { links: number; mean: number | null; median: number | null };
  /** Mean number of cases each case infected, by the week of its onset (a case reproduction number over time); weeks start on Monday 00:00 China time (`chinaWeekStart`). */
  reproductionByWeek: { weekStart: number; cases: number; r: number }[];
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x: number | null, d = 2) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
/** Mean (0 for none) and median (0 for none) of the contacts traced per case. */
const perCase = (counts: number[]) => ({ mean: round(counts.reduce((s, x) => s + x, 0) / Math.max(1, counts.length))!, median: median(counts) ?? 0 });

/** How many recent days the "new cases" indicators look at, and the "fewer than X contacts" threshold, unless asked. */
export const CHAIN_VIEW_DEFAULTS = { recentDays: 7, fewContactsThreshold: 5 } as const;

export interface BuildOptions {
  now: number;
  /** A chain is active while any of its cases was confirmed within this many days (the follow-up period). */
  followUpDays: number;
  /** Indicator windows and threshold. */
  recentDays: number;
  fewContactsThreshold: number;
}

/**
 * `joined`: pairs an investigator recorded as linked (confirmed links): they belong to one cluster even where the
 * tree keeps only one infector per case, unless the infectee was exposed at an event (its cluster is the event's).
 * `events`: exposure events; a case exposed at one belongs to the event's cluster, and the cluster is named after the
 * event's place (see `clustersWithEvents`).
 */
// Stryker disable next-line ArrayDeclaration: equivalent: a joined pair of ids not among the cases (the mutant's string) is skipped by clusterOf
export function buildChains(cases: ChainCaseInfo[], inferences: Inference[], settings: LinkSetting[], o: BuildOptions, joined: readonly (readonly [number, number])[] = [], withEvents: ChainEvents = NO_EVENTS): { chains: Chain[]; indicators: ChainIndicators; events: ExposureEvent[] } {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const infector = new Map<number, number | null>(cases.map((c) => [c.id, null]));
  const links: Chain['links'] = [];
  for (const inf of inferences) {
    if (
      // Stryker disable next-line ConditionalExpression: equivalent as false: null is no case's id, so the next test skips it anyway (as true it is killed)
      inf.infector === null
      || !byId.has(inf.infector)) continue;
    infector.set(inf.caseId, inf.infector);
    const chosen = inf.byInvestigator ? undefined : inf.candidates.find((c) => c.infector === inf.infector);
    // Stryker disable next-line OptionalChaining: unreachable: every inference's case is among the cases (the callers pass the inferences of the cases in view; the serial intervals below read every link's infectee as well)
    const warnings = inf.byInvestigator ? linkWarnings(byId.get(inf.infector)!.symptomOnset ?? null, byId.get(inf.caseId)?.symptomOnset ?? null) : [];
    links.push({ infector: inf.infector, infectee: inf.caseId, score: round(chosen?.score ?? null), probability: round(chosen?.probability ?? null, 3), byInvestigator: inf.byInvestigator, warnings });
  }
  const exposureStart = new Map(inferences.map((i) => [i.caseId, i.candidates.find((c) => c.infector === i.infector)?.exposureStart]));
  const { cluster: byEvent, eventOf } = clustersWithEvents(cases.map((c) => c.id), infector, withEvents.events, withEvents.eventOfPair, withEvents.minCasesExposed, exposureStart);
  const cluster = joinPairs(cases.map((c) => c.id), byEvent, joined.filter(([, b]) => !eventOf.has(b)));
  const eventByKey = new Map(withEvents.events.map((e) => [e.key, e]));
  // Trees within each cluster: an infector in another cluster (an event's source) makes its infectee a root here.
  const gen = generations(new Map([...infector].map(([c, i]) => [c, (
    // Stryker disable next-line ConditionalExpression: equivalent as true: the cluster map has number keys only, so cluster.get(null) is no case's cluster and the next test makes a null infector a root anyway (as false it is killed)
    i !== null
  ) && cluster.get(i) === cluster.get(c) ? i : null])));
  const unknown = new Set(inferences.filter((i) => i.sourceUnknown).map((i) => i.caseId));
  const settingOf = new Map(settings.map((s) => [`${s.infector}>${s.infectee}`, s]));
  const followUp = o.followUpDays * 86400;

  const groups = new Map<number, number[]>();
  for (const c of cases) { const k = cluster.get(c.id)!; if (!groups.has(k)) groups.set(k, []); groups.get(k)!.push(c.id); }
  const linksOf = new Map<number, Chain['links']>(), sourceLinksOf = new Map<number, Chain['links']>();
  for (const l of links) {
    const k = cluster.get(l.infectee)!, into = cluster.get(l.infector) === k ? linksOf : sourceLinksOf;
    if (!into.has(k)) into.set(k, []);
    into.get(k)!.push(l);
  }
  const chains: Chain[] = [];
  for (const [k, ids] of groups) {
    const members = ids.map((id) => byId.get(id)!);
    const own = linksOf.get(k) ?? [];
    // Name: the most frequent setting (and place) among its links, and its first case.
    const counts = new Map<string, number>();
    const namedBy = new Map<string, { setting: string; place: string | null }>();
    for (const l of own) {
      const s = settingOf.get(`${l.infector}>${l.infectee}`);
      if (s) { const key = s.place ? `${s.setting} at ${s.place}` : s.setting; counts.set(key, (counts.get(key) ?? 0) + 1); namedBy.set(key, { setting: s.setting, place: s.place }); }
    }
    // An event of the cluster names it before any link: the one most of its cases were exposed at.
    const eventCounts = new Map<string, number>();
    for (const id of ids) { const e = eventOf.get(id); if (e) eventCounts.set(e, (eventCounts.get(e) ?? 0) + 1); }
    const events = [...eventCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([e]) => e);
    const main = events.length ? eventByKey.get(events[0])! : undefined;
    const topLink = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const top = main ? { setting: main.setting, place: main.name } : (
      // Stryker disable next-line ConditionalExpression: equivalent as false: namedBy has string keys only, so namedBy.get(undefined) is undefined too (as true it is killed)
      topLink === undefined
    ) ? undefined : namedBy.get(topLink);
    const first = [...members].sort((a, b) => a.onset - b.onset || a.id - b.id)[0];
    const naming: ChainNaming = { firstCase: first.caseNo, single: ids.length === 1, setting: top?.setting ?? null, place: top?.place ?? null };
    chains.push({
      id: k, name: chainName(naming, 'en'), naming,
      // Stryker disable next-line OptionalChaining: equivalent: generations() resolves every case id, each a key of the infector map
      caseIds: [...ids].sort((a, b) => a - b), roots: ids.filter((id) => gen.get(id)?.root === id).sort((a, b) => a - b), links: own, sourceLinks: sourceLinksOf.get(k) ?? [],
      // Stryker disable next-line OptionalChaining: equivalent: generations() resolves every case id, each a key of the infector map
      generations: Math.max(...ids.map((id) => gen.get(id)?.generation ?? 0)) + 1, sourceUnknown: ids.filter((id) => unknown.has(id)).length,
      firstOnset: Math.min(...members.map((m) => m.onset)), lastConfirmed: Math.max(...members.map((m) => m.confirmedAt)),
      active: members.some((m) => m.confirmedAt <= o.now && o.now - m.confirmedAt <= followUp), events,
      exposedAt: [...ids].sort((a, b) => a - b).flatMap((id) => { const e = eventOf.get(id); return e === undefined ? [] : [{ caseId: id, event: e }]; }),
    });
  }
  // Largest first; chains of one size keep their ascending number: they are pushed so (clusters are numbered in the
  // cases' order and grouped in the same order) and the sort is stable.
  chains.sort((a, b) => b.caseIds.length - a.caseIds.length);

  const recent = cases.filter((c) => c.confirmedAt <= o.now && o.now - c.confirmedAt <= o.recentDays * 86400);
  const knownBefore = (c: ChainCaseInfo) => c.knownContactSince !== null && c.knownContactSince <= c.confirmedAt;
  const intervals = links.map((l) => (byId.get(l.infectee)!.onset - byId.get(l.infector)!.onset) / 86400);
  const contactCounts = cases.map((c) => c.contacts);
  const infectees = new Map<number, number>();
  for (const l of links) infectees.set(l.infector, (infectees.get(l.infector) ?? 0) + 1);
  const weeks = new Map<number, number[]>();
  for (const c of cases) { const w = chinaWeekStart(c.onset); if (!weeks.has(w)) weeks.set(w, []); weeks.get(w)!.push(infectees.get(c.id) ?? 0); }

  const indicators: ChainIndicators = {
    cases: cases.length, clusters: chains.filter((c) => c.caseIds.length > 1).length, activeClusters: chains.filter((c) => c.active && c.caseIds.length > 1).length,
    sourceUnknown: unknown.size,
    casesWithFewerContactsThan: { threshold: o.fewContactsThreshold, cases: cases.filter((c) => c.contacts < o.fewContactsThreshold).length },
    newCasesAmongKnownContacts: { days: o.recentDays, cases: recent.filter(knownBefore).length },
    newCasesOutsideKnownChains: { days: o.recentDays, cases: recent.filter((c) => infector.get(c.id) === null && !knownBefore(c)).length },
    casesThatWereKnownContacts: cases.filter(knownBefore).length,
    chainsStartedByKnownContacts: chains.filter((ch) => ch.caseIds.length > 1 && ch.roots.some((r) => knownBefore(byId.get(r)!))).length,
    contactsPerCase: perCase(contactCounts),
    serialIntervalDays: { links: intervals.length, mean: round(intervals.length ? intervals.reduce((s, x) => s + x, 0) / intervals.length : null), median: round(median(intervals)) },
    reproductionByWeek: [...weeks].sort((a, b) => a[0] - b[0]).map(([weekStart, xs]) => ({ weekStart, cases: xs.length, r: round(xs.reduce((s, x) => s + x, 0) / xs.length)! })),
  };
  // The events the clusters were formed around, and every event an investigator entered for a case in view (a case
  // belongs to one event's cluster, its earliest, but each event entered for it is a finding to show; an event of
  // cases out of view is not shown: its name is free text about them).
  const usedEvents = new Set(eventOf.values());
  const inView = (e: ExposureEvent) => e.exposed.some((id) => byId.has(id)) || e.sources.some((id) => byId.has(id));
  return { chains, indicators, events: withEvents.events.filter((e) => usedEvents.has(e.key) || (e.origin === 'investigator' && inView(e))) };
}


/**
 * Chains as a CSV edge list (infector, infectee, the infectee's cluster, its name in `lang`, the infector's cluster
 * (another for a link into the cluster from an event's source elsewhere, a `sourceLink`), the link's log-likelihood `score` and
 * `probability`, by investigator, and its warnings' codes separated by spaces, such as INFECTOR_ONSET_LATER), written
 * by the one CSV writer. Column names are the same in every language (a file for programs as much as people).
 * Exposure events are in the JSON and GraphML exports.
 */
export function chainsCsv(chains: Chain[], caseNo: (id: number) => string, lang: Lang = 'zh'): string {
  const clusterOf = new Map(chains.flatMap((ch) => ch.caseIds.map((id) => [id, ch.id])));
  const rows = chains.flatMap((ch) => [...ch.links, ...ch.sourceLinks].map((l) => [
    caseNo(l.infector), caseNo(l.infectee), ch.id, chainName(ch.naming, lang), clusterOf.get(l.infector) ?? null, l.score, l.probability, l.byInvestigator, warningCodes(l),
  ]));
  return toCsv(['infector_case', 'infectee_case', 'cluster', 'cluster_name', 'infector_cluster', 'score', 'probability', 'by_investigator', 'warnings'], rows);
}

/** A link's warnings as one field of an export: their codes separated by spaces (empty when none). */
// Stryker disable next-line StringLiteral: equivalent: a link has at most one warning (INFECTOR_ONSET_LATER is the only code), so the separator is never written
const warningCodes = (l: ChainLink) => l.warnings.map((w) => w.code).join(' ');

/**
 * Chains as GraphML: cases as nodes (kind `case`: case number, cluster, its name in `lang`), links as directed edges
 * (kind `link`: log-likelihood, probability, by investigator, warnings' codes when it has any); each exposure event as a node (kind `event`: its name,
 * setting, start and end in ISO-8601 China time) with an edge (kind `source`) from each case infectious there and one
 * (kind `exposure`) to each other case exposed there.
 */
export function chainsGraphml(chains: Chain[], caseNo: (id: number) => string, lang: Lang = 'zh', events: readonly ExposureEvent[] = []): string {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const d = (key: string, value: string | number | boolean | null) => (value === null ? '' : `<data key="${key}">${typeof value === 'string' ? x(value) : value}</data>`);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="kind" for="all" attr.name="kind" attr.type="string"/>',
    '  <key id="case_no" for="node" attr.name="case_no" attr.type="string"/>',
    '  <key id="cluster" for="node" attr.name="cluster" attr.type="int"/>',
    '  <key id="cluster_name" for="node" attr.name="cluster_name" attr.type="string"/>',
    '  <key id="event_name" for="node" attr.name="event_name" attr.type="string"/>',
    '  <key id="setting" for="node" attr.name="setting" attr.type="string"/>',
    '  <key id="start" for="node" attr.name="start" attr.type="string"/>',
    '  <key id="end" for="node" attr.name="end" attr.type="string"/>',
    '  <key id="score" for="edge" attr.name="score" attr.type="double"/>',
    '  <key id="probability" for="edge" attr.name="probability" attr.type="double"/>',
    '  <key id="by_investigator" for="edge" attr.name="by_investigator" attr.type="boolean"/>',
    '  <key id="warnings" for="edge" attr.name="warnings" attr.type="string"/>',
    '  <graph id="chains" edgedefault="directed">',
  ];
  const nodes = new Set<number>();
  for (const ch of chains) {
    for (const id of ch.caseIds) {
      nodes.add(id);
      out.push(`    <node id="c${id}">${d('kind', 'case')}${d('case_no', caseNo(id))}${d('cluster', ch.id)}${d('cluster_name', chainName(ch.naming, lang))}</node>`);
    }
  }
  for (const ch of chains) {
    for (const l of [...ch.links, ...ch.sourceLinks]) out.push(`    <edge source="c${l.infector}" target="c${l.infectee}">${d('kind', 'link')}${d('score', l.score)}${d('probability', l.probability)}${d('by_investigator', l.byInvestigator)}${d('warnings', warningCodes(l) || null)}</edge>`);
  }
  events.forEach((e, i) => {
    out.push(`    <node id="e${i + 1}">${d('kind', 'event')}${d('event_name', e.name)}${d('setting', e.setting)}${d('start', formatTime(e.start))}${d('end', formatTime(e.end))}</node>`);
    for (const id of e.sources) if (nodes.has(id)) out.push(`    <edge source="c${id}" target="e${i + 1}">${d('kind', 'source')}</edge>`);
    // A case that was infectious there is its source, not also exposed there (an event from evidence lists every case
    // that met another, its sources too): no edge back to it, which would close a cycle in the directed graph.
    for (const id of e.exposed) if (nodes.has(id) && !e.sources.includes(id)) out.push(`    <edge source="e${i + 1}" target="c${id}">${d('kind', 'exposure')}</edge>`);
  });
  out.push('  </graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}

/** A link as the API and the exports give it: both cases' numbers, a warning's onsets in ISO-8601 China time. */
export function numberedLink(l: ChainLink, caseNo: (id: number) => string) {
  return { ...l, infectorNo: caseNo(l.infector), infecteeNo: caseNo(l.infectee), warnings: l.warnings.map((w) => ({ ...w, infectorOnset: formatTime(w.infectorOnset), infecteeOnset: formatTime(w.infecteeOnset) })) };
}

/**
 * Chains and exposure events as the JSON export gives them (the API's export and `cordon chains --format json`): each
 * cluster named in `lang` with its case numbers, each event with its cases' numbers (and an investigator's event with
 * its id, `enteredId`; null for one from evidence), times in ISO-8601 China time.
 */
export function chainsJson(chains: Chain[], events: readonly ExposureEvent[], caseNo: (id: number) => string, lang: Lang = 'zh') {
  const numbered = (l: ChainLink) => numberedLink(l, caseNo);
  return {
    chains: chains.map((c) => ({
      ...c, name: chainName(c.naming, lang), caseNos: c.caseIds.map(caseNo), firstOnset: formatTime(c.firstOnset), lastConfirmed: formatTime(c.lastConfirmed),
      links: c.links.map(numbered), sourceLinks: c.sourceLinks.map(numbered),
    })),
    events: events.map((e) => ({ ...e, enteredId: enteredEventId(e.key), start: formatTime(e.start), end: formatTime(e.end), sourceNos: e.sources.map(caseNo), exposedNos: e.exposed.map(caseNo) })),
  };
}

/**
 * Chains kept up to date one case at a time: each case's infector is inferred from its own exposures alone, so a
 * new case joins its infector's chain one generation below it (or starts a chain when its source is unknown) without
 * recomputing the others.
 */
export class ChainState {
  private readonly chainOf = new Map<number, number>();
  private readonly generationOf = new Map<number, number>();
  private readonly sizes = new Map<number, number>();
  private nextChain = 0;

  /** Starts from a full build. */
  static from(chains: Chain[]): ChainState {
    const s = new ChainState();
    for (const ch of chains) {
      const infector = new Map<number, number | null>(ch.caseIds.map((id) => [id, null]));
      for (const l of ch.links) infector.set(l.infectee, l.infector);
      const gen = generations(infector);
      for (const id of ch.caseIds) { s.chainOf.set(id, ch.id); s.generationOf.set(id, gen.get(id)!.generation); }
      s.sizes.set(ch.id, ch.caseIds.length);
      s.nextChain = Math.max(s.nextChain, ch.id + 1);
    }
    return s;
  }

  /** Adds a case with its inferred infector; returns its chain, generation and the chain's size now. */
  add(caseId: number, infector: number | null): { chain: number; generation: number; size: number } {
    // Stryker disable next-line ConditionalExpression: equivalent: chainOf has number keys only, so chainOf.get(null) is undefined too
    const parent = infector === null ? undefined : this.chainOf.get(infector);
    const chain = parent ?? this.nextChain++;
    const generation = parent === undefined ? 0 : this.generationOf.get(infector!)! + 1;
    this.chainOf.set(caseId, chain);
    this.generationOf.set(caseId, generation);
    this.sizes.set(chain, (this.sizes.get(chain) ?? 0) + 1);
    return { chain, generation, size: this.sizes.get(chain)! };
  }

  chainOfCase(caseId: number): number | undefined {
    return this.chainOf.get(caseId);
  }
}

export interface EfficacyReport {
  cases: number;
  /** Share of cases already identified as a close or secondary contact (or companion) when confirmed (0-1, three decimals: a percentage to one decimal). */
  alreadyContactsWhenConfirmed: number;
  /** Median hours from a case's confirmation to the identification of its first contacts. */
  medianHoursToContactsIdentified: number | null;
  contactsPerCase: { mean: number; median: number };
}

/**
 * Tracing efficacy of `cases`, given per case when its person was first identified as anybody's contact, when its own
 * first contact was identified, and how many contacts were traced from it.
 */
export function efficacyOf(cases: { id: number; confirmedAt: number }[], knownContactSince: ReadonlyMap<number, number>,
  firstContactIdentified: ReadonlyMap<number, number>, contacts: ReadonlyMap<number, number>): EfficacyReport {
  const already = cases.filter((c) => { const t = knownContactSince.get(c.id); return (
      // Stryker disable next-line ConditionalExpression: equivalent: undefined is never at or before a time, so a case never known as a contact is not counted either way
      t !== undefined
    ) && t <= c.confirmedAt;
  }).length;
  const hours = cases.flatMap((c) => { const t = firstContactIdentified.get(c.id); return t === undefined ? [] : [Math.max(0, t - c.confirmedAt) / 3600]; });
  return {
    cases: cases.length, alreadyContactsWhenConfirmed: cases.length ? round(already / cases.length, 3)! : 0,
    medianHoursToContactsIdentified: round(median(hours)), contactsPerCase: perCase(cases.map((c) => contacts.get(c.id) ?? 0)),
  };
}
