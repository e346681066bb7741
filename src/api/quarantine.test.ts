/**
 * Quarantine through the API on both engines, as the roles that use it: a county opens a designated hotel; the grid
 * worker it serves sees it (a worker of another county does not) and completes a close contact's transfer there, at
 * a room: the contact is held on the edition's schedule, their code turns red and the site's occupancy follows; a
 * room or a site that is full refuses the next transfer and nothing is written; release waits for the days served
 * and the required negative samples, then moves the contact on to home monitoring with a follow-up task.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys, injectAsGiven } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import type { Role } from '../domain/access.ts';
import { DAY, HOUR, parseTime } from '../domain/time.ts';

const GRID = '43010200100101';
const OTHER_COUNTY_GRID = '43010300100101';
/** The day after the case's confirmation: its contacts' quarantine, counted from their last exposure, still runs. */
const NOW = parseTime('2021-09-22 10:00')!;

interface Site { id: number; name: string; occupants: number; roomsInUse: number; bedsFree: number }
interface Assignment { id: number; personId: number; siteName: string | null; room: string | null; countedFrom: string; startedAt: string; plannedEnd: string; endedAt: string | null; tests: { day: number }[] }

describeEachEngine('api: quarantine', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  const as = actors.as;

  beforeEach(async () => {
    w = await fieldWorld(engine, NOW);
    app = await fieldApp(w);
    await actors.enter(w.s.store, [['county_command', '430102'], ['grid_worker', GRID], ['grid_worker', OTHER_COUNTY_GRID], ['cdc_investigator', '43'], ['county_command', '430103']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  const sites = async (role: Role, scope: string) => (await as(role, scope, 'GET', '/api/quarantine/sites')).json() as { items: Site[]; total: number };

  it('holds a transferred close contact at a site\'s room on the edition\'s schedule, refuses a full room or site, and releases only when the edition\'s conditions hold', async () => {
    // A county opens a designated hotel of two single rooms; a grid worker may not; nor may the county open one elsewhere.
    const opened = await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 2, staff: 6 });
    expect(opened.statusCode, opened.body).toBe(201);
    const site = opened.json() as Site;
    expect([site.occupants, site.bedsFree]).toEqual([0, 2]);
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'other', regionCode: '430102', rooms: 9 })).json().error.code).toBe('NAME_TAKEN');
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中\u200b隔离酒店', kind: 'other', regionCode: '430102', rooms: 9 })).json().error.code).toBe('NAME_TAKEN');
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '外区', kind: 'other', regionCode: '430103', rooms: 9 })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await as('grid_worker', GRID, 'POST', '/api/quarantine/sites', { name: '网格', kind: 'other', regionCode: GRID, rooms: 1 })).statusCode).toBe(403);
    // The grid worker the site serves sees it; one of another county does not.
    expect((await sites('grid_worker', GRID)).items.map((x) => x.name)).toEqual(['芙蓉区集中隔离酒店']);
    expect((await sites('grid_worker', OTHER_COUNTY_GRID)).total).toBe(0);

    // A case confirmed: its close contacts get transfer tasks; B lives in the grid.
    const b = await w.id('B');
    await w.s.store.persons.update(b, { gridCode: GRID });
    const confirmed = await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    const transfers = (await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json().items as { id: number; subjectPersonId: number; subjectKey: string }[];
    expect(transfers.length).toBeGreaterThanOrEqual(3);
    const ofB = transfers.find((x) => x.subjectPersonId === b)!;
    const others = transfers.filter((x) => x.subjectPersonId !== b);

    // The grid worker completes B's transfer at room A-101: B is held there, on the edition's schedule, and B's code is red.
    const done = await as('grid_worker', GRID, 'POST', `/api/tasks/${ofB.id}/complete`, { note: '已转运至集中隔离酒店', siteId: site.id, room: 'A-101' });
    expect(done.statusCode, done.body).toBe(200);
    const held = (await as('grid_worker', GRID, 'GET', '/api/quarantine/assignments?open=true')).json() as { items: Assignment[]; total: number };
    expect(held.total).toBe(1);
    const m = w.s.edition.closeContact.management;
    const record = (await w.s.store.cases.contact(Number(ofB.subjectKey)))!;
    expect(held.items[0]).toMatchObject({ personId: b, siteName: '芙蓉区集中隔离酒店', room: 'A-101', endedAt: null });
    expect(parseTime(held.items[0].countedFrom)).toBe(m.countedFrom === 'last_exposure' ? record.lastExposure : NOW);
    expect(parseTime(held.items[0].plannedEnd)).toBe(parseTime(held.items[0].countedFrom)! + m.days * DAY);
    expect(held.items[0].tests.map((x) => x.day)).toEqual(m.testDays);
    expect(record.status).toBe('in_quarantine');
    expect((await w.s.store.codes.current(b))!.colour).toBe('red');
    expect((await sites('county_command', '430102')).items[0]).toMatchObject({ occupants: 1, visitors: 0, roomsInUse: 1, bedsFree: 1 });
    // The day of B's second test: it is due, not taken; a sample taken within its day, and it is.
    const second = (held.items[0] as Assignment & { tests: { day: number; from: string; dueBy: string }[] }).tests[1];
    type Due = { held: number; tests: { total: number; taken: number; items: { personId: number; day: number; taken: boolean; room: string }[] }; releases: { total: number; items: { personId: number }[] }; arrivals: { total: number; items: { personId: number; room: string; startedAt: string }[] } };
    const due = async (date: string) => (await as('grid_worker', GRID, 'GET', `/api/quarantine/due?date=${date}&siteId=${site.id}`)).json() as Due;
    const onSecond = await due(second.from.slice(0, 10));
    expect(onSecond.tests.items.find((x) => x.personId === b)).toMatchObject({ day: second.day, taken: false, room: 'A-101' });
    await w.s.store.samples.insertMany([{ sampleNo: `DAY-${second.day}`, personId: b, method: 'single', poolId: null, sampledAt: parseTime(second.from)! + HOUR, result: 'pending', resultAt: null, lab: null }]);
    const after = await due(second.from.slice(0, 10));
    expect([after.tests.items.find((x) => x.personId === b)?.taken, after.tests.taken]).toEqual([true, 1]);
    expect((await due(held.items[0].plannedEnd.slice(0, 10))).releases.items.map((x) => x.personId)).toEqual([b]);
    expect((await due(second.from.slice(0, 10))).releases.total).toBe(0);
    // B arrived today (the day of NOW, China time): the site's arrivals that day, and no other day's.
    const arrivedOn = held.items[0].startedAt.slice(0, 10);
    expect((await due(arrivedOn)).arrivals).toEqual({ total: 1, items: [expect.objectContaining({ personId: b, room: 'A-101', startedAt: held.items[0].startedAt })] });
    expect((await due(second.from.slice(0, 10))).arrivals.total).toBe(arrivedOn === second.from.slice(0, 10) ? 1 : 0);
    // Another county's grid worker: nothing of this site's.
    expect(((await as('grid_worker', OTHER_COUNTY_GRID, 'GET', '/api/quarantine/due')).json() as Due).held).toBe(0);
    expect((await as('grid_worker', GRID, 'GET', '/api/quarantine/due?date=2021-02-30')).statusCode).toBe(400);
    for (const date of ['1999-01-01', '9999-12-31']) expect((await as('grid_worker', GRID, 'GET', `/api/quarantine/due?date=${date}`)).json().error.code).toBe('TIME_IMPLAUSIBLE');
    expect((await as('grid_worker', GRID, 'GET', `/api/quarantine/due?siteId=${site.id + 99}`)).statusCode).toBe(404);

    // The same room for the next contact: refused, nothing written; another room: held; a third room: the site is full.
    const refusedRoom = await as('county_command', '430102', 'POST', `/api/tasks/${others[0].id}/complete`, { note: '转运', siteId: site.id, room: 'ａ\u200b－１０１' });
    expect([refusedRoom.statusCode, refusedRoom.json().error.code]).toEqual([409, 'ROOM_FULL']);
    expect((await as('county_command', '430102', 'GET', `/api/tasks/${others[0].id}`)).json().task.status).toBe('assigned');
    expect((await w.s.store.cases.contact(Number(others[0].subjectKey)))!.status).toBe('identified');
    expect((await as('county_command', '430102', 'POST', `/api/tasks/${others[0].id}/complete`, { note: '转运', siteId: site.id, room: 'A-102' })).statusCode).toBe(200);
    const refusedSite = await as('county_command', '430102', 'POST', `/api/tasks/${others[1].id}/complete`, { note: '转运', siteId: site.id, room: 'A-103' });
    expect([refusedSite.statusCode, refusedSite.json().error.code]).toEqual([409, 'SITE_FULL']);
    expect((await as('county_command', '430102', 'GET', '/api/quarantine/assignments')).json().total).toBe(2);
    // The county changes its site: not below the rooms in use; closed, it takes no one (those held stay); reopened with
    // a third room, it does. Nobody else changes it.
    const patch = (role: Role, scope: string, body: object) => injectAsGiven(app)({ method: 'PATCH', url: `/api/quarantine/sites/${site.id}`, payload: body, headers: { authorization: `Bearer ${actors.key(role, scope)}` } });
    const fewer = await patch('county_command', '430102', { rooms: 1 });
    expect([fewer.statusCode, fewer.json().error.code, fewer.json().error.details]).toEqual([409, 'SITE_IN_USE', [{ field: 'rooms', reason: '2 rooms are in use' }]]);
    expect((await patch('county_command', '430102', {})).statusCode).toBe(400);
    expect((await patch('grid_worker', GRID, { closed: true })).statusCode).toBe(403);
    expect((await patch('county_command', '430103', { closed: true })).statusCode).toBe(404);
    const closed = await patch('county_command', '430102', { closed: true });
    expect([closed.statusCode, closed.json().closedAt === null, closed.json().occupants]).toEqual([200, false, 2]);
    expect((await as('county_command', '430102', 'POST', `/api/tasks/${others[1].id}/complete`, { note: '转运', siteId: site.id, room: 'A-101' })).json().error.code).toBe('SITE_CLOSED');
    expect((await as('grid_worker', GRID, 'GET', '/api/quarantine/sites?open=true')).json().total).toBe(0);
    expect((await as('grid_worker', GRID, 'GET', '/api/quarantine/sites?open=false')).json().total).toBe(1);
    const reopened = await patch('county_command', '430102', { closed: false, rooms: 3 });
    expect([reopened.json().closedAt, reopened.json().rooms, reopened.json().bedsFree]).toEqual([null, 3, 1]);
    expect((await as('grid_worker', GRID, 'GET', '/api/quarantine/sites?open=false')).json().total).toBe(0);
    expect((await w.s.store.corrections.of('quarantine_site', String(site.id))).map((c) => c.reason)).toEqual(['site opened', 'site closed to new arrivals', 'site reopened']);
    // A site that does not exist, or is out of reach, is an unknown reference; a site named for another kind of task, a 400.
    expect((await as('county_command', '430102', 'POST', `/api/tasks/${others[1].id}/complete`, { note: '转运', siteId: site.id + 99, room: 'B-1' })).json().error.code).toBe('UNKNOWN_REFERENCE');

    // Release: not before the days are served; then not without the required negatives from the last day; then done.
    const assignment = held.items[0];
    const release = () => as('county_command', '430102', 'POST', `/api/quarantine/assignments/${assignment.id}/release`, { note: '期满解除' });
    expect((await release()).json().error).toMatchObject({ code: 'RELEASE_CONDITIONS_NOT_MET', details: { condition: 'period', endsAt: assignment.plannedEnd } });
    const end = parseTime(assignment.plannedEnd)!;
    w.clock.set(end + HOUR);
    const early = await release();
    const needed = w.s.edition.closeContact.releaseSamples;
    expect([early.statusCode, early.json().error.message]).toEqual([409, `${needed} negative single-tube sample(s) from the last day, each from a different lab, are needed, 0 recorded (one per lab)`]);
    expect(early.json().error.details).toEqual({ condition: 'negatives', needed, recorded: 0, distinctLabs: true });
    // The edition's negatives, all from one lab: two reagents, two labs are asked for, so one lab counts once.
    await w.s.store.samples.insertMany(Array.from({ length: needed }, (_x, i) => ({
      sampleNo: `ONE-LAB-${i}`, personId: b, method: 'single' as const, poolId: null, sampledAt: end - 8 * HOUR + i * HOUR, result: 'negative' as const, resultAt: end - HOUR, lab: '实验室0',
    })));
    expect((await release()).json().error.details).toEqual({ condition: 'negatives', needed, recorded: 1, distinctLabs: true });
    await w.s.store.samples.insertMany(Array.from({ length: needed }, (_x, i) => ({
      sampleNo: `REL-${i}`, personId: b, method: 'single' as const, poolId: null, sampledAt: end - 6 * HOUR + i * HOUR, result: 'negative' as const, resultAt: end - HOUR, lab: `实验室${i}`,
    })));
    const released = await release();
    expect(released.statusCode, released.body).toBe(200);
    expect(parseTime((released.json() as Assignment).endedAt!)).toBe(end + HOUR);
    expect((await w.s.store.cases.contact(record.id))!.status).toBe(m.followedBy ? 'home_monitoring' : 'released');
    expect((await as('county_command', '430102', 'GET', '/api/tasks?kind=follow_up')).json().items.map((x: { subjectPersonId: number }) => x.subjectPersonId)).toContain(b);
    expect((await sites('county_command', '430102')).items[0]).toMatchObject({ occupants: 1, bedsFree: 2 });
    expect((await release()).json().error.code).toBe('INVALID_TRANSITION');
  });

  it('assigns through its own route only within scope, and refuses a person who is no contact, a grid worker, and a site or room for home quarantine', async () => {
    // A county does not open a site for its whole city: the city is outside its region.
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '隔离点', kind: 'other', regionCode: '4301', rooms: 10 })).json().error.code).toBe('OUT_OF_SCOPE');
    const ok = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '隔离点', kind: 'other', regionCode: '430102', rooms: 10 })).json() as Site;
    const c = await w.id('C');
    const refused = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: c, siteId: ok.id, room: '101', reason: '集中隔离' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'NOT_UNDER_MANAGEMENT']);
    expect((await as('grid_worker', GRID, 'POST', '/api/quarantine/assignments', { personId: c, siteId: ok.id, room: '101', reason: 'x' })).statusCode).toBe(403);
    expect((await as('county_command', '430103', 'POST', '/api/quarantine/assignments', { personId: c, siteId: ok.id, room: '101', reason: 'x' })).json().error.code).toBe('NOT_FOUND');
    // A close contact, put in quarantine by the investigator without a room: a 400 naming the room; with one: held.
    await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    const close = (await w.s.store.cases.contactsOfPerson(await w.id('B'))).find((k) => k.kind === 'close')!;
    const noRoom = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: close.personId, siteId: ok.id, reason: '集中隔离' });
    expect([noRoom.statusCode, noRoom.json().error.details]).toEqual([400, [{ field: 'room', reason: 'required for centralized quarantine' }]]);
    // A room in letters of another script that look Latin would be a second room reading the same: refused.
    const lookAlike = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: close.personId, siteId: ok.id, room: '\u0410-101', reason: '集中隔离' });
    expect([lookAlike.statusCode, lookAlike.json().error.details[0].field]).toEqual([400, 'room']);
    // A site of another county does not take the grid's person, even from the province's investigators.
    const elsewhere = await w.s.store.quarantine.insertSite({ name: '天心区隔离酒店', kind: 'designated_hotel', placeId: null, regionCode: '430103', address: null, rooms: 10, personsPerRoom: 1, staff: 0, openedAt: NOW, closedAt: null });
    const away = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: close.personId, siteId: elsewhere, room: '101', reason: '集中隔离' });
    expect([away.statusCode, away.json().error.details]).toEqual([400, [{ field: 'siteId', reason: `does not serve ${(await w.s.store.persons.get(close.personId))!.communityCode}` }]]);
    // Site names are one in any case.
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: 'Hotel 芙蓉', kind: 'other', regionCode: '430102', rooms: 1 })).statusCode).toBe(201);
    expect((await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: 'HOTEL 芙蓉', kind: 'other', regionCode: '430102', rooms: 1 })).json().error.code).toBe('NAME_TAKEN');
    const held = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: close.personId, siteId: ok.id, room: '101', reason: '集中隔离' });
    expect(held.statusCode, held.body).toBe(201);
    const again = await as('cdc_investigator', '43', 'POST', '/api/quarantine/assignments', { personId: close.personId, siteId: ok.id, room: '102', reason: '集中隔离' });
    expect(again.json().error.code).toBe('ALREADY_IN_QUARANTINE');
    // Their transfer task is done by the event flow.
    const transfer = (await w.s.store.command.openTasksOfPersons('transfer_to_quarantine', [close.personId]));
    expect(transfer).toEqual([]);
  });
  it('makes the secondary contacts of a close contact who turns positive close contacts of the new case, transferred and held for the full period', async () => {
    const b = await w.id('B');
    const confirmed = await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    const caseA = (confirmed.json() as { case: { id: number } }).case.id;
    const ofB = (await w.s.store.cases.contactsOfPerson(b)).find((k) => k.kind === 'close' && k.indexCaseId === caseA)!;
    // U, no contact of A, met B after B's exposure to A: a secondary contact through B.
    let u = 0;
    for (const label of ['Z', 'RA', 'L', 'C', 'D', 'U']) {
      const id = await w.id(label);
      if ((await w.s.store.cases.contactsOfPerson(id)).length === 0) { u = id; break; }
    }
    expect(u).toBeGreaterThan(0);
    await w.s.store.persons.update(u, { gridCode: GRID });
    const added = await as('cdc_investigator', '43', 'POST', `/api/cases/${caseA}/contacts`, { personId: u, kind: 'secondary', reason: '与密接者共同用餐（流调）', firstExposure: '2021-09-21 12:00', lastExposure: '2021-09-21 13:00', viaContactId: ofB.id });
    expect(added.statusCode, added.body).toBe(201);
    const secondary = (await w.s.store.cases.contactsOfPerson(u)).find((k) => k.kind === 'secondary' && k.viaContactId === ofB.id)!;
    // B turns positive: a case of its own.
    w.clock.set(NOW + 3600);
    const caseB = await as('cdc_investigator', '43', 'POST', '/api/cases', { caseNo: 'BH-B', personId: b, kind: 'asymptomatic', sampledAt: '2021-09-22 08:00', confirmedAt: '2021-09-22 10:30' });
    expect(caseB.statusCode, caseB.body).toBe(201);
    const idB = (caseB.json() as { case: { id: number } }).case.id;
    const upgraded = (await w.s.store.cases.contactsOfPerson(u)).filter((k) => k.indexCaseId === idB && k.kind === 'close');
    expect(upgraded).toHaveLength(1);
    expect(upgraded[0]).toMatchObject({ origin: 'upgrade', status: 'identified', firstExposure: secondary.firstExposure, lastExposure: secondary.lastExposure });
    expect(upgraded[0].evidence[0].note).toContain(`secondary contact ${secondary.id} upgraded`);
    // U is now a close contact of B's case: a transfer to centralized quarantine for U's grid, and a red code.
    const transfers = (await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json().items as { subjectPersonId: number; status: string }[];
    expect(transfers.filter((t) => t.subjectPersonId === u && t.status === 'assigned').length).toBe(1);
    expect((await w.s.store.codes.current(u))!.reasons.map((r) => r.condition)).toContain('close_contact_in_centralized_quarantine');
    // Idempotent: the case corrected (the event flow runs again) adds no second record.
    expect((await as('cdc_investigator', '43', 'POST', `/api/cases/${idB}/trace`)).statusCode).toBeLessThan(300);
    expect((await w.s.store.cases.contactsOfPerson(u)).filter((k) => k.indexCaseId === idB && k.kind === 'close')).toHaveLength(1);
  });
});
