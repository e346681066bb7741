import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS, type PlaceCategory, type VehicleSetting } from '../domain/vocab.ts';
import { encodeSeat, PresenceColumns } from './columns.ts';
import { oracleClose, oracleCompanions, oracleSecondary, type OracleResult, type PlainPlace, type PlainRecord } from './oracle.ts';
import { PresenceIndex } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { Tracer, type ContactSet } from './tracer.ts';

const T0 = 1_627_000_000;
const H = 3600;

function tracerFor(edition: ProtocolEdition, recs: PlainRecord[], places: PlainPlace[]): Tracer {
  const cols = new PresenceColumns();
  for (const r of recs) cols.push(r.person, r.place, r.start, r.end, 0, encodeSeat(r.seat, r.carriage));
  const index = PresenceIndex.build(cols, places.length, 64);
  const category = new Uint8Array(places.map((p) => PLACE_CATEGORIES.indexOf(p.category)));
  const vehicle = new Uint8Array(places.map((p) => (p.vehicle ? VEHICLE_SETTINGS.indexOf(p.vehicle) : 255)));
  return new Tracer(index, { category, vehicle }, compileRules(edition));
}

const asSets = (set: ContactSet) => new Map(set.found().map((f) => [f.personId, new Set(f.evidence.map((e) => e.placeId))]));
const oracleSets = (o: OracleResult) => new Map([...o].map(([p, r]) => [p, r.places]));

const CATEGORIES: PlaceCategory[] = ['residence', 'office', 'restaurant', 'market', 'telecom_cell', 'vehicle', 'classroom'];
const placeArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  vehicle: fc.constantFrom<VehicleSetting>(...VEHICLE_SETTINGS),
}).map((p): PlainPlace => ({ category: p.category, vehicle: p.category === 'vehicle' ? p.vehicle : null }));
const recordArb = (nPlaces: number) => fc.record({
  person: fc.integer({ min: 1, max: 25 }),
  place: fc.integer({ min: 0, max: nPlaces - 1 }),
  start: fc.integer({ min: 0, max: 72 * 6 }).map((u) => T0 + u * 600),
  dur: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 240 })).map((u) => u * 600),
  seat: fc.option(fc.oneof(fc.integer({ min: 1, max: 30 }).map((r) => `${r}${'ABCDEF'[r % 6]}`), fc.constant('CREW')), { nil: null }),
  carriage: fc.option(fc.integer({ min: 1, max: 3 }).map(String), { nil: null }),
}).map((r): PlainRecord => ({ person: r.person, place: r.place, start: r.start, end: r.start + r.dur, seat: r.seat, carriage: r.carriage }));
const worldArb = fc.array(placeArb, { minLength: 1, maxLength: 12 }).chain((places) =>
  fc.tuple(fc.constant(places), fc.array(recordArb(places.length), { maxLength: 160 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 72 }), fc.integer({ min: 1, max: 72 })));

/** A version of an edition whose companion thresholds fit the random worlds (and prove the numbers are read). */
function smallCompanion(e: ProtocolEdition): ProtocolEdition {
  return { ...e, companion: { ...e.companion, minCumulativeHours: 6, lookBackDays: 2 } };
}

describe.each(['ed8-2021', 'ed8-delta-2021', 'ed9-2022'])('tracer equals the brute-force oracle [%s]', (id) => {
  const edition = smallCompanion(loadEdition(id));
  it('close, secondary and companions on random worlds', () => {
    fc.assert(fc.property(worldArb, ([places, recs, casePerson, fromH, lenH]) => {
      const tracer = tracerFor(edition, recs, places);
      const c = { personId: casePerson, from: T0 + fromH * H, to: T0 + (fromH + lenH) * H, confirmedAt: T0 + (fromH + lenH) * H };
      const close = tracer.close(c);
      const oClose = oracleClose(edition, recs, places, casePerson, c.from, c.to);
      expect(asSets(close)).toEqual(oracleSets(oClose));
      for (const f of close.found()) expect([f.firstExposure, f.lastExposure]).toEqual([oClose.get(f.personId)!.first, oClose.get(f.personId)!.last]);
      const until = c.confirmedAt + 12 * H;
      const secondary = tracer.secondary(c, close, () => until), oSecondary = oracleSecondary(edition, recs, places, casePerson, oClose, until);
      expect(asSets(secondary)).toEqual(oracleSets(oSecondary));
      for (const f of secondary.found()) {
        const o = oSecondary.get(f.personId)!;
        expect([f.firstExposure, f.lastExposure, f.viaPersonId]).toEqual([o.first, o.last, o.via]);
      }
      expect(asSets(tracer.companions(c, close))).toEqual(oracleSets(oracleCompanions(edition, recs, places, casePerson, c.confirmedAt, (p) => close.has(p))));
    }), { numRuns: 300 });
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
  it('exposuresOf lists every overlap with a case inside its window', () => {
    fc.assert(fc.property(worldArb, ([places, recs, casePerson, fromH, lenH]) => {
      const tracer = tracerFor(edition, recs, places);
      const w = { from: T0 + fromH * H, to: T0 + (fromH + lenH) * H };
      const windows = new Map([[casePerson, w]]);
      for (const person of [1, 2, 3, 4, 5]) {
        const expected = recs.filter((r) => r.person === person).flatMap((mine) => recs
          .filter((c) => c.person === casePerson && c.place === mine.place && person !== casePerson)
          .map((c) => [c.place, Math.max(mine.start, c.start, w.from), Math.min(mine.end, c.end, w.to)])
          .filter(([, s, e]) => e > s));
        const got = tracer.exposuresOf(person, windows).map((x) => [x.placeId, x.overlapStart, x.overlapEnd]);
        const sortKey = (a: number[]) => a.join(',');
        expect(got.map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
      }
    }), { numRuns: 200 });
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
