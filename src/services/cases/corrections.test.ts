/**
 * Corrections with history, on both engines: a case withdrawn (its contacts released, codes and chains follow), a
 * case's isolation corrected (contacts no longer found are released, with the reason), reclassification, reinfection
 * after recovery, a contact's status through its life, contradictory investigator links, a person's details, a venue
 * order lifted. Each keeps who, when, why, before and after. Built on the field cases' world (recent presence of the
 * `followup-overdue` case), on the clock those cases were tried at.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { FIELD_NOW, fieldWorld, type FieldWorld } from '../../../test/fieldCases.ts';
import { DomainError } from '../../domain/errors.ts';
import { parseTime } from '../../domain/time.ts';
import { chainsOf } from '../chains.ts';
import { changeVenueOrderEnd, gradeRiskAreas, issueVenueOrder, publishedRiskAreas } from '../control.ts';
import { correctPerson } from '../people/correctPerson.ts';
import { confirmCase } from './confirmCase.ts';
import { correctCase, setContactStatus, withdrawCase } from './corrections.ts';
import { setTransmissionLink } from './links.ts';
import { assignQuarantine, openSite } from '../quarantine/quarantine.ts';
import { retraceCase } from './retraceCase.ts';
import { exposuresOfPerson, sameTrip } from '../tracing/publicLookups.ts';

const t = (s: string) => parseTime(s)!;
const code = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describeEachEngine('corrections', (engine) => {
  let w: FieldWorld;
  let ra: number, l: number;
  beforeEach(async () => {
    w = await fieldWorld(engine);
    await w.feed('presence', ['id_number,place_code,start,end,source', '430102198705240712,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan', '430102198806160228,BH-R3,2026-11-27 18:00,2026-11-27 19:30,venue_scan']);
    ra = await w.id('RA');
    l = await w.id('L');
  });
  afterEach(async () => { await w?.close(); });
  const confirmRA = (over: Partial<Parameters<typeof confirmCase>[2]> = {}) => confirmCase(w.ctx, w.s, {
    caseNo: 'BH-RA', personId: ra, kind: 'confirmed', onsetAt: t('2026-11-28 10:00'), sampledAt: t('2026-11-29 09:00'), confirmedAt: t('2026-11-30 08:00'),
    isolatedAt: t('2026-11-30 08:00'), severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms', ...over,
  });
  const colour = async (p: number) => (await w.s.codes.codeOf(p, w.clock.now())).colour;

  it('releases a withdrawn case\'s spatiotemporal companions too, whose codes turn green (a fresh-user trial found them left yellow)', async () => {
    const { case: c } = await confirmRA();
    // A companion as tracing records one from telecom stays (the field world has no cell feed), with its event.
    const companion = await w.id('D');
    await w.s.store.transaction(async (tx) => {
      await tx.cases.insertContacts([{ personId: companion, kind: 'companion', indexCaseId: c.id, viaContactId: null, firstExposure: t('2026-11-27 08:00'), lastExposure: t('2026-11-28 20:00'), evidence: [], status: 'identified', identifiedAt: FIELD_NOW }]);
      await tx.events.append([{ kind: 'contacts.written', payload: { caseId: c.id, personIds: [companion], path: 'retrace' } }], 'test', FIELD_NOW);
    });
    await w.s.events.settle();
    expect(await colour(companion)).toBe('yellow');
    w.clock.advance(600);
    await withdrawCase(w.ctx, w.s, { caseId: c.id, reason: 'false positive on retest' });
    expect((await w.s.store.cases.contactsOfPerson(companion)).map((k) => [k.kind, k.status])).toEqual([['companion', 'released']]);
    expect(await colour(companion)).toBe('green');
  });

  it('withdraws a case as not a case: its contacts are released with the reason, their codes turn green, chains and risk areas leave it out', async () => {
    const { case: c } = await confirmRA();
    expect(await colour(l)).toBe('red');
    // Graded by the event flow as the case was confirmed.
    expect((await publishedRiskAreas(w.s.store, FIELD_NOW)).map((g) => g.level)).toEqual(['medium']);
    w.clock.advance(600);
    const withdrawn = await withdrawCase(w.ctx, w.s, { caseId: c.id, reason: 'false positive: the lab swapped two tubes' });
    expect(withdrawn).toMatchObject({ withdrawnAt: FIELD_NOW + 600, withdrawalReason: 'false positive: the lab swapped two tubes' });
    const [k] = await w.s.store.cases.contactsOfCase(c.id);
    expect(k).toMatchObject({ personId: l, status: 'released', statusAt: FIELD_NOW + 600 });
    expect(await w.s.store.corrections.of('contact', String(k.id))).toEqual([expect.objectContaining({ changes: { status: ['identified', 'released'] }, reason: 'index case BH-RA withdrawn: false positive: the lab swapped two tubes' })]);
    expect([await colour(l), await colour(ra)]).toEqual(['green', 'green']);
    expect((await w.s.store.codes.transitionsOf(l)).at(-1)).toMatchObject({ fromColour: 'red', colour: 'green', cause: 'contacts of case BH-RA (correction)' });
    expect((await w.s.store.corrections.of('case', String(c.id)))[0]).toMatchObject({ changes: { withdrawnAt: [null, FIELD_NOW + 600] }, actor: 'api:test' });
    expect((await chainsOf(w.s.store, w.s.edition, w.clock.now())).indicators.cases).toBe(0);
    // And again as it was withdrawn: the unit is back to low, with nothing left to grade.
    expect(await publishedRiskAreas(w.s.store, w.clock.now())).toEqual([]);
    expect((await w.s.store.control.riskHistory('430102001001')).map((g) => g.level)).toEqual(['medium', 'low']);
    expect(await gradeRiskAreas(w.s.store, w.s.edition, w.clock.now())).toEqual([]);
    // A withdrawn case is not corrected, traced or withdrawn again.
    expect(code(await correctCase(w.ctx, w.s, { caseId: c.id, fix: { severity: 'severe' }, reason: 'x' }).catch((e) => e))).toBe('CASE_WITHDRAWN');
    expect(await retraceCase(w.ctx, w.s, c.id).catch((e: Error) => e.message)).toContain('withdrawn');
    expect(code(await withdrawCase(w.ctx, w.s, { caseId: c.id, reason: 'again' }).catch((e) => e))).toBe('CASE_WITHDRAWN');
  });

  it('corrects the isolation time: a contact whose exposure was after it is released with the reason, and found again when corrected back', async () => {
    const { case: c } = await confirmRA();
    expect(await colour(l)).toBe('red');
    // Isolated at 18:10 the day of the dinner: 10 minutes together, under the 15 minutes of the dining setting.
    const r = await correctCase(w.ctx, w.s, { caseId: c.id, fix: { isolatedAt: t('2026-11-27 18:10') }, reason: 'the hospital\'s record shows the earlier isolation' });
    expect(r.changes).toEqual({ isolatedAt: [t('2026-11-30 08:00'), t('2026-11-27 18:10')] });
    const [k] = await w.s.store.cases.contactsOfCase(c.id);
    expect(k.status).toBe('released');
    expect((await w.s.store.corrections.of('contact', String(k.id))).at(-1)).toMatchObject({ reason: 'no longer a contact when case BH-RA was traced again', source: 'trace:correction' });
    expect(await colour(l)).toBe('green');
    await correctCase(w.ctx, w.s, { caseId: c.id, fix: { isolatedAt: t('2026-11-30 08:00') }, reason: 'the first record was right' });
    expect((await w.s.store.cases.contactsOfCase(c.id))[0].status).toBe('identified');
    expect(await colour(l)).toBe('red');
    expect((await w.s.store.corrections.of('case', String(c.id))).map((x) => x.reason)).toEqual(['the hospital\'s record shows the earlier isolation', 'the first record was right']);
  });

  it('reclassifies an asymptomatic infection as confirmed with its onset (the code\'s reason follows), and refuses an onset for an asymptomatic one', async () => {
    const { case: c } = await confirmRA({ kind: 'asymptomatic', onsetAt: null });
    const caseReason = async () => (await w.s.codes.codeOf(ra, w.clock.now())).reasons.filter((x) => x.condition === 'case').map((x) => x.detail);
    expect(await caseReason()).toEqual(['asymptomatic infection BH-RA']);
    const r = await correctCase(w.ctx, w.s, { caseId: c.id, fix: { kind: 'confirmed', onsetAt: t('2026-11-28 10:00') }, reason: 'symptoms on review' });
    expect(r.case).toMatchObject({ kind: 'confirmed', onsetAt: t('2026-11-28 10:00') });
    // The code's reason follows the case's kind as it stands.
    expect(await caseReason()).toEqual(['confirmed case BH-RA']);
    expect(code(await correctCase(w.ctx, w.s, { caseId: c.id, fix: { kind: 'asymptomatic', onsetAt: t('2026-11-28 10:00') }, reason: 'x' }).catch((e) => e))).toBe('VALIDATION_FAILED');
    const back = await correctCase(w.ctx, w.s, { caseId: c.id, fix: { kind: 'asymptomatic' }, reason: 'no symptoms after all' });
    expect(back.case).toMatchObject({ kind: 'asymptomatic', onsetAt: null });
    expect(await caseReason()).toEqual(['asymptomatic infection BH-RA']);
    expect(code(await correctCase(w.ctx, w.s, { caseId: c.id, fix: { sampledAt: t('2019-01-01 00:00') }, reason: 'x' }).catch((e) => e))).toBe('TIME_IMPLAUSIBLE');
  });

  it('records a reinfection after recovery as a new case (not a 500), and refuses a second case while the first is in treatment', async () => {
    const { case: first } = await confirmRA();
    expect(code(await confirmRA({ caseNo: 'BH-RA-2', confirmedAt: t('2026-11-30 18:00') }).catch((e) => e))).toBe('PERSON_ALREADY_CASE');
    await correctCase(w.ctx, w.s, { caseId: first.id, fix: { outcome: 'discharged' }, reason: 'discharged' });
    expect(code(await confirmRA({ caseNo: 'BH-RA-2', sampledAt: t('2026-11-29 10:00'), confirmedAt: t('2026-11-30 18:00') }).catch((e) => e))).toBe('PERSON_ALREADY_CASE');
    w.clock.set(t('2026-12-20 10:00'));
    const second = await confirmRA({ caseNo: 'BH-RA-2', onsetAt: t('2026-12-19 08:00'), sampledAt: t('2026-12-19 20:00'), confirmedAt: t('2026-12-20 09:00'), isolatedAt: t('2026-12-20 09:00') });
    expect((await w.s.store.cases.ofPerson(ra)).map((c) => c.caseNo)).toEqual(['BH-RA', 'BH-RA-2']);
    expect(second.case.outcome).toBe('in_treatment');
    expect(await colour(ra)).toBe('red');
    // The two cases of one person do not infect each other.
    for (const verdict of ['confirmed', 'rejected'] as const) {
      expect(code(await setTransmissionLink(w.ctx, w.s, { infectorCaseId: first.id, infecteeCaseId: second.case.id, verdict, note: null }).catch((e) => e))).toBe('VALIDATION_FAILED');
    }
    // Each case keeps its own infectious window: the dinner of 11-27 was in the first one's, and the public look-ups still say so.
    const props = { store: w.s.store, engine: await w.s.tracing(), edition: w.s.edition };
    const trip = await sameTrip({ ...props, placeCode: 'BH-R3', from: t('2026-11-27 18:00'), to: t('2026-11-27 19:30') });
    expect(trip).toMatchObject({ casesPresent: 1, exposures: [{ caseNo: 'BH-RA', overlapStart: t('2026-11-27 18:00'), overlapEnd: t('2026-11-27 19:30') }] });
    expect((await exposuresOfPerson({ ...props, personId: l })).map((x) => x.caseNo)).toEqual(['BH-RA']);
  });

  it('moves a contact through its life by hand, refuses moves that make no sense, and the code follows a release', async () => {
    const { case: c } = await confirmRA();
    const [k] = await w.s.store.cases.contactsOfCase(c.id);
    expect((await setContactStatus(w.ctx, w.s, { contactId: k.id, status: 'notified', reason: 'called at 20:05' })).status).toBe('notified');
    // In quarantine not by hand: by holding the person at a site's room (or at home), which the status follows.
    expect(code(await setContactStatus(w.ctx, w.s, { contactId: k.id, status: 'in_quarantine', reason: 'arrived at the hotel' }).catch((e) => e))).toBe('ASSIGNMENT_REQUIRED');
    const site = await openSite(w.ctx, w.s, { name: '集中隔离酒店', kind: 'designated_hotel', regionCode: '430102', rooms: 5 });
    await assignQuarantine(w.ctx, w.s, { personId: k.personId, siteId: site.id, room: '201', reason: 'arrived at the hotel' });
    expect((await w.s.store.cases.contact(k.id))!.status).toBe('in_quarantine');
    expect(code(await setContactStatus(w.ctx, w.s, { contactId: k.id, status: 'became_case', reason: 'x' }).catch((e) => e))).toBe('INVALID_TRANSITION');
    expect(code(await setContactStatus(w.ctx, w.s, { contactId: k.id, status: 'notified', reason: 'x' }).catch((e) => e))).toBe('INVALID_TRANSITION');
    expect(await colour(l)).toBe('red');
    await setContactStatus(w.ctx, w.s, { contactId: k.id, status: 'released', reason: 'not a contact: the CCTV shows another table' });
    expect(await colour(l)).toBe('green');
    // No record keeps the person in quarantine: it ends with the reason, and the room is free.
    expect(await w.s.store.quarantine.openAssignmentOf(k.personId)).toBeUndefined();
    expect((await w.s.store.quarantine.sites({}, { limit: 5 })).items[0].occupants).toBe(0);
    expect((await w.s.store.corrections.of('contact', String(k.id))).map((x) => x.changes.status)).toEqual([['identified', 'notified'], ['notified', 'in_quarantine'], ['in_quarantine', 'released']]);
    expect(code(await setContactStatus(w.ctx, w.s, { contactId: 999_999, status: 'released', reason: 'x' }).catch((e) => e))).toBe('NOT_FOUND');
  });

  it('refuses a contradictory link: a second confirmed infector, or a cycle of confirmed links', async () => {
    const ids: number[] = [];
    for (const [i, label] of ['A', 'B', 'C'].entries()) {
      ids.push((await confirmCase(w.ctx, w.s, { caseNo: `L-${i}`, personId: await w.id(label), kind: 'confirmed', onsetAt: t(`2026-11-2${i} 10:00`), sampledAt: t(`2026-11-2${i} 12:00`), confirmedAt: t(`2026-11-2${i} 20:00`), isolatedAt: null, severity: 'mild', hospitalPlaceId: null, detectedBy: 'symptoms' })).case.id);
    }
    await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[0], infecteeCaseId: ids[1], verdict: 'confirmed', note: null });
    await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[1], infecteeCaseId: ids[2], verdict: 'confirmed', note: null });
    expect(code(await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[2], infecteeCaseId: ids[0], verdict: 'confirmed', note: null }).catch((e) => e))).toBe('LINK_CYCLE');
    expect(code(await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[0], infecteeCaseId: ids[2], verdict: 'confirmed', note: null }).catch((e) => e))).toBe('LINK_CONTRADICTS');
    // Rejecting the first link, then confirming the other way round, is consistent; the earlier verdict is kept.
    await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[1], infecteeCaseId: ids[2], verdict: 'rejected', note: 'different strains' });
    await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[0], infecteeCaseId: ids[2], verdict: 'confirmed', note: null });
    expect((await w.s.store.corrections.of('case', String(ids[2])))[0]).toMatchObject({ changes: { [`link from case ${ids[1]}`]: ['confirmed', 'rejected'] }, reason: 'different strains' });
    expect(code(await setTransmissionLink(w.ctx, w.s, { infectorCaseId: ids[0], infecteeCaseId: 999, verdict: 'confirmed', note: null }).catch((e) => e))).toBe('UNKNOWN_REFERENCE');
  });

  it('corrects a person\'s details with history, refusing an unknown community or a grid outside it', async () => {
    const r = await correctPerson(w.ctx, w.s, { personId: l, fix: { name: '王炎', phone: '13907399999' }, reason: 'typed from the ID card' });
    expect(r.changes).toEqual({ name: ['王䶮', '王炎'], phone: ['13907390007', '13907399999'] });
    expect((await w.s.store.corrections.of('person', String(l)))[0]).toMatchObject({ reason: 'typed from the ID card', actor: 'api:test', source: 'api' });
    expect(code(await correctPerson(w.ctx, w.s, { personId: l, fix: { communityCode: '439999999999' }, reason: 'x' }).catch((e) => e))).toBe('VALIDATION_FAILED');
    expect(code(await correctPerson(w.ctx, w.s, { personId: l, fix: { gridCode: '43010200100201' }, reason: 'x' }).catch((e) => e))).toBe('VALIDATION_FAILED');
    expect((await correctPerson(w.ctx, w.s, { personId: l, fix: { name: '王炎' }, reason: 'again' })).changes).toEqual({});
  });

  it('lifts a venue order: places reopen at once, the change is kept, and an ended order cannot be lifted again', async () => {
    const order = { orderNo: 'CS-2026-11-30', action: 'close' as const, categories: ['ktv' as const], regionCodes: ['4301'], startsAt: FIELD_NOW - 3600, endsAt: null, issuedBy: '长沙市疫情防控指挥部' };
    expect((await issueVenueOrder(w.ctx, w.s, order)).placesUnderOrders).toBe(1);
    expect((await w.s.store.places.byCode('BH-K1'))!.status).toBe('closed');
    w.clock.advance(3600);
    const lifted = await changeVenueOrderEnd(w.ctx, w.s, { orderNo: order.orderNo, reason: 'no new case for 14 days' });
    expect(lifted).toMatchObject({ order: { endsAt: FIELD_NOW + 3600 }, placesUnderOrders: 0 });
    expect((await w.s.store.places.byCode('BH-K1'))!.status).toBe('open');
    expect(await w.s.store.corrections.of('venue_order', order.orderNo)).toEqual([expect.objectContaining({ changes: { endsAt: [null, FIELD_NOW + 3600] }, reason: 'no new case for 14 days' })]);
    w.clock.advance(60);
    expect(code(await changeVenueOrderEnd(w.ctx, w.s, { orderNo: order.orderNo, reason: 'x' }).catch((e) => e))).toBe('ORDER_ENDED');
    expect(code(await changeVenueOrderEnd(w.ctx, w.s, { orderNo: 'NOPE', reason: 'x' }).catch((e) => e))).toBe('NOT_FOUND');
  });
});
