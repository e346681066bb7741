/**
 * Daily follow-up through the API on both engines: a close contact held at a site is under follow-up; site staff and
 * grid workers record reports, the resident too on their own page; a fever or a symptom changes the code and raises
 * one fever check (done once a sample is taken); who has not reported today and who is lost after the edition's days
 * are listed; reminders go once a day; a report for a person not under follow-up, out of reach, or with a temperature
 * no body has is refused and nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys, injectAsGiven } from '../../test/credentials.ts';
import { residentApp, residentSessions } from '../../test/residents.ts';
import { describeEachEngine } from '../../test/engines.ts';
import type { FieldWorld } from '../../test/fieldCases.ts';
import type { Role } from '../domain/access.ts';
import { DAY, HOUR, parseTime } from '../domain/time.ts';

const GRID = '43010200100101';
const OTHER_COUNTY_GRID = '43010300100101';
const NOW = parseTime('2021-09-22 10:00')!;

interface Standing { personId: number; kind: string; reportedToday: boolean; missedDays: number; lost: boolean; room: string | null; lastReport: { temperatureC: number | null; symptoms: string[]; fever: boolean; abnormal: boolean } | null }
interface List { date: string; lostAfterMissedDays: number; counts: { under: number; reportedToday: number; missedToday: number; lost: number }; items: Standing[]; total: number }

describeEachEngine('api: daily follow-up', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  let sent: { phone: string; text: string }[] = [];
  const as = actors.as;
  const residents = residentSessions(() => app, () => w, () => sent);
  const resident = residents.as;
  const signIn = residents.signIn;

  beforeEach(async () => {
    // The persons were imported with the test's ID hash key: residents sign in under it.
    ({ w, app, sent } = await residentApp(engine, NOW));
    await actors.enter(w.s.store, [['county_command', '430102'], ['grid_worker', GRID], ['grid_worker', OTHER_COUNTY_GRID], ['cdc_investigator', '43'], ['quarantine_staff', '430102']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('follows up a held contact day by day: reports, missed and lost lists, reminders, a fever that changes the code and raises one check', async () => {
    const b = await w.id('B');
    await w.s.store.persons.update(b, { gridCode: GRID });
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 10 })).json() as { id: number };
    expect((await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    })).statusCode).toBe(201);
    const transfer = ((await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json().items as { id: number; subjectPersonId: number }[]).find((t) => t.subjectPersonId === b)!;
    const report = (role: Role, scope: string, body: object) => as(role, scope, 'POST', '/api/follow-up/reports', body);
    const list = async (state = 'all', role: Role = 'grid_worker', scope = GRID) => (await as(role, scope, 'GET', `/api/follow-up?state=${state}`)).json() as List;

    // Not held yet: no report for B, nothing written.
    const early = await report('grid_worker', GRID, { personId: b, temperatureC: 36.5 });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'NOT_IN_FOLLOW_UP']);
    expect((await list()).total).toBe(0);

    expect((await as('grid_worker', GRID, 'POST', `/api/tasks/${transfer.id}/complete`, { note: '已转运', siteId: site.id, room: 'A-101' })).statusCode).toBe(200);
    // Held since today: under follow-up, nothing owed for the day they arrived but today's report.
    const first = await list();
    expect(first.lostAfterMissedDays).toBe(w.s.edition.followUp.lostAfterMissedDays);
    expect(first.items).toEqual([expect.objectContaining({ personId: b, kind: 'centralized', reportedToday: false, missedDays: 0, lost: false, room: 'A-101' })]);
    expect(first.counts).toEqual({ under: 1, reportedToday: 0, missedToday: 1, lost: 0 });
    expect((await list('all', 'grid_worker', OTHER_COUNTY_GRID)).total).toBe(0);

    // Refused, nothing written: a temperature no body has, a symptom not in the list, a person out of reach, a role that does not report.
    const absurd = await report('quarantine_staff', '430102', { personId: b, temperatureC: 365 });
    expect([absurd.statusCode, absurd.json().error.code, absurd.json().error.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'temperatureC']);
    expect((await report('quarantine_staff', '430102', { personId: b, temperatureC: 36.5, symptoms: ['sneezing'] })).statusCode).toBe(400);
    expect((await report('grid_worker', OTHER_COUNTY_GRID, { personId: b, temperatureC: 36.5 })).statusCode).toBe(404);
    expect((await report('county_command', '430102', { personId: b, temperatureC: 36.5 })).statusCode).toBe(403);
    expect((await as('grid_worker', GRID, 'GET', '/api/follow-up/reports')).json().total).toBe(0);

    // Reminders: once a day to whoever has not reported, at the registered phone.
    const phoneOfB = (await w.s.store.persons.get(b))!.phone!;
    expect((await as('grid_worker', GRID, 'POST', '/api/follow-up/reminders', {})).json()).toEqual({ sent: 1, noPhone: 0, remindedAlready: 0 });
    expect(sent.at(-1)).toMatchObject({ phone: phoneOfB, text: expect.stringContaining('尚未上报体温') });
    expect((await as('grid_worker', GRID, 'POST', '/api/follow-up/reminders', {})).json()).toEqual({ sent: 0, noPhone: 0, remindedAlready: 1 });

    // The site's staff record a normal report: reported today, the code unchanged (red: centralized quarantine).
    const normal = await report('quarantine_staff', '430102', { personId: b, temperatureC: 36.5 });
    expect(normal.statusCode, normal.body).toBe(201);
    expect(normal.json()).toMatchObject({ personId: b, source: 'site_staff', fever: false, symptoms: [], day: '2021-09-22' });
    expect((await list()).counts).toEqual({ under: 1, reportedToday: 1, missedToday: 0, lost: 0 });
    expect((await list()).items[0].lastReport).toEqual({ temperatureC: 36.5, symptoms: [], fever: false, abnormal: false });
    expect((await list('missed')).total).toBe(0);
    expect((await w.s.store.codes.current(b))!.reasons.map((r) => r.condition)).not.toContain('abnormal_temperature');

    // Days pass without a report: one day missed, then the edition's days: lost to follow-up.
    const lostAfter = w.s.edition.followUp.lostAfterMissedDays;
    w.clock.set(NOW + 2 * DAY);
    expect((await list('missed')).items[0]).toMatchObject({ personId: b, missedDays: 1, lost: lostAfter <= 1 });
    w.clock.set(NOW + (lostAfter + 1) * DAY);
    expect((await list('lost')).items.map((x) => [x.personId, x.missedDays])).toEqual([[b, lostAfter]]);
    expect((await as('grid_worker', GRID, 'POST', '/api/follow-up/reminders', {})).json().sent).toBe(1);

    // A fever with a cough: the code gains both reasons, and one fever check for B's grid; a second abnormal report adds none.
    const fever = await report('grid_worker', GRID, { personId: b, temperatureC: 38.2, symptoms: ['dry_cough', 'dry_cough'] });
    expect(fever.json()).toMatchObject({ fever: true, symptoms: ['dry_cough'], source: 'grid_worker' });
    const reasons = (await w.s.store.codes.current(b))!.reasons;
    expect(reasons.map((r) => r.condition)).toEqual(expect.arrayContaining(['abnormal_temperature', 'symptoms_reported']));
    expect(reasons.find((r) => r.condition === 'abnormal_temperature')!.detail).toContain('38.2 C at a follow-up report');
    expect((await list('lost')).total).toBe(0);
    // The list says what the last report found, so a fever does not read as a plain "reported".
    expect((await list()).items[0]).toMatchObject({ reportedToday: true, lastReport: { temperatureC: 38.2, symptoms: ['dry_cough'], fever: true, abnormal: true } });
    const checks = async () => (await as('county_command', '430102', 'GET', '/api/tasks?kind=fever_check')).json().items as { status: string; regionCode: string; subjectPersonId: number; dueAt: string }[];
    expect((await checks()).map((t) => [t.subjectPersonId, t.regionCode, t.status])).toEqual([[b, GRID, 'assigned']]);
    expect(parseTime((await checks())[0].dueAt)).toBe(NOW + (lostAfter + 1) * DAY + w.s.edition.command.taskWithinHours.fever_check * HOUR);
    await report('grid_worker', GRID, { personId: b, temperatureC: 38.0 });
    expect((await checks()).length).toBe(1);
    // A sample taken: the check is done. A normal report later ends both reasons.
    expect((await as('cdc_investigator', '43', 'POST', '/api/samples', { sampleNo: 'FC-1', personId: b, method: 'single', sampledAt: new Date((NOW + (lostAfter + 1) * DAY) * 1000).toISOString() })).statusCode).toBeLessThan(300);
    expect((await checks())[0].status).toBe('done');
    w.clock.set(NOW + (lostAfter + 1) * DAY + HOUR);
    await report('grid_worker', GRID, { personId: b, temperatureC: 36.6 });
    expect((await w.s.store.codes.current(b))!.reasons.map((r) => r.condition)).not.toEqual(expect.arrayContaining(['abnormal_temperature']));
    expect((await w.s.store.codes.current(b))!.reasons.map((r) => r.condition)).not.toEqual(expect.arrayContaining(['symptoms_reported']));
    const all = (await as('grid_worker', GRID, 'GET', `/api/follow-up/reports?personId=${b}`)).json() as { total: number; items: { temperatureC: number }[] };
    expect([all.total, all.items.map((r) => r.temperatureC)]).toEqual([4, [36.6, 38.0, 38.2, 36.5]]);
    expect((await as('grid_worker', OTHER_COUNTY_GRID, 'GET', '/api/follow-up/reports')).json().total).toBe(0);
  });

  it('lets a resident under follow-up report on their own page, and nobody else', async () => {
    const b = await w.id('B');
    const site = (await as('county_command', '430102', 'POST', '/api/quarantine/sites', { name: '隔离点', kind: 'designated_hotel', regionCode: '430102', rooms: 10 })).json() as { id: number };
    await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    const transfer = ((await as('county_command', '430102', 'GET', '/api/tasks?kind=transfer_to_quarantine')).json().items as { id: number; subjectPersonId: number }[]).find((t) => t.subjectPersonId === b)!;
    expect((await as('county_command', '430102', 'POST', `/api/tasks/${transfer.id}/complete`, { note: '已转运', siteId: site.id, room: '101' })).statusCode).toBe(200);

    const cookie = await signIn('B', (await w.s.store.persons.get(b))!.phone!);
    expect((await resident(cookie, 'GET', '/api/me/follow-up')).json()).toMatchObject({ under: true, kind: 'centralized', reportedToday: false, reports: [] });
    const mine = await resident(cookie, 'POST', '/api/me/follow-up/reports', { temperatureC: 36.4, symptoms: ['fatigue'] });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json()).toMatchObject({ personId: b, source: 'resident', symptoms: ['fatigue'] });
    expect((await resident(cookie, 'GET', '/api/me/follow-up')).json()).toMatchObject({ under: true, reportedToday: true, reports: [{ temperatureC: 36.4 }] });
    // A resident cannot report for someone else (the body names no person), nor use the staff route.
    expect((await resident(cookie, 'POST', '/api/me/follow-up/reports', { personId: await w.id('C'), temperatureC: 36.4 })).statusCode).toBe(400);
    expect((await resident(cookie, 'POST', '/api/follow-up/reports', { personId: b, temperatureC: 36.4 })).statusCode).toBe(403);
    // The case A is not under follow-up (in hospital): their page says so and refuses a report.
    const a = await signIn('A', (await w.s.store.persons.get(await w.id('A')))!.phone!);
    expect((await resident(a, 'GET', '/api/me/follow-up')).json()).toMatchObject({ under: false, kind: null });
    expect((await resident(a, 'POST', '/api/me/follow-up/reports', { temperatureC: 36.4 })).json().error.code).toBe('NOT_IN_FOLLOW_UP');
    // Without a session: 401.
    expect((await injectAsGiven(app)({ method: 'GET', url: '/api/me/follow-up' })).statusCode).toBe(401);
  });
  it('follows up a contact in home monitoring for the edition\'s days, then no more', async () => {
    await as('cdc_investigator', '43', 'POST', '/api/cases', {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
    });
    const b = await w.id('B');
    await w.s.store.persons.update(b, { gridCode: GRID });
    const record = (await w.s.store.cases.contactsOfPerson(b)).find((k) => k.kind === 'close')!;
    const moved = await as('cdc_investigator', '43', 'POST', `/api/contacts/${record.id}/status`, { status: 'home_monitoring', reason: '居家健康监测' });
    expect(moved.statusCode, moved.body).toBe(200);
    const days = w.s.edition.closeContact.management.followedBy!.days;
    const list = async () => (await as('grid_worker', GRID, 'GET', '/api/follow-up')).json() as List & { items: (Standing & { until: string })[] };
    const first = await list();
    expect(first.items.map((x) => [x.personId, x.kind])).toEqual([[b, 'home_monitoring']]);
    const since = (await w.s.store.cases.contact(record.id))!.statusAt!;
    expect(parseTime(first.items[0].until)).toBe(since + days * DAY);
    expect((await as('grid_worker', GRID, 'POST', '/api/follow-up/reports', { personId: b, temperatureC: 36.8 })).statusCode).toBe(201);
    expect((await list()).counts).toEqual({ under: 1, reportedToday: 1, missedToday: 0, lost: 0 });
    // The monitoring days over: nobody to follow up, and no report taken.
    w.clock.set(since + days * DAY);
    expect((await list()).total).toBe(0);
    expect((await as('grid_worker', GRID, 'POST', '/api/follow-up/reports', { personId: b, temperatureC: 36.8 })).json().error.code).toBe('NOT_IN_FOLLOW_UP');
  });
});
