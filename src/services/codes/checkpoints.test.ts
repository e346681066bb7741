/**
 * Checkpoints at the service, by the edition's policy of each kind: registering one (its own place when it has none),
 * the airport's itinerary, vaccination and arrival-test steps with their windows (48 h from a province with local
 * cases, 72 h otherwise) on both sides, temperatures at their limits, the policies without a code colour step, the
 * registered presence's length and source per kind, and the disinfection step of the cargo policy.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { TEST_KEY, testServices, type TestServices } from '../../../test/services.ts';
import { hashIdNumber } from '../../domain/identity.ts';
import type { Checkpoint, Evidence } from '../../domain/model/index.ts';
import { DAY, HOUR, parseTime } from '../../domain/time.ts';
import type { CheckpointKind } from '../../domain/vocab.ts';
import { gateReason } from '../../domain/rules/healthCode.ts';
import { CHECKPOINT_PLACE, check, createCheckpoint, type CheckInput } from './checkpoints.ts';

const t = (text: string) => parseTime(text)!;
const NOW = t('2021-08-05 12:00');

describeEachEngine('checkpoints by policy', (engine) => {
  let ts: TestServices;
  let ids: number[];
  const cp = (kind: CheckpointKind, code = `CP-${kind}`) => createCheckpoint(ts.ctx, ts.s, { code, name: kind, kind, placeId: null, regionCode: '430102001001' });
  const at = async (c: Checkpoint, person: number, input: Partial<CheckInput> = {}, when = NOW) => {
    ts.clock.set(when);
    const { token } = await ts.s.codes.issue(ids[person], when);
    return check(ts.ctx, ts.s, c, { token, temperatureC: 36.5, fromLocalCaseProvince: false, disinfected: false, ...input });
  };
  const step = (r: Awaited<ReturnType<typeof check>>, name: string) => r.steps.find((x) => x.step === name);
  const vaccinate = (person: number) => ts.s.store.persons.insertVaccinations([{ personId: ids[person], dose: 1, vaccine: 'inactivated', vaccinatedAt: NOW - 30 * 86400, site: null }]);
  const negativeAt = (person: number, sampledAt: number, n: number) => ts.s.store.samples.insertMany([{ sampleNo: `N-${person}-${n}`, personId: ids[person], method: 'single', poolId: null, sampledAt, result: 'negative', resultAt: sampledAt + 3600, lab: null }]);

  beforeEach(async () => {
    ts = await testServices(engine, NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.feed('persons', ['id_number,name,community_code', ...Array.from({ length: 6 }, (_, i) => `${idNumber(i + 1)},P${i + 1},430102001001`)]);
    const all = await ts.s.store.persons.idsByHash(Array.from({ length: 6 }, (_, i) => hashIdNumber(idNumber(i + 1), TEST_KEY)));
    ids = Array.from({ length: 6 }, (_, i) => all.get(hashIdNumber(idNumber(i + 1), TEST_KEY))!);
    await ts.s.codes.recompute(ids, 'initial', NOW);
  });
  afterEach(async () => { await ts?.close(); });

  it('registers a checkpoint with a place of its own kind when it has none, and refuses an unknown place or region or a code twice', async () => {
    for (const kind of Object.keys(CHECKPOINT_PLACE) as CheckpointKind[]) {
      const c = await cp(kind);
      expect(await ts.s.store.places.get(c.placeId!), kind).toMatchObject({ code: `CP-CP-${kind}`, category: CHECKPOINT_PLACE[kind], regionCode: '430102001001', name: kind, status: 'open' });
    }
    expect(CHECKPOINT_PLACE).toMatchObject({ community_gate: 'compound_gate', medical_institution: 'clinic', cargo: 'airport', venue: 'compound_gate' });
    const place = (await ts.s.store.places.byCode('CP-CP-airport'))!;
    const withPlace = await createCheckpoint(ts.ctx, ts.s, { code: 'G2', name: 'gate 2', kind: 'airport', placeId: place.id, regionCode: '430102001001' });
    expect(withPlace.placeId).toBe(place.id);
    expect(await ts.s.store.places.byCode('CP-G2')).toBeUndefined();
    await expect(createCheckpoint(ts.ctx, ts.s, { code: 'G3', name: 'x', kind: 'airport', placeId: 999_999, regionCode: '430102001001' })).rejects.toMatchObject({ kind: 'unknown_reference', code: 'UNKNOWN_REFERENCE', message: 'No place with id 999999.' });
    await expect(createCheckpoint(ts.ctx, ts.s, { code: 'G3', name: 'x', kind: 'airport', placeId: null, regionCode: '439999' })).rejects.toMatchObject({ kind: 'unknown_reference', code: 'UNKNOWN_REFERENCE', message: 'No region 439999.' });
    await expect(cp('airport')).rejects.toMatchObject({ kind: 'conflict', code: 'CONFLICT', message: 'Checkpoint CP-airport already exists.' });
    expect(await ts.s.store.places.byCode('CP-G3')).toBeUndefined();
  });

  it('at an airport asks for a vaccination and a negative test within 72 h, or 48 h from a province with local cases, to the hour', async () => {
    const airport = await cp('airport');
    const none = await at(airport, 0);
    expect(none.verdict).toBe('deny');
    expect(step(none, 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: true, detail: 'green' });
    expect(step(none, 'vaccination')).toEqual({ step: 'vaccination', ok: false, detail: 'no vaccination record' });
    expect(step(none, 'arrival_test')).toEqual({ step: 'arrival_test', ok: false, detail: 'no negative test sampled within 72 h: to the epidemiology desk' });
    await vaccinate(0);
    await negativeAt(0, NOW - 72 * HOUR, 1);
    const ok = await at(airport, 0);
    expect(step(ok, 'vaccination')).toEqual({ step: 'vaccination', ok: true, detail: '1 dose(s) recorded' });
    expect(step(ok, 'arrival_test')).toEqual({ step: 'arrival_test', ok: true, detail: 'negative test sampled within 72 h' });
    expect(ok.verdict).toBe('pass');
    // One second older is outside; from a province with local cases 48 h apply.
    await vaccinate(1);
    await negativeAt(1, NOW - 72 * HOUR - 1, 2);
    expect(step(await at(airport, 1), 'arrival_test')?.ok).toBe(false);
    await negativeAt(1, NOW - 48 * HOUR, 3);
    expect(step(await at(airport, 1, { fromLocalCaseProvince: true }), 'arrival_test')).toEqual({ step: 'arrival_test', ok: true, detail: 'negative test sampled within 48 h' });
    await negativeAt(2, NOW - 48 * HOUR - 1, 4);
    expect(step(await at(airport, 2, { fromLocalCaseProvince: true }), 'arrival_test')).toMatchObject({ ok: false, detail: 'no negative test sampled within 48 h: to the epidemiology desk' });
    // A test sampled after the check is not one the traveller has.
    await negativeAt(3, NOW + 60, 5);
    expect(step(await at(airport, 3), 'arrival_test')?.ok).toBe(false);
  });

  it('registers a passed airport check as 60 minutes of gate presence at the airport\'s place, and a tollgate\'s as 5', async () => {
    const airport = await cp('airport');
    await vaccinate(0);
    await negativeAt(0, NOW - HOUR, 1);
    const r = await at(airport, 0);
    expect(step(r, 'register')).toEqual({ step: 'register', ok: true, detail: 'entry registered (counts as presence until 13:00)' });
    expect(await ts.s.store.presence.ofPerson(ids[0])).toEqual([expect.objectContaining({ placeId: airport.placeId, start: NOW, end: NOW + 3600, source: 'gate_registration' })]);
    const toll = await cp('tollgate');
    await at(toll, 1);
    expect(await ts.s.store.presence.ofPerson(ids[1])).toEqual([expect.objectContaining({ placeId: toll.placeId, start: NOW, end: NOW + 300, source: 'gate_registration' })]);
  });

  it('takes temperatures to the limit and refuses readings outside the plausible range, saying why', async () => {
    const bus = await cp('bus_station');
    expect(step(await at(bus, 0, { temperatureC: null }), 'temperature')).toEqual({ step: 'temperature', ok: false, detail: 'temperature not taken' });
    expect(step(await at(bus, 0, { temperatureC: Number.NaN }), 'temperature')).toEqual({ step: 'temperature', ok: false, detail: 'temperature not taken' });
    expect(step(await at(bus, 0, { temperatureC: 30 }), 'temperature')?.ok).toBe(true);
    expect(step(await at(bus, 0, { temperatureC: 29.9 }), 'temperature')).toEqual({ step: 'temperature', ok: false, detail: 'implausible reading 29.9 C (expected 30-43 C): measure again' });
    expect(step(await at(bus, 0, { temperatureC: 43.1 }), 'temperature')).toMatchObject({ ok: false, detail: 'implausible reading 43.1 C (expected 30-43 C): measure again' });
    // An implausible reading, or none, is no fever: the code stays green.
    expect((await ts.s.store.codes.current(ids[0]))?.colour).toBe('green');
    expect(step(await at(bus, 1, { temperatureC: 37.3 }), 'temperature')).toEqual({ step: 'temperature', ok: true, detail: '37.3 C (limit 37.3 C)' });
    expect((await ts.s.store.codes.current(ids[1]))?.colour).toBe('green');
    // Above the limit is a fever: the code is yellow before the answer.
    expect(step(await at(bus, 1, { temperatureC: 37.4 }), 'temperature')).toEqual({ step: 'temperature', ok: false, detail: '37.4 C (limit 37.3 C)' });
    expect((await ts.s.store.codes.current(ids[1]))?.colour).toBe('yellow');
    // The top of the plausible range is still a reading, and a fever.
    expect(step(await at(bus, 3, { temperatureC: 43 }), 'temperature')).toEqual({ step: 'temperature', ok: false, detail: '43.0 C (limit 37.3 C)' });
    expect((await ts.s.store.codes.current(ids[3]))?.colour).toBe('yellow');
  });

  it('lets a yellow code into a clinic (its policy verifies the code but asks no colour), and denies it at a bus station', async () => {
    const clinic = await cp('medical_institution');
    const bus = await cp('bus_station');
    await at(bus, 2, { temperatureC: 38 });
    expect((await ts.s.store.codes.current(ids[2]))?.colour).toBe('yellow');
    const visit = await at(clinic, 2, {}, NOW + 60);
    expect(visit.verdict).toBe('pass');
    expect(visit.steps.map((x) => x.step)).toEqual(['verify_code', 'temperature', 'register']);
    const denied = await at(bus, 2, {}, NOW + 120);
    expect(denied.verdict).toBe('deny');
    expect(step(denied, 'code_green')?.detail).toMatch(/^yellow: /);
    expect(step(denied, 'itinerary_green')?.ok).toBe(true);
  });

  it('denies a token that names nobody at every step that needs a person, registers nothing and writes the check with its reasons', async () => {
    const airport = await cp('airport');
    ts.clock.set(NOW);
    const r = await check(ts.ctx, ts.s, airport, { token: 'not a token', temperatureC: 39, fromLocalCaseProvince: false, disinfected: false });
    expect(r).toMatchObject({ verdict: 'deny', personId: null, colour: null });
    expect(r.steps).toEqual([
      { step: 'verify_code', ok: false, detail: 'token malformed: not a CDN1 token' },
      { step: 'code_green', ok: false, detail: 'no code' },
      { step: 'itinerary_green', ok: false, detail: 'no verified person' },
      { step: 'temperature', ok: false, detail: '39.0 C (limit 37.3 C)' },
      { step: 'vaccination', ok: false, detail: 'no vaccination record' },
      { step: 'arrival_test', ok: false, detail: 'no negative test sampled within 72 h: to the epidemiology desk' },
      { step: 'register', ok: false, detail: 'nobody to register: no verified person' },
    ]);
    const records = (await ts.s.store.control.checksAt(airport.id, { limit: 10 })).items;
    expect(records).toEqual([expect.objectContaining({ personId: null, at: NOW, temperatureC: 39, verdict: 'deny', reasons: [
      'FAIL verify_code: token malformed: not a CDN1 token', 'FAIL code_green: no code', 'FAIL itinerary_green: no verified person', 'FAIL temperature: 39.0 C (limit 37.3 C)',
      'FAIL vaccination: no vaccination record', 'FAIL arrival_test: no negative test sampled within 72 h: to the epidemiology desk', 'FAIL register: nobody to register: no verified person',
    ] })]);
    // A fever of nobody is no fever: the check's event says so, and no presence was recorded.
    const events = await ts.s.store.events.since(0, 100);
    expect(events.filter((e) => e.kind === 'check.recorded').map((e) => e.payload)).toEqual([{ personId: null, checkpointId: airport.id, fever: false, temperatureC: 39 }]);
    expect(events.filter((e) => e.kind === 'presence.recorded' && e.at === NOW)).toEqual([]);
  });

  it('keeps the person of a token whose code changed since: their steps are checked, the code step says the new colour, nothing is registered', async () => {
    const bus = await cp('bus_station');
    ts.clock.set(NOW);
    const { token } = await ts.s.codes.issue(ids[4], NOW);
    await ts.s.store.samples.insertMany([{ sampleNo: 'POS-4', personId: ids[4], method: 'single', poolId: null, sampledAt: NOW - HOUR, result: 'positive', resultAt: NOW - 60, lab: null }]);
    await ts.s.codes.recompute([ids[4]], 'test', NOW);
    const r = await check(ts.ctx, ts.s, bus, { token, temperatureC: 36.5, fromLocalCaseProvince: false, disinfected: false });
    expect(r).toMatchObject({ verdict: 'deny', personId: ids[4], colour: 'red' });
    expect(step(r, 'verify_code')).toEqual({ step: 'verify_code', ok: false, detail: 'the code turned red after this token was issued (green)' });
    expect(step(r, 'code_green')).toEqual({ step: 'code_green', ok: false, detail: 'red: the code turned red after this token was issued (green)' });
    expect(step(r, 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: true, detail: 'green' });
    expect(step(r, 'register')).toEqual({ step: 'register', ok: false, detail: 'not registered: the check was denied' });
    expect(await ts.s.store.presence.ofPerson(ids[4])).toEqual([]);
    // A passed registration's event names the presence it added.
    const toll = await cp('tollgate');
    await at(toll, 5, {}, NOW + 10);
    const added = (await ts.s.store.events.since(0, 100)).filter((e) => e.kind === 'presence.recorded' && e.at === NOW + 10);
    expect(added.map((e) => e.payload)).toEqual([{ count: 1, from: NOW + 10, to: NOW + 10 + 300 }]);
    const records = (await ts.s.store.control.checksAt(bus.id, { limit: 10 })).items;
    expect(records[0].reasons).toContain('ok itinerary_green: green');
  });

  it('counts a negative test sampled at the very second of the check, and says a closed venue\'s order', async () => {
    const airport = await cp('airport');
    await vaccinate(0);
    await negativeAt(0, NOW, 1);
    expect(step(await at(airport, 0), 'arrival_test')?.ok).toBe(true);
    const venue = await cp('venue');
    const place = (await ts.s.store.places.get(venue.placeId!))!;
    await ts.s.store.control.insertOrder({ orderNo: 'VO-9', action: 'close', categories: [place.category], regionCodes: ['430102'], startsAt: NOW - 60, endsAt: null, issuedBy: '长沙市指挥部' });
    expect(step(await at(venue, 1, {}, NOW + 1), 'venue_open')).toEqual({ step: 'venue_open', ok: false, detail: 'closed by order VO-9 (长沙市指挥部)' });
  });

  it('denies cargo without disinfection logged, and passes it with every check of its policy', async () => {
    const cargo = await cp('cargo');
    await vaccinate(0);
    await negativeAt(0, NOW - HOUR, 1);
    const dirty = await at(cargo, 0);
    expect(dirty.verdict).toBe('deny');
    expect(step(dirty, 'disinfect')).toEqual({ step: 'disinfect', ok: false, detail: 'disinfection not logged: the policy requires it before entry' });
    expect(step(dirty, 'register')).toEqual({ step: 'register', ok: false, detail: 'not registered: the check was denied' });
    const clean = await at(cargo, 0, { disinfected: true }, NOW + 60);
    expect(clean.verdict).toBe('pass');
    expect(clean.steps.map((x) => `${x.step}:${x.ok}`)).toEqual(['verify_code', 'code_green', 'itinerary_green', 'temperature', 'vaccination', 'arrival_test', 'disinfect', 'register'].map((x) => `${x}:true`));
    expect(step(clean, 'disinfect')?.detail).toBe('disinfection logged');
  });
  it('refuses the second of two checkpoints registered at once with one code: one is stored, with one place', async () => {
    const both = await Promise.allSettled([cp('tollgate', 'TWIN'), cp('tollgate', 'TWIN')]);
    expect(both.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(both.filter((x) => x.status === 'rejected').map((x) => (x as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ kind: 'conflict', code: 'CONFLICT', message: 'Checkpoint TWIN already exists.' }),
    ]);
    expect((await ts.s.store.control.checkpointByCode('TWIN'))?.id).toBeGreaterThan(0);
  });

  it('says a verified green code in words at the code steps, and an open venue\'s step says so', async () => {
    const venue = await cp('venue');
    const r = await at(venue, 0);
    expect(r.verdict).toBe('pass');
    expect(r.steps.slice(0, 2)).toEqual([{ step: 'verify_code', ok: true, detail: 'code verified' }, { step: 'code_green', ok: true, detail: 'green' }]);
    expect(step(r, 'venue_open')).toEqual({ step: 'venue_open', ok: true, detail: 'open' });
  });

  it('denies a token presented a second time as nobody\'s: no person is checked or registered', async () => {
    const toll = await cp('tollgate');
    ts.clock.set(NOW);
    const { token } = await ts.s.codes.issue(ids[0], NOW);
    const input = { token, temperatureC: 36.5, fromLocalCaseProvince: false, disinfected: false };
    expect((await check(ts.ctx, ts.s, toll, input)).verdict).toBe('pass');
    const again = await check(ts.ctx, ts.s, toll, input);
    expect(again).toMatchObject({ verdict: 'deny', personId: null });
    expect(step(again, 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: false, detail: 'no verified person' });
    expect(step(again, 'register')).toEqual({ step: 'register', ok: false, detail: 'nobody to register: no verified person' });
    expect(await ts.s.store.presence.ofPerson(ids[0])).toHaveLength(1);
  });

  it('fails the code step of a green code when the token said another colour', async () => {
    const bus = await cp('bus_station');
    ts.clock.set(NOW);
    const { token } = ts.s.codes.sign(ids[0], 'yellow', false, NOW);
    const r = await check(ts.ctx, ts.s, bus, { token, temperatureC: 36.5, fromLocalCaseProvince: false, disinfected: false });
    expect(r).toMatchObject({ verdict: 'deny', personId: ids[0], colour: 'green' });
    expect(step(r, 'verify_code')).toEqual({ step: 'verify_code', ok: false, detail: 'the code turned green after this token was issued (yellow)' });
    expect(step(r, 'code_green')).toEqual({ step: 'code_green', ok: false, detail: 'green' });
  });

  it('says every reason of a code that is not green once, with its colour, and an orange itinerary card of a close contact', async () => {
    const bus = await cp('bus_station');
    await ts.s.store.cases.insertMany([{ caseNo: 'C-1', personId: ids[5], kind: 'confirmed', onsetAt: null, sampledAt: NOW - DAY, confirmedAt: NOW - DAY, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    const caseId = (await ts.s.store.cases.byCaseNo('C-1'))!.id;
    const evidence: Evidence[] = [{ setting: 'household', rule: 'test', placeId: null, overlapStart: NOW - 2 * DAY, overlapEnd: NOW - 2 * DAY + HOUR, minutes: 60, seatDistance: null, sources: ['household'] }];
    await ts.s.store.cases.insertContacts([{ personId: ids[4], kind: 'close', indexCaseId: caseId, viaContactId: null, firstExposure: NOW - 2 * DAY, lastExposure: NOW - 2 * DAY + HOUR, evidence, status: 'identified', identifiedAt: NOW - DAY }]);
    await ts.s.codes.recompute([ids[4]], 'test', NOW);
    // A fever adds a second reason to the close contact's.
    await at(bus, 4, { temperatureC: 38.5 });
    const reasons = (await ts.s.store.codes.current(ids[4]))!.reasons;
    expect(reasons.length).toBeGreaterThan(1);
    const r = await at(bus, 4, {}, NOW + 60);
    expect(r.colour).not.toBe('green');
    // The gate's words already start with their colour: the step does not say it twice.
    expect(step(r, 'code_green')).toEqual({ step: 'code_green', ok: false, detail: reasons.map(gateReason).join('; ') });
    expect(step(r, 'code_green')?.detail).toMatch(/^(red|yellow): [a-z]/);
    expect(step(r, 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: false, detail: 'orange: close contact of a case' });
  });

  it('stars the itinerary step of a person who stayed in a city with a medium-risk area, and still passes it', async () => {
    const toll = await cp('tollgate');
    await ts.s.store.places.insertMany([{ code: 'CELL-1', name: 'cell', category: 'telecom_cell', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    const cell = (await ts.s.store.places.byCode('CELL-1'))!.id;
    const minStay = ts.s.edition.itinerary.minStayHours * HOUR;
    await ts.s.store.presence.insertMany([{ personId: ids[0], placeId: cell, start: NOW - 2 * DAY, end: NOW - 2 * DAY + minStay, source: 'telecom_stay', seat: null, carriage: null }]);
    expect(step(await at(toll, 0), 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: true, detail: 'green' });
    await ts.s.store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'medium', since: NOW - 30, reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} }]);
    expect(step(await at(toll, 0, {}, NOW + 60), 'itinerary_green')).toEqual({ step: 'itinerary_green', ok: true, detail: 'green (asterisk: a city on the card has a risk area)' });
  });

  it('counts only a negative test for arrivals: a pending one sampled in the window does not', async () => {
    const airport = await cp('airport');
    await vaccinate(0);
    await ts.s.store.samples.insertMany([{ sampleNo: 'PEND-0', personId: ids[0], method: 'single', poolId: null, sampledAt: NOW - HOUR, result: 'pending', resultAt: null, lab: null }]);
    expect(step(await at(airport, 0), 'arrival_test')).toMatchObject({ ok: false, detail: 'no negative test sampled within 72 h: to the epidemiology desk' });
  });

  it('calls a reading above the limit a fever in the check\'s event, at the limit none, and an unreadable one no reading', async () => {
    const bus = await cp('bus_station');
    const max = ts.s.edition.checkpoint.maxTemperatureC;
    await at(bus, 0, { temperatureC: max });
    await at(bus, 1, { temperatureC: max + 0.1 });
    await at(bus, 2, { temperatureC: Number.POSITIVE_INFINITY });
    const events = (await ts.s.store.events.since(0, 1000)).filter((e) => e.kind === 'check.recorded').map((e) => e.payload);
    expect(events).toEqual([
      { personId: ids[0], checkpointId: bus.id, fever: false, temperatureC: max },
      { personId: ids[1], checkpointId: bus.id, fever: true, temperatureC: max + 0.1 },
      { personId: ids[2], checkpointId: bus.id, fever: false, temperatureC: null },
    ]);
    const records = (await ts.s.store.control.checksAt(bus.id, { limit: 10 })).items;
    expect(records.find((x) => x.personId === ids[2])?.temperatureC).toBeNull();
  });
});
