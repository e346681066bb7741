/**
 * The chain view, pinned by hand on a small outbreak: three chains (one tree of three generations, a case alone with
 * its source unknown, and a pair an investigator joined), each figure worked out below.
 */
import { describe, expect, it } from 'vitest';
import { buildChains, chainName, ChainState, chainsCsv, chainsGraphml, chainsJson, efficacyOf, type ChainCaseInfo } from './chains.ts';
import type { ExposureEvent } from './events.ts';
import type { Inference } from './infector.ts';
import { exposureKey } from './events.ts';

const D = 86400;
const c = (id: number, caseNo: string, onsetDay: number, confirmedDay: number, knownContactSince: number | null, contacts: number): ChainCaseInfo =>
  ({ id, caseNo, onset: onsetDay * D, confirmedAt: confirmedDay * D, knownContactSince, contacts });
const CASES: ChainCaseInfo[] = [
  c(1, 'A-1', 0, 2, null, 10),
  c(2, 'A-2', 5, 6, 4 * D, 3), // a known contact before its confirmation
  c(3, 'A-3', 9, 11, 11 * D + 1, 0), // became a known contact a second after it was confirmed: not "known before"
  c(4, 'B-1', 3, 4, null, 7),
  c(5, 'C-1', 20, 21, null, 2),
  c(6, 'C-2', 22, 23, 22 * D, 5),
];
const inf = (caseId: number, infector: number | null, extra: Partial<Omit<Inference, 'candidates'>> & { candidates?: { infector: number; score: number; probability?: number }[] } = {}): Inference =>
  ({ caseId, infector, sourceUnknown: false, byInvestigator: false, sourceUnknownProbability: 0, ...extra, candidates: (extra.candidates ?? []).map((x) => ({ probability: 0, ...x })) });
const INFERENCES: Inference[] = [
  inf(1, null),
  inf(2, 1, { candidates: [{ infector: 7, score: -9 }, { infector: 1, score: -2.346, probability: 0.8237 }] }),
  inf(3, 2, { byInvestigator: true }),
  inf(4, null, { sourceUnknown: true }),
  inf(5, null, { sourceUnknown: true }),
  inf(6, 99), // an infector that is not among the cases: no link
];
const SETTINGS = [{ infector: 1, infectee: 2, setting: 'dining_entertainment', place: 'KTV-1' }, { infector: 2, infectee: 3, setting: 'household', place: null }];
const OPTIONS = { now: 25 * D, followUpDays: 14, recentDays: 7, fewContactsThreshold: 5 };
const build = () => buildChains(CASES, INFERENCES, SETTINGS, OPTIONS, [[5, 6]]);

describe('buildChains', () => {
  it('makes one chain per cluster, largest first, with its name, roots, generations, links and whether it is active', () => {
    const { chains } = build();
    expect(chains).toEqual([
      {
        // Tied settings (one link each) go by name: "dining_entertainment at KTV-1" before "household"; named after its first onset.
        id: 0, name: 'A-1 cluster (dining or entertainment at KTV-1)', naming: { firstCase: 'A-1', single: false, setting: 'dining_entertainment', place: 'KTV-1' }, caseIds: [1, 2, 3], roots: [1],
        links: [{ infector: 1, infectee: 2, score: -2.35, probability: 0.824, byInvestigator: false, warnings: [] }, { infector: 2, infectee: 3, score: null, probability: null, byInvestigator: true, warnings: [] }],
        generations: 3, sourceUnknown: 0, firstOnset: 0, lastConfirmed: 11 * D,
        active: true, events: [], sourceLinks: [], exposedAt: [], // its last case confirmed exactly 14 days ago: still within follow-up
      },
      {
        // Joined by an investigator without a link: one cluster, two roots, no setting to name it by.
        id: 2, name: 'C-1 cluster', naming: { firstCase: 'C-1', single: false, setting: null, place: null }, caseIds: [5, 6], roots: [5, 6], links: [], generations: 1, sourceUnknown: 1,
        firstOnset: 20 * D, lastConfirmed: 23 * D, active: true, events: [], sourceLinks: [], exposedAt: [],
      },
      { id: 1, name: 'B-1 (no known link)', naming: { firstCase: 'B-1', single: true, setting: null, place: null }, caseIds: [4], roots: [4], links: [], generations: 1, sourceUnknown: 1, firstOnset: 3 * D, lastConfirmed: 4 * D, active: false, events: [], sourceLinks: [], exposedAt: [] },
    ]);
  });

  it('computes the dashboard indicators', () => {
    expect(build().indicators).toEqual({
      cases: 6, clusters: 2, activeClusters: 2, sourceUnknown: 2,
      casesWithFewerContactsThan: { threshold: 5, cases: 3 }, // 3, 0 and 2 contacts; 5 is not fewer than 5
      newCasesAmongKnownContacts: { days: 7, cases: 1 }, // confirmed in the last 7 days: C-1 and C-2; C-2 was a known contact
      newCasesOutsideKnownChains: { days: 7, cases: 1 }, // C-1: no infector, not a known contact
      casesThatWereKnownContacts: 2, // A-2 and C-2
      chainsStartedByKnownContacts: 1, // the C pair has C-2, a known contact, among its roots
      contactsPerCase: { mean: 4.5, median: 4 }, // 27 / 6; (3 + 5) / 2
      serialIntervalDays: { links: 2, mean: 4.5, median: 4.5 }, // 5 and 4 days
      // Weeks from Monday 00:00 China time: day 0 (1970-01-01 08:00 there) was a Thursday, so weeks start 3 days and
      // 8 hours before it and at days 4, 11, 18 (less 8 hours).
      reproductionByWeek: [
        { weekStart: -3 * D - 8 * 3600, cases: 2, r: 0.5 }, // A-1 (day 0) infected A-2; B-1 (day 3, a Sunday) none
        { weekStart: 4 * D - 8 * 3600, cases: 2, r: 0.5 }, // A-2 (day 5) infected A-3 (day 9)
        { weekStart: 18 * D - 8 * 3600, cases: 2, r: 0 }, // C-1 and C-2 (days 20 and 22); C-2's infector is not a case
      ],
    });
  });

  it('is inactive a second after the follow-up period, and counts only confirmations not in the future as recent', () => {
    const later = buildChains(CASES, INFERENCES, SETTINGS, { ...OPTIONS, now: 25 * D + 1 }, [[5, 6]]);
    expect(later.chains.find((ch) => ch.id === 0)!.active).toBe(false);
    expect(later.indicators.activeClusters).toBe(1);
    // Seen from day 22: C-2 (confirmed on day 23) is not yet confirmed: neither recent nor active by it.
    const before = buildChains(CASES, INFERENCES, SETTINGS, { ...OPTIONS, now: 22 * D }, [[5, 6]]);
    expect(before.indicators.newCasesAmongKnownContacts.cases).toBe(0);
    expect(before.indicators.newCasesOutsideKnownChains.cases).toBe(1);
  });

  it('shows an event an investigator entered only when one of its cases is in view (its name is free text about them)', () => {
    const ev = (key: string, sources: number[], exposed: number[]) => ({ key, name: `家宴 ${key}`, setting: 'manual', placeId: null, start: D, end: D + 3600, sources, exposed, origin: 'investigator' as const });
    const withEvents = { events: [ev('entered:1', [1], [2]), ev('entered:2', [40], [41, 42]), ev('entered:3', [43], [4])], eventOfPair: new Map<string, string>(), minCasesExposed: 2 };
    expect(buildChains(CASES, INFERENCES, SETTINGS, OPTIONS, [[5, 6]], withEvents).events.map((e) => e.key)).toEqual(['entered:1', 'entered:3']);
    // A view of some cases (a region's): the others' events are not in it.
    expect(buildChains(CASES.slice(3), INFERENCES.slice(3), [], OPTIONS, [], withEvents).events.map((e) => e.key)).toEqual(['entered:3']);
  });

  it('names a cluster from a setting written as the vocabulary writes it, in either language', () => {
    const settings = [{ infector: 1, infectee: 2, setting: 'dining_entertainment', place: '星光KTV' }];
    const named = buildChains(CASES, INFERENCES, settings, OPTIONS).chains.find((ch) => ch.caseIds.includes(2))!;
    expect(named.name).toBe('A-1 cluster (dining or entertainment at 星光KTV)');
  });

  it('has no serial interval and zero contacts per case for no cases', () => {
    expect(buildChains([], [], [], OPTIONS).indicators).toMatchObject({
      cases: 0, clusters: 0, contactsPerCase: { mean: 0, median: 0 }, serialIntervalDays: { links: 0, mean: null, median: null }, reproductionByWeek: [],
    });
  });
});

describe('buildChains on cases given in no particular order', () => {
  // Input order: a singleton last confirmed today (30), the two roots of a joined cluster with the same onset (22 then
  // 21), their three infectees, and a singleton known as a contact exactly when confirmed (29).
  const cases = [
    c(30, 'E-30', 15, 16, null, 4), c(22, 'E-22', 1, 3, null, 1), c(21, 'E-21', 1, 2, null, 9), c(25, 'E-25', 4, 5, null, 0),
    c(24, 'E-24', 4, 6, null, 4), c(23, 'E-23', 3, 4, null, 2), c(29, 'E-29', 12, 14, 14 * D, 5),
  ];
  const inferences = [
    inf(30, null), inf(22, null), inf(21, null), inf(29, null),
    inf(25, 22, { candidates: [{ infector: 22, score: -1.234 }] }), inf(24, 21, { candidates: [{ infector: 21, score: -0.5 }] }),
    inf(23, 21, { candidates: [{ infector: 21, score: -3 }] }),
  ];
  // Two links in one workplace and one meal: the more frequent setting names the cluster, not the first by name.
  const settings = [{ infector: 22, infectee: 25, setting: 'work', place: 'Z' }, { infector: 21, infectee: 24, setting: 'work', place: 'Z' }, { infector: 21, infectee: 23, setting: 'dining', place: 'A' }];
  const options = { now: 16 * D, followUpDays: 10, recentDays: 2, fewContactsThreshold: 4 };
  // Built inside each test, so that what it runs is attributed to that test.
  const built = () => buildChains(cases, inferences, settings, options, [[22, 21]]);

  it('names a chain by its most frequent setting and its first onset (the lower id of a tie), ids and roots ascending', () => {
    const { chains } = built();
    // Clusters are numbered by their first case in the input: 30 -> 0, 22 -> 1, 29 -> 2; the largest first, then by number.
    expect(chains.map((ch) => [ch.id, ch.name, ch.caseIds, ch.roots, ch.generations, ch.active])).toEqual([
      [1, 'E-21 cluster (work at Z)', [21, 22, 23, 24, 25], [21, 22], 2, true], // last confirmed day 6: exactly 10 days ago
      [0, 'E-30 (no known link)', [30], [30], 1, true], // confirmed at this very second
      [2, 'E-29 (no known link)', [29], [29], 1, true],
    ]);
    expect(chains[0].links.map((l) => l.score)).toEqual([-1.23, -0.5, -3]);
  });

  it('counts indicators at their boundaries: exactly the recent days, known exactly at confirmation, exactly the threshold', () => {
    const { indicators } = built();
    expect(indicators).toEqual({
      cases: 7, clusters: 1, activeClusters: 1, sourceUnknown: 0,
      casesWithFewerContactsThan: { threshold: 4, cases: 3 }, // 1, 0 and 2 contacts; the two with 4 are not fewer
      newCasesAmongKnownContacts: { days: 2, cases: 1 }, // 29, confirmed exactly 2 days ago, known since that second
      newCasesOutsideKnownChains: { days: 2, cases: 1 }, // 30
      casesThatWereKnownContacts: 1,
      chainsStartedByKnownContacts: 0, // 29 is a known contact's chain of one case: not a chain started
      contactsPerCase: { mean: 3.57, median: 4 }, // 25 / 7; 0 1 2 4 4 5 9
      serialIntervalDays: { links: 3, mean: 2.67, median: 3 }, // 3, 3 and 2 days
      reproductionByWeek: [
        { weekStart: -3 * D - 8 * 3600, cases: 3, r: 1 }, // days 1-3: 21, 22 and 23; 21 and 22 infected 3 between them
        { weekStart: 4 * D - 8 * 3600, cases: 2, r: 0 }, // 24 and 25 (day 4, a Monday)
        { weekStart: 11 * D - 8 * 3600, cases: 2, r: 0 }, // 29 and 30 (days 12 and 15)
      ],
    });
  });
});

describe('buildChains where the input order does not give the answer', () => {
  // Cluster P: 1 infected 2 at a meal in B, then 3 and 4 at work in Z. Cluster Q: 6 infected 7 at school and 8 in care.
  const cases = [c(1, 'P-1', 0, 1, null, 0), c(2, 'P-2', 2, 3, null, 0), c(3, 'P-3', 2, 3, null, 0), c(4, 'P-4', 3, 4, null, 0),
    c(6, 'Q-6', 0, 1, null, 0), c(7, 'Q-7', 2, 3, null, 0), c(8, 'Q-8', 2, 3, null, 0)];
  const linked = (caseId: number, infector: number) => inf(caseId, infector, { candidates: [{ infector, score: -1 }] });
  const inferences = [inf(1, null), linked(2, 1), linked(3, 1), linked(4, 1), inf(6, null), linked(7, 6), linked(8, 6)];
  const settings = [{ infector: 1, infectee: 2, setting: 'dining', place: 'B' }, { infector: 1, infectee: 3, setting: 'work', place: 'Z' },
    { infector: 1, infectee: 4, setting: 'work', place: 'Z' }, { infector: 6, infectee: 7, setting: 'school', place: null }, { infector: 6, infectee: 8, setting: 'care', place: null }];

  it('names a chain by its most frequent setting though another came first, and a tie by the setting first by name', () => {
    const { chains } = buildChains(cases, inferences, settings, { ...OPTIONS, now: 5 * D });
    expect(chains.map((ch) => ch.name)).toEqual(['P-1 cluster (work at Z)', 'Q-6 cluster (care)']);
  });

  it('orders chains of the same size by their number', () => {
    const alone = [5, 4, 3, 2, 1, 0].map((i) => c(10 + i, `S-${i}`, i, i + 1, null, 0));
    const { chains } = buildChains(alone, alone.map((x) => inf(x.id, null)), [], { ...OPTIONS, now: 10 * D });
    expect(chains.map((ch) => ch.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chains.map((ch) => ch.caseIds[0])).toEqual([15, 14, 13, 12, 11, 10]);
  });

  it('keeps a chain whose cases are all confirmed after now inactive', () => {
    const { chains, indicators } = buildChains(cases, inferences, settings, { ...OPTIONS, now: 0 });
    expect(chains.map((ch) => ch.active)).toEqual([false, false]);
    expect(indicators.activeClusters).toBe(0);
  });

  it('counts a recent case with a known infector, though not a known contact, inside a known chain', () => {
    // Seen from day 4 with 2 recent days: 2, 3, 4, 7 and 8 are recent; all have an infector, none was a known contact.
    const { indicators } = buildChains(cases, inferences, settings, { ...OPTIONS, now: 4 * D, recentDays: 2 });
    expect(indicators.newCasesOutsideKnownChains).toEqual({ days: 2, cases: 0 });
    expect(indicators.newCasesAmongKnownContacts).toEqual({ days: 2, cases: 0 });
  });

  it('gives no score to an inferred link whose infector is not among its candidates', () => {
    const { chains } = buildChains(cases.slice(0, 2), [inf(1, null), inf(2, 1, { candidates: [{ infector: 9, score: -1 }] })], [], OPTIONS);
    expect(chains[0].links).toEqual([{ infector: 1, infectee: 2, score: null, probability: null, byInvestigator: false, warnings: [] }]);
  });
});

describe('a confirmed link worth a second look', () => {
  // A-1 fell ill on day 3, A-2 on day 1: a link 1 -> 2 has its infector falling ill after its infectee.
  const pair = (symptoms: [number | null | undefined, number | null | undefined]): ChainCaseInfo[] =>
    [{ ...c(1, 'A-1', 3, 4, null, 1), symptomOnset: symptoms[0] === undefined ? undefined : symptoms[0] === null ? null : symptoms[0] * D }, { ...c(2, 'A-2', 1, 4, null, 1), symptomOnset: symptoms[1] === undefined ? undefined : symptoms[1] === null ? null : symptoms[1] * D }];
  const linkOf = (cases: ChainCaseInfo[], byInvestigator: boolean) => buildChains(cases, [inf(1, null), inf(2, 1, { byInvestigator })], [], OPTIONS).chains[0].links[0];

  it('carries INFECTOR_ONSET_LATER on a confirmed link whose infector fell ill after its infectee, with both onsets', () => {
    expect(linkOf(pair([3, 1]), true).warnings).toEqual([expect.objectContaining({ code: 'INFECTOR_ONSET_LATER', infectorOnset: 3 * D, infecteeOnset: 1 * D })]);
  });

  it('carries none on an inferred link, on onsets in order or the same, or where a symptom onset is not known (asymptomatic)', () => {
    expect(linkOf(pair([3, 1]), false).warnings).toEqual([]);
    expect(linkOf(pair([1, 3]), true).warnings).toEqual([]);
    expect(linkOf(pair([2, 2]), true).warnings).toEqual([]);
    // The chain's onset falls back to sampling for an asymptomatic case: that is no onset to warn about.
    expect(linkOf(pair([null, 1]), true).warnings).toEqual([]);
    expect(linkOf(pair([3, null]), true).warnings).toEqual([]);
    expect(linkOf(pair([undefined, undefined]), true).warnings).toEqual([]);
  });

  it('gives the warning\'s onsets as China time in the JSON export', () => {
    const { chains } = buildChains(pair([3, 1]), [inf(1, null), inf(2, 1, { byInvestigator: true })], [], OPTIONS);
    const json = chainsJson(chains, [], (id) => `A-${id}`, 'zh');
    expect(json.chains[0].links[0].warnings).toEqual([expect.objectContaining({ code: 'INFECTOR_ONSET_LATER', infectorOnset: '1970-01-04T08:00:00+08:00', infecteeOnset: '1970-01-02T08:00:00+08:00' })]);
  });

  it('names the warning in the CSV and GraphML exports too, and nothing on a link without one', () => {
    const caseNo = (id: number) => `A-${id}`;
    const warned = buildChains(pair([3, 1]), [inf(1, null), inf(2, 1, { byInvestigator: true })], [], OPTIONS).chains;
    const inOrder = buildChains(pair([1, 3]), [inf(1, null), inf(2, 1, { byInvestigator: true })], [], OPTIONS).chains;
    const csvRow = (chains: typeof warned) => chainsCsv(chains, caseNo).trim().split('\n')[1].split(',');
    expect(chainsCsv(warned, caseNo).split('\n')[0]).toMatch(/,by_investigator,warnings$/);
    expect(csvRow(warned).slice(-2)).toEqual(['true', 'INFECTOR_ONSET_LATER']);
    expect(csvRow(inOrder).slice(-2)).toEqual(['true', '']);
    expect(chainsGraphml(warned, caseNo)).toContain('<data key="by_investigator">true</data><data key="warnings">INFECTOR_ONSET_LATER</data></edge>');
    expect(chainsGraphml(inOrder, caseNo)).not.toContain('<data key="warnings">');
  });
});

describe('chain exports', () => {
  const caseNo = (id: number) => CASES.find((x) => x.id === id)!.caseNo;

  it('writes the links as a CSV edge list, a null score as an empty field', () => {
    expect(chainsCsv(build().chains, caseNo)).toBe([
      'infector_case,infectee_case,cluster,cluster_name,infector_cluster,score,probability,by_investigator,warnings',
      'A-1,A-2,0,A-1 聚集（KTV-1，同餐饮娱乐）,0,-2.35,0.824,false,',
      'A-2,A-3,0,A-1 聚集（KTV-1，同餐饮娱乐）,0,,,true,',
      '',
    ].join('\n'));
    expect(chainsCsv(build().chains, caseNo, 'en').split('\n')[1]).toBe('A-1,A-2,0,A-1 cluster (dining or entertainment at KTV-1),0,-2.35,0.824,false,');
  });

  it('writes GraphML with every case a node and every link an edge, text escaped', () => {
    const xml = chainsGraphml(build().chains, (id) => (id === 1 ? 'A<1>&"' : caseNo(id)));
    expect(xml.match(/<node /g)).toHaveLength(6);
    expect(xml.match(/<edge /g)).toHaveLength(2);
    expect(xml).toContain('<node id="c1"><data key="kind">case</data><data key="case_no">A&lt;1&gt;&amp;&quot;</data><data key="cluster">0</data><data key="cluster_name">A-1 聚集（KTV-1，同餐饮娱乐）</data></node>');
    expect(xml).toContain('<edge source="c1" target="c2"><data key="kind">link</data><data key="score">-2.35</data><data key="probability">0.824</data><data key="by_investigator">false</data></edge>');
    expect(xml).toContain('<edge source="c2" target="c3"><data key="kind">link</data><data key="by_investigator">true</data></edge>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<graphml')).toBe(true);
    expect(xml.endsWith('</graph>\n</graphml>\n')).toBe(true);
    // Every data key used is declared, for nodes or edges, with its type; one directed graph.
    const declared = [...xml.matchAll(/<key id="([a-z_]+)" for="(node|edge|all)" attr\.name="\1" attr\.type="(string|int|double|boolean)"\/>/g)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
    expect(declared).toEqual([
      'kind:all:string', 'case_no:node:string', 'cluster:node:int', 'cluster_name:node:string', 'event_name:node:string', 'setting:node:string', 'start:node:string', 'end:node:string',
      'score:edge:double', 'probability:edge:double', 'by_investigator:edge:boolean', 'warnings:edge:string',
    ]);
    const used = (text: string) => new Set([...text.matchAll(/<data key="([a-z_]+)"/g)].map((m) => m[1]));
    expect([...used(xml)].filter((k) => !declared.some((d) => d.startsWith(`${k}:`)))).toEqual([]);
    expect(xml.match(/<graph [^>]*>/g)).toEqual(['<graph id="chains" edgedefault="directed">']);
    // With an exposure event: a node of kind event, an edge from its source and one to each case exposed there in
    // view (case 99 is not among the chains' cases), none back to its source (listed exposed too, as events from evidence
    // list it: no cycle); every declared key is then used but a link's warnings.
    const event: ExposureEvent = { key: 'x', name: '星光<KTV>', setting: 'dining_entertainment', placeId: 3, start: 1_627_776_000, end: 1_627_783_200, sources: [1], exposed: [1, 2, 3, 99], origin: 'evidence' };
    const withEvent = chainsGraphml(build().chains, caseNo, 'zh', [event]);
    expect(withEvent).toContain('<node id="e1"><data key="kind">event</data><data key="event_name">星光&lt;KTV&gt;</data><data key="setting">dining_entertainment</data><data key="start">2021-08-01T08:00:00+08:00</data><data key="end">2021-08-01T10:00:00+08:00</data></node>');
    expect(withEvent.match(/<edge source="c1" target="e1"><data key="kind">source<\/data><\/edge>/g)).toHaveLength(1);
    expect([...withEvent.matchAll(/<edge source="e1" target="c(\d+)"><data key="kind">exposure<\/data>/g)].map((m) => m[1])).toEqual(['2', '3']);
    // (`warnings` only on a link that has one: 'names the warning in the CSV and GraphML exports too'.)
    expect(used(withEvent)).toEqual(new Set(declared.map((d) => d.split(':')[0]).filter((k) => k !== 'warnings')));
    // A source out of view (98) has no node, and no edge.
    const outOfView = chainsGraphml(build().chains, caseNo, 'zh', [{ ...event, sources: [98, 1] }]);
    expect([...outOfView.matchAll(/<edge source="c(\d+)" target="e1">/g)].map((m) => m[1])).toEqual(['1']);
  });

  it('writes JSON with names, case numbers and ISO times, events included', () => {
    const event: ExposureEvent = { key: 'x', name: 'KTV', setting: 'dining_entertainment', placeId: 3, start: 1_627_776_000, end: 1_627_783_200, sources: [1], exposed: [2, 3], origin: 'evidence' };
    const j = chainsJson(build().chains, [event], caseNo, 'en');
    expect(j.chains[0]).toMatchObject({ name: 'A-1 cluster (dining or entertainment at KTV-1)', caseNos: ['A-1', 'A-2', 'A-3'], links: [{ infectorNo: 'A-1', infecteeNo: 'A-2', probability: 0.824 }, { infectorNo: 'A-2', infecteeNo: 'A-3', probability: null }] });
    expect(j.chains[0].firstOnset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(j.events).toEqual([{ ...event, enteredId: null, start: '2021-08-01T08:00:00+08:00', end: '2021-08-01T10:00:00+08:00', sourceNos: ['A-1'], exposedNos: ['A-2', 'A-3'] }]);
    // An investigator's event with its id, what its withdrawal takes.
    expect(chainsJson([], [{ ...event, key: 'entered:17', origin: 'investigator' }], caseNo).events[0].enteredId).toBe(17);
    // In Chinese unless asked.
    expect(chainsJson(build().chains, [], caseNo).chains.map((ch) => ch.name)).toEqual(['A-1 聚集（KTV-1，同餐饮娱乐）', 'C-1 聚集', 'B-1（无已知关联）']);
  });
});

describe('ChainState', () => {
  it('puts a new case one generation below its infector, in its chain, or starts a chain after the highest', () => {
    const s = ChainState.from(build().chains);
    expect(s.chainOfCase(3)).toBe(0);
    expect(s.add(10, 3)).toEqual({ chain: 0, generation: 3, size: 4 });
    expect(s.add(11, 10)).toEqual({ chain: 0, generation: 4, size: 5 });
    expect(s.add(12, null)).toEqual({ chain: 3, generation: 0, size: 1 });
    expect(s.add(13, 404)).toEqual({ chain: 4, generation: 0, size: 1 }); // an infector it does not know: a new chain
    expect(s.add(14, 6)).toEqual({ chain: 2, generation: 1, size: 3 });
    expect(s.chainOfCase(99)).toBeUndefined();
  });
});

describe('efficacyOf', () => {
  it('gives the share already known as contacts (at or before confirmation), median hours to first contacts, and contacts per case', () => {
    const cases = [{ id: 1, confirmedAt: 100 * 3600 }, { id: 2, confirmedAt: 200 * 3600 }, { id: 3, confirmedAt: 300 * 3600 }];
    const r = efficacyOf(cases,
      new Map([[1, 100 * 3600], [2, 200 * 3600 + 1]]), // case 1 known at its confirmation; case 2 a second after
      new Map([[1, 106 * 3600], [2, 199 * 3600], [3, 303 * 3600]]), // 6 h, before confirmation (0 h), 3 h
      new Map([[1, 4], [2, 9]]));
    expect(r).toEqual({ cases: 3, alreadyContactsWhenConfirmed: 0.333, medianHoursToContactsIdentified: 3, contactsPerCase: { mean: 4.33, median: 4 } });
    // Known before, at and after confirmation, and never: two of four already contacts; first contacts only for the first two.
    const four = [1, 2, 3, 4].map((id) => ({ id, confirmedAt: id * 100 * 3600 }));
    expect(efficacyOf(four, new Map([[1, 100 * 3600 - 1], [2, 200 * 3600], [3, 300 * 3600 + 1]]), new Map([[1, 102 * 3600], [2, 204 * 3600]]), new Map()))
      .toEqual({ cases: 4, alreadyContactsWhenConfirmed: 0.5, medianHoursToContactsIdentified: 3, contactsPerCase: { mean: 0, median: 0 } });
    expect(efficacyOf([], new Map(), new Map(), new Map())).toEqual({ cases: 0, alreadyContactsWhenConfirmed: 0, medianHoursToContactsIdentified: null, contactsPerCase: { mean: 0, median: 0 } });
  });
});

describe('buildChains cut at an exposure event', () => {
  // 1 infected 2 at home and 3 at a show; 3 infected 4 and 5 at a hotel (an event of two cases): two clusters.
  const cases = [c(1, 'H-1', 0, 1, null, 0), c(2, 'H-2', 3, 4, null, 0), c(3, 'H-3', 3, 4, null, 0), c(4, 'H-4', 6, 7, null, 0), c(5, 'H-5', 6, 7, null, 0)];
  type Candidate = { infector: number; score: number; probability?: number; exposureStart?: number };
  const byThree = (id: number, candidates: Candidate[] = [{ infector: 3, score: 0, exposureStart: 5 * D }]) => inf(id, 3, { candidates: candidates as { infector: number; score: number }[] });
  const inferences = [inf(1, null), inf(2, 1, { candidates: [{ infector: 1, score: 0 }] }), inf(3, 1, { candidates: [{ infector: 1, score: 0 }] }), byThree(4), byThree(5)];
  const hotel = { key: 'place:9@432000', name: '酒店', setting: 'contaminated_environment', placeId: 9, start: 5 * D, end: 5 * D + 3600, sources: [3], exposed: [3, 4, 5], origin: 'evidence' as const };
  const withHotel = { events: [hotel], eventOfPair: new Map([[exposureKey(3, 4, 5 * D), hotel.key], [exposureKey(3, 5, 5 * D), hotel.key]]), minCasesExposed: 2 };
  const options = { ...OPTIONS, now: 10 * D };

  it('keeps the link from an event\'s source in another cluster apart: the cluster\'s roots are its first cases, the link a source link', () => {
    const { chains, events } = buildChains(cases, inferences, [], options, [], withHotel);
    const [home, atHotel] = chains;
    expect(home).toMatchObject({ caseIds: [1, 2, 3], roots: [1], generations: 2, sourceLinks: [] });
    expect(atHotel).toMatchObject({ caseIds: [4, 5], roots: [4, 5], links: [], generations: 1, name: 'H-4 cluster (contaminated environment at 酒店)', events: [hotel.key] });
    expect(atHotel.sourceLinks.map((l) => [l.infector, l.infectee])).toEqual([[3, 4], [3, 5]]);
    // Where each was infected: 4 and 5 at the hotel (its source, 3, infected elsewhere); the home cluster at no event.
    expect(atHotel.exposedAt).toEqual([{ caseId: 4, event: hotel.key }, { caseId: 5, event: hotel.key }]);
    expect(home.exposedAt).toEqual([]);
    // The event the cluster was formed around is shown.
    expect(events).toEqual([hotel]);
    // The CSV edge list still has every link once; a source link is a row of the infectee's cluster naming the
    // infector's (another).
    const rows = chainsCsv(chains, (id) => `H-${id}`).trim().split('\n');
    expect(rows).toHaveLength(1 + 4);
    const byPair = new Map(rows.slice(1).map((r) => r.split(',')).map((f) => [`${f[0]}>${f[1]}`, [Number(f[2]), Number(f[4])]]));
    expect(byPair.get('H-3>H-4')).toEqual([atHotel.id, home.id]);
    expect(byPair.get('H-3>H-5')).toEqual([atHotel.id, home.id]);
    expect(byPair.get('H-1>H-2')).toEqual([home.id, home.id]);
  });

  it('places a case at the event of the exposure by its chosen infector, not by another candidate', () => {
    // 4's first candidate met it the day after the hotel; the chosen infector, 3, at the hotel.
    const twoCandidates = [...inferences.slice(0, 3), byThree(4, [{ infector: 1, score: -5, exposureStart: 6 * D }, { infector: 3, score: 0, exposureStart: 5 * D }]), byThree(5)];
    const { chains } = buildChains(cases, twoCandidates, [], options, [], withHotel);
    expect(chains.map((ch) => ch.caseIds)).toEqual([[1, 2, 3], [4, 5]]);
    expect(chains[1].exposedAt.map((x) => x.caseId)).toEqual([4, 5]);
  });

  it('keeps a case exposed at an event in the event\'s cluster though an investigator joined it to another case', () => {
    // Joined 2 -> 4 (a confirmed link the tree does not keep): 4 was infected at the hotel, so the clusters stay apart.
    const { chains } = buildChains(cases, inferences, [], options, [[2, 4]], withHotel);
    expect(chains.map((ch) => ch.caseIds)).toEqual([[1, 2, 3], [4, 5]]);
    // Joined the other way, 4 -> 2 (2 was exposed at no event): one cluster.
    expect(buildChains(cases, inferences, [], options, [[4, 2]], withHotel).chains.map((ch) => ch.caseIds)).toEqual([[1, 2, 3, 4, 5]]);
  });
});

describe('chainName', () => {
  const named = (setting: string | null, place: string | null, single = false) => ({ firstCase: 'G-1', single, setting, place });

  it('words a case alone and a cluster with nothing to name it by, in either language', () => {
    expect(chainName(named(null, null, true), 'zh')).toBe('G-1（无已知关联）');
    expect(chainName(named(null, null, true), 'en')).toBe('G-1 (no known link)');
    expect(chainName(named(null, null), 'zh')).toBe('G-1 聚集');
    expect(chainName(named(null, null), 'en')).toBe('G-1 cluster');
  });

  it('names an investigator\'s event by its name alone, and an investigators\' link without a place by its setting', () => {
    expect(chainName(named('manual', '周日礼拜'), 'zh')).toBe('G-1 聚集（周日礼拜）');
    expect(chainName(named('manual', '周日礼拜'), 'en')).toBe('G-1 cluster (周日礼拜)');
    expect(chainName(named('manual', null), 'zh')).toBe('G-1 聚集（流调认定）');
    expect(chainName(named('manual', null), 'en')).toBe('G-1 cluster (by investigation)');
    // Any other setting at a place is worded with it.
    expect(chainName(named('household', '芙蓉小区'), 'en')).toBe('G-1 cluster (household at 芙蓉小区)');
  });

  it('words a setting outside the vocabulary with spaces for its underscores', () => {
    expect(chainName(named('river_cruise_boat', '湘江'), 'en')).toBe('G-1 cluster (river cruise boat at 湘江)');
    expect(chainName(named('river_cruise_boat', null), 'zh')).toBe('G-1 聚集（river cruise boat）');
  });
});

describe('buildChains with events entered by investigators', () => {
  const D2 = 2 * D;
  const entered = (key: string, name: string, start: number, sources: number[], exposed: number[]): ExposureEvent =>
    ({ key, name, setting: 'manual', placeId: null, start, end: start + 3600, sources, exposed, origin: 'investigator' });
  const events = (list: ExposureEvent[]) => ({ events: list, eventOfPair: new Map<string, string>(), minCasesExposed: 2 });

  it('names a cluster of two events after the one most of its cases were exposed at, and lists its events largest first', () => {
    // G-1 (no source of its own) was the source at a wedding (G-3, G-4, G-5) and a dinner (G-6, G-7): one cluster.
    // The cases come in no order, the dinner's first.
    const cases = [c(1, 'G-1', 0, 1, null, 0), c(7, 'G-7', 3, 4, null, 0), c(6, 'G-6', 3, 4, null, 0), c(5, 'G-5', 3, 4, null, 0), c(4, 'G-4', 3, 4, null, 0), c(3, 'G-3', 3, 4, null, 0)];
    const withEvents = events([entered('entered:a', '家宴', D, [1], [6, 7]), entered('entered:b', '婚宴', D, [1], [3, 4, 5])]);
    const { chains } = buildChains(cases, cases.map((x) => inf(x.id, null)), [], { ...OPTIONS, now: 5 * D }, [], withEvents);
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatchObject({ name: 'G-1 cluster (婚宴)', naming: { firstCase: 'G-1', setting: 'manual', place: '婚宴' }, caseIds: [1, 3, 4, 5, 6, 7], events: ['entered:b', 'entered:a'] });
    // Where each was infected, by case id.
    expect(chains[0].exposedAt).toEqual([{ caseId: 3, event: 'entered:b' }, { caseId: 4, event: 'entered:b' }, { caseId: 5, event: 'entered:b' }, { caseId: 6, event: 'entered:a' }, { caseId: 7, event: 'entered:a' }]);
  });

  it('names a cluster of two events of as many cases after the first by key, whichever case comes first', () => {
    const cases = [c(1, 'G-1', 0, 1, null, 0), c(5, 'G-5', 3, 4, null, 0), c(4, 'G-4', 3, 4, null, 0), c(3, 'G-3', 3, 4, null, 0), c(2, 'G-2', 3, 4, null, 0)];
    const withEvents = events([entered('entered:a', '家宴', D, [1], [2, 3]), entered('entered:b', '婚宴', D, [1], [4, 5])]);
    const { chains } = buildChains(cases, cases.map((x) => inf(x.id, null)), [], { ...OPTIONS, now: 5 * D }, [], withEvents);
    expect(chains[0]).toMatchObject({ name: 'G-1 cluster (家宴)', events: ['entered:a', 'entered:b'] });
  });

  it('shows every event entered for a case in view, as exposed or as source, and no unused event from evidence', () => {
    // G-2 was exposed at a dinner and, a day later, at a wedding with a case out of view (42): it belongs to the
    // dinner's cluster, and the wedding is a finding to show. G-1 was the source at a banquet of cases out of view only.
    // A place where G-1 and G-2 met that makes no cluster is not shown, nor an event of cases out of view alone.
    const cases = [c(1, 'G-1', 0, 1, null, 0), c(2, 'G-2', 3, 4, null, 0)];
    const atPlace: ExposureEvent = { key: 'place:9@86400', name: '超市', setting: 'shared_facility', placeId: 9, start: D, end: D + 3600, sources: [1], exposed: [1, 2], origin: 'evidence' };
    const withEvents = events([
      entered('entered:1', '家宴', D, [1], [2]), entered('entered:2', '婚宴', D2, [], [2, 42]), entered('entered:3', '寿宴', D, [1, 41], [40]),
      atPlace, entered('entered:4', '聚餐', D, [43], [44]),
    ]);
    const built = buildChains(cases, cases.map((x) => inf(x.id, null)), [], { ...OPTIONS, now: 5 * D }, [], withEvents);
    expect(built.events.map((e) => e.key)).toEqual(['entered:1', 'entered:2', 'entered:3']);
    expect(built.chains[0]).toMatchObject({ caseIds: [1, 2], events: ['entered:1'], exposedAt: [{ caseId: 2, event: 'entered:1' }] });
  });
});
