/**
 * Quarantine in the event flow on both engines, on the field cases' world: a close contact transferred to a site is
 * held on the edition's schedule; named a close contact of another case with a later exposure, they are held longer
 * (the planned end moves to the new exposure's end, recorded) and get no second transfer; once a case themselves,
 * their quarantine ends and the room is free again. A secondary contact at home who becomes a close contact moves to
 * centralized quarantine, the home assignment ending as the new one begins. The contacts of a case withdrawn leave it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { fieldWorld, type FieldWorld } from '../../../test/fieldCases.ts';
import { DomainError } from '../../domain/errors.ts';
import { DAY, parseTime } from '../../domain/time.ts';
import { confirmCase } from '../cases/confirmCase.ts';
import { addManualContact } from '../cases/manualContact.ts';
import { setContactStatus, withdrawCase } from '../cases/corrections.ts';
import { workOnTask } from '../command/tasks.ts';
import { assignIn, assignQuarantine, openSite } from './quarantine.ts';

const t = (s: string) => parseTime(s)!;
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

describeEachEngine('quarantine in the event flow', (engine) => {
  let w: FieldWorld;
  beforeEach(async () => { w = await fieldWorld(engine, t('2021-09-22 10:00')); });
  afterEach(async () => { await w?.close(); });

  const confirm = async (label: string, caseNo: string, onset: string, confirmed: string) => (await confirmCase(w.ctx, w.s, {
    caseNo, personId: await w.id(label), kind: 'confirmed', onsetAt: t(onset), sampledAt: t(confirmed) - 3600, confirmedAt: t(confirmed), isolatedAt: t(confirmed),
    severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms',
  })).case;

  it('holds a transferred contact longer after a later exposure, without a second transfer, and ends the quarantine when they become a case', async () => {
    await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const b = await w.id('B');
    const site = await openSite(w.ctx, w.s, { name: '芙蓉区集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 10 });
    const [transfer] = (await w.s.store.command.openTasksOfPersons('transfer_to_quarantine', [b]));
    await workOnTask(w.ctx, w.s, { userId: null, role: 'provincial_command' }, { taskId: transfer.id, status: 'done', note: '已转运', siteId: site.id, room: '301' });
    const held = (await w.s.store.quarantine.openAssignmentOf(b))!;
    const m = w.s.edition.closeContact.management;

    // RA, confirmed this morning, met B the evening before: B's period runs 14 days from that exposure now.
    const ra = await confirm('RA', 'BH-RA', '2021-09-21 10:00', '2021-09-22 09:30');
    const lastExposure = t('2021-09-21 18:30');
    expect(lastExposure + m.days * DAY).toBeGreaterThan(held.plannedEnd);
    const named = await addManualContact(w.ctx, w.s, { caseId: ra.id, personId: b, kind: 'close', reason: '同桌就餐（流调）', firstExposure: t('2021-09-21 18:00'), lastExposure, placeId: null, viaContactId: null });
    const longer = (await w.s.store.quarantine.openAssignmentOf(b))!;
    expect([longer.id, longer.plannedEnd, longer.startedAt]).toEqual([held.id, lastExposure + m.days * DAY, held.startedAt]);
    // Its test days and release follow the record that governs it now.
    expect([longer.contactId, longer.countedFrom]).toEqual([named.id, m.countedFrom === 'last_exposure' ? lastExposure : held.startedAt]);
    expect((await w.s.store.corrections.of('quarantine_assignment', String(held.id))).at(-1)).toMatchObject({ changes: { plannedEnd: [held.plannedEnd, lastExposure + m.days * DAY] } });
    expect((await w.s.store.cases.contact(named.id))!.status).toBe('in_quarantine');
    expect((await w.s.store.command.tasks({ kind: 'transfer_to_quarantine' }, { limit: 100 })).items.filter((x) => x.subjectPersonId === b)).toHaveLength(1);
    // The code's period follows: red until the new end.
    const verdict = (await w.s.store.codes.current(b))!;
    expect(verdict.colour).toBe('red');
    // An exposure before the one that set the end moves nothing (the end never moves earlier).
    await addManualContact(w.ctx, w.s, { caseId: (await confirm('E7', 'BH-E7', '2021-09-18 10:00', '2021-09-22 09:40')).id, personId: b, kind: 'close', reason: '早前接触', firstExposure: t('2021-09-19 09:00'), lastExposure: t('2021-09-19 09:30'), placeId: null, viaContactId: null });
    expect((await w.s.store.quarantine.openAssignmentOf(b))!.plannedEnd).toBe(lastExposure + m.days * DAY);
    // The record that set it released as not a contact after all: the end goes back to what the others give.
    await setContactStatus(w.ctx, w.s, { contactId: named.id, status: 'released', reason: '经核实非同桌' });
    const back = (await w.s.store.quarantine.openAssignmentOf(b))!;
    expect(back.plannedEnd).toBe(Math.max(held.plannedEnd, t('2021-09-19 09:30') + m.days * DAY));
    expect(back.contactId).not.toBe(named.id);

    // B is confirmed: the quarantine ends (B goes to hospital), and the room is free.
    w.clock.advance(DAY);
    await confirm('B', 'BH-B', '2021-09-22 20:00', '2021-09-23 09:00');
    expect(await w.s.store.quarantine.openAssignmentOf(b)).toBeUndefined();
    expect((await w.s.store.quarantine.assignment(held.id))).toMatchObject({ endedAt: w.clock.now(), endReason: 'became case BH-B' });
    expect((await w.s.store.quarantine.sites({}, { limit: 5 })).items[0]).toMatchObject({ occupants: 0, roomsInUse: 0 });
  });

  it('ends the quarantine of the contacts of a case withdrawn as not a case, and frees their rooms', async () => {
    const a = await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const b = await w.id('B');
    const site = await openSite(w.ctx, w.s, { name: '隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 10 });
    await assignQuarantine(w.ctx, w.s, { personId: b, siteId: site.id, room: '501', reason: '集中隔离' });
    const held = (await w.s.store.quarantine.openAssignmentOf(b))!;
    await withdrawCase(w.ctx, w.s, { caseId: a.id, reason: '复核阴性，排除病例' });
    expect(await w.s.store.quarantine.assignment(held.id)).toMatchObject({ endedAt: w.clock.now(), endReason: 'index case BH-A withdrawn' });
    expect((await w.s.store.quarantine.sites({}, { limit: 5 })).items[0].occupants).toBe(0);
  });

  it('keeps a person held while one record still keeps them, ends it with the last, and gives them one follow-up', async () => {
    await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const b = await w.id('B');
    const ra = await confirm('RA', 'BH-RA', '2021-09-21 10:00', '2021-09-22 09:30');
    await addManualContact(w.ctx, w.s, { caseId: ra.id, personId: b, kind: 'close', reason: '同桌就餐（流调）', firstExposure: t('2021-09-21 18:00'), lastExposure: t('2021-09-21 18:30'), placeId: null, viaContactId: null });
    const site = await openSite(w.ctx, w.s, { name: '隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 10 });
    const held = await assignQuarantine(w.ctx, w.s, { personId: b, siteId: site.id, room: '601', reason: '集中隔离' });
    const records = (await w.s.store.cases.contactsOfPerson(b)).filter((k) => k.kind === 'close');
    expect(records.map((k) => k.status)).toEqual(['in_quarantine', 'in_quarantine']);
    // Sent home by hand while held: refused, the release checks the edition's conditions (nothing changes).
    expect(await setContactStatus(w.ctx, w.s, { contactId: records[0].id, status: 'home_monitoring', reason: '专家组评估转居家' }).then(() => 'set', (e: { code?: string }) => e.code)).toBe('RELEASE_REQUIRED');
    expect((await w.s.store.cases.contact(records[0].id))!.status).toBe('in_quarantine');
    // Released by hand (not a contact after all): one record, then the other.
    await setContactStatus(w.ctx, w.s, { contactId: records[0].id, status: 'released', reason: '流调核实排除' });
    expect((await w.s.store.quarantine.assignment(held.id))!.endedAt).toBeNull();
    await setContactStatus(w.ctx, w.s, { contactId: records[1].id, status: 'released', reason: '流调核实排除' });
    expect(await w.s.store.quarantine.assignment(held.id)).toMatchObject({ endedAt: w.clock.now(), endReason: 'no record keeps them in quarantine (released: 流调核实排除)' });
    expect((await w.s.store.command.tasks({ kind: 'follow_up' }, { limit: 50 })).items.filter((x) => x.subjectPersonId === b)).toHaveLength(1);
  });

  it('keeps a contact lost from quarantine red for their whole period, transfers them again once found, and stops following up a case', async () => {
    await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const b = await w.id('B');
    const site = await openSite(w.ctx, w.s, { name: '隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 10 });
    const held = await assignQuarantine(w.ctx, w.s, { personId: b, siteId: site.id, room: '701', reason: '集中隔离' });
    const [record] = (await w.s.store.cases.contactsOfPerson(b)).filter((k) => k.kind === 'close');
    await setContactStatus(w.ctx, w.s, { contactId: record.id, status: 'lost_to_follow_up', reason: '擅自离开隔离点' });
    expect((await w.s.store.quarantine.assignment(held.id))!.endedAt).toBe(w.clock.now());
    expect((await w.s.store.codes.current(b))!.colour).toBe('red');
    expect((await w.s.store.command.tasks({ kind: 'follow_up' }, { limit: 50 })).items.filter((x) => x.subjectPersonId === b)).toEqual([]);
    // Found: a new transfer for the grid worker.
    await setContactStatus(w.ctx, w.s, { contactId: record.id, status: 'notified', reason: '已找到本人' });
    const open = await w.s.store.command.openTasksOfPersons('transfer_to_quarantine', [b]);
    expect(open.map((x) => x.status)).toEqual(['assigned']);
    expect((await w.s.store.codes.current(b))!.colour).toBe('red');
    // D, sent home and followed up, is confirmed a case: the follow-up is cancelled.
    const d = await w.id('D');
    const [ofD] = (await w.s.store.cases.contactsOfPerson(d)).filter((k) => k.kind === 'close');
    await setContactStatus(w.ctx, w.s, { contactId: ofD.id, status: 'home_monitoring', reason: '居家健康监测' });
    const [follow] = await w.s.store.command.openTasksOfPersons('follow_up', [d]);
    expect(follow).toBeDefined();
    w.clock.advance(3600);
    await confirm('D', 'BH-D', '2021-09-22 06:00', '2021-09-22 10:30');
    expect(await w.s.store.command.task(follow.id)).toMatchObject({ status: 'cancelled', note: 'became a case' });
    // U, lost before any transfer and found after their period ran out: nothing left to transfer them to.
    const u = await w.id('U');
    const [ofU] = (await w.s.store.cases.contactsOfPerson(u)).filter((k) => k.kind === 'close');
    await setContactStatus(w.ctx, w.s, { contactId: ofU.id, status: 'lost_to_follow_up', reason: '联系不上' });
    expect(await w.s.store.command.openTasksOfPersons('transfer_to_quarantine', [u])).toEqual([]);
    w.clock.advance(30 * DAY);
    await setContactStatus(w.ctx, w.s, { contactId: ofU.id, status: 'notified', reason: '已联系上' });
    expect(await w.s.store.command.openTasksOfPersons('transfer_to_quarantine', [u])).toEqual([]);
  });

  it('moves a person held at home to centralized quarantine, ending the home assignment, and refuses a second one of the same kind', async () => {
    await confirm('A', 'BH-A', '2021-09-19 10:00', '2021-09-21 08:00');
    const b = await w.id('B');
    const site = await openSite(w.ctx, w.s, { name: '隔离点', kind: 'other', regionCode: '430102', rooms: 10 });
    // B was sent home by an earlier decision (a home-quarantine assignment stored as the field had it).
    const now = w.clock.now();
    const home = await w.s.store.quarantine.insertAssignment({
      personId: b, kind: 'home_quarantine', siteId: null, room: null, countedFrom: now, startedAt: now, plannedEnd: now + 7 * DAY, endedAt: null, reason: '居家隔离',
      endReason: null, contactId: null, taskId: null, assignedBy: 'test', arrivalFrom: null, fromRegionCode: null,
    });
    const a = await assignQuarantine(w.ctx, w.s, { personId: b, siteId: site.id, room: '101', reason: '升级为集中隔离' });
    expect(a).toMatchObject({ kind: 'centralized', siteId: site.id, room: '101' });
    expect(await w.s.store.quarantine.assignment(home)).toMatchObject({ endedAt: now, endReason: 'moved to centralized: 升级为集中隔离' });
    expect(await code(assignQuarantine(w.ctx, w.s, { personId: b, siteId: site.id, room: '102', reason: '重复' }))).toBe('ALREADY_IN_QUARANTINE');
    // In a transaction that fails later, nothing of it stays.
    await expect(w.s.store.transaction(async (tx) => {
      await assignIn(tx, w.s.edition, { personId: await w.id('U'), site, room: '103', reason: 'x', taskId: null, actor: 'test', source: 'test', now });
      throw new Error('the caller failed');
    })).rejects.toThrow('the caller failed');
    expect(await w.s.store.quarantine.openAssignmentOf(await w.id('U'))).toBeUndefined();
  });
});
