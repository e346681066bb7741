/**
 * The quarantine rules on the shipped editions: the schedule counted as each edition says, a full room or site, the
 * release conditions at their boundaries, and the tests and releases due on a day.
 */
import { normalizeLabel } from '../text.ts';
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, formatTime, HOUR, parseTime } from '../time.ts';
import { arrivalSchedule, dueOn, governingSchedule, heldRules, heldTests, isSealedArea, occupancyByDay, OVERDUE_REMEMBERED, keepsInQuarantine, labelProblem, normalizeRoom, quarantineSchedule, releaseRefusal, roomProblem } from './quarantine.ts';

const T = parseTime('2021-08-02 09:00')!;
const delta = loadEdition('ed8-delta-2021');

describe('quarantine rules', () => {
  it('governs a person who is a close and a secondary contact by the close contact\'s schedule, to the later end of the two', () => {
    const close = { kind: 'close', lastExposure: T - 12 * DAY }, secondary = { kind: 'secondary', lastExposure: T - DAY };
    // ed8: the close contact's 14 days from the exposure end in 2 days; the secondary contact's 7 from the start in 7.
    expect(governingSchedule(delta, [secondary, close], T, 'centralized')).toEqual({ record: close, end: T + 7 * DAY, countedFrom: T - 12 * DAY });
    // Two close records: the later exposure governs; alone, a secondary record governs itself.
    const later = { kind: 'close', lastExposure: T - 2 * DAY };
    expect(governingSchedule(delta, [close, later, secondary], T, 'centralized')).toEqual({ record: later, end: T + 12 * DAY, countedFrom: T - 2 * DAY });
    expect(governingSchedule(delta, [secondary], T, 'centralized')).toEqual({ record: secondary, end: T + 7 * DAY, countedFrom: T });
    // ed9 holds a secondary contact at home: a centralized quarantine is the close contact's alone; nothing else is held so.
    const ed9 = loadEdition('ed9-2022');
    expect(governingSchedule(ed9, [secondary, close], T, 'centralized')).toEqual({ record: close, end: T - 5 * DAY, countedFrom: T - 12 * DAY });
    expect(governingSchedule(ed9, [close], T, 'home_quarantine')).toBeNull();
  });

  it('counts a close contact\'s schedule as the edition says: from the last exposure (ed8), with its test days and the home monitoring after', () => {
    const m = delta.closeContact.management;
    const s = quarantineSchedule(delta, 'close', { lastExposure: T - 2 * DAY, startedAt: T });
    expect(s.countedFrom).toBe(m.countedFrom === 'last_exposure' ? T - 2 * DAY : T);
    expect(s.stages[0]).toMatchObject({ kind: m.kind, start: s.countedFrom, end: s.countedFrom + m.days * DAY });
    expect(s.stages[0].tests.map((x) => [x.day, x.from - s.countedFrom, x.dueBy - s.countedFrom])).toEqual(m.testDays.map((d) => [d, (d - 1) * DAY, d * DAY]));
    expect(s.stages[1]).toMatchObject({ kind: m.followedBy!.kind, start: s.stages[0].end, end: s.stages[0].end + m.followedBy!.days * DAY });
    // A secondary contact's: from the start of quarantine (ed8), no stage after.
    const sec = quarantineSchedule(delta, 'secondary', { lastExposure: T - 2 * DAY, startedAt: T });
    expect([sec.countedFrom, sec.stages.length, sec.stages[0].end - sec.countedFrom]).toEqual([T, 1, delta.secondaryContact.management.days * DAY]);
  });

  it('refuses a room holding its persons, a new room when all are in use, and a closed site; takes the last place', () => {
    const site = { name: 'H', rooms: 2, personsPerRoom: 2, closedAt: null };
    expect(roomProblem(site, '1', { inRoom: 1, roomsInUse: 2 }, T)).toBeNull();
    expect(roomProblem(site, '1', { inRoom: 2, roomsInUse: 2 }, T)?.code).toBe('ROOM_FULL');
    expect(roomProblem(site, '3', { inRoom: 0, roomsInUse: 2 }, T)?.code).toBe('SITE_FULL');
    expect(roomProblem(site, '2', { inRoom: 0, roomsInUse: 1 }, T)).toBeNull();
    expect(roomProblem({ ...site, closedAt: T }, '1', { inRoom: 0, roomsInUse: 0 }, T)?.code).toBe('SITE_CLOSED');
    expect(roomProblem({ ...site, closedAt: T + 1 }, '1', { inRoom: 0, roomsInUse: 0 }, T)).toBeNull();
  });

  it('reads a room or a site\'s name in one form: full-width, invisible characters, spaces and (for rooms) case aside', () => {
    for (const typed of ['A-101', 'a-101', 'Ａ－１０１', '\u200bA-101', ' A-101 ', 'A-\u2060101\ufeff']) expect(normalizeRoom(typed)).toBe('A-101');
    expect(normalizeRoom('3 栋\u3000 502')).toBe('3 栋 502');
    expect(normalizeLabel('衡南县第二\u200b隔离点')).toBe('衡南县第二隔离点');
    expect(normalizeLabel('\u200b\u200d')).toBe('');
    expect(normalizeRoom('B-1')).not.toBe(normalizeRoom('B-11'));
    // Every dash is a hyphen; an accent split from its letter by an invisible character joins it again.
    for (const dash of ['\u2010', '\u2011', '\u2013', '\u2014', '\u2212', '\ufe63']) expect(normalizeRoom(`A${dash}101`)).toBe('A-101');
    expect(normalizeRoom('A\u200b\u0301-115')).toBe(normalizeRoom('\u00c1-115'));
    // Look-alike letters of other scripts, and what grows past the limit once normalized, are refused.
    for (const lookAlike of ['\u0410-109', '\u0421-110', '\u0391-143', '\u00c1-115']) expect(labelProblem(normalizeRoom(lookAlike), 'room', 40)).toMatch(/Latin letters/);
    expect(labelProblem(normalizeRoom('\ufdfa'.repeat(3)), 'room', 40)).not.toBeNull();
    expect(labelProblem(normalizeLabel('\u337b'.repeat(40)), 'site', 100)).toBeNull();
    expect(labelProblem(normalizeLabel('\u337b'.repeat(40)), 'site', 50)).toMatch(/longer than 50/);
    expect(labelProblem(normalizeRoom('3栋 502'), 'room', 40)).toBeNull();
    expect(labelProblem(normalizeLabel('芙蓉区（定点）隔离酒店·A座'), 'site', 100)).toBeNull();
  });

  it('releases only at the end of the period with the edition\'s negatives from its last day, never after a positive', () => {
    const a = { startedAt: T, plannedEnd: T + 14 * DAY };
    const neg = (at: number, lab: string | null = `lab-${at}`) => ({ method: 'single' as const, sampledAt: at, result: 'negative' as const, resultAt: at + HOUR, lab });
    const needed = delta.closeContact.releaseSamples;
    const lastDay = Array.from({ length: needed }, (_x, i) => neg(a.plannedEnd - DAY + i * HOUR));
    expect(releaseRefusal(delta, 'close', a, lastDay, a.plannedEnd - 1)?.condition).toBe('period');
    expect(releaseRefusal(delta, 'close', a, lastDay, a.plannedEnd + needed * HOUR)).toBeNull();
    // One sample short, or one taken the second before the last day: not yet.
    expect(releaseRefusal(delta, 'close', a, lastDay.slice(1), a.plannedEnd + DAY)?.condition).toBe('negatives');
    expect(releaseRefusal(delta, 'close', a, [neg(a.plannedEnd - DAY - 1), ...lastDay.slice(1)], a.plannedEnd + DAY)?.condition).toBe('negatives');
    // Samples still pending on the last day are no negatives.
    expect(releaseRefusal(delta, 'close', a, lastDay.map((x) => ({ ...x, result: 'pending' as const, resultAt: null })), a.plannedEnd + DAY)?.condition).toBe('negatives');
    // A result not yet in at the moment asked: not counted.
    const late = lastDay.map((x) => ({ ...x, resultAt: a.plannedEnd + HOUR }));
    expect(releaseRefusal(delta, 'close', a, late, a.plannedEnd)?.condition).toBe('negatives');
    expect(releaseRefusal(delta, 'close', a, late, a.plannedEnd + HOUR)).toBeNull();
    // A secondary contact: their own, as many as the edition says.
    const own = delta.secondaryContact.releaseSamples;
    expect(releaseRefusal(delta, 'secondary', a, lastDay.slice(0, own), a.plannedEnd + DAY)).toBeNull();
    expect(releaseRefusal({ ...delta, secondaryContact: { ...delta.secondaryContact, releaseSamples: own + needed } }, 'secondary', a, lastDay, a.plannedEnd + DAY)?.condition).toBe('negatives');
    // ed8: a close contact's negatives from as many different labs (two reagents, two labs); a lab not known counts for none.
    expect(delta.closeContact.releaseDistinctLabs).toBe(true);
    const oneLab = lastDay.map((x) => ({ ...x, lab: '湖南省疾控中心实验室' }));
    expect(releaseRefusal(delta, 'close', a, oneLab, a.plannedEnd + DAY)).toMatchObject({ condition: 'negatives', needed, recorded: 1, distinctLabs: true });
    expect(releaseRefusal(delta, 'close', a, lastDay.map((x) => ({ ...x, lab: null })), a.plannedEnd + DAY)).toMatchObject({ condition: 'negatives', recorded: 0 });
    expect(releaseRefusal({ ...delta, closeContact: { ...delta.closeContact, releaseDistinctLabs: false } }, 'close', a, oneLab, a.plannedEnd + DAY)).toBeNull();
    // One lab however typed (case, full-width letters, spaces) is one lab.
    const typed = [neg(a.plannedEnd - DAY, 'Lab A'), neg(a.plannedEnd - DAY + HOUR, ' ｌａｂ　a ')];
    expect(releaseRefusal(delta, 'close', a, typed, a.plannedEnd + DAY)).toMatchObject({ condition: 'negatives', recorded: 1 });
    // A secondary contact's own are not asked for by lab.
    expect(releaseRefusal(delta, 'secondary', a, oneLab, a.plannedEnd + DAY)).toBeNull();
    // A positive single tube taken in quarantine refuses release whatever else.
    expect(releaseRefusal(delta, 'close', a, [...lastDay, { method: 'single', sampledAt: T + DAY, result: 'positive', resultAt: T + DAY }], a.plannedEnd + DAY)?.condition).toBe('positive');
  });

  it('takes a sealed area as a graded unit or a street or community holding one, and a standing record as one awaiting or held', () => {
    const graded = ['430102001001'];
    for (const code of ['430102001001', '43010200100101', '430102001']) expect(isSealedArea(code, graded), code).toBe(true);
    for (const code of ['430102', '4301', '43', '430102001002', '430102002']) expect(isSealedArea(code, graded), code).toBe(false);
    expect(isSealedArea('430102001', [])).toBe(false);
    expect([keepsInQuarantine({ kind: 'close', status: 'notified' }), keepsInQuarantine({ kind: 'secondary', status: 'in_quarantine' })]).toEqual([true, true]);
    expect([keepsInQuarantine({ kind: 'close', status: 'home_monitoring' }), keepsInQuarantine({ kind: 'companion', status: 'identified' })]).toEqual([false, false]);
  });

  it('owes the release\'s samples on a period\'s last day where the schedule has no test that day', () => {
    // A close contact held to a secondary contact's later end: days counted from the close exposure 12 days before,
    // the period ending 7 days after the start (day 19 of the count), where the close schedule has no test.
    const start = T, from = T - 12 * DAY, end = T + 7 * DAY;
    const h = { assignmentId: 1, personId: 10, kind: delta.closeContact.management.kind, countedFrom: from, plannedEnd: end, managedAs: 'close' as const };
    const lastDay = dueOn(delta, [h], () => [], end - DAY, end);
    expect(lastDay.tests).toEqual([{ assignmentId: 1, personId: 10, day: 19, from: end - DAY, dueBy: end, taken: false }]);
    expect(dueOn(delta, [h], () => [end - HOUR], end - DAY, end).tests[0].taken).toBe(true);
    // The day before owes nothing; a period whose last day is a scheduled test day is not owed twice.
    expect(dueOn(delta, [h], () => [], end - 2 * DAY, end - DAY).tests).toEqual([]);
    const own = { ...h, countedFrom: start, plannedEnd: start + delta.closeContact.management.days * DAY };
    expect(dueOn(delta, [own], () => [], own.plannedEnd - DAY, own.plannedEnd).tests.map((x) => x.day)).toEqual([delta.closeContact.management.days]);
  });

  it('lists the tests whose day overlaps the day asked for, taken or not, and the releases due by its end', () => {
    const m = delta.closeContact.management;
    const held = [
      { assignmentId: 1, personId: 10, kind: m.kind, countedFrom: T, plannedEnd: T + m.days * DAY, managedAs: 'close' as const },
      { assignmentId: 2, personId: 20, kind: m.kind, countedFrom: T - (m.days - 1) * DAY, plannedEnd: T + DAY, managedAs: 'close' as const },
    ];
    const samples = new Map<number, number[]>([[10, [T + HOUR]]]);
    // The day from T + 12 h: person 10's day 1 [T, T + 1 d) overlaps it, taken; person 20's last day too, not taken.
    const due = dueOn(delta, held, (p) => samples.get(p) ?? [], T + 12 * HOUR, T + 36 * HOUR);
    expect(due.tests.map((x) => [x.personId, x.day, x.taken])).toEqual([[10, 1, true], ...(m.testDays.includes(m.days) ? [[20, m.days, false]] : [])]);
    expect(due.releases.map((x) => x.assignmentId)).toEqual([2]);
    // Overdue: person 20's test days over by the day's start within the last week, none taken; one taken is not.
    const start20 = T - (m.days - 1) * DAY, dayStart = T + 12 * HOUR;
    const missed = m.testDays.filter((d) => start20 + d * DAY <= dayStart && start20 + d * DAY > dayStart - OVERDUE_REMEMBERED);
    expect(missed.length).toBeGreaterThan(0);
    expect(due.overdue.map((x) => [x.personId, x.day, x.dueBy])).toEqual(missed.map((d) => [20, d, start20 + d * DAY]));
    const takenOne = dueOn(delta, held, (p) => (p === 20 ? [start20 + (missed[0] - 1) * DAY + HOUR] : []), dayStart, dayStart + DAY);
    expect(takenOne.overdue.map((x) => x.day)).toEqual(missed.slice(1));
    // A day before anyone's first test: nothing due.
    expect(dueOn(delta, held.slice(0, 1), () => [], T - 2 * DAY, T - DAY)).toEqual({ tests: [], overdue: [], releases: [] });
  });

  it('holds an arrival as the edition says: centralized from a high-risk area, at home from a medium one, counted from the departure; released with its own negatives', () => {
    const ed9 = loadEdition('ed9-2022');
    // PROTOCOL.md (ed9): 7 days centralized from a high-risk area, 7 days home quarantine from a medium one.
    expect(arrivalSchedule(ed9, 'high', T)).toMatchObject({ kind: 'centralized', start: T, end: T + 7 * DAY });
    expect(arrivalSchedule(ed9, 'medium', T)).toMatchObject({ kind: 'home_quarantine', start: T, end: T + 7 * DAY });
    for (const e of [delta, ed9]) {
      for (const from of ['high', 'medium'] as const) {
        const a = from === 'high' ? e.riskAreas.arrivalsFromHigh : e.riskAreas.arrivalsFromMedium;
        const stage = arrivalSchedule(e, from, T)!;
        expect(stage.tests.map((t) => [t.day, t.from, t.dueBy])).toEqual(a.testDays.map((d) => [d, T + (d - 1) * DAY, T + d * DAY]));
        expect(heldRules(e, `arrival_from_${from}`)).toEqual({ kind: a.kind, days: a.days, testDays: a.testDays, releaseSamples: a.releaseSamples, releaseDistinctLabs: false });
      }
    }
    // An edition that holds no arrival from a medium-risk area: none held.
    const none = { ...ed9, riskAreas: { ...ed9.riskAreas, arrivalsFromMedium: { ...ed9.riskAreas.arrivalsFromMedium, kind: 'none' as const } } };
    expect(arrivalSchedule(none, 'medium', T)).toBeNull();
    // Release: the arrival's own count of negatives from the last day, one lab enough (ed8-delta asks two labs of close contacts only).
    const end = T + delta.riskAreas.arrivalsFromHigh.days * DAY;
    const neg = (at: number, lab: string | null) => ({ method: 'single' as const, sampledAt: at, result: 'negative' as const, resultAt: at + HOUR, lab });
    const samples = Array.from({ length: delta.riskAreas.arrivalsFromHigh.releaseSamples }, () => neg(end - 2 * HOUR, null));
    expect(releaseRefusal(delta, 'arrival_from_high', { startedAt: T, plannedEnd: end }, samples, end + HOUR)).toBeNull();
    expect(releaseRefusal(delta, 'arrival_from_high', { startedAt: T, plannedEnd: end }, [], end + HOUR)).toMatchObject({ condition: 'negatives', recorded: 0 });
    expect(releaseRefusal(delta, 'arrival_from_high', { startedAt: T, plannedEnd: end }, samples, end - HOUR)).toMatchObject({ condition: 'period' });
    // The due list reads an arrival's test days, not a contact's.
    const held = [{ assignmentId: 1, personId: 1, kind: delta.riskAreas.arrivalsFromHigh.kind as 'centralized', countedFrom: T, plannedEnd: end, managedAs: 'arrival_from_high' as const }];
    const day = delta.riskAreas.arrivalsFromHigh.testDays[1];
    expect(dueOn(delta, held, () => [], T + (day - 1) * DAY, T + day * DAY).tests.map((t) => t.day)).toContain(day);
  });

  it('counts a site\'s occupancy at each day\'s end, and the arrivals and departures within it, at the day\'s bounds', () => {
    const day = (i: number) => ({ date: `d${i}`, from: T + i * DAY, to: T + (i + 1) * DAY });
    const stays = [
      { from: T, to: null }, // arrived at the first instant of day 0, there still
      { from: T + DAY - 1, to: T + DAY }, // arrived in day 0's last second, left at midnight: there at day 0's end, a departure of day 1
      { from: T + DAY, to: T + 2 * DAY - 1 }, // arrived at day 1's first instant, left in its last second
    ];
    expect(occupancyByDay(stays, [day(0), day(1), day(2)])).toEqual([
      { date: 'd0', occupants: 2, arrivals: 2, departures: 0 },
      { date: 'd1', occupants: 1, arrivals: 1, departures: 2 },
      { date: 'd2', occupants: 1, arrivals: 0, departures: 0 },
    ]);
    expect(occupancyByDay([], [day(0)])).toEqual([{ date: 'd0', occupants: 0, arrivals: 0, departures: 0 }]);
  });
});

describe('quarantine rules at their edges', () => {
  const close = delta.closeContact.management;
  const C = T;
  const held = (o: Partial<{ kind: 'centralized' | 'home_quarantine' | 'home_monitoring'; countedFrom: number; plannedEnd: number; managedAs: 'close' | 'secondary' | 'arrival_from_high' | 'arrival_from_medium' | null }> = {}) =>
    ({ assignmentId: 1, personId: 10, kind: close.kind, countedFrom: C, plannedEnd: C + close.days * DAY, managedAs: 'close' as const, ...o });
  const dayOf = (from: number) => [from, from + DAY] as const;

  it('gives the tests of the stage a person is held to, day by day from the moment counted from', () => {
    for (const as of ['close', 'secondary', 'arrival_from_high', 'arrival_from_medium'] as const) {
      expect(heldTests(delta, as, C), as).toEqual(heldRules(delta, as).testDays.map((day) => ({ day, from: C + (day - 1) * DAY, dueBy: C + day * DAY })));
    }
  });

  it('governs by close and secondary records only; among records of one kind the later end, the first listed on a tie', () => {
    expect(governingSchedule(delta, [{ kind: 'companion', lastExposure: T }], T, 'centralized')).toBeNull();
    const early = { kind: 'close', lastExposure: T - 12 * DAY }, later = { kind: 'close', lastExposure: T - 2 * DAY };
    expect(governingSchedule(delta, [later, early], T, 'centralized')).toEqual({ record: later, end: T + 12 * DAY, countedFrom: T - 2 * DAY });
    const twin = { kind: 'close', lastExposure: T - 2 * DAY };
    expect(governingSchedule(delta, [later, twin], T, 'centralized')?.record).toBe(later);
    expect(governingSchedule(delta, [twin, later], T, 'centralized')?.record).toBe(twin);
  });

  it('refuses an empty label, takes exactly the limit, and checks every character of a room or a site\'s name to the last', () => {
    expect(labelProblem('', 'room', 40)).toBe('nothing to read');
    expect(labelProblem('', 'site', 40)).toBe('nothing to read');
    expect(labelProblem('A'.repeat(40), 'room', 40)).toBeNull();
    expect(labelProblem('A'.repeat(41), 'room', 40)).toBe('longer than 40 characters once normalized');
    // A look-alike letter after the Latin ones, or before them, is refused as much as one at the start.
    for (const label of ['A-10\u0410', 'A-101\u0391']) expect(labelProblem(label, 'room', 40), label).toMatch(/Latin letters/);
    for (const label of ['\u0410 Hotel', 'Hotel \u0410']) expect(labelProblem(label, 'site', 100), label).toMatch(/Latin letters/);
    // A room is in capitals (normalizeRoom) and has no middle dot or ampersand; a site's name may hold them.
    for (const label of ['a-101', 'A·101', 'A&B']) expect(labelProblem(label, 'room', 40), label).toBe('use Latin letters, digits, Chinese characters, spaces and - / # . ( )');
    for (const label of ['a-101', 'A·101', 'A&B']) expect(labelProblem(label, 'site', 40), label).toBeNull();
  });

  it('says which site and room cannot take one more person, and why', () => {
    const site = { name: 'H', rooms: 2, personsPerRoom: 2, closedAt: T };
    expect(roomProblem(site, '1', { inRoom: 0, roomsInUse: 0 }, T)).toEqual({ code: 'SITE_CLOSED', message: 'H is closed' });
    const open = { ...site, closedAt: null };
    expect(roomProblem(open, '1', { inRoom: 2, roomsInUse: 2 }, T)).toEqual({ code: 'ROOM_FULL', message: 'room 1 of H holds 2 of 2 person(s) already' });
    expect(roomProblem(open, '3', { inRoom: 0, roomsInUse: 2 }, T)).toEqual({ code: 'SITE_FULL', message: 'all 2 rooms of H are in use' });
  });

  it('refuses release for a positive taken from the quarantine\'s first second, not one taken before it, and says why each refusal', () => {
    const a = { startedAt: T, plannedEnd: T + close.days * DAY };
    const single = (sampledAt: number, result: 'negative' | 'positive', lab: string | null = null) => ({ method: 'single' as const, sampledAt, result, resultAt: sampledAt + HOUR, lab });
    const at = a.plannedEnd + DAY;
    expect(releaseRefusal(delta, 'close', a, [single(T, 'positive')], at)).toEqual({ condition: 'positive', message: 'a single-tube sample taken in quarantine is positive' });
    expect(releaseRefusal(delta, 'close', a, [single(T - 1, 'positive')], at)?.condition).toBe('negatives');
    expect(releaseRefusal(delta, 'close', a, [], a.plannedEnd - 1)).toEqual({ condition: 'period', endsAt: a.plannedEnd, message: `the period ends at ${formatTime(a.plannedEnd)}` });
    const needed = delta.closeContact.releaseSamples;
    expect(releaseRefusal(delta, 'close', a, [single(a.plannedEnd - HOUR, 'negative', 'Lab A')], at)).toEqual({
      condition: 'negatives', needed, recorded: 1, distinctLabs: true,
      message: `${needed} negative single-tube sample(s) from the last day, each from a different lab, are needed, 1 recorded (one per lab)`,
    });
    expect(releaseRefusal(delta, 'secondary', a, [], at)).toEqual({
      condition: 'negatives', needed: delta.secondaryContact.releaseSamples, recorded: 0, distinctLabs: false,
      message: `${delta.secondaryContact.releaseSamples} negative single-tube sample(s) from the last day are needed, 0 recorded`,
    });
    // One lab however its name is cased, even where upper and lower case are not one letter for one (ß and SS).
    const oneLab = [single(a.plannedEnd - 2 * HOUR, 'negative', 'Straßenlabor'), single(a.plannedEnd - HOUR, 'negative', 'STRASSENLABOR')];
    expect(releaseRefusal(delta, 'close', a, oneLab, at)).toMatchObject({ condition: 'negatives', recorded: 1 });
  });

  it('lists a release on the day its period ends within, not on the day it ends at the start of the next', () => {
    const h = held();
    expect(dueOn(delta, [h], () => [], h.plannedEnd - DAY, h.plannedEnd).releases).toEqual([]);
    expect(dueOn(delta, [h], () => [], h.plannedEnd - DAY + 1, h.plannedEnd + 1).releases).toEqual([h]);
  });

  it('reads the test days of what the person is held as (a close contact\'s when unknown), and none for a quarantine that schedule does not hold', () => {
    const medium = delta.riskAreas.arrivalsFromMedium;
    const arrival = held({ kind: medium.kind as 'home_quarantine', plannedEnd: C + medium.days * DAY, managedAs: 'arrival_from_medium' });
    expect(dueOn(delta, [arrival], () => [], ...dayOf(C)).tests.map((t) => t.day)).toEqual([1]);
    // Unknown: a close contact's schedule, whose last test day is overdue the day after the period.
    const unknown = held({ managedAs: null });
    const after = dueOn(delta, [unknown], () => [], ...dayOf(unknown.plannedEnd + DAY));
    expect(after.overdue.map((t) => t.day)).toContain(close.days);
    // A close contact held at home while the edition holds close contacts centralized: the schedule is not this quarantine's.
    expect(dueOn(delta, [held({ kind: 'home_quarantine' })], () => [], ...dayOf(C))).toEqual({ tests: [], overdue: [], releases: [] });
  });

  it('lists a test from the day its own day starts, not the day before, and none from the period\'s end on', () => {
    const d = close.testDays[1];
    const from = C + (d - 1) * DAY;
    expect(dueOn(delta, [held()], () => [], from - DAY, from).tests).toEqual([]);
    expect(dueOn(delta, [held()], () => [], from - DAY + 1, from + 1).tests.map((t) => t.day)).toEqual([d]);
    // A period cut short to end exactly where its last test day would start: that test is not owed.
    const last = close.testDays[close.testDays.length - 1];
    const cut = held({ plannedEnd: C + (last - 1) * DAY });
    expect(dueOn(delta, [cut], () => [], ...dayOf(C + (last - 1) * DAY)).tests).toEqual([]);
  });

  it.each([
    ['the second before its day', -1, false],
    ['its day\'s first second', 0, true],
    ['its day\'s last second', DAY - 1, true],
    ['the first second of the next day', DAY, false],
  ])('counts a required test taken by a sample at %s: %s', (_what, offset, taken) => {
    const d = close.testDays[1];
    const from = C + (d - 1) * DAY;
    expect(dueOn(delta, [held()], () => [from + offset], from, from + DAY).tests).toEqual([{ assignmentId: 1, personId: 10, day: d, from, dueBy: from + DAY, taken }]);
  });

  it.each([
    ['the second before the last day', -1, false],
    ['the last day\'s first second', 0, true],
    ['the last day\'s last second', DAY - 1, true],
    ['the period\'s end', DAY, false],
  ])('counts the release\'s samples on an unscheduled last day as taken by a sample at %s: %s', (_what, offset, taken) => {
    // Counted 12 days before the start and held to a later end 7 days after it: day 19, where the schedule has no test.
    const h = held({ countedFrom: T - 12 * DAY, plannedEnd: T + 7 * DAY });
    const lastFrom = h.plannedEnd - DAY;
    expect(dueOn(delta, [h], () => [lastFrom + offset], lastFrom, h.plannedEnd).tests).toEqual([{ assignmentId: 1, personId: 10, day: 19, from: lastFrom, dueBy: h.plannedEnd, taken }]);
  });

  it('owes no release samples on the day after the period, and lists a test as overdue from the moment its day is over, for a week', () => {
    const h = held({ countedFrom: T - 12 * DAY, plannedEnd: T + 7 * DAY });
    expect(dueOn(delta, [h], () => [], ...dayOf(h.plannedEnd)).tests).toEqual([]);
    const d = close.testDays[1];
    const dueBy = C + d * DAY;
    const due = dueOn(delta, [held()], () => [], ...dayOf(dueBy));
    expect(due.tests.map((t) => t.day)).not.toContain(d);
    expect(due.overdue.map((t) => t.day)).toContain(d);
    expect(dueOn(delta, [held()], () => [], ...dayOf(dueBy + OVERDUE_REMEMBERED - 1)).overdue.map((t) => t.day)).toContain(d);
    expect(dueOn(delta, [held()], () => [], ...dayOf(dueBy + OVERDUE_REMEMBERED)).overdue.map((t) => t.day)).not.toContain(d);
  });
});
