/**
 * The tracer's thresholds and windows pinned at their exact values on both sides, on hand-made worlds whose numbers
 * come from the edition (companions: strictly more than the minutes and the hours, inside the look-back; secondary
 * contacts: at least the setting's minimum, until the close contact's isolation or deadline), its rule texts, and
 * its answers for persons and places it has never seen.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS, type PlaceCategory, type VehicleSetting } from '../domain/vocab.ts';
import { encodeSeat, PresenceColumns, sourceIndex } from './columns.ts';
import { IsolationTable, type IsolationInterval } from './isolation.ts';
import { PresenceIndex } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { Tracer } from './tracer.ts';

const T0 = 1_627_000_000;
const M = 60, H = 3600, D = 86400;

interface Rec { person: number; place: number; start: number; end: number; seat?: string; carriage?: string }

function tracer(places: { category: PlaceCategory; vehicle?: VehicleSetting }[], recs: Rec[], isolation: IsolationInterval[] = [], edition = loadEdition('ed8-delta-2021')): Tracer {
  const cols = new PresenceColumns();
  for (const r of recs) cols.push(r.person, r.place, r.start, r.end, sourceIndex('telecom_stay'), encodeSeat(r.seat ?? null, r.carriage ?? null));
  const index = PresenceIndex.build(cols, places.length);
  const category = new Uint8Array(places.map((p) => PLACE_CATEGORIES.indexOf(p.category)));
  const vehicle = new Uint8Array(places.map((p) => (p.vehicle ? VEHICLE_SETTINGS.indexOf(p.vehicle) : 255)));
  return new Tracer(index, { category, vehicle }, compileRules(edition), IsolationTable.from(isolation));
}

describe('spatiotemporal companions at their thresholds', () => {
  const edition = loadEdition('ed8-delta-2021');
  const MIN = edition.companion.minOverlapMinutes * M, CUM = edition.companion.minCumulativeHours * H, BACK = edition.companion.lookBackDays * D;
  const confirmedAt = T0 + 30 * D;
  const c = { personId: 1, from: confirmedAt - 3 * D, to: confirmedAt, confirmedAt };
  const cell = [{ category: 'telecom_cell' as const }];
  /** The case lives in the cell for `caseSeconds` before confirmation; others as given. */
  const world = (caseSeconds: number, others: Rec[]) => tracer(cell, [{ person: 1, place: 0, start: confirmedAt - caseSeconds, end: confirmedAt }, ...others], [], edition);
  const stay = (person: number, start: number, end: number): Rec => ({ person, place: 0, start, end });
  const ids = (t: Tracer) => [...t.companions(c).personIds()];

  it('counts an overlap of one second more than the minutes, not exactly the minutes', () => {
    const t = world(CUM + 1, [stay(2, confirmedAt - H, confirmedAt - H + MIN), stay(3, confirmedAt - H, confirmedAt - H + MIN + 1)]);
    expect(ids(t)).toEqual([3]);
    const [f] = t.companions(c).found();
    expect(f.evidence).toMatchObject([{ setting: 'companion_cell', placeId: 0, overlapStart: confirmedAt - H, overlapEnd: confirmedAt - H + MIN + 1, seatDistance: null, sources: ['telecom_stay'] }]);
    expect(f.evidence[0].rule).toBe(`same ${edition.companion.minOverlapMinutes}+ min in a cell, one of the two > ${edition.companion.minCumulativeHours} h there in ${edition.companion.lookBackDays} days`);
  });

  it('finds companions in telecom cells only: the same stays at a place of a general setting (a mall) make none', () => {
    expect(edition.closeContact.settingByCategory.mall).toBe('general');
    const stays = [{ person: 1, place: 0, start: confirmedAt - CUM - 1, end: confirmedAt }, stay(2, confirmedAt - H, confirmedAt - H + MIN + 1)];
    expect(ids(tracer(cell, stays, [], edition))).toEqual([2]);
    expect(ids(tracer([{ category: 'mall' as const }], stays, [], edition))).toEqual([]);
  });

  it('needs one of the two to have stayed more than the hours there: one second more, not exactly the hours', () => {
    const other = [stay(2, confirmedAt - 2 * H, confirmedAt - H)];
    expect(ids(world(CUM, other))).toEqual([]);
    expect(ids(world(CUM + 1, other))).toEqual([2]);
    // The other person's hours count as well: the case stayed briefly, the other lives there.
    const resident = [stay(2, confirmedAt - CUM - 1, confirmedAt)];
    expect(ids(world(2 * H, resident))).toEqual([2]);
    expect(ids(world(2 * H, [stay(2, confirmedAt - CUM, confirmedAt)]))).toEqual([]);
  });

  it('counts only the look-back period: hours and overlaps before it do not count', () => {
    // The case's hours before the look-back do not count towards its cumulative hours.
    const t = tracer(cell, [
      { person: 1, place: 0, start: confirmedAt - BACK - 5 * D, end: confirmedAt - BACK + CUM }, stay(2, confirmedAt - BACK + H, confirmedAt - BACK + 2 * H),
    ], [], edition);
    expect(ids(t)).toEqual([]);
    // An overlap that ends where the look-back starts is not one.
    const u = world(BACK + D, [stay(2, confirmedAt - BACK - H, confirmedAt - BACK), stay(3, confirmedAt - BACK - H, confirmedAt - BACK + MIN + 1)]);
    expect(ids(u)).toEqual([3]);
    expect(u.companions(c).found()[0].evidence[0]).toMatchObject({ overlapStart: confirmedAt - BACK, overlapEnd: confirmedAt - BACK + MIN + 1 });
  });

  it('clips an isolated person\'s overlap to their free time and keeps it only if more than the minutes remain', () => {
    const t = tracer(cell, [
      { person: 1, place: 0, start: confirmedAt - CUM - H, end: confirmedAt },
      stay(2, confirmedAt - 2 * H, confirmedAt - H), stay(3, confirmedAt - 2 * H, confirmedAt - H),
    ], [
      { personId: 2, start: confirmedAt - 2 * H + MIN, end: null }, // exactly the minutes remain
      { personId: 3, start: confirmedAt - 2 * H + MIN + 1, end: null }, // one second more
    ], edition);
    expect(t.companions(c).found().map((f) => [f.personId, f.evidence[0].overlapEnd - f.evidence[0].overlapStart])).toEqual([[3, MIN + 1]]);
  });

  it('keeps each free part of an isolated companion\'s overlap that lasts more than the minutes, as a companion of no via and no seat', () => {
    // Person 2 shares the cell for two hours, isolated for the half hour in the middle: two parts of 45 minutes.
    const t = tracer(cell, [{ person: 1, place: 0, start: confirmedAt - CUM - H, end: confirmedAt }, stay(2, confirmedAt - 3 * H, confirmedAt - H)],
      [{ personId: 2, start: confirmedAt - 2 * H - 15 * M, end: confirmedAt - 2 * H + 15 * M }], edition);
    expect(MIN).toBeLessThan(30 * M);
    const found = t.companions(c).found();
    expect(found.map((f) => [f.personId, f.kind, f.viaPersonId, f.firstExposure, f.lastExposure])).toEqual([[2, 'companion', null, confirmedAt - 3 * H, confirmedAt - H]]);
    expect(found[0].evidence).toMatchObject([{ placeId: 0, overlapStart: confirmedAt - 3 * H, overlapEnd: confirmedAt - H, minutes: 90, seatDistance: null }]);
  });

  it('finds person 0 as a companion, at the case\'s cell only, also when a set of no contacts is left out', () => {
    // Cells 0 and 1; the case lives in cell 0, persons 0 and 2 share it for an hour; person 3 is in cell 1 (its first
    // record) at the same time. Person 2's close contacts (none: a cell makes none) are left out.
    const t = tracer([...cell, ...cell], [
      { person: 1, place: 0, start: confirmedAt - CUM - H, end: confirmedAt }, stay(0, confirmedAt - 2 * H, confirmedAt - H),
      stay(2, confirmedAt - 2 * H, confirmedAt - H), { person: 3, place: 1, start: confirmedAt - 2 * H, end: confirmedAt - H },
    ], [], edition);
    const excluded = t.close({ ...c, personId: 2 });
    expect([...excluded.personIds()]).toEqual([]);
    expect(t.companions(c, excluded).found().map((f) => [f.personId, f.evidence.map((e) => e.placeId)])).toEqual([[0, [0]], [2, [0]]]);
  });

  it('counts a person\'s hours in the cell only, inside the look-back: not a record before it, nor the next cell\'s first', () => {
    // The case: CUM - H in cell 0 before confirmation, plus a day in cell 0 long before the look-back and two hours
    // in cell 1 (that cell's first record); person 2 shares an hour of cell 0. Neither has more than the hours in
    // cell 0 over the look-back: no companion. With one hour more in cell 0, the case has.
    const recs = (hours: number): Rec[] => [
      { person: 1, place: 1, start: confirmedAt - 3 * D, end: confirmedAt - 3 * D + 2 * H },
      { person: 1, place: 0, start: confirmedAt - BACK - 2 * D, end: confirmedAt - BACK - D },
      { person: 1, place: 0, start: confirmedAt - hours, end: confirmedAt }, stay(2, confirmedAt - 2 * H, confirmedAt - H),
    ];
    expect(ids(tracer([...cell, ...cell], recs(CUM - H), [], edition))).toEqual([]);
    expect(ids(tracer([...cell, ...cell], recs(CUM + 1), [], edition))).toEqual([2]);
  });

  it('finds no companions for a person or case the index has never seen', () => {
    const t = world(CUM + 1, [stay(2, confirmedAt - H, confirmedAt)]);
    expect(t.companions({ ...c, personId: 99 }).count).toBe(0);
    expect(t.exposuresOf(99, new Map([[1, [{ caseId: 1, from: c.from, to: c.to }]]]))).toEqual([]);
    expect(t.casesAt(7, c.from, c.to, new Map([[1, [{ caseId: 1, from: c.from, to: c.to }]]]))).toEqual([]);
    expect(t.close({ ...c, personId: 99 }).count).toBe(0);
  });
});

describe('secondary contacts at their thresholds', () => {
  const edition = loadEdition('ed8-delta-2021');
  const MIN = edition.closeContact.minOverlapMinutes.dining_entertainment * M;
  // 0: an office where the case met close contact 2; 1: a restaurant.
  const places = [{ category: 'office' as const }, { category: 'restaurant' as const }];
  const c = { personId: 1, from: T0, to: T0 + 10 * H, confirmedAt: T0 + 10 * H };
  const rec = (person: number, place: number, start: number, end: number): Rec => ({ person, place, start: T0 + start, end: T0 + end });
  const met = [rec(1, 0, 0, 2 * H), rec(2, 0, 0, 2 * H)];

  it('counts exactly the minimum with the close contact, not one second less', () => {
    const t = tracer(places, [...met, rec(2, 1, 5 * H, 6 * H), rec(3, 1, 6 * H - MIN, 7 * H), rec(4, 1, 6 * H - MIN + 1, 7 * H)]);
    const close = t.close(c);
    const secondary = t.secondary(c, close, () => T0 + 48 * H).found();
    expect(secondary.map((f) => [f.personId, f.viaPersonId, f.evidence[0].minutes, f.evidence[0].setting])).toEqual([[3, 2, MIN / M, 'dining_entertainment']]);
  });

  it('stops at the earlier of the deadline and the close contact\'s isolation, whichever comes first', () => {
    const recs = [...met, rec(2, 1, 5 * H, 6 * H), rec(3, 1, 5 * H, 6 * H)];
    const found = (isolation: IsolationInterval[], deadline: number) => {
      const t = tracer(places, recs, isolation);
      return t.secondary(c, t.close(c), () => T0 + deadline).found().map((f) => [f.personId, f.evidence[0].overlapEnd - T0]);
    };
    // The deadline cuts the meal short: what is left still passes the minimum, or does not.
    expect(found([], 5 * H + MIN)).toEqual([[3, 5 * H + MIN]]);
    expect(found([], 5 * H + MIN - 1)).toEqual([]);
    // An isolation before the deadline cuts it the same way; the later of the two never counts.
    expect(found([{ personId: 2, start: T0 + 5 * H + MIN, end: null }], 48 * H)).toEqual([[3, 5 * H + MIN]]);
    expect(found([{ personId: 2, start: T0 + 5 * H + MIN - 1, end: null }], 48 * H)).toEqual([]);
    expect(found([{ personId: 2, start: T0 + 48 * H, end: null }], 5 * H + MIN - 1)).toEqual([]);
  });

  it('keeps the nearest seat over a close contact\'s several stays in one vehicle, and the lowest via\'s evidence only', () => {
    // A train whose enclosed carriage is the scope, all in carriage 1. Close contact 2 moved from seat 6A to 10A at
    // 3 h (one stay after the other); close contact 3 sat in 7A from 4 h. Person 4 sat in 7A from 2 h to 5 h; person
    // 5 in 7A from 2 h to 3 h and again from 4 h to 5 h.
    const train = [{ category: 'vehicle' as const, vehicle: 'train_enclosed' as const }, { category: 'office' as const }];
    const seated = (person: number, start: number, end: number, seat: string): Rec => ({ person, place: 0, start: T0 + start, end: T0 + end, seat, carriage: '1' });
    const t = tracer(train, [
      { person: 1, place: 1, start: T0, end: T0 + H }, { person: 2, place: 1, start: T0, end: T0 + H }, { person: 3, place: 1, start: T0, end: T0 + H },
      seated(2, 2 * H, 3 * H, '6A'), seated(2, 3 * H, 5 * H, '10A'), seated(3, 4 * H, 5 * H, '7A'),
      seated(4, 2 * H, 5 * H, '7A'), seated(5, 2 * H, 3 * H, '7A'), seated(5, 4 * H, 5 * H, '7A'),
    ]);
    const found = t.secondary(c, t.close(c), () => T0 + 48 * H).found();
    expect(found.map((f) => [f.personId, f.viaPersonId, f.firstExposure - T0, f.lastExposure - T0])).toEqual([[4, 2, 2 * H, 5 * H], [5, 2, 2 * H, 5 * H]]);
    // Via 2 only: one row away at best (6A), never 3's seat (the same row); 4 in one piece, 5 in two.
    expect(found[0].evidence).toMatchObject([{ placeId: 0, setting: 'vehicle', overlapStart: T0 + 2 * H, overlapEnd: T0 + 5 * H, minutes: 180, seatDistance: 1 }]);
    expect(found[1].evidence).toMatchObject([{ placeId: 0, setting: 'vehicle', overlapStart: T0 + 2 * H, overlapEnd: T0 + 5 * H, minutes: 120, seatDistance: 1 }]);
  });
});

describe('close contacts at their thresholds', () => {
  it('gives crew no seat distance and, without a crew clause, no rows: the carriage scope only', () => {
    const base = loadEdition('ed8-delta-2021');
    const noCrew = { ...base, closeContact: { ...base.closeContact, vehicles: { ...base.closeContact.vehicles, train_enclosed: { ...base.closeContact.vehicles.train_enclosed, crew: false }, aircraft: { ...base.closeContact.vehicles.aircraft, crew: false } } } };
    const places = [{ category: 'vehicle' as const, vehicle: 'train_enclosed' as const }, { category: 'vehicle' as const, vehicle: 'aircraft' as const }];
    const recs: Rec[] = [
      { person: 1, place: 0, start: T0, end: T0 + H, seat: '3A', carriage: '2' }, { person: 2, place: 0, start: T0, end: T0 + H, seat: 'CREW', carriage: '2' },
      { person: 3, place: 0, start: T0, end: T0 + H, seat: 'CREW', carriage: '5' },
      { person: 1, place: 1, start: T0 + 2 * H, end: T0 + 3 * H, seat: '3A' }, { person: 4, place: 1, start: T0 + 2 * H, end: T0 + 3 * H, seat: 'CREW' },
    ];
    const c = { personId: 1, from: T0, to: T0 + 10 * H, confirmedAt: T0 + 10 * H };
    const withClause = tracer(places, recs).close(c).found();
    expect(withClause.map((f) => [f.personId, f.evidence[0].seatDistance])).toEqual([[2, null], [3, null], [4, null]]);
    const without = tracer(places, recs, [], noCrew).close(c).found();
    expect(without.map((f) => [f.personId, f.evidence[0].seatDistance])).toEqual([[2, null]]);
  });
});

describe('vehicle scopes at their edges', () => {
  const base = loadEdition('ed8-delta-2021');
  /** ed8-delta with the ship's rule replaced (no crew clause), the case in carriage 2 row 10 for an hour. */
  const contactsUnder = (rule: { scope: 'rows' | 'carriage' | 'compartment' | 'compartment_or_adjacent_bays' | 'all_on_board' | 'cabin'; rowsEachSide?: number }) => {
    const edition = { ...base, closeContact: { ...base.closeContact, vehicles: { ...base.closeContact.vehicles, ship: { ...rule, crew: false } } } };
    const at = (person: number, seat: string, carriage: string): Rec => ({ person, place: 0, start: T0, end: T0 + H, seat, carriage });
    const t = tracer([{ category: 'vehicle', vehicle: 'ship' }], [
      at(1, '10', '2'), at(2, '10', '2'), at(3, '11', '2'), at(4, '8', '2'), at(5, '12', '2'), at(6, '13', '2'), at(7, '10', '3'),
    ], [], edition);
    return t.close({ personId: 1, from: T0, to: T0 + 2 * H, confirmedAt: T0 + 2 * H }).found().map((f) => [f.personId, f.evidence[0].seatDistance]);
  };

  it('takes everyone on board as a contact of no seat distance when the case\'s own seat is unknown', () => {
    const edition = { ...base, closeContact: { ...base.closeContact, vehicles: { ...base.closeContact.vehicles, ship: { scope: 'compartment' as const, crew: false } } } };
    const at = (person: number, seat: string | undefined, carriage: string | undefined): Rec => ({ person, place: 0, start: T0, end: T0 + H, seat, carriage });
    const t = tracer([{ category: 'vehicle', vehicle: 'ship' }], [at(1, undefined, undefined), at(2, '10', '2'), at(3, '40', '7')], [], edition);
    expect(t.close({ personId: 1, from: T0, to: T0 + 2 * H, confirmedAt: T0 + 2 * H }).found().map((f) => [f.personId, f.evidence[0].seatDistance])).toEqual([[2, null], [3, null]]);
  });

  it('gives a contact seen first without a seat, then in a known seat, that seat\'s distance', () => {
    const edition = { ...base, closeContact: { ...base.closeContact, vehicles: { ...base.closeContact.vehicles, ship: { scope: 'compartment_or_adjacent_bays' as const, crew: false } } } };
    const t = tracer([{ category: 'vehicle', vehicle: 'ship' }], [
      { person: 1, place: 0, start: T0, end: T0 + 2 * H, seat: '10', carriage: '2' },
      { person: 2, place: 0, start: T0, end: T0 + H }, { person: 2, place: 0, start: T0 + H, end: T0 + 2 * H, seat: '11', carriage: '2' },
    ], [], edition);
    expect(t.close({ personId: 1, from: T0, to: T0 + 2 * H, confirmedAt: T0 + 2 * H }).found().map((f) => [f.personId, f.evidence[0].seatDistance, f.evidence[0].minutes])).toEqual([[2, 1, 120]]);
  });

  it('compartment: the same row of the same carriage only', () => {
    expect(contactsUnder({ scope: 'compartment' })).toEqual([[2, 0]]);
  });
  it('compartment or adjacent bays: the next bay on either side, not two away', () => {
    expect(contactsUnder({ scope: 'compartment_or_adjacent_bays' })).toEqual([[2, 0], [3, 1]]);
  });
  it('rows: up to the edition\'s rows each side, in the same carriage', () => {
    expect(contactsUnder({ scope: 'rows', rowsEachSide: 2 })).toEqual([[2, 0], [3, 1], [4, 2], [5, 2]]);
  });
  it('carriage or cabin: everyone in it, with the row distance; all on board: everyone, without one', () => {
    expect(contactsUnder({ scope: 'cabin' })).toEqual([[2, 0], [3, 1], [4, 2], [5, 2], [6, 3]]);
    expect(contactsUnder({ scope: 'carriage' })).toEqual([[2, 0], [3, 1], [4, 2], [5, 2], [6, 3]]);
    expect(contactsUnder({ scope: 'all_on_board' })).toEqual([[2, null], [3, null], [4, null], [5, null], [6, null], [7, null]]);
  });
});

describe('the order of what found() returns', () => {
  it('lists contacts by person id and each contact\'s evidence by start, then place', () => {
    const places = [{ category: 'restaurant' as const }, { category: 'office' as const }, { category: 'bar' as const }];
    const stay = (person: number, place: number, startH: number, endH: number): Rec => ({ person, place, start: T0 + startH * H, end: T0 + endH * H });
    const t = tracer(places, [
      stay(1, 0, 0, 10), stay(1, 1, 0, 10), stay(1, 2, 0, 10),
      // Person 9 entered first, at the bar (place 2) before the office (place 1) and the restaurant (place 0) at once.
      stay(9, 2, 1, 2), stay(9, 1, 3, 4), stay(9, 0, 3, 4), stay(5, 0, 5, 6), stay(7, 1, 5, 6), stay(3, 2, 5, 6),
    ]);
    const found = t.close({ personId: 1, from: T0, to: T0 + 10 * H, confirmedAt: T0 + 10 * H }).found();
    expect(found.map((f) => f.personId)).toEqual([3, 5, 7, 9]);
    expect(found[3].evidence.map((e) => [e.placeId, e.overlapStart])).toEqual([[2, T0 + H], [0, T0 + 3 * H], [1, T0 + 3 * H]]);
  });
});
