import fc from 'fast-check';
import { propertyRuns } from '../../test/property.ts';
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS, type PlaceCategory, type PresenceSource, type VehicleSetting } from '../domain/vocab.ts';
import { encodeSeat, PresenceColumns, sourceIndex } from './columns.ts';
import { IsolationTable, type IsolationInterval } from './isolation.ts';
import { free, mergeStays, oracleClose, oracleCompanions, oracleSecondary, type OracleFacts, type OracleResult, type PlainPlace, type PlainRecord } from './oracle.ts';
import { PresenceIndex } from './presenceIndex.ts';
import { Random } from '../synth/random.ts';
import { compileRules } from './rules.ts';
import { ContactSet, Tracer, type Found } from './tracer.ts';

const T0 = 1_627_000_000;
const H = 3600;

function tracerFor(edition: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[], isolation: IsolationInterval[] = []): Tracer {
  const cols = new PresenceColumns();
  for (const r of recs) cols.push(r.person, r.place, r.start, r.end, sourceIndex(r.source ?? 'venue_scan'), encodeSeat(r.seat, r.carriage));
  const index = PresenceIndex.build(cols, places.length, 64);
  const category = new Uint8Array(places.map((p) => PLACE_CATEGORIES.indexOf(p.category)));
  const vehicle = new Uint8Array(places.map((p) => (p.vehicle ? VEHICLE_SETTINGS.indexOf(p.vehicle) : 255)));
  return new Tracer(index, { category, vehicle }, compileRules(edition), IsolationTable.from(isolation));
}

const asSets = (set: ContactSet) => new Map(set.found().map((f) => [f.personId, new Set(f.evidence.map((e) => e.placeId))]));
const oracleSets = (o: OracleResult) => new Map([...o].map(([p, r]) => [p, new Set(r.places.keys())]));

/**
 * Everything a set says, in the oracle's shape: per contact its first and last exposure and via, and per place (null:
 * the registry) the first and last exposure, seconds, feeds, setting and seat distance. Fails if a place has two evidence lines.
 */
function full(set: ContactSet) {
  return new Map(set.found().map((f) => {
    const places = new Map(f.evidence.map((e) => [e.placeId, {
      first: e.overlapStart, last: e.overlapEnd, seconds: Math.round(e.minutes * 60), sources: [...e.sources].sort(), setting: e.setting, seatDistance: e.seatDistance,
    }]));
    expect(places.size).toBe(f.evidence.length);
    return [f.personId, { first: f.firstExposure, last: f.lastExposure, via: f.viaPersonId, places }];
  }));
}
const oracleFull = (o: OracleResult) => new Map([...o].map(([p, r]) => [p, {
  first: r.first, last: r.last, via: r.via,
  places: new Map([...r.places].map(([pl, x]) => [pl, { first: x.first, last: x.last, seconds: x.seconds, sources: [...x.sources].sort(), setting: x.setting, seatDistance: x.seatDistance }])),
}]));

const PERSONS = 14;
const CATEGORIES: PlaceCategory[] = ['residence', 'office', 'restaurant', 'market', 'telecom_cell', 'vehicle', 'classroom'];
const SOURCES: PresenceSource[] = ['venue_scan', 'telecom_stay', 'transport_seat', 'household', 'gate_registration'];
const placeArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  vehicle: fc.constantFrom<VehicleSetting>(...VEHICLE_SETTINGS),
}).map((p): PlainPlace => ({ category: p.category, vehicle: p.category === 'vehicle' ? p.vehicle : null }));
/** Minutes (so that overlaps of exactly a threshold occur), often on five-minute marks. */
const minutesArb = (max: number) => fc.oneof(fc.integer({ min: 0, max: Math.floor(max / 5) }).map((m) => m * 5), fc.integer({ min: 0, max }));
/** One record, and sometimes a second of the same person, place and seat overlapping or touching it (another feed). */
const recordArb = (nPlaces: number) => fc.record({
  person: fc.integer({ min: 1, max: PERSONS }),
  place: fc.integer({ min: 0, max: nPlaces - 1 }),
  start: minutesArb(30 * 60).map((m) => T0 + m * 60),
  dur: fc.oneof(minutesArb(120), minutesArb(2400)).map((m) => m * 60),
  seat: fc.option(fc.oneof(fc.integer({ min: 1, max: 30 }).map((r) => `${r}${'ABCDEF'[r % 6]}`), fc.constant('CREW')), { nil: null }),
  carriage: fc.option(fc.integer({ min: 1, max: 3 }).map(String), { nil: null }),
  source: fc.constantFrom(...SOURCES),
  twin: fc.option(fc.record({ fromEnd: fc.boolean(), shift: fc.integer({ min: -60, max: 60 }), dur: minutesArb(120), source: fc.constantFrom(...SOURCES) }), { nil: null }),
}).map((r): PlainRecord[] => {
  const a: PlainRecord = { person: r.person, place: r.place, start: r.start, end: r.start + r.dur, seat: r.seat, carriage: r.carriage, source: r.source };
  if (!r.twin) return [a];
  // The twin starts within an hour of the first record's start or end (so it overlaps, touches or just misses it).
  const s = Math.max(T0, (r.twin.fromEnd ? a.end : a.start) + r.twin.shift * 60);
  return [a, { ...a, start: s, end: s + r.twin.dur * 60, source: r.twin.source }];
});
const isolationArb = fc.array(fc.record({
  personId: fc.integer({ min: 1, max: PERSONS }),
  start: minutesArb(36 * 60).map((m) => T0 + m * 60),
  len: fc.option(minutesArb(3000), { nil: null }),
}).map((x): IsolationInterval => ({ personId: x.personId, start: x.start, end: x.len === null ? null : x.start + x.len * 60 })), { maxLength: 10 });
/**
 * A world: places, records (dense enough that most cases meet someone: few persons and places), the case, its
 * window (hours from T0, length in hours), isolation intervals and the case's co-residents (100: a person with no
 * records, beyond the index's persons).
 */
const worldArb = fc.array(placeArb, { minLength: 1, maxLength: 6 }).chain((places) =>
  fc.tuple(
    fc.constant(places), fc.array(recordArb(places.length), { minLength: 10, maxLength: 80 }).map((xs) => xs.flat()), fc.integer({ min: 1, max: PERSONS }),
    fc.integer({ min: 0, max: 24 }), fc.integer({ min: 1, max: 48 }), isolationArb,
    fc.array(fc.oneof(fc.integer({ min: 1, max: PERSONS + 3 }), fc.constant(100)), { maxLength: 4 }),
  ));

/** A version of an edition whose companion thresholds fit the random worlds (and prove the numbers are read). */
function smallCompanion(e: ProtocolEdition): ProtocolEdition {
  return { ...e, companion: { ...e.companion, minCumulativeHours: 6, lookBackDays: 2 } };
}

/**
 * An edition no one shipped, to prove the vehicle rules are read rather than assumed: no crew clause on enclosed
 * trains, ships and ventilated coaches, one row each side on aircraft, the ship's cabin scope on open trains.
 */
function variedVehicles(e: ProtocolEdition): ProtocolEdition {
  const v = e.closeContact.vehicles;
  return {
    ...e,
    closeContact: {
      ...e.closeContact,
      vehicles: {
        ...v,
        aircraft: { ...v.aircraft, rowsEachSide: 1 },
        train_enclosed: { ...v.train_enclosed, crew: false },
        train_open: { ...v.train_open, scope: 'cabin', crew: false },
        ship: { ...v.ship, crew: false },
        coach_ventilated: { ...v.coach_ventilated, crew: false },
      },
    },
  };
}

const EDITIONS: [string, () => ProtocolEdition][] = [
  ...['ed8-2021', 'ed8-delta-2021', 'ed9-2022'].map((id): [string, () => ProtocolEdition] => [id, () => loadEdition(id)]),
  ['ed8-delta-2021 with varied vehicle rules', () => variedVehicles(loadEdition('ed8-delta-2021'))],
];

describe.each(EDITIONS)('tracer equals the brute-force oracle [%s]', (_, load) => {
  const edition = smallCompanion(load());
  it('close (with co-residents), secondary and companions on random worlds with isolation and overlapping records', () => {
    fc.assert(fc.property(worldArb, ([places, recs, casePerson, fromH, lenH, isolation, coResidents]) => {
      const tracer = tracerFor(edition, recs, places, isolation);
      const facts: OracleFacts = { isolation, coResidents };
      const c = { personId: casePerson, from: T0 + fromH * H, to: T0 + (fromH + lenH) * H, confirmedAt: T0 + (fromH + lenH) * H };
      const close = tracer.close(c, { coResidents });
      const oClose = oracleClose(edition, recs, places, casePerson, c.from, c.to, facts);
      expect(full(close)).toEqual(oracleFull(oClose));
      const until = c.confirmedAt + 12 * H;
      const secondary = tracer.secondary(c, close, () => until);
      expect(full(secondary)).toEqual(oracleFull(oracleSecondary(edition, recs, places, casePerson, oClose, until, facts)));
      const companions = tracer.companions(c, close);
      expect(full(companions)).toEqual(oracleFull(oracleCompanions(edition, recs, places, casePerson, c.confirmedAt, (p) => close.has(p), facts)));
    }), propertyRuns(300));
  });
});

describe('tracer rules on hand-made cases', () => {
  const edition = loadEdition('ed8-delta-2021');
  const places: PlainPlace[] = [
    { category: 'vehicle', vehicle: 'aircraft' }, { category: 'residence', vehicle: null }, { category: 'restaurant', vehicle: null },
    { category: 'vehicle', vehicle: 'train_enclosed' }, { category: 'market', vehicle: null },
  ];
  const rec = (person: number, place: number, startH: number, endH: number, seat: string | null = null, carriage: string | null = null): PlainRecord =>
    ({ person, place, start: T0 + startH * H, end: T0 + endH * H, seat, carriage });
  const recs = [
    rec(1, 0, 10, 12, '20C'), rec(2, 0, 10, 12, '23A'), rec(3, 0, 10, 12, '24A'), rec(4, 0, 10, 12, 'CREW'),
    rec(1, 1, 0, 100), rec(5, 1, 0, 100),
    rec(1, 2, 30, 30.5), rec(6, 2, 30, 30.3), rec(7, 2, 30.45, 31),
    rec(1, 3, 40, 42, '5', '3'), rec(8, 3, 40, 42, '60', '3'), rec(9, 3, 40, 42, '5', '4'),
    rec(1, 4, 50, 52), rec(10, 4, 50, 52),
    rec(5, 2, 60, 61), rec(11, 2, 60.5, 61.5), rec(1, 2, 60, 61),
  ];
  const tracer = tracerFor(edition, recs, places);
  const c = { personId: 1, from: T0, to: T0 + 55 * H, confirmedAt: T0 + 55 * H };

  it('finds aircraft rows within 3, crew, household, the same carriage and dining >= 15 min; not the market nor 3 min', () => {
    const close = tracer.close(c).found();
    expect(close.map((f) => f.personId)).toEqual([2, 4, 5, 6, 8]);
    const seat = close.find((f) => f.personId === 2)!.evidence[0];
    expect(seat).toMatchObject({ setting: 'vehicle', seatDistance: 3, minutes: 120 });
    expect(seat.rule).toContain('3 rows');
    expect(close.find((f) => f.personId === 5)!.evidence[0]).toMatchObject({ setting: 'household' });
    expect(close.find((f) => f.personId === 6)!.evidence[0].minutes).toBe(18);
  });

  it('gives an evidence line of several seats the fewest rows of any of its overlaps, whichever comes first', () => {
    // Place 0: a restaurant (an evidence line without seats first); place 1: an aircraft (rows within 3). The case sits
    // in row 20 for two hours; each contact sits in one row for the first hour and another for the second (two
    // records, one evidence line): person 5 rows 20 then 22, person 2 rows 22 then 20, person 4 rows 21 then 22.
    const plane: PlainPlace[] = [{ category: 'restaurant', vehicle: null }, { category: 'vehicle', vehicle: 'aircraft' }];
    const seated = [
      rec(1, 0, 0, 1), rec(3, 0, 0, 1),
      rec(1, 1, 2, 4, '20C'),
      rec(5, 1, 2, 3, '20A'), rec(5, 1, 3, 4, '22A'),
      rec(2, 1, 2, 3, '22A'), rec(2, 1, 3, 4, '20A'),
      rec(4, 1, 2, 3, '21A'), rec(4, 1, 3, 4, '22A'),
    ];
    const close = tracerFor(edition, seated, plane).close(c).found();
    expect(close.map((f) => [f.personId, f.evidence.map((e) => [e.placeId, e.seatDistance, e.minutes])])).toEqual([
      [2, [[1, 0, 120]]], [3, [[0, null, 60]]], [4, [[1, 1, 120]]], [5, [[1, 0, 120]]],
    ]);
  });

  it('sums an evidence line\'s seconds over hits that arrive out of order, before its span, overlapping it or not', () => {
    // An aircraft (rows within 3); the case moved between rows 10, 50, 30 and 70 (records overlapping in time):
    // the scan reads the case's records by their start, so a contact seated near a later one is met later, earlier.
    const plane: PlainPlace[] = [{ category: 'vehicle', vehicle: 'aircraft' }];
    const m = (person: number, from: number, to: number, row: string): PlainRecord => ({ person, place: 0, start: T0 + from * 60, end: T0 + to * 60, seat: row, carriage: null });
    const recs = [
      m(1, 0, 100, '10A'), m(1, 5, 100, '50A'), m(1, 10, 20, '30A'),
      // Person 2: 50-60 by row 10, then 12-18 by row 30 (before the span, apart from it).
      m(2, 50, 60, '11C'), m(2, 12, 18, '31C'),
      // Person 3: 50-60 by row 10, 40-45 by row 50 (apart, before), then 12-18 by row 30 (apart, before again).
      m(3, 50, 60, '11D'), m(3, 40, 45, '51D'), m(3, 12, 18, '31D'),
      // Person 4: 50-60 by row 10, then 45-55 by row 50 (overlapping the span, from before it).
      m(4, 50, 60, '11E'), m(4, 45, 55, '51E'),
      // Person 5: 50-60 by row 10, 40-45 by row 50 (apart, before), then 42-52 by row 70 (over both): 40-60.
      m(1, 15, 100, '70A'), m(5, 50, 60, '11F'), m(5, 40, 45, '51F'), m(5, 42, 52, '71F'),
    ];
    const close = tracerFor(edition, recs, plane).close(c).found();
    expect(close.map((f) => [f.personId, f.evidence.map((e) => [(e.overlapStart - T0) / 60, (e.overlapEnd - T0) / 60, e.minutes])])).toEqual([
      [2, [[12, 60, 16]]], [3, [[12, 60, 21]]], [4, [[45, 60, 15]]], [5, [[40, 60, 20]]],
    ]);
    expect(close.map((f) => oracleClose(edition, recs, plane, c.personId, c.from, c.to).get(f.personId)!.places.get(0)!.seconds / 60)).toEqual([16, 21, 15, 20]);
  });

  it('gives a secondary contact the fewest rows to any of its via\'s overlapping stays, whichever comes first', () => {
    // Person 2 dined with the case (place 0), then flew (place 1) in row 10 and from half an hour on in row 13 (two
    // stays, one piece of time). Person 3 sat in row 10 (0 rows, then 3), person 4 in row 13 (3 rows, then 0).
    const plane: PlainPlace[] = [{ category: 'restaurant', vehicle: null }, { category: 'vehicle', vehicle: 'aircraft' }];
    const recs = [
      rec(1, 0, 0, 1), rec(2, 0, 0, 1),
      rec(2, 1, 2, 3, '10C'), rec(2, 1, 2.5, 4, '13C'), rec(3, 1, 2, 4, '10A'), rec(4, 1, 2, 4, '13A'),
    ];
    const t = tracerFor(edition, recs, plane);
    const secondary = t.secondary(c, t.close(c), () => T0 + 70 * H).found();
    expect(secondary.map((f) => [f.personId, f.viaPersonId, f.evidence.map((e) => [e.placeId, e.seatDistance, e.minutes])])).toEqual([
      [3, 2, [[1, 0, 120]]], [4, 2, [[1, 0, 120]]],
    ]);
  });

  it('makes a passenger with no known seat, or anyone on an all-on-board coach, a vehicle contact with no seat distance', () => {
    // The train (place 3) counts the same carriage; person 12 gave no seat and no carriage.
    const t = tracerFor(edition, [...recs, rec(12, 3, 40, 42)], places);
    const f = t.close(c).found().find((x) => x.personId === 12);
    expect(f?.evidence.map((e) => [e.placeId, e.setting, e.seatDistance])).toEqual([[3, 'vehicle', null]]);
    // A sealed coach counts everyone on board, however far apart their known seats, with no seat distance.
    expect(edition.closeContact.vehicles.coach_sealed?.scope).toBe('all_on_board');
    const coach = tracerFor(edition, [rec(1, 0, 0, 2, '1A'), rec(2, 0, 0, 2, '40D')], [{ category: 'vehicle', vehicle: 'coach_sealed' }]);
    expect(coach.close(c).found().map((x) => [x.personId, x.evidence[0].seatDistance])).toEqual([[2, null]]);
  });

  it('finds secondary contacts through a close contact until isolation, and not the case or close contacts', () => {
    const close = tracer.close(c);
    const secondary = tracer.secondary(c, close, () => T0 + 70 * H);
    // Row 24 is one row behind close contact 2 (row 23): a secondary contact through 2; 11 dined with 5 at 60.5 h.
    expect(secondary.found().map((f) => [f.personId, f.viaPersonId])).toEqual([[3, 2], [11, 5]]);
    expect([...tracer.secondary(c, close, () => T0 + 60.2 * H).personIds()]).toEqual([3]);
  });
});

describe('same-trip look-ups equal brute force', () => {
  const edition = loadEdition('ed8-delta-2021');
  it('exposuresOf lists the overlaps by their start, whatever the order of the places', () => {
    // Person 2 met case 1 at place 0 in the evening and at place 1 in the morning.
    const places: PlainPlace[] = [{ category: 'restaurant', vehicle: null }, { category: 'office', vehicle: null }];
    const at = (person: number, place: number, startH: number, endH: number): PlainRecord => ({ person, place, start: T0 + startH * H, end: T0 + endH * H, seat: null, carriage: null });
    const t = tracerFor(edition, [at(1, 0, 18, 20), at(2, 0, 18, 20), at(1, 1, 8, 12), at(2, 1, 9, 12)], places);
    expect(t.exposuresOf(2, new Map([[1, [{ caseId: 7, from: T0, to: T0 + 24 * H }]]]))).toEqual([
      { casePersonId: 1, caseId: 7, placeId: 1, overlapStart: T0 + 9 * H, overlapEnd: T0 + 12 * H },
      { casePersonId: 1, caseId: 7, placeId: 0, overlapStart: T0 + 18 * H, overlapEnd: T0 + 20 * H },
    ]);
    // A case's record that ends where the asked time starts, or starts where it ends, is no exposure.
    const windows = new Map([[1, [{ caseId: 7, from: T0, to: T0 + 24 * H }]]]);
    expect([t.casesAt(0, T0 + 20 * H, T0 + 21 * H, windows), t.casesAt(0, T0 + 17 * H, T0 + 18 * H, windows)]).toEqual([[], []]);
    expect(t.casesAt(0, T0 + 19 * H, T0 + 21 * H, windows)).toEqual([{ casePersonId: 1, caseId: 7, placeId: 0, overlapStart: T0 + 19 * H, overlapEnd: T0 + 20 * H }]);
    // Only the place's records: the case's record at place 1 (the next place's first) overlaps 9-12 h but is not at 0.
    expect(t.casesAt(0, T0 + 9 * H, T0 + 19 * H, windows)).toEqual([{ casePersonId: 1, caseId: 7, placeId: 0, overlapStart: T0 + 18 * H, overlapEnd: T0 + 19 * H }]);
  });

  it('exposuresOf lists every overlap with a case inside its window, outside both persons\' isolation, for each case of a reinfected person', () => {
    fc.assert(fc.property(worldArb, fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), ([places, recs, casePerson, fromH, lenH, isolation], againH) => {
      const tracer = tracerFor(edition, recs, places, isolation);
      // The person's case, and sometimes a second one (a reinfection) with a window of its own.
      const ws = [{ caseId: 1, from: T0 + fromH * H, to: T0 + (fromH + lenH) * H }, ...(againH === null ? [] : [{ caseId: 2, from: T0 + (fromH + lenH + againH) * H, to: T0 + (fromH + lenH + againH + 6) * H }])];
      const windows = new Map([[casePerson, ws]]);
      const stays = mergeStays(recs), facts = { isolation };
      for (const person of [1, 2, 3, 4, 5]) {
        const expected = ws.flatMap((w) => stays.filter((r) => r.person === person && person !== casePerson).flatMap((mine) => stays
          .filter((c) => c.person === casePerson && c.place === mine.place)
          .flatMap((c) => free(facts, person, Math.max(mine.start, c.start, w.from), Math.min(mine.end, c.end, w.to))
            .flatMap(([s, e]) => free(facts, casePerson, s, e)).map(([s, e]) => [w.caseId, c.place, s, e]))));
        const got = tracer.exposuresOf(person, windows).map((x) => [x.caseId, x.placeId, x.overlapStart, x.overlapEnd]);
        const sortKey = (a: number[]) => a.join(',');
        expect(got.map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
      }
    }), propertyRuns(200));
  });
});

describe('contact sets of very different sizes, one after another', () => {
  const edition = loadEdition('ed8-delta-2021');
  // An office of 3,001 (the case and 3,000 colleagues: far more contacts than a set's first hash table holds), a
  // restaurant where colleague 2 dines with nine others, and a market the case never visits.
  const places: PlainPlace[] = [{ category: 'office', vehicle: null }, { category: 'restaurant', vehicle: null }, { category: 'residence', vehicle: null }];
  const recs: PlainRecord[] = [];
  const at = (person: number, place: number, fromH: number, toH: number) => recs.push({ person, place, start: T0 + fromH * H, end: T0 + toH * H, seat: null, carriage: null });
  for (let p = 1; p <= 3001; p++) at(p, 0, 1, 9);
  for (let p = 3002; p <= 3010; p++) at(p, 1, 12, 13);
  at(2, 1, 12, 13);
  at(3010, 2, 20, 30); at(3011, 2, 20, 30);
  const tracer = tracerFor(edition, recs, places);
  const big = { personId: 1, from: T0, to: T0 + 24 * H, confirmedAt: T0 + 24 * H };
  const small = { personId: 3010, from: T0, to: T0 + 40 * H, confirmedAt: T0 + 40 * H };

  it('grows, clears and reuses its buffers without carrying anything from one set into the next', () => {
    const first = tracer.close(big).found();
    expect(first).toHaveLength(3000);
    expect(asSets(tracer.close(big))).toEqual(oracleSets(oracleClose(edition, recs, places, 1, big.from, big.to)));
    const smallClose = tracer.close(small);
    expect(asSets(smallClose)).toEqual(oracleSets(oracleClose(edition, recs, places, 3010, small.from, small.to)));
    expect([...smallClose.personIds()]).toEqual([2, 3002, 3003, 3004, 3005, 3006, 3007, 3008, 3009, 3011]);
    const close = tracer.close(big);
    expect(close.found()).toEqual(first);
    const secondary = tracer.secondary(big, close, () => T0 + 30 * H);
    expect(secondary.found().map((f) => [f.personId, f.viaPersonId])).toEqual([3002, 3003, 3004, 3005, 3006, 3007, 3008, 3009, 3010].map((p) => [p, 2]));
    expect(asSets(tracer.secondary(small, smallClose, () => T0 + 40 * H)))
      .toEqual(oracleSets(oracleSecondary(edition, recs, places, 3010, oracleClose(edition, recs, places, 3010, small.from, small.to), T0 + 40 * H)));
  });
});

describe('secondary contacts through more close-contact stays than the scratch first holds', () => {
  it('reaches a secondary contact through the 1,101st stay', () => {
    // 1,100 colleagues meet the case at the office (place 0); the last of them then dines with person 1200 (place 1).
    const edition = loadEdition('ed8-delta-2021');
    const places: PlainPlace[] = [{ category: 'office', vehicle: null }, { category: 'restaurant', vehicle: null }];
    const at = (person: number, place: number, startH: number, endH: number): PlainRecord => ({ person, place, start: T0 + startH * H, end: T0 + endH * H, seat: null, carriage: null });
    const recs = [at(1, 0, 0, 1), at(1101, 1, 2, 3), at(1200, 1, 2, 3)];
    for (let p = 2; p <= 1101; p++) recs.push(at(p, 0, 0, 1));
    const t = tracerFor(edition, recs, places);
    const c = { personId: 1, from: T0, to: T0 + 4 * H, confirmedAt: T0 + 4 * H };
    const close = t.close(c);
    expect(close.count).toBe(1100);
    expect(t.secondary(c, close, () => T0 + 10 * H).found().map((f) => [f.personId, f.viaPersonId])).toEqual([[1200, 1101]]);
  });
});

describe('a contact set built in buffers given to it', () => {
  /** Hits of person 5 at place 0 (seconds from T0): apart, apart, then one over both gaps: their union is 0-30. */
  const build = (iv?: Uint32Array, hits = [[0, 10], [20, 30], [5, 25]]) => {
    const set = new ContactSet('close', () => 'rule', new Uint32Array(2 * 1024), new Uint32Array(8), new Uint32Array(8), iv);
    for (const [s, e] of hits) set.addHit(5, -1, 0, T0 + s, T0 + e, 0, 0, -1, 1);
    set.seal();
    return set.found().map((f) => [f.personId, f.evidence.map((x) => [x.overlapStart - T0, x.overlapEnd - T0, x.minutes * 60])]);
  };

  it('sums the union of a line\'s hits with no interval buffer given, and with one holding another set\'s intervals past its own', () => {
    expect(build()).toEqual([[5, [[0, 30, 30]]]]);
    // A buffer lent again: the intervals of an earlier set (line 0, 100-200) lie past this set's three.
    const stale = new Uint32Array(3 * 8);
    for (let k = 0; k < 8; k++) stale.set([0, T0 + 100, T0 + 200], k * 3);
    expect(build(stale)).toEqual([[5, [[0, 30, 30]]]]);
  });

  it.each([
    [[[40, 50], [0, 10], [20, 30], [5, 45]]],
    [[[40, 50], [20, 30], [0, 10], [25, 42], [5, 22]]],
    [[[60, 70], [40, 50], [20, 30], [0, 10], [5, 65], [1, 2]]],
  ])('sums the union of hits arriving in any order, %j', (hits) => {
    const lo = Math.min(...hits.map(([s]) => s)), hi = Math.max(...hits.map(([, e]) => e));
    // Every test's hits cover [lo, hi) with no gap left (the last ones bridge the gaps).
    expect(build(undefined, hits)).toEqual([[5, [[lo, hi, hi - lo]]]]);
  });

  it('keeps each person on a line of their own when its table grows in a contact buffer holding an earlier set\'s lines', () => {
    // A table of 4 pairs grows at the second contact; the buffer's third line still names person 9 from before.
    const c = new Uint32Array(8 * 16);
    for (let k = 0; k < 16; k++) c[k * 8] = 9;
    const set = new ContactSet('close', () => 'rule', new Uint32Array(2 * 4), c, new Uint32Array(8 * 16));
    for (const p of [1, 2, 3, 9]) set.addHit(p, -1, p, T0, T0 + 60, 0, 0, -1, 1);
    set.seal();
    expect(set.found().map((f) => [f.personId, f.evidence.map((x) => x.placeId)])).toEqual([[1, [1]], [2, [2]], [3, [3]], [9, [9]]]);
  });
});

describe('a set whose contacts are met again after its table and buffers grow', () => {
  it('finds each of 1,200 colleagues once, with the union of two visits seen through two overlapping stays of the case', () => {
    const edition = loadEdition('ed8-delta-2021');
    // The case sat at two desks of one office (two stays: [0, 2 h 30) and [30 min, 6 h)); each colleague came twice,
    // [0, 1 h) and [2 h, 3 h). Every colleague's evidence line is gapped after the first desk's scan (1 h 30 min) and
    // overlapped by the second's, which adds [2 h 30, 3 h): 1,200 lines, 4,800 kept intervals, far beyond the first
    // table and buffers.
    const places: PlainPlace[] = [{ category: 'office', vehicle: null }];
    const recs: PlainRecord[] = [
      { person: 1, place: 0, start: T0, end: T0 + 2.5 * H, seat: '1', carriage: null },
      { person: 1, place: 0, start: T0 + H / 2, end: T0 + 6 * H, seat: '2', carriage: null },
    ];
    // Colleagues' person ids scattered (seeded), so that ids collide in the hash table and are found by probing.
    const rnd = new Random(7), ids = new Set<number>();
    while (ids.size < 1200) ids.add(2 + rnd.int(200_000));
    for (const p of ids) {
      recs.push({ person: p, place: 0, start: T0, end: T0 + H, seat: null, carriage: null }, { person: p, place: 0, start: T0 + 2 * H, end: T0 + 3 * H, seat: null, carriage: null });
    }
    const c = { personId: 1, from: T0, to: T0 + 24 * H, confirmedAt: T0 + 24 * H };
    const close = tracerFor(edition, recs, places).close(c);
    expect(close.count).toBe(1200);
    expect(full(close)).toEqual(oracleFull(oracleClose(edition, recs, places, 1, c.from, c.to)));
    expect(close.found()[0].evidence).toMatchObject([{ overlapStart: T0, overlapEnd: T0 + 3 * H, minutes: 120 }]);
  });
});

describe('boundaries, isolation, merged records and the household registry on hand-made cases', () => {
  const edition = loadEdition('ed8-delta-2021');
  const M = 60;
  const MIN_DINING = edition.closeContact.minOverlapMinutes.dining_entertainment * M;
  // 0: a restaurant, 1: a residence, 2: an office.
  const places: PlainPlace[] = [{ category: 'restaurant', vehicle: null }, { category: 'residence', vehicle: null }, { category: 'office', vehicle: null }];
  const at = (person: number, place: number, start: number, end: number, source: PresenceSource = 'venue_scan'): PlainRecord =>
    ({ person, place, start: T0 + start, end: T0 + end, seat: null, carriage: null, source });
  const c = { personId: 1, from: T0, to: T0 + 48 * H, confirmedAt: T0 + 48 * H };

  it('counts an overlap of exactly the threshold, not one second less', () => {
    const recs = [at(1, 0, 0, 2 * H), at(2, 0, 2 * H - MIN_DINING, 3 * H), at(3, 0, 2 * H - MIN_DINING + 1, 3 * H)];
    const close = tracerFor(edition, recs, places).close(c).found();
    expect(close.map((f) => [f.personId, f.evidence[0].minutes])).toEqual([[2, MIN_DINING / M]]);
  });

  it('drops an overlap when an isolation starts exactly at its start, and clips one that starts inside it', () => {
    const recs = [at(1, 0, 0, 2 * H), at(2, 0, H, 2 * H), at(3, 0, H, 2 * H), at(4, 0, H, 2 * H)];
    const isolation = [
      { personId: 2, start: T0 + H, end: null }, // from the overlap's start: nothing is left
      { personId: 3, start: T0 + H + 30 * M, end: T0 + H + 50 * M }, // 30 min before and 10 min after: only the 30 count
      { personId: 4, start: T0 + H + MIN_DINING, end: null }, // exactly the threshold is left
    ];
    const close = tracerFor(edition, recs, places, isolation).close(c).found();
    expect(close.map((f) => [f.personId, f.evidence[0].minutes, f.firstExposure - T0, f.lastExposure - T0])).toEqual([
      [3, 30, H, H + 30 * M], [4, MIN_DINING / M, H, H + MIN_DINING],
    ]);
    // The case's own isolation bounds it too: isolated from 1 h on, it met no one.
    expect(tracerFor(edition, recs, places, [{ personId: 1, start: T0 + H, end: T0 + 3 * H }]).close(c).count).toBe(0);
  });

  it('reaches secondary contacts through a close contact only until that contact\'s isolation (contact-becomes-case: E6 after A\'s isolation)', () => {
    // Close contact 2 met the case at 0-1 h; met 3 at 5-6 h; was isolated at 8 h (a case); met 4 at 10-11 h.
    const recs = [at(1, 2, 0, H), at(2, 2, 0, H), at(2, 0, 5 * H, 6 * H), at(3, 0, 5 * H, 6 * H), at(2, 0, 10 * H, 11 * H), at(4, 0, 10 * H, 11 * H)];
    const tracer = tracerFor(edition, recs, places, [{ personId: 2, start: T0 + 8 * H, end: null }]);
    const close = tracer.close(c);
    expect([...close.personIds()]).toEqual([2]);
    expect(tracer.secondary(c, close, () => T0 + 48 * H).found().map((f) => [f.personId, f.viaPersonId])).toEqual([[3, 2]]);
    // The transfer deadline still bounds it when it comes first.
    expect(tracer.secondary(c, close, () => T0 + 5 * H).count).toBe(0);
    // A quarantine that ended before the first exposure does not.
    const early = tracerFor(edition, recs, places, [{ personId: 2, start: T0 - 10 * H, end: T0 - 5 * H }]);
    expect([...early.secondary(c, early.close(c), () => T0 + 48 * H).personIds()]).toEqual([3, 4]);
  });

  it('counts two overlapping scans of one stay once (81 minutes, not 109), with both feeds', () => {
    const recs = [at(1, 0, 0, 81 * M), at(2, 0, 0, 60 * M), at(2, 0, 32 * M, 81 * M, 'gate_registration')];
    const [b] = tracerFor(edition, recs, places).close(c).found();
    expect(b.evidence).toEqual([expect.objectContaining({ placeId: 0, minutes: 81, sources: ['venue_scan', 'gate_registration'] })]);
  });

  it('counts a stay split into two overlapping records, each under the threshold, as their union, which passes it', () => {
    const part = MIN_DINING - 5 * M; // each record overlaps the case for 10 minutes; together 15
    const recs = [at(1, 0, 0, 2 * H), at(2, 0, H, H + part), at(2, 0, H + part - 5 * M, H + MIN_DINING)];
    expect(tracerFor(edition, recs, places).close(c).found().map((f) => [f.personId, f.evidence[0].minutes])).toEqual([[2, MIN_DINING / M]]);
  });

  it('gives a secondary contact as evidence its time with its via only, each minute once (through either path: isolated or not)', () => {
    // Close contacts 2 and 3 (the office with the case, 0-1 h) dine with 4 at 5-6 h: 2 in two overlapping records at
    // two seats (5:00-5:40, 5:20-6:00); then 3 alone visits 4 at home, 8-9 h.
    const recs = [
      at(1, 2, 0, H), at(2, 2, 0, H), at(3, 2, 0, H),
      { ...at(2, 0, 5 * H, 5 * H + 40 * M), seat: '1A' }, { ...at(2, 0, 5 * H + 20 * M, 6 * H), seat: '2B' }, at(3, 0, 5 * H, 6 * H), at(4, 0, 5 * H, 6 * H),
      at(3, 1, 8 * H, 9 * H), at(4, 1, 8 * H, 9 * H),
    ];
    for (const isolation of [[], [{ personId: 4, start: T0 + 20 * H, end: null }]]) {
      const tracer = tracerFor(edition, recs, places, isolation);
      const [four] = tracer.secondary(c, tracer.close(c), () => T0 + 48 * H).found();
      // Via 2 (the lowest id met): 60 minutes with 2, not 80 (two records) nor 140 (with 3 as well); the home visit
      // with 3 is no evidence of it, though it is the last exposure.
      expect(four).toMatchObject({ personId: 4, viaPersonId: 2, firstExposure: T0 + 5 * H, lastExposure: T0 + 9 * H });
      expect(four.evidence).toEqual([expect.objectContaining({ placeId: 0, overlapStart: T0 + 5 * H, overlapEnd: T0 + 6 * H, minutes: 60 })]);
    }
  });

  it('orders evidence starting at one moment by place, the registry (no place) first', () => {
    // Person 2 is a co-resident who also met the case at the residence and the office from the window's start: three
    // evidence lines starting at T0, found place by place and the registry last.
    const recs = [at(1, 1, 0, H), at(2, 1, 0, H), at(1, 2, 0, H), at(2, 2, 0, H)];
    const close = tracerFor(edition, recs, places).close(c, { coResidents: [2] }).found();
    expect(close.map((f) => [f.personId, f.evidence.map((e) => [e.placeId, e.overlapStart])])).toEqual([[2, [[null, T0], [1, T0], [2, T0]]]]);
    const rules = compileRules(edition);
    expect(close[0].evidence.map((e) => e.rule)).toEqual([rules.registry.ruleText, rules.ruleText[PLACE_CATEGORIES.indexOf('residence')], rules.ruleText[PLACE_CATEGORIES.indexOf('office')]]);
  });

  it('keeps the free parts of an overlap of a contact isolated inside it, each only if it lasts the minimum, as close and secondary contacts', () => {
    // Close contact 2 dines with the case for four hours but is isolated in the second: two parts, 180 minutes. Until
    // that isolation (the end of their exposing), 2 works beside 3 in the office; 3 is isolated twice in that hour:
    // the parts are 0-15 min (exactly the office minimum: kept), 20-50 min (kept) and 55-60 min (too short).
    // Person 7, isolated later, works beside 2 for exactly the office minimum (kept).
    const recs = [at(1, 0, 0, 4 * H), at(2, 0, 0, 4 * H), at(2, 2, 0, H), at(3, 2, 0, H), at(7, 2, 0, 15 * M)];
    const isolation = [
      { personId: 2, start: T0 + H, end: T0 + 2 * H }, { personId: 7, start: T0 + 40 * H, end: null },
      { personId: 3, start: T0 + 15 * M, end: T0 + 20 * M }, { personId: 3, start: T0 + 50 * M, end: T0 + 55 * M },
    ];
    expect(edition.closeContact.minOverlapMinutes.work_study).toBe(15);
    const tracer = tracerFor(edition, recs, places, isolation);
    const close = tracer.close(c);
    const summary = (f: Found) => [f.personId, f.viaPersonId, f.firstExposure - T0, f.lastExposure - T0, f.evidence.map((e) => [e.placeId, e.overlapStart - T0, e.overlapEnd - T0, e.minutes, e.seatDistance])];
    expect(close.found().map(summary)).toEqual([[2, null, 0, 4 * H, [[0, 0, 4 * H, 180, null]]]]);
    expect(tracer.secondary(c, close, () => T0 + 60 * H).found().map(summary)).toEqual([
      [3, 2, 0, 50 * M, [[2, 0, 50 * M, 45, null]]], [7, 2, 0, 15 * M, [[2, 0, 15 * M, 15, null]]],
    ]);
  });

  it('counts a household overlap or a registry part of one second, never a touch of none, and reaches person 0 as a secondary contact', () => {
    expect(edition.closeContact.minOverlapMinutes.household).toBe(0);
    // At the residence (1): the case 1-2 h; person 2, there from the night before, leaves as the case comes; person 4
    // comes one second before it leaves, stays until 3 h and comes back at 4 h; person 6 comes as 4 leaves. Person 0
    // works at the office (2) from 2.5 h, beside 4 at 3-4 h (and not at the residence). Co-resident 5 is isolated
    // one second into the case's window.
    const recs = [
      at(1, 1, H, 2 * H), at(2, 1, -10 * H, H), at(4, 1, 2 * H - 1, 3 * H), at(4, 1, 4 * H, 5 * H), at(6, 1, 3 * H, 3.5 * H),
      at(4, 2, 3 * H, 4 * H), at(0, 2, 2.5 * H, 4 * H),
    ];
    const tracer = tracerFor(edition, recs, places, [{ personId: 5, start: T0 + 1, end: null }]);
    const close = tracer.close(c, { coResidents: [5] });
    expect(close.found().map((f) => [f.personId, f.evidence.map((e) => [e.placeId, e.overlapStart - T0, e.overlapEnd - T0])])).toEqual([
      [4, [[1, 2 * H - 1, 2 * H]]], [5, [[null, 0, 1]]],
    ]);
    expect(tracer.secondary(c, close, () => T0 + 60 * H).found().map((f) => [f.personId, f.viaPersonId, f.evidence.map((e) => [e.placeId, e.overlapStart - T0, e.overlapEnd - T0])])).toEqual([
      [0, 4, [[2, 3 * H, 4 * H]]],
    ]);
  });

  it('drops a co-resident whose free part of the window is shorter than an edition\'s household minimum, keeps one of exactly it', () => {
    const strict = { ...edition, closeContact: { ...edition.closeContact, minOverlapMinutes: { ...edition.closeContact.minOverlapMinutes, household: 15 } } };
    // Co-resident 2 is free for 15 min minus a second at the window's start, 3 for exactly 15 min.
    const isolation = [{ personId: 2, start: T0 + 15 * M - 1, end: null }, { personId: 3, start: T0 + 15 * M, end: null }];
    const tracer = tracerFor(strict, [at(1, 0, 0, H)], places, isolation);
    expect(tracer.close(c, { coResidents: [2, 3] }).found().map((f) => [f.personId, f.evidence.map((e) => [e.placeId, e.minutes])])).toEqual([[3, [[null, 15]]]]);
  });

  it('gives back its isolation table, and sets that cross threads as sealed arrays equal the sets they came from', () => {
    const table = IsolationTable.from([{ personId: 2, start: T0 + H, end: null }]);
    const recs = [at(1, 0, 0, 2 * H), at(2, 0, 0, 2 * H), at(3, 0, 0, 2 * H)];
    const tracer = tracerFor(edition, recs, places);
    tracer.setIsolation(table);
    expect(tracer.isolation).toBe(table);
    const set = tracer.close(c, { coResidents: [3] });
    const copy = ContactSet.fromSealed(set.sealed(), tracer.ruleTextFn);
    expect(copy.found()).toEqual(set.found());
    expect([copy.kind, copy.count, [...copy.personIds()]]).toEqual(['close', 2, [2, 3]]);
  });

  it('makes registered co-residents close contacts with the registry as evidence, beside presence, clipped to isolation', () => {
    const recs = [at(1, 0, 0, H), at(2, 0, 0, H)];
    const tracer = tracerFor(edition, recs, places, [{ personId: 3, start: T0 + 40 * H, end: null }]);
    const close = tracer.close(c, { coResidents: [1, 2, 3, 100] }).found();
    expect(close.map((f) => f.personId)).toEqual([2, 3, 100]);
    const registry = close.find((f) => f.personId === 3)!.evidence;
    expect(registry).toEqual([{
      setting: 'household', rule: expect.stringContaining('household registry'), placeId: null, overlapStart: T0, overlapEnd: T0 + 40 * H,
      minutes: 40 * 60, seatDistance: null, sources: ['household'],
    }]);
    expect(registry[0].rule).toContain(edition.id);
    expect(close.find((f) => f.personId === 2)!.evidence.map((e) => e.placeId)).toEqual([0, null]);
    // Secondary contacts are found through them like through any close contact.
    const withHome = tracerFor(edition, [...recs, at(3, 0, 30 * H, 31 * H), at(5, 0, 30 * H, 31 * H)], places);
    const set = withHome.close(c, { coResidents: [3] });
    expect(withHome.secondary(c, set, () => T0 + 60 * H).found().map((f) => [f.personId, f.viaPersonId])).toEqual([[5, 3]]);
    // Without the household setting in the edition, the registry makes no contacts.
    const noHousehold = { ...edition, closeContact: { ...edition.closeContact, settings: edition.closeContact.settings.filter((x) => x !== 'household') } };
    expect([...tracerFor(noHousehold, recs, places).close(c, { coResidents: [3] }).personIds()]).toEqual([2]);
  });
});
