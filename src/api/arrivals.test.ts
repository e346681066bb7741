/**
 * Arrivals from risk areas in quarantine through the API on both engines (PROTOCOL.md, "Risk areas"; issue
 * "Quarantine"): a resident whose stays show them leaving a compound graded high-risk is held centralized at the
 * county's hotel for the edition's days counted from their departure, their code red for it, their tests on the due
 * list; a resident who says they came from a medium-risk compound Cordon has no stay in is held at home, counted from
 * now; release waits for the days and the negatives. Bad input (no risk area on record or named, an area not graded,
 * a contact awaiting transfer, someone held already, a site for home quarantine, a person out of reach) changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { TEST_KEY } from '../../test/services.ts';
import { idNumber } from '../../test/fixtures.ts';
import { maskIdNumber } from '../domain/identity.ts';
import { DAY, formatTime, HOUR, parseTime } from '../domain/time.ts';

const NOW = parseTime('2021-09-22 10:00')!;
const HIGH = '430103001001', MEDIUM = '430103001002';

interface Assignment {
  id: number; personId: number; kind: string; siteName: string | null; room: string | null; countedFrom: string; startedAt: string; plannedEnd: string; endedAt: string | null;
  managedAs: string | null; arrivalFrom: string | null; fromRegionCode: string | null; tests: { day: number; from: string; dueBy: string }[];
}

describeEachEngine('api: arrivals from risk areas in quarantine', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  const as = actors.as;

  beforeEach(async () => {
    w = await fieldWorld(engine, NOW);
    // A neighbouring district with two compounds: one graded high-risk, one medium-risk, three days ago.
    await w.s.store.regions.insertMany([
      { code: '430103', name: '天心区', level: 'county', parentCode: '4301', functionalZone: false },
      { code: '430103001', name: '坡子街街道', level: 'township', parentCode: '430103', functionalZone: false },
      { code: HIGH, name: '西牌楼社区居委会', level: 'community', parentCode: '430103001', functionalZone: false },
      { code: MEDIUM, name: '登仁桥社区居委会', level: 'community', parentCode: '430103001', functionalZone: false },
    ]);
    await w.s.store.control.insertRiskAreas([HIGH, MEDIUM].map((regionCode, i) => ({
      regionCode, unitName: null, level: i === 0 ? 'high' as const : 'medium' as const, since: NOW - 3 * DAY, reviewAt: null, ruleSet: 'street-2021' as const, reason: 'test', reasonCode: 'text', reasonArgs: {},
    })));
    // RA ate in the high-risk compound on the 20th and was seen at home in Furong the next morning: an arrival.
    await w.feed('places', ['code,name,category,region_code,lng,lat', `TX-R1,西牌楼粉店,restaurant,${HIGH},112.975,28.19`], 'places_tx.csv');
    await w.feed('presence', ['id_number,place_code,start,end,source', `${w.idNumber('RA')},TX-R1,2021-09-20 11:00,2021-09-20 12:00,venue_scan`, `${w.idNumber('RA')},BH-R3,2021-09-21 09:00,2021-09-21 10:00,venue_scan`], 'presence_ra.csv');
    // The app hashes ID numbers with the key the register was fed with.
    app = await fieldApp(w, { services: { ...w.s, idHashKey: TEST_KEY } });
    await actors.enter(w.s.store, [['county_command', '430102'], ['county_command', '430103'], ['cdc_investigator', '43']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('holds an arrival from a high-risk area centralized from their departure, its tests due, red until released with a negative', async () => {
    const e = w.s.edition.riskAreas.arrivalsFromHigh;
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 5 })).json() as { id: number };
    const ra = await w.id('RA');
    const arrive = (body: object, scope = '430102') => as('county_command', scope, 'POST', '/api/quarantine/arrivals', { reason: '中高风险地区来湘人员', ...body });

    // Centralized quarantine is at a room; a district without them does not reach the person.
    expect((await arrive({ personId: ra })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'siteId' }, { field: 'room' }] });
    expect((await arrive({ personId: ra, siteId: site.id, room: '101' }, '430103')).statusCode).toBe(404);
    expect((await as('county_command', '430102', 'GET', '/api/quarantine/assignments')).json().total).toBe(0);

    const r = await arrive({ personId: ra, siteId: site.id, room: '１０１' });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json() as Assignment;
    const left = parseTime('2021-09-20 12:00')!;
    expect(a).toMatchObject({ personId: ra, kind: e.kind, managedAs: 'arrival_from_high', arrivalFrom: 'high', fromRegionCode: HIGH, room: '101', siteName: '芙蓉区集中隔离酒店' });
    expect([parseTime(a.countedFrom), parseTime(a.startedAt), parseTime(a.plannedEnd)]).toEqual([left, NOW, left + e.days * DAY]);
    expect(a.tests.map((t) => t.day)).toEqual(e.testDays);
    // Their code is red for it, with the end of the period.
    const code = (await w.s.store.codes.current(ra))!;
    expect(code.colour).toBe('red');
    expect(code.reasons.find((x) => x.condition === 'arrival_in_centralized_quarantine')).toMatchObject({ colour: 'red', untilAt: left + e.days * DAY });
    // Found by the ID number on their card instead (a search by identity, audited): held already, so refused.
    const byCard = await arrive({ idNumber: w.idNumber('RA'), siteId: site.id, room: '102' });
    expect(byCard.json().error.code).toBe('ALREADY_IN_QUARANTINE');
    expect((await w.s.store.audit.list({ subject: `person:${ra}` }, { limit: 10 })).items.map((x: { action: string }) => x.action)).toContain('quarantine:assign');
    // A card the register does not hold: not found, and the search recorded all the same (by the masked number).
    const stranger = idNumber(77, '19900101', '110101');
    expect((await arrive({ idNumber: stranger, siteId: site.id, room: '102' })).json().error.code).toBe('NOT_FOUND');
    expect((await w.s.store.audit.list({ subject: `id-number:${maskIdNumber(stranger)}` }, { limit: 10 })).items).toHaveLength(1);
    // Out of reach by card as by id; both or neither named: bad input.
    expect((await arrive({ idNumber: w.idNumber('RA'), siteId: site.id, room: '102' }, '430103')).json().error.code).toBe('NOT_FOUND');
    expect((await arrive({ personId: ra, idNumber: w.idNumber('RA'), siteId: site.id, room: '102' })).statusCode).toBe(400);
    expect((await arrive({ siteId: site.id, room: '102' })).statusCode).toBe(400);
    // Held already: a second assignment is refused.
    expect((await arrive({ personId: ra, siteId: site.id, room: '102' })).json().error.code).toBe('ALREADY_IN_QUARANTINE');

    // The due list of the day of each test holds it; the site counts them.
    const test = a.tests[1];
    const due = (await as('county_command', '430102', 'GET', `/api/quarantine/due?date=${test.from.slice(0, 10)}`)).json() as { tests: { items: { personId: number; day: number }[] } };
    expect(due.tests.items).toContainEqual(expect.objectContaining({ personId: ra, day: test.day }));
    expect((await as('county_command', '430102', 'GET', '/api/quarantine/sites')).json().items[0]).toMatchObject({ occupants: 1 });
    // Today's list names the test of day 1 (the 20th to the 21st, before they were found) as overdue, as their code does.
    const today = (await as('county_command', '430102', 'GET', '/api/quarantine/due')).json() as { overdue: { total: number; items: { personId: number; day: number; dueBy: string }[] } };
    expect(today.overdue.items).toEqual([expect.objectContaining({ personId: ra, day: e.testDays[0], dueBy: a.tests[0].dueBy })]);

    // Release waits for the days, then for the negatives of the last day.
    const release = () => as('county_command', '430102', 'POST', `/api/quarantine/assignments/${a.id}/release`, { note: '期满解除' });
    expect((await release()).json().error.details).toMatchObject({ condition: 'period' });
    const end = parseTime(a.plannedEnd)!;
    w.clock.set(end + HOUR);
    expect((await release()).json().error.details).toEqual({ condition: 'negatives', needed: e.releaseSamples, recorded: 0, distinctLabs: false });
    await w.s.store.samples.insertMany(Array.from({ length: e.releaseSamples }, (_x, i) => ({
      sampleNo: `RA-END-${i}`, personId: ra, method: 'single' as const, poolId: null, sampledAt: end - 3 * HOUR, result: 'negative' as const, resultAt: end - HOUR, lab: `lab ${i}`,
    })));
    const released = await release();
    expect(released.statusCode, released.body).toBe(200);
    expect(parseTime((released.json() as Assignment).endedAt!)).toBe(end + HOUR);
    await w.s.events.settle();
    expect((await w.s.store.codes.current(ra))!.reasons.map((x) => x.condition)).not.toContain('arrival_in_centralized_quarantine');

    // The hotel's occupancy by day: in on the first day, out on the last (a day is China time's).
    const firstDay = a.startedAt.slice(0, 10), lastDay = formatTime(end + HOUR).slice(0, 10);
    type Occupancy = { places: number; days: { date: string; occupants: number; arrivals: number; departures: number }[] };
    const occ = (await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy?from=${firstDay}&to=${lastDay}`)).json() as Occupancy;
    expect(occ.places).toBe(5);
    expect(occ.days.length).toBe(Math.round((parseTime(`${lastDay} 00:00`)! - parseTime(`${firstDay} 00:00`)!) / DAY) + 1);
    expect(occ.days[0]).toEqual({ date: firstDay, occupants: 1, arrivals: 1, departures: 0 });
    expect(occ.days[1]).toMatchObject({ occupants: 1, arrivals: 0, departures: 0 });
    expect(occ.days.at(-1)).toEqual({ date: lastDay, occupants: 0, arrivals: 0, departures: 1 });
    // By default the fortnight to today; refused: the last day before the first, more than 92 days, another district's site.
    expect(((await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy`)).json() as Occupancy).days.map((d) => d.date).at(-1)).toBe(formatTime(end + HOUR).slice(0, 10));
    expect((await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy?from=${lastDay}&to=${firstDay}`)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy?from=2021-01-01&to=${lastDay}`)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy?to=2021-02-30`)).statusCode).toBe(400);
    // A day not begun has no occupancy yet.
    const tomorrow = formatTime(w.clock.now() + DAY).slice(0, 10);
    expect((await as('county_command', '430102', 'GET', `/api/quarantine/sites/${site.id}/occupancy?to=${tomorrow}`)).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'to' }] });
    expect((await as('county_command', '430103', 'GET', `/api/quarantine/sites/${site.id}/occupancy`)).statusCode).toBe(404);
  });

  it('holds an arrival who names a medium-risk area at home from now, and refuses those who are no arrival, or a contact', async () => {
    const e = w.s.edition.riskAreas.arrivalsFromMedium;
    const u = await w.id('U');
    const arrive = (body: object) => as('county_command', '430102', 'POST', '/api/quarantine/arrivals', { reason: '自述来自中风险地区', ...body });
    // No stay in a risk area on record, none named; an area named that is not graded (Furong's own compound).
    expect((await arrive({ personId: u })).json().error).toMatchObject({ code: 'NOT_AN_ARRIVAL', details: [{ field: 'fromRegionCode' }] });
    expect((await arrive({ personId: u, fromRegionCode: '430102001002' })).json().error.code).toBe('NOT_AN_ARRIVAL');
    // Home quarantine names no site.
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 5 })).json() as { id: number };
    expect((await arrive({ personId: u, fromRegionCode: MEDIUM, siteId: site.id, room: '101' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await as('county_command', '430102', 'GET', '/api/quarantine/assignments')).json().total).toBe(0);

    const r = await arrive({ personId: u, fromRegionCode: `${MEDIUM}01` });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json() as Assignment;
    expect(a).toMatchObject({ kind: e.kind, managedAs: 'arrival_from_medium', fromRegionCode: MEDIUM, siteName: null, room: null });
    // The departure unknown: counted from now.
    expect([parseTime(a.countedFrom), parseTime(a.plannedEnd)]).toEqual([NOW, NOW + e.days * DAY]);
    const condition = e.kind === 'centralized' ? 'arrival_in_centralized_quarantine' : 'arrival_in_home_quarantine';
    const code = (await w.s.store.codes.current(u))!;
    expect(code.reasons.map((x) => x.condition)).toContain(condition);
    expect(code.colour).toBe(w.s.edition.healthCode.red.includes(condition) ? 'red' : 'yellow');

    // A close contact awaiting transfer is held as one, not as an arrival.
    const confirmed = await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect((await arrive({ personId: await w.id('B'), fromRegionCode: MEDIUM })).json().error.code).toBe('MANAGED_AS_CONTACT');
  });

  it('holds an arrival who becomes a close contact as one from then, where they are, to the later end', async () => {
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 5 })).json() as { id: number };
    const ra = await w.id('RA');
    const held = (await as('county_command', '430102', 'POST', '/api/quarantine/arrivals', { personId: ra, siteId: site.id, room: '101', reason: '高风险地区来湘' })).json() as Assignment;
    const confirmed = await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    const caseId = (confirmed.json() as { case: { id: number } }).case.id;
    // The investigators find RA shared a car with the case on the evening of the 20th.
    const lastExposure = parseTime('2021-09-20 20:00')!;
    const named = await as('cdc_investigator', '43', 'POST', `/api/cases/${caseId}/contacts`, { personId: ra, kind: 'close', reason: '同乘一辆网约车（流调）', firstExposure: '2021-09-20 19:00', lastExposure: '2021-09-20 20:00' });
    expect(named.statusCode, named.body).toBe(201);
    await w.s.events.settle();
    const now = (await as('county_command', '430102', 'GET', `/api/quarantine/assignments/${held.id}`)).json() as Assignment;
    const close = w.s.edition.closeContact.management;
    expect(now).toMatchObject({ id: held.id, managedAs: 'close', arrivalFrom: null, fromRegionCode: HIGH, room: '101', endedAt: null });
    expect(parseTime(now.plannedEnd)).toBe(Math.max(parseTime(held.plannedEnd)!, (close.countedFrom === 'last_exposure' ? lastExposure : NOW) + close.days * DAY));
    // No transfer for someone already at the hotel; the code says close contact now.
    const transfers = (await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json().items as { subjectPersonId: number }[];
    expect(transfers.map((t) => t.subjectPersonId)).not.toContain(ra);
    const reasons = (await w.s.store.codes.current(ra))!.reasons.map((r) => r.condition);
    expect(reasons).toContain('close_contact_in_centralized_quarantine');
    expect(reasons).not.toContain('arrival_in_centralized_quarantine');
  });

  it('asks the county to confirm a positive single tube of a person held (one task however many tubes), done when they are recorded as a case', async () => {
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 5 })).json() as { id: number };
    const ra = await w.id('RA');
    const held = (await as('county_command', '430102', 'POST', '/api/quarantine/arrivals', { personId: ra, siteId: site.id, room: '101', reason: '高风险地区来湘' })).json() as Assignment;
    const tasks = async () => ((await as('county_command', '430102', 'GET', '/api/tasks?kind=confirm_positive')).json() as { items: { subjectPersonId: number; title: string; regionCode: string; status: string; dueAt: string }[] }).items;
    // A negative tube asks nothing.
    const sample = (no: string, result: string) => as('cdc_investigator', '43', 'POST', '/api/samples', { sampleNo: no, personId: ra, method: 'single', sampledAt: '2021-09-22 09:30', result, resultAt: '2021-09-22 09:50' });
    w.clock.set(NOW + HOUR);
    expect((await sample('RA-1', 'negative')).statusCode).toBe(201);
    expect(await tasks()).toEqual([]);
    const s2 = await as('cdc_investigator', '43', 'POST', '/api/samples', { sampleNo: 'RA-2', personId: ra, method: 'single', sampledAt: '2021-09-22 10:30', result: 'positive', resultAt: '2021-09-22 10:55' });
    expect(s2.statusCode, s2.body).toBe(201);
    await w.s.events.settle();
    const [task] = await tasks();
    expect(task).toMatchObject({ subjectPersonId: ra, regionCode: '430102', status: 'assigned' });
    expect(task.title).toContain('RA-2');
    expect(parseTime(task.dueAt)).toBe(NOW + HOUR + w.s.edition.command.taskWithinHours.confirm_positive * HOUR);
    // A second positive tube: still one task.
    expect((await as('cdc_investigator', '43', 'POST', '/api/samples', { sampleNo: 'RA-3', personId: ra, method: 'single', sampledAt: '2021-09-22 10:40', result: 'positive', resultAt: '2021-09-22 10:58' })).statusCode).toBe(201);
    await w.s.events.settle();
    expect(await tasks()).toHaveLength(1);
    // Confirmed: the task is done and the person leaves quarantine for hospital.
    const c = await as('cdc_investigator', '43', 'POST', '/api/cases', { caseNo: 'BH-RA', personId: ra, kind: 'asymptomatic', sampledAt: '2021-09-22 10:30', confirmedAt: '2021-09-22 10:59' });
    expect(c.statusCode, c.body).toBe(201);
    await w.s.events.settle();
    expect((await tasks()).map((t) => t.status)).toEqual(['done']);
    expect(((await as('county_command', '430102', 'GET', `/api/quarantine/assignments/${held.id}`)).json() as Assignment).endedAt).not.toBeNull();
  });
});
