/**
 * The command mechanism on both engines: a directive decomposed level by level down to the grids (each task under the
 * unit above, due no later than its parent), completion rolled up, an overdue task escalated to the unit above and
 * recorded, reassignment and cancellation kept with their reasons, deadlines that may not pass the parent's; and
 * tasks made by the event flow (a new close contact's transfer for the grid where they live, done when the contact is
 * transferred; a positive pool's retests; a risk area's sealing; a venue order's inspections per county), each once
 * however often the event is handled. Built on the field cases' world.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { FIELD_NOW, fieldWorld, type FieldWorld } from '../../../test/fieldCases.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Db } from '../../storage/db.ts';
import { HOUR } from '../../domain/time.ts';
import { parseTime } from '../../domain/time.ts';
import { actingAs } from '../../platform/context.ts';
import { confirmCase } from '../cases/confirmCase.ts';
import { setContactStatus } from '../cases/corrections.ts';
import { addManualContact } from '../cases/manualContact.ts';
import { issueVenueOrder } from '../control.ts';
import { recordPoolResult, recordSample } from '../codes/results.ts';
import { assignQuarantine, openSite } from '../quarantine/quarantine.ts';
import { cancelTask, escalateOverdue, issueDirective, reassignTask, refreshExpiringCodes, setTaskDeadline, tasksFromEvent, workOnTask, type TaskActor } from './tasks.ts';

const t = (s: string) => parseTime(s)!;
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
const COMMAND: TaskActor = { userId: null, role: 'provincial_command' };
const GRID = '43010200100101';
const COMMUNITY = '430102001001';

describeEachEngine('command: directives and tasks', (engine) => {
  let w: FieldWorld;
  beforeEach(async () => {
    w = await fieldWorld(engine);
    // A second grid, so that decomposition has two grids under the first community.
    await w.s.store.regions.insertMany([{ code: '43010200100102', name: '识字里社区居委会第2网格', level: 'grid', parentCode: COMMUNITY, functionalZone: false }]);
  });
  afterEach(async () => { await w?.close(); });
  const tasks = async (filter: Parameters<FieldWorld['s']['store']['command']['tasks']>[0] = {}) => (await w.s.store.command.tasks(filter, { limit: 500 })).items;

  it('decomposes a province\'s directive to every unit down to the grids, each under the unit above, and rolls completion up', async () => {
    const due = FIELD_NOW + 24 * HOUR;
    const r = await issueDirective(w.ctx, w.s, { kind: 'door_to_door', text: '全面排查返湘人员', dueAt: due });
    // 43, 4301, 430102, 430102001, two communities, two grids (MINI_REGIONS and the grid added above).
    expect(r.tasks).toBe(8);
    const all = await tasks({ directiveId: r.directive.id });
    expect(all.map((x) => [x.level, x.regionCode, x.ownerRole])).toEqual([
      ['province', '43', 'provincial_command'], ['city', '4301', 'city_command'], ['county', '430102', 'county_command'], ['township', '430102001', 'county_command'],
      ['community', '430102001001', 'grid_worker'], ['community', '430102001002', 'grid_worker'], ['grid', GRID, 'grid_worker'], ['grid', '43010200100102', 'grid_worker'],
    ]);
    const byCode = new Map(all.map((x) => [x.regionCode, x]));
    for (const x of all) {
      expect(x.dueAt).toBe(due);
      expect(x.status).toBe('assigned');
      if (x.regionCode !== '43') expect(byCode.get(x.regionCode.slice(0, { 4: 2, 6: 4, 9: 6, 12: 9, 14: 12 }[x.regionCode.length]!))!.id).toBe(x.parentId);
    }
    // Both grids done: their community is done; the other community cancelled: the township is done too, and so on up.
    const grid = (c: string) => byCode.get(c)!.id;
    const gridWorker: TaskActor = { userId: null, role: 'grid_worker' };
    await workOnTask({ ...w.ctx, scope: GRID }, w.s, gridWorker, { taskId: grid(GRID), status: 'accepted' });
    await workOnTask({ ...w.ctx, scope: GRID }, w.s, gridWorker, { taskId: grid(GRID), status: 'done', note: '已入户排查 112 户' });
    expect((await w.s.store.command.task(grid(COMMUNITY)))!.status).toBe('assigned');
    await workOnTask(w.ctx, w.s, gridWorker, { taskId: grid('43010200100102'), status: 'done', note: '已排查 90 户' });
    expect((await w.s.store.command.task(grid(COMMUNITY)))!.status).toBe('done');
    expect((await w.s.store.command.task(grid('430102001')))!.status).toBe('assigned');
    await cancelTask(w.ctx, w.s, COMMAND, { taskId: grid('430102001002'), reason: '该社区已封控，另行安排' });
    expect((await tasks({ directiveId: r.directive.id })).map((x) => x.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'cancelled', 'done', 'done']);
    const counts = await w.s.store.command.counts({ directiveId: r.directive.id });
    expect(counts.find((c) => c.level === 'community' && c.status === 'cancelled')?.count).toBe(1);
    // Each change is kept with who, when and why.
    const history = await w.s.store.corrections.of('task', String(grid(GRID)));
    expect(history.map((h) => [h.changes.status, h.reason])).toEqual([[['assigned', 'accepted'], 'accepted'], [['accepted', 'done'], '已入户排查 112 户']]);
  });

  it('covers only the units named, with the units on the way down; refuses units outside the actor\'s region (403) or the issuing unit (400), unknown units and past deadlines', async () => {
    const county = { ...w.ctx, scope: '430102' };
    const r = await issueDirective(county, w.s, { kind: 'mass_testing', text: '第二轮全员核酸检测', units: [GRID] });
    expect((await tasks({ directiveId: r.directive.id })).map((x) => x.regionCode)).toEqual(['430102', '430102001', COMMUNITY, GRID]);
    expect(r.directive.dueAt).toBe(FIELD_NOW + w.s.edition.command.directiveWithinHours.mass_testing * HOUR);
    expect(await code(issueDirective(county, w.s, { kind: 'other', text: 'x', regionCode: '4301' }))).toBe('OUT_OF_SCOPE');
    // A unit outside the actor's region: refused as the region would be; inside the region but not the issuing unit:
    // the directive does not hold together.
    expect(await code(issueDirective(county, w.s, { kind: 'other', text: 'x', units: ['430103'] }))).toBe('OUT_OF_SCOPE');
    expect(await code(issueDirective(county, w.s, { kind: 'other', text: 'x', regionCode: '430102001', units: ['430102002'] }))).toBe('VALIDATION_FAILED');
    expect(await code(issueDirective(county, w.s, { kind: 'other', text: 'x', units: ['430102009'] }))).toBe('UNKNOWN_REFERENCE');
    expect(await code(issueDirective(county, w.s, { kind: 'other', text: 'x', dueAt: FIELD_NOW - 60 }))).toBe('VALIDATION_FAILED');
    // Nothing half-written by the refusals.
    expect(await w.s.store.command.directives(null, { limit: 10 })).toMatchObject({ items: [{ id: r.directive.id }] });
  });

  it('escalates an open task past its deadline to the unit above at once, where it stays listed; a deadline may not pass its parent\'s', async () => {
    const r = await issueDirective(w.ctx, w.s, { kind: 'supplies', text: '保障封控小区生活物资', units: [GRID], dueAt: FIELD_NOW + 10 * HOUR });
    const mine = await tasks({ directiveId: r.directive.id });
    const [root, community, grid] = ['43', COMMUNITY, GRID].map((c) => mine.find((x) => x.regionCode === c)!);
    expect(await code(setTaskDeadline(w.ctx, w.s, COMMAND, { taskId: grid.id, dueAt: FIELD_NOW + 11 * HOUR, reason: 'x' }))).toBe('DEADLINE_AFTER_PARENT');
    // The community's deadline brought forward: the grid's comes with it.
    await setTaskDeadline(w.ctx, w.s, COMMAND, { taskId: community.id, dueAt: FIELD_NOW + 4 * HOUR, reason: '提前完成' });
    expect((await w.s.store.command.task(grid.id))!.dueAt).toBe(FIELD_NOW + 4 * HOUR);
    await workOnTask(w.ctx, w.s, COMMAND, { taskId: community.id, status: 'in_progress' });
    w.clock.advance(4 * HOUR + 60);
    expect(await escalateOverdue(w.ctx, w.s.store)).toBe(2);
    expect(await escalateOverdue(w.ctx, w.s.store)).toBe(0);
    expect((await w.s.store.command.task(grid.id))).toMatchObject({ status: 'escalated', escalatedTo: COMMUNITY });
    expect((await w.s.store.command.task(community.id))).toMatchObject({ status: 'escalated', escalatedTo: '430102001' });
    expect((await tasks({ escalatedTo: COMMUNITY })).map((x) => x.id)).toEqual([grid.id]);
    // At the top there is no level above: overdue.
    w.clock.advance(6 * HOUR);
    await escalateOverdue(w.ctx, w.s.store);
    expect((await w.s.store.command.task(root.id))).toMatchObject({ status: 'overdue', escalatedTo: null });
    // Late work can still be done.
    await workOnTask(w.ctx, w.s, COMMAND, { taskId: grid.id, status: 'done', note: '物资已送达' });
    expect((await w.s.store.corrections.of('task', String(grid.id))).map((h) => h.changes.status?.[1] ?? Object.keys(h.changes)[0])).toEqual(['dueAt', 'escalated', 'done']);
  });

  it('lets a grid worker work only their grid\'s tasks, and only those named to them; a command centre reassigns with the reason', async () => {
    const r = await issueDirective(w.ctx, w.s, { kind: 'door_to_door', text: '排查', units: [COMMUNITY] });
    const all = await tasks({ directiveId: r.directive.id });
    const g1 = all.find((x) => x.regionCode === GRID)!, g2 = all.find((x) => x.regionCode === '43010200100102')!;
    const worker = { ...w.ctx, scope: GRID };
    // Another grid's task is as unknown as one that does not exist; a task held by a command is not a grid worker's.
    expect(await code(workOnTask(worker, w.s, { userId: 7, role: 'grid_worker' }, { taskId: g2.id, status: 'accepted' }))).toBe('NOT_FOUND');
    const communityTask = all.find((x) => x.regionCode === COMMUNITY)!;
    expect(await code(workOnTask(w.ctx, w.s, { userId: 8, role: 'quarantine_staff' }, { taskId: communityTask.id, status: 'accepted' }))).toBe('NOT_TASK_OWNER');
    expect(await code(workOnTask(w.ctx, w.s, { userId: 8, role: 'cdc_investigator' }, { taskId: g1.id, status: 'done', note: 'x' }))).toBe('NOT_TASK_OWNER');
    // The community's task is done when its grids are, not before.
    expect(await code(workOnTask({ ...w.ctx, scope: COMMUNITY }, w.s, { userId: 9, role: 'grid_worker' }, { taskId: communityTask.id, status: 'done', note: '已完成' }))).toBe('SUBTASKS_OPEN');
    expect(await code(workOnTask(worker, w.s, { userId: 7, role: 'grid_worker' }, { taskId: 999_999, status: 'accepted' }))).toBe('NOT_FOUND');
    expect(await code(workOnTask(worker, w.s, { userId: 7, role: 'grid_worker' }, { taskId: g1.id, status: 'done' }))).toBe('VALIDATION_FAILED');
    expect(await code(reassignTask(worker, w.s, { userId: 7, role: 'grid_worker' }, { taskId: g1.id, userId: 1, reason: 'x' }))).toBe('FORBIDDEN');
    // A user of the grid to give it to.
    const agencyId = await w.s.store.accounts.ensureAgency('识字里社区', 'community', COMMUNITY);
    const userId = await w.s.store.accounts.addUser({ username: 'grid1', displayName: '网格员', agencyId, role: 'grid_worker', regionCode: GRID, passwordHash: 'x', mustChangePassword: false, createdAt: FIELD_NOW });
    const other = await w.s.store.accounts.addUser({ username: 'grid2', displayName: '网格员2', agencyId, role: 'grid_worker', regionCode: '43010200100102', passwordHash: 'x', mustChangePassword: false, createdAt: FIELD_NOW });
    expect(await code(reassignTask(w.ctx, w.s, COMMAND, { taskId: g1.id, userId: other, reason: 'x' }))).toBe('UNKNOWN_REFERENCE');
    await reassignTask(actingAs(w.ctx, { kind: 'api', name: 'director' }), w.s, COMMAND, { taskId: g1.id, userId, reason: '由网格长负责' });
    expect(await code(workOnTask(worker, w.s, { userId: userId + 100, role: 'grid_worker' }, { taskId: g1.id, status: 'accepted' }))).toBe('NOT_TASK_OWNER');
    expect((await workOnTask(worker, w.s, { userId, role: 'grid_worker' }, { taskId: g1.id, status: 'accepted' })).status).toBe('accepted');
    expect(await code(workOnTask(worker, w.s, { userId, role: 'grid_worker' }, { taskId: g1.id, status: 'accepted' }))).toBe('INVALID_TRANSITION');
    const h = await w.s.store.corrections.of('task', String(g1.id));
    expect(h[0]).toMatchObject({ changes: { ownerUserId: [null, userId] }, reason: '由网格长负责', actor: 'api:director' });
  });

  it('makes a transfer task for each new close contact, for the grid where they live, once; done with the site puts the contact in quarantine', async () => {
    // The day after the case's confirmation: the contacts' quarantine, counted from their last exposure, still runs.
    const NOW = t('2021-09-22 10:00');
    w.clock.set(NOW);
    const l = await w.id('B');
    await w.s.store.persons.update(l, { gridCode: GRID });
    const { case: c } = await confirmCase(w.ctx, w.s, {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: t('2021-09-19 10:00'), sampledAt: t('2021-09-20 09:00'), confirmedAt: t('2021-09-21 08:00'),
      isolatedAt: t('2021-09-21 08:00'), severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms',
    });
    const close = (await w.s.store.cases.contactsOfCase(c.id)).filter((k) => k.kind === 'close');
    expect(close.length).toBeGreaterThan(1);
    const transfers = await tasks({ kind: 'transfer_to_quarantine' });
    expect(transfers.map((x) => x.subjectKey).sort()).toEqual(close.map((k) => String(k.id)).sort());
    const ofL = transfers.find((x) => x.subjectPersonId === l)!;
    expect(ofL).toMatchObject({ regionCode: GRID, level: 'grid', ownerRole: 'grid_worker', status: 'assigned', dueAt: NOW + w.s.edition.closeContact.transferWithinHours * HOUR });
    expect(transfers.filter((x) => x.subjectPersonId !== l).every((x) => x.regionCode === COMMUNITY && x.level === 'community')).toBe(true);
    // The same event handled again (a redelivery) makes nothing new.
    await w.s.store.transaction(async (tx) => {
      const ev = { id: 1, kind: 'contacts.to_route' as const, payload: { caseId: c.id, personIds: close.map((k) => k.personId) }, actor: 'test', at: NOW, attempts: 0 };
      await tasksFromEvent(tx, w.s.edition, ev, NOW + 60, 'test');
    });
    expect(await tasks({ kind: 'transfer_to_quarantine' })).toHaveLength(transfers.length);
    // Done without a site and room: refused; with a site of the county (which serves the grid) and a room: the contact
    // is held there on the edition's schedule, with the reason, and their code follows.
    const worker = { ...w.ctx, scope: GRID };
    const site = await openSite(w.ctx, w.s, { name: '芙蓉区集中隔离点', kind: 'designated_hotel', regionCode: '430102', rooms: 20 });
    expect(await code(workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: ofL.id, status: 'done', note: '已转运' }))).toBe('VALIDATION_FAILED');
    expect(await code(workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: ofL.id, status: 'done', note: '已转运', siteId: site.id }))).toBe('VALIDATION_FAILED');
    expect(await code(workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: ofL.id, status: 'done', note: '已转运', siteId: site.id + 99, room: 'A-101' }))).toBe('UNKNOWN_REFERENCE');
    expect((await w.s.store.command.task(ofL.id))!.status).toBe('assigned');
    await workOnTask(worker, w.s, { userId: null, role: 'grid_worker' }, { taskId: ofL.id, status: 'done', note: '已转运', siteId: site.id, room: 'A-101' });
    const k = (await w.s.store.cases.contact(Number(ofL.subjectKey)))!;
    expect(k.status).toBe('in_quarantine');
    expect((await w.s.store.corrections.of('contact', String(k.id))).at(-1)).toMatchObject({ changes: { status: ['identified', 'in_quarantine'] }, reason: `transferred to 芙蓉区集中隔离点, room A-101 (task ${ofL.id})` });
    const m = w.s.edition.closeContact.management;
    const counted = m.countedFrom === 'last_exposure' ? k.lastExposure : NOW;
    expect(await w.s.store.quarantine.openAssignmentOf(l)).toMatchObject({
      kind: 'centralized', siteId: site.id, room: 'A-101', startedAt: NOW, countedFrom: counted, plannedEnd: counted + m.days * 86400, contactId: k.id, taskId: ofL.id,
    });
    expect((await w.s.store.codes.current(l))).toMatchObject({ colour: 'red' });
    // Another contact put in quarantine by the investigator: its transfer is done by the event flow; one who became a
    // case through a later confirmation is cancelled.
    const other = transfers.find((x) => x.subjectPersonId !== l)!;
    // Not by setting the status by hand: quarantine is an assignment, and the status follows it.
    expect(await code(setContactStatus(w.ctx, w.s, { contactId: Number(other.subjectKey), status: 'in_quarantine', reason: '已集中隔离' }))).toBe('ASSIGNMENT_REQUIRED');
    await assignQuarantine(w.ctx, w.s, { personId: other.subjectPersonId!, siteId: site.id, room: 'A-102', reason: '流调人员安排集中隔离' });
    expect((await w.s.store.cases.contact(Number(other.subjectKey)))!.status).toBe('in_quarantine');
    expect((await w.s.store.command.task(other.id))).toMatchObject({ status: 'done', note: 'contact in quarantine' });
    // Released by hand (not a contact after all): their quarantine ends with it, and the room is free.
    const room = (await w.s.store.quarantine.openAssignmentOf(other.subjectPersonId!))!;
    await setContactStatus(w.ctx, w.s, { contactId: Number(other.subjectKey), status: 'released', reason: '经核实非密接' });
    expect(await w.s.store.quarantine.assignment(room.id)).toMatchObject({ endedAt: NOW, endReason: 'no record keeps them in quarantine (released: 经核实非密接)' });
  });

  it('makes no transfer for a close contact whose quarantine is over already (an outbreak\'s records entered years later)', async () => {
    // The server's clock is the field cases' (late 2026); the case and its contacts are of September 2021.
    w.clock.set(FIELD_NOW);
    const { case: c } = await confirmCase(w.ctx, w.s, {
      caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: t('2021-09-19 10:00'), sampledAt: t('2021-09-20 09:00'), confirmedAt: t('2021-09-21 08:00'),
      isolatedAt: t('2021-09-21 08:00'), severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms',
    });
    expect((await w.s.store.cases.contactsOfCase(c.id)).filter((k) => k.kind === 'close').length).toBeGreaterThan(1);
    expect(await tasks({ kind: 'transfer_to_quarantine' })).toEqual([]);
  });

  it('makes single-tube retests for a positive pool\'s members, a sealing task for a graded risk area, and inspections per county for a venue order', async () => {
    const [a, b] = [await w.id('A'), await w.id('B')];
    await w.s.store.samples.insertPools([{ poolNo: 'P-1', size: 10, sampledAt: FIELD_NOW - 6 * HOUR, result: 'pending', resultAt: null, lab: null }]);
    const poolId = (await w.s.store.samples.poolByNo('P-1'))!.id;
    await w.s.store.samples.insertMany([a, b].map((p, i) => ({ sampleNo: `S-${i}`, personId: p, method: 'pooled' as const, poolId, sampledAt: FIELD_NOW - 6 * HOUR, result: 'pending' as const, resultAt: null, lab: null })));
    await recordPoolResult(w.ctx, w.s, 'P-1', 'positive', FIELD_NOW - 60);
    const retests = await tasks({ kind: 'single_tube_retest' });
    expect(retests.map((x) => x.subjectPersonId).sort()).toEqual([a, b].sort());
    expect(retests[0].dueAt).toBe(FIELD_NOW + w.s.edition.command.taskWithinHours.single_tube_retest * HOUR);
    // A positive pool graded the community a risk area? Not by itself; a sealing task comes with a grading event.
    await w.s.store.transaction(async (tx) => {
      const ev = { id: 99, kind: 'risk_areas.graded' as const, payload: { units: [{ regionCode: COMMUNITY, level: 'high' as const }, { regionCode: '430102001002', level: 'low' as const }] }, actor: 'test', at: FIELD_NOW, attempts: 0 };
      await tasksFromEvent(tx, w.s.edition, ev, FIELD_NOW, 'test');
      await tasksFromEvent(tx, w.s.edition, ev, FIELD_NOW, 'test');
    });
    expect((await tasks({ kind: 'seal_and_manage' })).map((x) => [x.regionCode, x.ownerRole])).toEqual([[COMMUNITY, 'grid_worker']]);
    // The community steps down to low: its sealing is called off, recorded.
    await w.s.store.transaction(async (tx) => {
      await tasksFromEvent(tx, w.s.edition, { id: 100, kind: 'risk_areas.graded', payload: { units: [{ regionCode: COMMUNITY, level: 'low' }] }, actor: 'test', at: FIELD_NOW, attempts: 0 }, FIELD_NOW, 'test');
    });
    expect((await tasks({ kind: 'seal_and_manage' })).map((x) => [x.status, x.note])).toEqual([['cancelled', 'no longer a risk area']]);
    await issueVenueOrder(w.ctx, w.s, { orderNo: 'CS-2021-08', action: 'close', categories: ['ktv'], regionCodes: ['4301'], startsAt: FIELD_NOW, endsAt: null, issuedBy: '长沙市指挥部' });
    expect((await tasks({ kind: 'inspect_venues' })).map((x) => [x.regionCode, x.level, x.subjectKey])).toEqual([['430102', 'county', 'CS-2021-08']]);
  });

  it('sends a grid worker door to door when a close contact\'s required test runs overdue, once, and closes it when a sample is taken', async () => {
    // The followup-overdue field case: RA and L dined together on 11-27; RA is confirmed on 11-30; L is a close contact.
    await w.feed('presence', ['id_number,place_code,start,end,source', `${w.idNumber('RA')},BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan`, `${w.idNumber('L')},BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan`]);
    const [ra, l] = [await w.id('RA'), await w.id('L')];
    await w.s.store.persons.update(l, { gridCode: GRID });
    await confirmCase(w.ctx, w.s, {
      caseNo: 'BH-RA', personId: ra, kind: 'confirmed', onsetAt: t('2026-11-28 10:00'), sampledAt: t('2026-11-29 09:00'), confirmedAt: t('2026-11-30 08:00'),
      isolatedAt: t('2026-11-30 08:00'), severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms',
    });
    const overdue = async () => (await w.s.store.codes.current(l))!.reasons.some((r) => r.condition === 'overdue_required_test');
    expect(await overdue()).toBe(false);
    // Days pass with no sample: the timer re-evaluates the code once its validity runs out, and the test is overdue.
    let made = 0, overdueBefore = false;
    for (let day = 1; day <= 6 && made === 0; day++) {
      w.clock.advance(24 * HOUR);
      overdueBefore = await overdue();
      made = (await refreshExpiringCodes(w.ctx, w.s)).newlyOverdueTest.length;
    }
    expect(made).toBe(1);
    expect(await overdue()).toBe(true);
    // Said on the evaluation that found the test overdue, not a day later.
    expect(overdueBefore).toBe(false);
    const visits = await tasks({ kind: 'door_to_door' });
    expect(visits.map((x) => [x.subjectPersonId, x.regionCode, x.status, x.dueAt])).toEqual([[l, GRID, 'assigned', w.clock.now() + w.s.edition.command.taskWithinHours.door_to_door * HOUR]]);
    // Still overdue an hour later: no second visit.
    w.clock.advance(HOUR);
    await refreshExpiringCodes(w.ctx, w.s);
    expect(await tasks({ kind: 'door_to_door' })).toHaveLength(1);
    // A person evaluated with no stored code (the first evaluation) who is overdue already is newly overdue too.
    await (w.s.store as unknown as { db: Db }).db.run('DELETE FROM current_codes WHERE person_id = ?', [l]);
    expect((await w.s.codes.recompute([l], 'first evaluation', w.clock.now())).newlyOverdueTest).toEqual([l]);
    await recordSample(w.ctx, w.s, { sampleNo: 'S-L-1', personId: l, method: 'single', poolNo: null, sampledAt: w.clock.now(), result: 'pending', resultAt: null, lab: null });
    expect((await w.s.store.command.task(visits[0].id))).toMatchObject({ status: 'done', note: 'a sample was recorded' });
  });

  it('gives a person met by two cases one transfer, which quarantines both records; a contact who became a case or went home has none left open', async () => {
    w.clock.set(t('2021-09-21 13:00'));
    const confirm = async (label: string, caseNo: string, onset: string, confirmed: string) => (await confirmCase(w.ctx, w.s, {
      caseNo, personId: await w.id(label), kind: 'confirmed', onsetAt: t(onset), sampledAt: t(confirmed) - 3600, confirmedAt: t(confirmed), isolatedAt: t(confirmed),
      severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms',
    })).case;
    await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const [b, u] = [await w.id('B'), await w.id('U')];
    const transferOf = async (p: number) => (await tasks({ kind: 'transfer_to_quarantine' })).filter((x) => x.subjectPersonId === p);
    expect(await transferOf(u)).toHaveLength(1);
    // U (A's close contact at the restaurant) is confirmed too: U's transfer is cancelled; B, there with both, keeps one.
    w.clock.advance(3600);
    await confirm('U', 'BH-U', '2021-09-20 10:00', '2021-09-21 12:00');
    expect((await w.s.store.command.tasks({ kind: 'transfer_to_quarantine' }, { limit: 50 })).items.filter((x) => x.subjectPersonId === u).map((x) => x.status)).toEqual(['cancelled']);
    const recordsOfB = (await w.s.store.cases.contactsOfPerson(b)).filter((k) => k.kind === 'close');
    expect(recordsOfB.length).toBe(2);
    const [mine] = await transferOf(b);
    expect((await transferOf(b)).length).toBe(1);
    // One of B's records sent home: B still awaits transfer for the other, so the transfer stays open.
    const uCase = (await w.s.store.cases.byCaseNo('BH-U'))!;
    await setContactStatus(w.ctx, w.s, { contactId: recordsOfB.find((k) => k.indexCaseId === uCase.id)!.id, status: 'home_monitoring', reason: '另案居家' });
    expect((await w.s.store.command.task(mine.id))!.status).toBe('assigned');
    const site = await openSite(w.ctx, w.s, { name: '集中隔离点', kind: 'designated_hotel', regionCode: '4301', rooms: 5 });
    await workOnTask(w.ctx, w.s, COMMAND, { taskId: mine.id, status: 'done', note: '已转运', siteId: site.id, room: '301' });
    expect((await w.s.store.cases.contactsOfPerson(b)).filter((k) => k.kind === 'close').map((k) => k.status).sort()).toEqual(['home_monitoring', 'in_quarantine']);
    // B, in quarantine now, is named a close contact of a third case by the investigators: no second transfer, and the
    // new record says B is in quarantine (recorded with the reason), not that B awaits a transfer.
    const raCase = await confirm('RA', 'BH-RA', '2021-09-20 10:00', '2021-09-21 13:00');
    const named = await addManualContact(w.ctx, w.s, { caseId: raCase.id, personId: b, kind: 'close', reason: '同乘电梯（流调）', firstExposure: t('2021-09-20 18:00'), lastExposure: t('2021-09-20 18:30'), placeId: null, viaContactId: null });
    expect((await w.s.store.cases.contact(named.id))!.status).toBe('in_quarantine');
    expect((await w.s.store.corrections.of('contact', String(named.id))).at(-1)).toMatchObject({ changes: { status: ['identified', 'in_quarantine'] }, reason: 'already in centralized quarantine as a contact of another case' });
    expect((await w.s.store.command.tasks({ kind: 'transfer_to_quarantine' }, { limit: 100 })).items.filter((x) => x.subjectPersonId === b).map((x) => x.status)).toEqual(['done']);
    // A site belongs to a transfer only.
    const r = await issueDirective(w.ctx, w.s, { kind: 'other', text: 'x', units: [GRID] });
    const g = (await tasks({ directiveId: r.directive.id })).find((x) => x.regionCode === GRID)!;
    expect(await code(workOnTask(w.ctx, w.s, COMMAND, { taskId: g.id, status: 'done', note: 'x', siteId: site.id, room: '302' }))).toBe('VALIDATION_FAILED');
    // A contact sent home instead: the transfer is cancelled; one released cannot be "transferred" after all.
    const d = await w.id('D');
    const [ofD] = await transferOf(d);
    await setContactStatus(w.ctx, w.s, { contactId: Number(ofD.subjectKey), status: 'home_monitoring', reason: '居家健康监测' });
    expect((await w.s.store.command.task(ofD.id))!.status).toBe('cancelled');
    // D, home now, is followed up; B not: B's other record still keeps B in quarantine.
    expect((await tasks({ kind: 'follow_up' })).map((x) => x.subjectPersonId)).toEqual([d]);
    const e7 = await w.id('E7');
    const [ofE7] = await transferOf(e7);
    await w.s.store.cases.updateContact(Number(ofE7.subjectKey), { status: 'released', statusAt: w.clock.now() });
    expect(await code(workOnTask(w.ctx, w.s, COMMAND, { taskId: ofE7.id, status: 'done', note: 'x', siteId: site.id, room: '302' }))).toBe('NOT_UNDER_MANAGEMENT');
    expect(await w.s.store.quarantine.openAssignmentOf(e7)).toBeUndefined();
    expect((await w.s.store.command.task(ofE7.id))!.status).toBe('assigned');
  });

  it('escalates a late task once: taken up after escalation it stays in progress, still listed above', async () => {
    const r = await issueDirective(w.ctx, w.s, { kind: 'supplies', text: '物资', units: [GRID], dueAt: FIELD_NOW + HOUR });
    const grid = (await tasks({ directiveId: r.directive.id })).find((x) => x.regionCode === GRID)!;
    w.clock.advance(2 * HOUR);
    await escalateOverdue(w.ctx, w.s.store);
    await workOnTask({ ...w.ctx, scope: GRID }, w.s, { userId: null, role: 'grid_worker' }, { taskId: grid.id, status: 'in_progress' });
    w.clock.advance(120);
    expect(await escalateOverdue(w.ctx, w.s.store)).toBe(0);
    expect(await w.s.store.command.task(grid.id)).toMatchObject({ status: 'in_progress', escalatedTo: COMMUNITY, lateAt: FIELD_NOW + 2 * HOUR });
    expect((await tasks({ escalatedTo: COMMUNITY })).map((x) => x.id)).toEqual([grid.id]);
    // A deadline beyond what is plausible is refused.
    expect(await code(setTaskDeadline(w.ctx, w.s, COMMAND, { taskId: grid.id, dueAt: t('9999-12-31 23:59'), reason: 'x' }))).toBe('TIME_IMPLAUSIBLE');
  });

  it('pages directives by the directives the actor sees, without repeating or skipping', async () => {
    // Directives of another county, issued at the province for that county, interleave with this one's.
    await w.s.store.regions.insertMany([{ code: '4302', name: '株洲市', level: 'city', parentCode: '43', functionalZone: false }, { code: '430202', name: '荷塘区', level: 'county', parentCode: '4302', functionalZone: false }]);
    const mine: number[] = [];
    for (let i = 0; i < 5; i++) {
      mine.push((await issueDirective(w.ctx, w.s, { kind: 'other', text: `本区 ${i}`, units: ['430102'] })).directive.id);
      await issueDirective(w.ctx, w.s, { kind: 'other', text: `外区 ${i}`, units: ['430202'] });
    }
    const seen: number[] = [];
    let after: number | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await w.s.store.command.directives('430102', { after, limit: 2 });
      seen.push(...page.items.map((d) => d.id));
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual([...mine].reverse());
  });

  it('moves a directive\'s deadline with its root task\'s, and marks the directive cancelled with its root task', async () => {
    const r = await issueDirective(w.ctx, w.s, { kind: 'supplies', text: '保障封控小区生活物资', units: [GRID], dueAt: FIELD_NOW + 10 * HOUR });
    const mine = await tasks({ directiveId: r.directive.id });
    const root = mine.find((x) => x.parentId === null)!;
    const community = mine.find((x) => x.regionCode === COMMUNITY)!;
    expect(r.directive.cancelledAt).toBeNull();
    // A task below moved: the directive keeps its deadline; the root moved: the directive follows.
    await setTaskDeadline(w.ctx, w.s, COMMAND, { taskId: community.id, dueAt: FIELD_NOW + 6 * HOUR, reason: '提前' });
    expect((await w.s.store.command.directive(r.directive.id))!.dueAt).toBe(FIELD_NOW + 10 * HOUR);
    await setTaskDeadline(w.ctx, w.s, COMMAND, { taskId: root.id, dueAt: FIELD_NOW + 5 * HOUR, reason: '全省提前' });
    expect((await w.s.store.command.directive(r.directive.id))!.dueAt).toBe(FIELD_NOW + 5 * HOUR);
    // A task below cancelled: the directive stands; the root cancelled: it is cancelled, when.
    await cancelTask(w.ctx, w.s, COMMAND, { taskId: community.id, reason: '另行安排' });
    expect((await w.s.store.command.directive(r.directive.id))!.cancelledAt).toBeNull();
    w.clock.advance(60);
    await cancelTask(w.ctx, w.s, COMMAND, { taskId: root.id, reason: '撤销' });
    expect((await w.s.store.command.directive(r.directive.id))!.cancelledAt).toBe(FIELD_NOW + 60);
  });
});
