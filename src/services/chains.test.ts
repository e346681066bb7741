import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { chainName, chainsCsv, chainsGraphml, ChainState } from '../domain/chains/chains.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import type { Evidence } from '../domain/model/index.ts';
import type { Store } from '../storage/store.ts';
import { addCaseToChains, chainsOf, efficacyReport } from './chains.ts';

const edition = loadEdition('ed8-delta-2021');
const DAY = 86400, T0 = 1_627_776_000; // 2021-08-01 08:00 CST
const ev = (setting: Evidence['setting'], minutes: number, placeId: number, at = T0): Evidence[] =>
  [{ setting, rule: 'r', placeId, overlapStart: at, overlapEnd: at + minutes * 60, minutes, seatDistance: null, sources: ['venue_scan'] }];

describeEachEngine('chains of transmission from stored cases and contacts', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3, 4, 5, 6].map((i) => personRow(i)));
    await store.places.insertMany([{ code: 'KTV', name: '欢乐KTV', category: 'ktv', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    // Case 1 (onset day 0) -> case 2 (day 4) -> case 3 (day 8); case 4 (day 9) with no known exposure; person 5 is a contact only.
    const c = (no: string, person: number, onsetDay: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: T0 + onsetDay * DAY, sampledAt: T0 + (onsetDay + 1) * DAY, confirmedAt: T0 + (onsetDay + 2) * DAY,
      isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('HN-1', 1, 0), c('HN-2', 2, 4), c('HN-3', 3, 8), c('HN-4', 4, 9)]);
    // Met at the KTV on `exposureDay`, while the index case was infectious (from two days before its onset).
    const contact = (person: number, indexCase: number, identifiedDay: number, exposureDay: number) => ({
      personId: person, kind: 'close' as const, indexCaseId: indexCase, viaContactId: null, firstExposure: T0 + exposureDay * DAY, lastExposure: T0 + exposureDay * DAY + 3600,
      evidence: ev('dining_entertainment', 120, 1, T0 + exposureDay * DAY), status: 'identified' as const, identifiedAt: T0 + identifiedDay * DAY,
    });
    // Person 2 was identified as case 1's contact before being confirmed (day 2 < day 6); person 3 only after (day 11 > day 10).
    await store.cases.insertContacts([contact(2, 1, 2, 0), contact(5, 1, 2, 0), contact(3, 2, 11, 4), contact(6, 2, 11, 4)]);
  });
  afterEach(async () => { await close?.(); });

  it('infers the chain, names it from its setting and place, and computes the indicators', async () => {
    const v = await chainsOf(store, edition, T0 + 12 * DAY);
    const big = v.chains[0];
    expect(big.caseIds).toEqual([1, 2, 3]);
    expect(big.links.map((l) => [l.infector, l.infectee])).toEqual([[1, 2], [2, 3]]);
    expect(big.generations).toBe(3);
    expect(big.name).toBe('HN-1 cluster (dining or entertainment at 欢乐KTV)');
    expect(chainName(big.naming, 'zh')).toBe('HN-1 聚集（欢乐KTV，同餐饮娱乐）');
    expect(big.active).toBe(true);
    expect(v.chains.find((c) => c.caseIds.includes(4))).toMatchObject({ caseIds: [4], sourceUnknown: 1 });
    expect(v.indicators).toMatchObject({
      cases: 4, clusters: 1, activeClusters: 1, sourceUnknown: 2, casesThatWereKnownContacts: 1,
      contactsPerCase: { mean: 1, median: 1 }, serialIntervalDays: { links: 2, mean: 4, median: 4 },
      casesWithFewerContactsThan: { threshold: 5, cases: 4 },
    });
    expect(v.indicators.reproductionByWeek.reduce((s, w) => s + w.r * w.cases, 0)).toBeCloseTo(2, 1);
    // Inactive once the follow-up period after the last confirmation has passed.
    expect((await chainsOf(store, edition, T0 + 40 * DAY)).chains[0].active).toBe(false);
  });

  it('names a pair of cases from their link\'s setting in the vocabulary\'s words (work_study: 同工作学习), not a raw value', async () => {
    const c = (no: string, person: number, onsetDay: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: T0 + onsetDay * DAY, sampledAt: T0 + (onsetDay + 1) * DAY, confirmedAt: T0 + (onsetDay + 2) * DAY,
      isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.persons.insertMany([personRow(7), personRow(8)]);
    await store.cases.insertMany([c('HN-5', 7, 20), c('HN-6', 8, 24)]);
    const [five, six] = [(await store.cases.byCaseNo('HN-5'))!.id, (await store.cases.byCaseNo('HN-6'))!.id];
    await store.cases.insertContacts([{
      personId: 8, kind: 'close', indexCaseId: five, viaContactId: null, firstExposure: T0 + 20 * DAY, lastExposure: T0 + 20 * DAY + 3600,
      evidence: [{ setting: 'work_study', rule: 'r', placeId: null, overlapStart: T0 + 20 * DAY, overlapEnd: T0 + 20 * DAY + 8 * 3600, minutes: 480, seatDistance: null, sources: ['workplace'] }],
      status: 'identified', identifiedAt: T0 + 22 * DAY,
    }]);
    const pair = (await chainsOf(store, edition, T0 + 30 * DAY)).chains.find((ch) => ch.caseIds.includes(six))!;
    expect(pair.caseIds).toEqual([five, six]);
    expect(pair.name).toBe('HN-5 cluster (work or study)');
    expect(chainName(pair.naming, 'zh')).toBe('HN-5 聚集（同工作学习）');
  });

  it('gives a region R(t) of its own residents\' cases, one infected by a case living elsewhere counted as imported', async () => {
    // Case 2 lives in the second community; cases 1, 3 and 4 in the first. Case 2's infector (1) lives elsewhere, and
    // so does case 3's (2).
    await store.persons.update(2, { communityCode: '430102001002', gridCode: null });
    const at = T0 + 12 * DAY;
    const whole = await chainsOf(store, edition, at);
    const first = await chainsOf(store, edition, at, {}, '430102001001');
    const second = await chainsOf(store, edition, at, {}, '430102001002');
    // The chain reaching each community is drawn whole (its indicators too), as for a county's staff.
    expect(first.chains[0].caseIds).toEqual([1, 2, 3]);
    expect(second.chains.map((c) => c.caseIds)).toEqual([[1, 2, 3]]);
    const local = (v: typeof whole) => v.reproduction.windows.reduce((n, w) => n + w.cases, 0);
    // The second community's only case was infected from elsewhere: no local transmission to estimate.
    expect(local(second)).toBe(0);
    // The first's local cases are 1 and 4 (3 was infected by a resident of the second): fewer than the province's.
    expect(local(first)).toBeGreaterThan(0);
    expect(local(first)).toBeLessThan(local(whole));
  });

  it('adds a newly confirmed case to chains kept in memory, as a full rebuild would', async () => {
    const before = await chainsOf(store, edition, T0 + 12 * DAY);
    const state = ChainState.from(before.chains);
    // Person 5 was case 1's close contact and is confirmed now.
    await store.cases.insertMany([{ caseNo: 'HN-5', personId: 5, kind: 'confirmed', onsetAt: T0 + 5 * DAY, sampledAt: T0 + 6 * DAY, confirmedAt: T0 + 7 * DAY, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    const id = (await store.cases.byCaseNo('HN-5'))!.id;
    const r = await addCaseToChains(store, edition, state, id);
    expect(r).toEqual({ infector: 1, chain: state.chainOfCase(1), generation: 1, size: 4 });
    const after = await chainsOf(store, edition, T0 + 12 * DAY);
    expect(after.chains.find((c) => c.caseIds.includes(id))!.caseIds).toEqual([1, 2, 3, id]);
  });

  it('adds a newly confirmed case exposed at an entered event to its source, as a full rebuild would', async () => {
    const state = ChainState.from((await chainsOf(store, edition, T0 + 12 * DAY)).chains);
    // Person 6 (no contact record of case 4) ate at a wedding with case 4 on day 9; an investigator entered the event.
    await store.cases.insertMany([{ caseNo: 'HN-6', personId: 6, kind: 'confirmed', onsetAt: T0 + 13 * DAY, sampledAt: T0 + 14 * DAY, confirmedAt: T0 + 15 * DAY, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    const id = (await store.cases.byCaseNo('HN-6'))!.id;
    await store.transaction((tx) => tx.chains.insertEvent({
      name: '婚宴', setting: 'manual', placeId: null, start: T0 + 9 * DAY, end: T0 + 9 * DAY + 3 * 3600, sources: [4], exposed: [id], note: null, enteredBy: 'test', enteredAt: T0 + 15 * DAY,
    }));
    const r = await addCaseToChains(store, edition, state, id);
    expect(r).toMatchObject({ infector: 4, chain: state.chainOfCase(4), generation: 1, size: 2 });
    const after = await chainsOf(store, edition, T0 + 16 * DAY);
    expect(after.inferences.find((i) => i.caseId === id)!.infector).toBe(4);
  });

  it('shows an entered event in a view at a time only once it had started (a finding about the past, not the future)', async () => {
    // HN-1 (confirmed day 2) and HN-4 (confirmed day 11) at an event of day 10.
    const id = await store.chains.insertEvent({ name: '家宴', setting: 'household', placeId: null, start: T0 + 10 * DAY, end: T0 + 10 * DAY + 7200, sources: [1], exposed: [4], note: null, enteredBy: 't', enteredAt: T0 + 20 * DAY });
    const keys = async (at: number) => (await chainsOf(store, edition, at)).events.filter((e) => e.origin === 'investigator').map((e) => e.key);
    expect(await keys(T0 + 10 * DAY - 1)).toEqual([]);
    expect(await keys(T0 + 10 * DAY)).toEqual([`entered:${id}`]);
    expect(await keys(T0 + 12 * DAY)).toEqual([`entered:${id}`]);
  });

  it('lets an investigator\'s rejection split the chain and a confirmation join a case', async () => {
    await store.transaction((tx) => tx.chains.setLink({ infectorCaseId: 2, infecteeCaseId: 3, verdict: 'rejected', note: 'different strain', enteredAt: T0 }));
    await store.transaction((tx) => tx.chains.setLink({ infectorCaseId: 3, infecteeCaseId: 4, verdict: 'confirmed', note: 'household visit', enteredAt: T0 }));
    const v = await chainsOf(store, edition, T0 + 12 * DAY);
    expect(v.chains.map((c) => c.caseIds)).toEqual([[1, 2], [3, 4]]);
    expect(v.chains[1].links).toEqual([{ infector: 3, infectee: 4, score: null, probability: null, byInvestigator: true, warnings: [] }]);
  });

  it('stays a forest when an investigator confirms a link against the onsets: the confirmed link is kept, the inferred link closing the loop dropped', async () => {
    // Inferred 1 -> 2 -> 3 (equal scores); confirmed 3 -> 1 would close the loop 1 -> 2 -> 3 -> 1.
    await store.transaction((tx) => tx.chains.setLink({ infectorCaseId: 3, infecteeCaseId: 1, verdict: 'confirmed', note: 'the index case\'s sample was taken late', enteredAt: T0 }));
    const v = await chainsOf(store, edition, T0 + 12 * DAY);
    const big = v.chains[0];
    expect(big.caseIds).toEqual([1, 2, 3]);
    expect(big.links.map((l) => [l.infector, l.infectee, l.byInvestigator])).toEqual([[3, 1, true], [1, 2, false]]);
    expect(big).toMatchObject({ roots: [3], generations: 3, sourceUnknown: 1 });
    expect(v.inferences.find((i) => i.caseId === 3)).toMatchObject({ infector: null, sourceUnknown: true });
  });

  it('keeps a reinfection apart from the person\'s first case: exposures of the first episode are no evidence for the second, and the two are never linked', async () => {
    // Person 2 (case HN-2, infected by HN-1 on day 0) recovers on day 20 and is a case again on day 60.
    await store.cases.update(2, { outcome: 'recovered', outcomeAt: T0 + 20 * DAY });
    await store.persons.insertMany([personRow(7)]);
    const again = (no: string, person: number, onsetDay: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: T0 + onsetDay * DAY, sampledAt: T0 + (onsetDay + 1) * DAY, confirmedAt: T0 + (onsetDay + 2) * DAY,
      isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([again('HN-2B', 2, 60)]);
    const b = (await store.cases.byCaseNo('HN-2B'))!.id;
    // A store may hold a confirmed link between the two cases of person 2 (the links service now refuses one): no link.
    await store.transaction((tx) => tx.chains.setLink({ infectorCaseId: 2, infecteeCaseId: b, verdict: 'confirmed', note: null, enteredAt: T0 }));
    const now = T0 + 64 * DAY;
    let v = await chainsOf(store, edition, now);
    // Person 2's exposure to HN-1 on day 0 was the first episode's: the second has no known source.
    expect(v.inferences.find((i) => i.caseId === b)).toMatchObject({ infector: null, sourceUnknown: true, byInvestigator: false, candidates: [] });
    expect(v.chains.find((c) => c.caseIds.includes(b))!.caseIds).toEqual([b]);
    expect(v.chains.find((c) => c.caseIds.includes(2))!.caseIds).toEqual([1, 2, 3]);
    // Nor was the second case a known contact when confirmed (person 2 was one in the first episode).
    expect(v.indicators.casesThatWereKnownContacts).toBe(1);
    expect((await efficacyReport(store)).alreadyContactsWhenConfirmed).toBe(0.2);
    // The second episode's own exposure: person 2 met HN-7 (onset day 57) on day 58, identified on day 59.
    await store.cases.insertMany([again('HN-7', 7, 57)]);
    const seven = (await store.cases.byCaseNo('HN-7'))!.id;
    await store.cases.insertContacts([{
      personId: 2, kind: 'close', indexCaseId: seven, viaContactId: null, firstExposure: T0 + 58 * DAY, lastExposure: T0 + 58 * DAY + 3600,
      evidence: ev('household', 600, 1, T0 + 58 * DAY), status: 'identified', identifiedAt: T0 + 59 * DAY,
    }]);
    v = await chainsOf(store, edition, now);
    expect(v.inferences.find((i) => i.caseId === b)).toMatchObject({ infector: seven, candidates: [expect.objectContaining({ infector: seven })] });
    expect(v.inferences.find((i) => i.caseId === 2)!.infector).toBe(1);
    expect(v.chains.find((c) => c.caseIds.includes(b))!.caseIds).toEqual([seven, b].sort((x, y) => x - y));
    expect(v.indicators.casesThatWereKnownContacts).toBe(2);
    // Added one at a time, the reinfection finds the same infector.
    const state = ChainState.from((await chainsOf(store, edition, now)).chains);
    expect((await addCaseToChains(store, edition, state, b)).infector).toBe(seven);
  });

  it('exports a CSV edge list and well-formed GraphML, and reports efficacy', async () => {
    const v = await chainsOf(store, edition, T0 + 12 * DAY);
    const csv = chainsCsv(v.chains, v.caseNo).trim().split('\n');
    expect(csv[0]).toBe('infector_case,infectee_case,cluster,cluster_name,infector_cluster,score,probability,by_investigator,warnings');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join('>'))).toEqual(['HN-1>HN-2', 'HN-2>HN-3']);
    const xml = chainsGraphml(v.chains, v.caseNo);
    expect(xml.match(/<node /g)).toHaveLength(4);
    expect(xml.match(/<edge /g)).toHaveLength(2);
    expect(xml).toContain('<edge source="c1" target="c2">');
    // Cluster names in Chinese (no English word in them), or English when asked.
    expect(xml).toContain('（无已知关联）</data>');
    expect(xml).not.toMatch(/"cluster_name">[^<]*[a-z]{3}/);
    expect(chainsGraphml(v.chains, v.caseNo, 'en')).toContain(' (no known link)</data>');
    const r = await efficacyReport(store);
    expect(r).toEqual({ cases: 4, alreadyContactsWhenConfirmed: 0.25, medianHoursToContactsIdentified: 60, contactsPerCase: { mean: 1, median: 1 } });
  });
});

describeEachEngine('chains from shared places and exposure events', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  const H = 3600;
  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3, 4, 5, 6].map((i) => personRow(i)));
    await store.places.insertMany([
      { code: 'BQ', name: '福满楼酒家', category: 'restaurant', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null },
      { code: 'FC', name: '发热门诊', category: 'clinic', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null },
    ]);
    const c = (no: string, person: number, onsetDay: number, asymptomatic = false) => ({
      caseNo: no, personId: person, kind: asymptomatic ? 'asymptomatic' as const : 'confirmed' as const, onsetAt: asymptomatic ? null : T0 + onsetDay * DAY,
      sampledAt: T0 + (onsetDay + 1) * DAY, confirmedAt: T0 + (onsetDay + 2) * DAY, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null,
      outcome: 'in_treatment' as const, detectedBy: null,
    });
    // A banquet on day 1 (18:00-21:30): B-1 (onset day 2) and three guests who fell ill on days 5-6, none of them traced
    // as anybody's contact (the banquet was outside every tracing window). Days later, F-1 and F-2 queued at a fever
    // clinic on one morning: a screening queue, no exposure.
    await store.cases.insertMany([c('B-1', 1, 2), c('B-2', 2, 5), c('B-3', 3, 6), c('B-4', 4, 6), c('F-1', 5, 9), c('F-2', 6, 11)]);
    const at = (person: number, place: number, start: number, end: number) => ({ personId: person, placeId: place, start, end, source: 'venue_scan' as const, seat: null, carriage: null });
    const banquet = T0 + DAY + 10 * H;
    await store.presence.insertMany([
      ...[1, 2, 3, 4].map((p) => at(p, 1, banquet, banquet + 3.5 * H)),
      at(5, 2, T0 + 10 * DAY, T0 + 10 * DAY + H), at(6, 2, T0 + 10 * DAY + 600, T0 + 10 * DAY + 2 * H),
    ]);
  });
  afterEach(async () => { await close?.(); });

  it('finds the banquet from presence alone: one cluster named after the restaurant, its host the guests\' infector; the fever clinic links nobody', async () => {
    const v = await chainsOf(store, edition, T0 + 14 * DAY);
    const banquet = v.chains.find((c) => c.caseIds.includes(1))!;
    expect(banquet.caseIds).toEqual([1, 2, 3, 4]);
    expect(banquet.name).toBe('B-1 cluster (dining or entertainment at 福满楼酒家)');
    expect(v.events).toEqual([expect.objectContaining({ name: '福满楼酒家', placeId: 1, origin: 'evidence', exposed: [1, 2, 3, 4] })]);
    for (const id of [2, 3, 4]) expect(v.inferences.find((i) => i.caseId === id)).toMatchObject({ infector: 1, sourceUnknown: false });
    expect(v.chains.find((c) => c.caseIds.includes(5))!.caseIds).toEqual([5]);
    expect(v.chains.find((c) => c.caseIds.includes(6))!.caseIds).toEqual([6]);
    expect(v.inferences.find((i) => i.caseId === 6)).toMatchObject({ infector: null, candidates: [] });
  });

  it('takes an asymptomatic host, sampled after the guests fell ill, as their infector when the time of the banquet fits', async () => {
    // B-1 is asymptomatic and only sampled on day 7: its "onset" (the sampling) is after every guest's onset.
    await store.cases.update(1, { kind: 'asymptomatic', onsetAt: null, sampledAt: T0 + 7 * DAY, confirmedAt: T0 + 7 * DAY + 12 * H });
    const v = await chainsOf(store, edition, T0 + 14 * DAY);
    for (const id of [2, 3, 4]) expect(v.inferences.find((i) => i.caseId === id)!.infector).toBe(1);
    expect(v.inferences.find((i) => i.caseId === 1)!.infector).toBe(null);
  });

  it('does not count two cases meeting before the source investigation\'s look-back as a shared place', async () => {
    // F-2's look-back starts 14 days before its onset (day 11): a record of F-1 and F-2 together on day -10 is outside it.
    await store.presence.insertMany([
      { personId: 5, placeId: 1, start: T0 - 10 * DAY, end: T0 - 10 * DAY + H, source: 'venue_scan', seat: null, carriage: null },
      { personId: 6, placeId: 1, start: T0 - 10 * DAY, end: T0 - 10 * DAY + H, source: 'venue_scan', seat: null, carriage: null },
    ]);
    const v = await chainsOf(store, edition, T0 + 14 * DAY);
    expect(v.inferences.find((i) => i.caseId === 6)).toMatchObject({ infector: null, candidates: [] });
  });
});
