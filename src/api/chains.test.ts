import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Store } from '../storage/store.ts';
import { formatTime } from '../domain/time.ts';
import { loadEdition } from '../domain/protocol/editions.ts';

describeEachEngine('api: chains', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let store: Store;
  beforeAll(async () => ({ app, close, store } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    const c = (no: string, person: number, day: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: 1_627_776_000 + day * 86400, sampledAt: 1_627_776_000 + (day + 1) * 86400,
      confirmedAt: 1_627_776_000 + (day + 2) * 86400, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('A-1', 1, 0), c('A-2', 2, 5)]);
    await store.cases.insertContacts([{
      personId: 2, kind: 'close', indexCaseId: 1, viaContactId: null, firstExposure: 1_627_776_000, lastExposure: 1_627_780_000, status: 'identified', identifiedAt: 1_627_950_000,
      evidence: [{ setting: 'household', rule: 'r', placeId: null, overlapStart: 1_627_776_000, overlapEnd: 1_627_780_000, minutes: 60, seatDistance: null, sources: ['household'] }],
    }]);
  })));
  afterAll(async () => { await close?.(); });

  it('serves the chains with indicators, exports them in three formats, and takes an investigator\'s verdict', async () => {
    const r = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-10%2012:00' })).json();
    expect(r.chains[0]).toMatchObject({ caseNos: ['A-1', 'A-2'], generations: 2, active: true, name: 'A-1 聚集（共同居住）' });
    expect((await app.inject({ method: 'GET', url: '/api/chains?lang=en' })).json().chains[0].name).toBe('A-1 cluster (household)');
    expect((await app.inject({ method: 'GET', url: '/api/chains?lang=fr' })).statusCode).toBe(400);
    expect(r.indicators).toMatchObject({ cases: 2, clusters: 1, casesThatWereKnownContacts: 1 });
    // R(t) by onset day (2021-08-01 and 08-06, China time) to the day of `at`: weekly windows ending 08-08, 08-09, 08-10.
    expect(r.reproduction).toMatchObject({ method: 'Cori et al. 2013', windowDays: 7, serialInterval: { mean: app.cordon.edition.naturalHistory.serialInterval.mean } });
    expect(r.reproduction.windows.map((w: { start: string; cases: number }) => [w.start.slice(0, 10), w.cases])).toEqual([['2021-08-02', 1], ['2021-08-03', 1], ['2021-08-04', 1]]);
    for (const w of r.reproduction.windows) {
      expect(w.lower).toBeLessThan(w.mean);
      expect(w.mean).toBeLessThan(w.upper);
    }
    // A dashboard drilled down to a division: the cases of its residents only (none in the second community).
    const community = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-10%2012:00&region=430102001002' })).json();
    expect([community.indicators.cases, community.reproduction.windows.length]).toEqual([0, 0]);
    const city = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-10%2012:00&region=4301' })).json();
    expect([city.indicators.cases, city.reproduction.windows.length]).toEqual([2, 3]);
    expect((await app.inject({ method: 'GET', url: '/api/chains?region=99' })).statusCode).toBe(400);
    // A well-formed code of no division is not a region without transmission.
    expect((await app.inject({ method: 'GET', url: '/api/chains?region=4399' })).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // ... never outside the actor's own region.
    const [[, key]] = await roleKeys(store, '430102001002', ['county_command']);
    const outside = await injectAsGiven(app)({ method: 'GET', url: '/api/chains?region=430102001001', headers: { authorization: `Bearer ${key}` } });
    expect([outside.statusCode, outside.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    // As they stood before A-2 was confirmed: one case, no chain of two.
    const earlier = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-05%2012:00' })).json();
    expect(earlier.indicators).toMatchObject({ cases: 1, clusters: 0 });
    expect(earlier.chains.flatMap((x: { caseNos: string[] }) => x.caseNos)).toEqual(['A-1']);
    const csv = await app.inject({ method: 'GET', url: '/api/chains/export?format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[1]).toMatch(/^A-1,A-2,\d+,A-1 聚集（共同居住）,/);
    expect(csv.body.startsWith('\uFEFFinfector_case,')).toBe(true);
    const csvEn = await app.inject({ method: 'GET', url: '/api/chains/export?format=csv&lang=en' });
    expect(csvEn.body.split('\n')[1]).toMatch(/^A-1,A-2,\d+,A-1 cluster \(household\),/);
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?format=csv&lang=fr' })).statusCode).toBe(400);
    const xml = await app.inject({ method: 'GET', url: '/api/chains/export?format=graphml' });
    expect(xml.body).toContain('<edge source="c1" target="c2">');
    expect(xml.body).toContain('<data key="cluster_name">A-1 聚集（共同居住）</data>');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // a byte-order mark, as every CSV export
    const jsonExport = await app.inject({ method: 'GET', url: '/api/chains/export?format=json' });
    expect(jsonExport.headers['content-disposition']).toBe('attachment; filename="chains.json"');
    const json = jsonExport.json().chains;
    // Times as GET /api/chains gives them, not epoch seconds.
    expect(json[0]).toMatchObject({ firstOnset: r.chains[0].firstOnset, lastConfirmed: r.chains[0].lastConfirmed });
    expect(json[0].firstOnset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(json).toHaveLength(1);
    expect(json[0].name).toBe('A-1 聚集（共同居住）');
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?format=json&lang=en' })).json().chains[0].name).toBe('A-1 cluster (household)');
    // Each inferred link with its probability, as the inference gives it on GET /api/chains; the events are exported too.
    const a2 = r.inferences.find((i: { caseNo: string }) => i.caseNo === 'A-2');
    const chosen = a2.candidates.find((c: { caseNo: string }) => c.caseNo === 'A-1');
    expect(json[0].links).toEqual([expect.objectContaining({ infectorNo: 'A-1', infecteeNo: 'A-2', probability: chosen.probability, byInvestigator: false })]);
    expect(chosen.probability).toBeGreaterThan(0);
    expect(jsonExport.json().events).toEqual(r.events);
    expect(csv.body.split('\n')[1].split(',').slice(-3)).toEqual([String(chosen.probability), 'false', '']);
    expect(xml.body).toContain(`<data key="probability">${chosen.probability}</data>`);
    // By region, as GET /api/chains: a division with the chain, one of none, and a code of no division.
    const ofCommunity = await app.inject({ method: 'GET', url: '/api/chains/export?region=430102001001' });
    expect(ofCommunity.json().chains).toHaveLength(1);
    // A region's file is named after it.
    expect(ofCommunity.headers['content-disposition']).toBe('attachment; filename="chains-430102001001.json"');
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?region=430102001001&format=graphml' })).headers['content-disposition']).toBe('attachment; filename="chains-430102001001.graphml"');
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?region=430102001002' })).json().chains).toHaveLength(0);
    const nowhere = await app.inject({ method: 'GET', url: '/api/chains/export?region=439999' });
    expect([nowhere.statusCode, nowhere.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const rejected = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'rejected' } });
    expect(rejected.statusCode).toBe(201);
    const afterRejection = (await app.inject({ method: 'GET', url: '/api/chains' })).json();
    expect(afterRejection.indicators.clusters).toBe(0);
    // The rejection is listed (the case's page offers to undo it), with when and by whom.
    expect(afterRejection.rejected).toEqual([{ infector: 1, infectee: 2, infectorNo: 'A-1', infecteeNo: 'A-2', enteredAt: expect.stringMatching(/\+08:00$/), enteredBy: expect.stringMatching(/\S/) }]);
    // The rejection withdrawn: the link is inferred again, and the correction keeps what was undone.
    const cleared = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'cleared', note: '误判' } });
    expect([cleared.statusCode, cleared.json().verdict]).toEqual([201, 'cleared']);
    const afterClearing = (await app.inject({ method: 'GET', url: '/api/chains' })).json();
    expect([afterClearing.indicators.clusters, afterClearing.rejected]).toEqual([1, []]);
    expect(await store.chains.links()).toEqual([]);
    // Cleared again (a second click, another investigator): nothing to clear, said, and nothing written.
    const eventsBefore = (await store.events.since(0, 10_000)).length;
    const again = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'cleared' } });
    expect([again.statusCode, again.json().error.code]).toEqual([404, 'NO_VERDICT']);
    expect((await store.events.since(0, 10_000)).length).toBe(eventsBefore);
    // A confirmation whose infector fell ill after the infectee is taken, with a warning that names both onsets.
    const [first, second] = [(await store.cases.get(1))!, (await store.cases.get(2))!];
    expect(first.onsetAt).toBeLessThan(second.onsetAt!);
    const reversed = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 2, infecteeCaseId: 1, verdict: 'confirmed' } });
    expect(reversed.statusCode).toBe(201);
    expect(reversed.json().warnings).toEqual([{ code: 'INFECTOR_ONSET_LATER', infectorOnset: formatTime(second.onsetAt!), infecteeOnset: formatTime(first.onsetAt!), message: expect.stringContaining('after the infectee') }]);
    // And keeps it for as long as it stands: the chains and their export carry it on the link, not only the answer.
    const warned = { code: 'INFECTOR_ONSET_LATER', infectorOnset: formatTime(second.onsetAt!), infecteeOnset: formatTime(first.onsetAt!), message: expect.stringContaining('after the infectee') };
    const linkIn = (body: { chains: { links: { infector: number; infectee: number; warnings: unknown[] }[] }[] }) => body.chains.flatMap((c) => c.links).find((l) => l.infector === 2 && l.infectee === 1);
    expect(linkIn((await app.inject({ method: 'GET', url: '/api/chains' })).json())?.warnings).toEqual([warned]);
    expect(linkIn((await app.inject({ method: 'GET', url: '/api/chains/export' })).json())?.warnings).toEqual([warned]);
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?format=csv' })).body).toMatch(/\nA-2,A-1,\d+,[^\n]*,true,INFECTOR_ONSET_LATER\r?\n/);
    expect((await app.inject({ method: 'GET', url: '/api/chains/export?format=graphml' })).body).toContain('<data key="warnings">INFECTOR_ONSET_LATER</data>');
    await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 2, infecteeCaseId: 1, verdict: 'cleared' } });
    const inOrder = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'confirmed' } });
    expect([inOrder.statusCode, inOrder.json().warnings]).toEqual([201, []]);
    expect((await app.inject({ method: 'GET', url: '/api/chains' })).json().chains.flatMap((c: { links: { warnings: unknown[] }[] }) => c.links.flatMap((l) => l.warnings))).toEqual([]);
    await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'cleared' } });
    const rejectedAgain = await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 2, verdict: 'rejected' } });
    expect(rejectedAgain.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 9, verdict: 'confirmed' } })).json().error.code).toBe('UNKNOWN_REFERENCE');
    expect((await app.inject({ method: 'POST', url: '/api/links', payload: { infectorCaseId: 1, infecteeCaseId: 1, verdict: 'confirmed' } })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ method: 'GET', url: '/api/reports/efficacy' })).json()).toMatchObject({ cases: 2, alreadyContactsWhenConfirmed: 0.5 });
  });
});

describeEachEngine('api: exposure events entered by an investigator', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let store: Store;
  const T = 1_627_776_000; // 2021-08-01 08:00 CST
  beforeAll(async () => ({ app, close, store } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    // G-5 lives in the second community: a community's investigator does not hold it.
    await store.persons.insertMany([1, 2, 3, 4, 5].map((i) => personRow(i, i === 5 ? { communityCode: '430102001002' } : {})));
    await store.places.insertMany([{ code: 'CH', name: '恩典教堂', category: 'theatre', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    const c = (no: string, person: number, day: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: T + day * 86400, sampledAt: T + (day + 1) * 86400,
      confirmedAt: T + (day + 2) * 86400, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    // G-1 fell ill on day 0; G-2, G-3 and G-4 on days 4-5, none traced as anybody's contact; G-5 is unrelated.
    await store.cases.insertMany([c('G-1', 1, 0), c('G-2', 2, 4), c('G-3', 3, 5), c('G-4', 4, 5), c('G-5', 5, 6)]);
  })));
  afterAll(async () => { await close?.(); });

  it('makes the cases exposed at an event one cluster named after its place, and refuses bad events changing nothing', async () => {
    const before = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json();
    expect(before.indicators.clusters).toBe(0);
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/exposure-events', payload });
    const good = { name: '周日礼拜', placeId: 1, setting: 'dining_entertainment', start: '2021-08-01 09:00', end: '2021-08-01 11:00', sourceCaseIds: [1], exposedCaseIds: [2, 3, 4] };
    // Bad input: no window, a window ending before it starts, a case or a place that does not exist, a case both source and exposed.
    const noWindow = await post({ ...good, start: undefined, end: undefined });
    expect([noWindow.statusCode, noWindow.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const backwards = await post({ ...good, end: '2021-08-01 08:00' });
    expect([backwards.statusCode, backwards.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknownCase = await post({ ...good, exposedCaseIds: [2, 99] });
    expect([unknownCase.statusCode, unknownCase.json().error.code, unknownCase.json().error.details]).toEqual([422, 'UNKNOWN_REFERENCE', { caseId: 99 }]);
    const unknownPlace = await post({ ...good, placeId: 42 });
    expect([unknownPlace.statusCode, unknownPlace.json().error.code, unknownPlace.json().error.details]).toEqual([422, 'UNKNOWN_REFERENCE', { placeId: 42 }]);
    // A blank name: one entry for the field, not one for "too short" and one for "nothing to read".
    for (const name of ['', '   ', '\u200b']) {
      const blank = await post({ ...good, name });
      expect([blank.statusCode, blank.json().error.details.map((d: { field: string }) => d.field)]).toEqual([400, ['name']]);
    }
    const both = await post({ ...good, exposedCaseIds: [1, 2] });
    expect([both.statusCode, both.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json().indicators.clusters).toBe(0);

    const implausible = await post({ ...good, start: '1900-01-01 09:00', end: '1900-01-01 11:00' });
    expect([implausible.statusCode, implausible.json().error.code]).toEqual([422, 'TIME_IMPLAUSIBLE']);
    const tooLong = await post({ ...good, start: '2021-07-01 09:00' });
    expect([tooLong.statusCode, tooLong.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    // An event that ends when it starts; one not over yet by the server's clock; one after the exposed cases fell ill.
    const instant = await post({ ...good, end: good.start });
    expect([instant.statusCode, instant.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const soon = new Date(Date.now() + 8 * 3600_000 + 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const notOver = await post({ ...good, start: new Date(Date.now() + 8 * 3600_000 - 3600_000).toISOString().slice(0, 16).replace('T', ' '), end: soon });
    expect([notOver.statusCode, notOver.json().error.code]).toEqual([422, 'TIME_IMPLAUSIBLE']);
    const afterOnset = await post({ ...good, start: '2021-08-07 09:00', end: '2021-08-07 11:00', sourceCaseIds: [5] }); // G-5 infectious then
    expect([afterOnset.statusCode, afterOnset.json().error.code]).toEqual([422, 'TIME_IMPLAUSIBLE']);
    expect(afterOnset.json().error.message).toContain('G-2');
    // A source not infectious at any time of the event: isolated (here confirmed, day 2) before it, or not yet
    // infectious (its window opens the edition's days before its onset, day 6 for G-5) until after it.
    const isolatedSource = await post({ ...good, start: '2021-08-03 09:00', end: '2021-08-03 11:00', exposedCaseIds: [2] });
    expect([isolatedSource.statusCode, isolatedSource.json().error.code, isolatedSource.json().error.details]).toEqual([422, 'EXPOSURE_OUTSIDE_WINDOW', { caseId: 1, caseNo: 'G-1', field: 'sourceCaseIds', reason: expect.stringContaining('isolated') }]);
    expect(isolatedSource.json().error.message).toContain('G-1 was isolated before the event');
    const edition = loadEdition('ed8-delta-2021');
    const opens = T + 6 * 86400 - edition.caseWindow.daysBeforeOnset * 86400; // G-5's window opens (08:00 China time)
    const day = (t: number) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
    const earlySource = await post({ ...good, start: `${day(opens - 86400)} 06:00`, end: `${day(opens)} 08:00`, sourceCaseIds: [5], exposedCaseIds: [2] });
    expect([earlySource.statusCode, earlySource.json().error.code]).toEqual([422, 'EXPOSURE_OUTSIDE_WINDOW']);
    expect(earlySource.json().error.message).toContain('G-5 was not yet infectious');
    expect((await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json().indicators.clusters).toBe(0);

    const created = await post({ ...good, exposedCaseIds: [2, 3, 3, 4] });
    expect(created.statusCode).toBe(201);
    // Entered again (a double submit): refused, one event stands.
    const twice = await post(good);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'CONFLICT']);
    expect(created.json()).toMatchObject({ id: 1, name: '周日礼拜', start: '2021-08-01T09:00:00+08:00', exposedCaseIds: [2, 3, 4] });
    const r = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json();
    // One cluster: the event's source (a case with no source of its own) and the three exposed there; G-5 alone.
    expect(r.chains[0]).toMatchObject({ caseNos: ['G-1', 'G-2', 'G-3', 'G-4'], name: 'G-1 聚集（周日礼拜，同餐饮娱乐）', events: ['entered:1'] });
    expect(r.events).toEqual([expect.objectContaining({ key: 'entered:1', enteredId: created.json().id, origin: 'investigator', sourceNos: ['G-1'], exposedNos: ['G-2', 'G-3', 'G-4'] })]);
    // Each exposed case's infector is the event's source, with a probability beside "source unknown".
    const g2 = r.inferences.find((i: { caseNo: string }) => i.caseNo === 'G-2');
    expect(g2).toMatchObject({ infector: 1, candidates: [expect.objectContaining({ caseNo: 'G-1' })] });
    expect(g2.candidates[0].probability + g2.sourceUnknownProbability).toBeCloseTo(1, 2);
    expect(r.indicators.clusters).toBe(1);
    // A second event entered for G-2 (a later dinner with G-1): the cluster stays the first event's, and both events
    // are listed (each is a finding to show on the case's page).
    const dinner = await post({ ...good, name: '晚餐', placeId: null, setting: 'manual', start: '2021-08-02 18:00', end: '2021-08-02 20:00', exposedCaseIds: [2] });
    expect(dinner.statusCode).toBe(201);
    const r2 = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json();
    expect(r2.chains[0]).toMatchObject({ caseNos: ['G-1', 'G-2', 'G-3', 'G-4'], events: ['entered:1'] });
    expect(r2.events.map((e: { key: string }) => e.key)).toEqual(['entered:1', `entered:${dinner.json().id}`]);
    // The dinner withdrawn (entered by mistake): it leaves the chains, whole in the corrections with the reason; again: 404.
    const withdraw = (id: number, reason = '录入错误') => app.inject({ method: 'POST', url: `/api/exposure-events/${id}/withdraw`, payload: { reason } });
    const blankReason = await withdraw(dinner.json().id, ' ');
    expect([blankReason.statusCode, blankReason.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const gone = await withdraw(dinner.json().id);
    expect([gone.statusCode, gone.json()]).toEqual([200, { id: dinner.json().id, name: '晚餐', withdrawn: true }]);
    const r3 = (await app.inject({ method: 'GET', url: '/api/chains?at=2021-08-20%2012:00' })).json();
    expect(r3.events.map((e: { key: string }) => e.key)).toEqual(['entered:1']);
    expect(r3.chains[0]).toMatchObject({ caseNos: ['G-1', 'G-2', 'G-3', 'G-4'], events: ['entered:1'] });
    const kept = (await store.corrections.of('exposure_event', String(dinner.json().id)));
    expect(kept).toEqual([expect.objectContaining({ reason: '录入错误', changes: { withdrawnAt: [null, expect.any(Number)] } })]);
    // Entered anew, the event takes a number of its own: the withdrawn one's stays withdrawn.
    const anew = await post({ ...good, name: '晚餐', placeId: null, setting: 'manual', start: '2021-08-02 18:00', end: '2021-08-02 20:00', exposedCaseIds: [2] });
    expect(anew.json().id).toBeGreaterThan(dinner.json().id);
    expect((await withdraw(anew.json().id)).statusCode).toBe(200);
    const again = await withdraw(dinner.json().id);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'EVENT_WITHDRAWN']);
    expect(again.json().error.details.withdrawnAt).toMatch(/\+08:00$/);
    const none = await withdraw(999);
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'NOT_FOUND']);
    // An event naming a case outside an investigator's region is not theirs to withdraw (as it was not theirs to enter);
    // one of an event none of whose cases they hold, not even to know of.
    const across = await post({ ...good, name: '跨社区聚餐', placeId: null, setting: 'manual', start: '2021-08-02 12:00', end: '2021-08-02 13:00', exposedCaseIds: [5] });
    expect(across.statusCode).toBe(201);
    const [[, communityKey]] = await roleKeys(store, '430102001001', ['cdc_investigator']);
    const [[, otherKey]] = await roleKeys(store, '430102001002', ['cdc_investigator']);
    const asCommunity = (id: number, key: string) => injectAsGiven(app)({ method: 'POST', url: `/api/exposure-events/${id}/withdraw`, payload: { reason: '录入错误' }, headers: { authorization: `Bearer ${key}` } });
    const refused = await asCommunity(across.json().id, communityKey);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const unseen = await asCommunity(created.json().id, otherKey);
    expect([unseen.statusCode, unseen.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await store.chains.events()).map((e) => e.id)).toEqual([created.json().id, across.json().id]);
    expect((await asCommunity(across.json().id, (await roleKeys(store, '4301', ['cdc_investigator'])).get('cdc_investigator')!)).statusCode).toBe(200);
    // A place without a name: the event takes the place's; neither: refused, nothing written; a name is one line.
    const later = { start: '2021-08-02 09:00', end: '2021-08-02 10:00' };
    const nameless = await post({ ...good, ...later, name: undefined, placeId: null });
    expect([nameless.statusCode, nameless.json().error.details]).toEqual([400, [{ field: 'name', reason: expect.any(String) }]]);
    // Neither, and a source isolated before it: the missing name is said first (the cases are not read).
    const namelessLate = await post({ ...good, start: '2021-08-03 09:00', end: '2021-08-03 10:00', name: undefined, placeId: null });
    expect([namelessLate.statusCode, namelessLate.json().error.details]).toEqual([400, [{ field: 'name', reason: expect.any(String) }]]);
    for (const breaking of ['\n', '\u2028', '\u2029']) {
      const twoLines = await post({ ...good, ...later, name: `周日${breaking}礼拜` });
      expect([twoLines.statusCode, twoLines.json().error.details.map((d: { field: string }) => d.field)], JSON.stringify(breaking)).toEqual([400, ['name']]);
    }
    expect((await store.chains.events()).map((e) => e.id)).toEqual([created.json().id]);
    const byPlace = await post({ ...good, ...later, name: undefined });
    expect([byPlace.statusCode, byPlace.json().name]).toEqual([201, '恩典教堂']);
    expect((await store.chains.events()).find((e) => e.id === byPlace.json().id)?.name).toBe('恩典教堂');
  });
});

describeEachEngine('api: chains export of the field case export-csv-escaping', (engine) => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => ({ app, close } = await testApp(engine, async (store) => {
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2].map((i) => personRow(i)));
    const c = (no: string, person: number, day: number) => ({
      caseNo: no, personId: person, kind: 'confirmed' as const, onsetAt: 1_627_776_000 + day * 86400, sampledAt: 1_627_776_000 + (day + 1) * 86400,
      confirmedAt: 1_627_776_000 + (day + 2) * 86400, isolatedAt: null, severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
    });
    await store.cases.insertMany([c('BH-A', 1, 0), c('BH-E,7', 2, 5)]);
    await store.cases.insertContacts([{
      personId: 2, kind: 'close', indexCaseId: 1, viaContactId: null, firstExposure: 1_627_776_000, lastExposure: 1_627_780_000, status: 'identified', identifiedAt: 1_627_950_000,
      evidence: [{ setting: 'household', rule: 'r', placeId: null, overlapStart: 1_627_776_000, overlapEnd: 1_627_780_000, minutes: 60, seatDistance: null, sources: ['household'] }],
    }]);
  })));
  afterAll(async () => { await close?.(); });

  it('export-csv-escaping: GET /api/chains/export?format=csv quotes the case number BH-E,7 and keeps every row to the header\'s nine columns', async () => {
    const csv = (await app.inject({ method: 'GET', url: '/api/chains/export?format=csv' })).body;
    expect(csv.split('\n')[1]).toMatch(/^BH-A,"BH-E,7",(\d+),BH-A 聚集（共同居住）,\1,-?[\d.]+,[01](\.\d+)?,false,$/);
    const rows = parse(csv) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(0, 2)).toEqual(['BH-A', 'BH-E,7']);
    expect(rows.every((r) => r.length === 9)).toBe(true);
  });
});
