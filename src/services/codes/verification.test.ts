/**
 * The health-code service's answers, word for word: each reason an online verification denies with (and what it
 * tells about the person), a token the service issued vouched for only when every character is its own, the itinerary
 * card's colour at its look-back boundary and its asterisk, a code evaluated on first request and again when its
 * validity runs out, what-if reads stored nowhere, and the counts a recompute returns.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { testServices, type TestServices } from '../../../test/services.ts';
import type { Evidence } from '../../domain/model/index.ts';
import { DAY, HOUR } from '../../domain/time.ts';
import { newSigningKey, TokenSigner } from '../../codes/token.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { HealthCodeService, tokenId } from './healthCodes.ts';

const NOW = 1_700_000_000;

describeEachEngine('health-code service answers', (engine) => {
  let ts: TestServices;
  const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { a: boolean; c: string; jti: string };
  const positive = (personId: number, n: number) => ts.s.store.samples.insertMany([{ sampleNo: `POS-${n}`, personId, method: 'single', poolId: null, sampledAt: NOW - HOUR, result: 'positive', resultAt: NOW - 60, lab: null }]);

  beforeEach(async () => {
    ts = await testServices(engine, NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.s.store.persons.insertMany([1, 2, 3, 4, 5].map((i) => personRow(i)));
  });
  afterEach(async () => { await ts?.close(); });

  it('denies with each reason in words, and says who and what only when the token names a person', async () => {
    expect(await ts.s.codes.verify('', NOW)).toEqual({ verdict: 'deny', colour: null, personId: null, fault: 'malformed', reasons: ['token malformed: no token'], payload: null });
    const life = ts.s.edition.healthCode.tokenLifetimeSeconds;
    const old = await ts.s.codes.issue(1, NOW);
    expect((await ts.s.codes.verify(old.token, NOW + life + 31)).reasons).toEqual(['token expired: expired 31 s ago']);
    // A token the province signed for somebody who is not one of its persons.
    const stranger = ts.s.codes.keys.signer().sign({ sub: 'not-a-pseudonym', c: 'green', a: false, iat: NOW, exp: NOW + life });
    expect(await ts.s.codes.verify(stranger, NOW)).toMatchObject({ verdict: 'deny', fault: 'unknown_person', personId: null, reasons: ['the token names no person of this province'], payload: expect.objectContaining({ sub: 'not-a-pseudonym' }) });
    // A person id with no code here.
    const nobody = ts.s.codes.sign(999_999, 'green', false, NOW).token;
    expect(await ts.s.codes.verify(nobody, NOW)).toMatchObject({ verdict: 'deny', fault: 'unknown_person', personId: 999_999, reasons: ['no health code for this person'], payload: expect.objectContaining({ c: 'green' }) });
    const fresh = await ts.s.codes.issue(1, NOW);
    expect(await ts.s.codes.verify(fresh.token, NOW)).toEqual({ verdict: 'pass', colour: 'green', personId: 1, fault: null, reasons: [], payload: expect.objectContaining({ c: 'green', jti: payloadOf(fresh.token).jti }) });
    expect(await ts.s.codes.verify(fresh.token, NOW + 1)).toMatchObject({ verdict: 'deny', fault: 'replayed', personId: 1, reasons: ['this token was already presented; show a fresh code'], payload: expect.objectContaining({ c: 'green' }) });
  });

  it('gives token ids that sort in issue order (time, then count) and differ between two services on one store', async () => {
    const other = await HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW);
    const ids = [NOW, NOW, NOW, NOW + 1, NOW + 59, NOW + 60].map((t) => payloadOf(ts.s.codes.sign(1, 'green', false, t).token).jti);
    expect(ids.every((id) => /^[0-9a-z]{12}[A-Za-z0-9_-]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // In issue order, unless the counter wrapped between two of them (once in 60 million tokens).
    const wrapped = ids.some((id, i) => i > 0 && id.slice(7, 12) < ids[i - 1].slice(7, 12));
    if (!wrapped) expect([...ids].sort()).toEqual(ids);
    expect(ids[3].slice(0, 7) > ids[2].slice(0, 7)).toBe(true);
    const theirs = payloadOf(other.sign(1, 'green', false, NOW).token).jti;
    expect(ids).not.toContain(theirs);
    expect(theirs.slice(0, 7)).toBe(ids[0].slice(0, 7));
  });

  it('says the code changed since the token, and gives a red code\'s own reasons with their colour and end', async () => {
    const green = await ts.s.codes.issue(2, NOW);
    await positive(2, 1);
    await ts.s.codes.recompute([2], 'test', NOW + 10);
    const code = (await ts.s.store.codes.current(2))!;
    expect(code.colour).toBe('red');
    expect(await ts.s.codes.verify(green.token, NOW + 20)).toMatchObject({ verdict: 'deny', fault: 'code_changed', colour: 'red', personId: 2, reasons: ['the code turned red after this token was issued (green)'] });
    const red = await ts.s.codes.issue(2, NOW + 30);
    expect(payloadOf(red.token).c).toBe('red');
    const v = await ts.s.codes.verify(red.token, NOW + 31);
    expect(v).toMatchObject({ verdict: 'deny', fault: null, colour: 'red', personId: 2 });
    // Said by condition and end, not by the detail (which may name a case): `red: positive single tube (until ...)`.
    expect(v.reasons).toEqual(code.reasons.map((r) => `${r.colour}: ${r.condition.replace(/_/g, ' ')} (until ${r.until})`));
    expect(v.reasons[0]).toMatch(/^red: positive single tube \(until /);
  });

  it('reads the stored code of a person it has not seen (another service on the store wrote it): pass for green, deny for red', async () => {
    await ts.s.codes.recompute([1, 2], 'initial', NOW);
    await positive(2, 9);
    await ts.s.codes.recompute([2], 'test', NOW);
    const other = await HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW);
    const green = ts.s.codes.sign(1, 'green', false, NOW).token;
    expect(await other.verify(green, NOW)).toMatchObject({ verdict: 'pass', colour: 'green', personId: 1 });
    const red = ts.s.codes.sign(2, 'red', false, NOW).token;
    expect(await other.verify(red, NOW)).toMatchObject({ verdict: 'deny', fault: null, colour: 'red', personId: 2 });
  });

  it('vouches for a token it issued only when every character is its own: the same id with another signature is checked', async () => {
    const { token } = await ts.s.codes.issue(3, NOW);
    const [p, body, sig] = token.split('.');
    const other = Buffer.from(sig, 'base64url');
    other[0] ^= 1;
    expect(await ts.s.codes.verify(`${p}.${body}.${other.toString('base64url')}`, NOW)).toMatchObject({ verdict: 'deny', fault: 'bad_signature' });
    expect(await ts.s.codes.verify(`${p}.${body}.${Buffer.alloc(63).toString('base64url')}`, NOW)).toMatchObject({ verdict: 'deny', fault: 'bad_signature' });
    expect((await ts.s.codes.verify(token, NOW)).verdict).toBe('pass');
  });

  it('evaluates a code on first request, keeps it while valid, and evaluates it again at the second its validity runs out', async () => {
    const first = await ts.s.codes.codeOf(4, NOW);
    expect(first).toMatchObject({ colour: 'green', since: NOW, validUntil: NOW + ts.s.edition.healthCode.greenValidHours * HOUR });
    expect((await ts.s.store.codes.transitionsOf(4)).map((x) => x.cause)).toEqual(['first request']);
    expect(await ts.s.codes.codeOf(4, first.validUntil - 1)).toEqual(first);
    expect((await ts.s.store.codes.transitionsOf(4))).toHaveLength(1);
    const again = await ts.s.codes.codeOf(4, first.validUntil);
    expect(again.validUntil).toBe(first.validUntil + ts.s.edition.healthCode.greenValidHours * HOUR);
    // Re-evaluated, still green: no new transition, but a new validity.
    expect(await ts.s.store.codes.expiring(first.validUntil, 10)).toEqual([]);
    await positive(4, 2);
    const refreshed = await ts.s.codes.refreshExpiring(again.validUntil);
    expect(refreshed).toEqual({ evaluated: 1, changed: 1, colours: { green: 0, yellow: 0, red: 1 }, newlyOverdueTest: [] });
    expect((await ts.s.store.codes.transitionsOf(4)).map((x) => x.cause)).toEqual(['first request', 'validity ran out']);
  });

  it('answers a what-if read from the facts of that moment and stores nothing', async () => {
    await ts.s.codes.recompute([5], 'initial', NOW);
    await positive(5, 3);
    const before = await ts.s.store.codes.transitionsOf(5);
    const later = await ts.s.codes.whatIf(5, NOW + 60);
    expect(later).toMatchObject({ personId: 5, colour: 'red', since: NOW + 60 });
    expect(await ts.s.codes.whatIf(5, NOW - 2 * HOUR)).toMatchObject({ personId: 5, colour: 'green', since: NOW - 2 * HOUR });
    expect(await ts.s.store.codes.transitionsOf(5)).toEqual(before);
    expect((await ts.s.store.codes.current(5))!.colour).toBe('green');
  });

  it('counts what a recompute evaluated and changed, by colour', async () => {
    expect(await ts.s.codes.recompute([], 'nothing', NOW)).toEqual({ evaluated: 0, changed: 0, colours: { green: 0, yellow: 0, red: 0 }, newlyOverdueTest: [] });
    expect(await ts.s.codes.recompute([1, 2, 3], 'initial', NOW)).toEqual({ evaluated: 3, changed: 3, colours: { green: 3, yellow: 0, red: 0 }, newlyOverdueTest: [] });
    await positive(1, 4);
    expect(await ts.s.codes.recompute([1, 2, 3], 'again', NOW + 1)).toEqual({ evaluated: 3, changed: 1, colours: { green: 2, yellow: 0, red: 1 }, newlyOverdueTest: [] });
  });

  it('colours the itinerary card orange for a close contact within the look-back, to the second, and not once released', async () => {
    const c = await ts.s.store.cases.insertMany([{ caseNo: 'C-1', personId: 1, kind: 'confirmed', onsetAt: null, sampledAt: NOW - 20 * DAY, confirmedAt: NOW - 20 * DAY, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
    expect(c).toBe(1);
    const caseId = (await ts.s.store.cases.byCaseNo('C-1'))!.id;
    const days = ts.s.edition.itinerary.lookBackDays;
    const last = NOW - days * DAY;
    const evidence: Evidence[] = [{ setting: 'household', rule: 'test', placeId: null, overlapStart: last - HOUR, overlapEnd: last, minutes: 60, seatDistance: null, sources: ['household'] }];
    await ts.s.store.cases.insertContacts([
      { personId: 2, kind: 'close', indexCaseId: caseId, viaContactId: null, firstExposure: last - HOUR, lastExposure: last, evidence, status: 'identified', identifiedAt: NOW - 19 * DAY },
      { personId: 3, kind: 'close', indexCaseId: caseId, viaContactId: null, firstExposure: last - HOUR, lastExposure: last - 1, evidence, status: 'identified', identifiedAt: NOW - 19 * DAY },
      { personId: 4, kind: 'close', indexCaseId: caseId, viaContactId: null, firstExposure: last - HOUR, lastExposure: last + HOUR, evidence, status: 'released', identifiedAt: NOW - 19 * DAY },
      { personId: 5, kind: 'companion', indexCaseId: caseId, viaContactId: null, firstExposure: last - HOUR, lastExposure: last + HOUR, evidence, status: 'identified', identifiedAt: NOW - 19 * DAY },
    ]);
    const colours = await Promise.all([2, 3, 4, 5].map(async (p) => (await ts.s.codes.itinerary(p, NOW)).colour));
    expect(colours).toEqual(['orange', 'green', 'green', 'green']);
    expect((await ts.s.codes.itinerary(2, NOW)).lookBackDays).toBe(days);
  });

  it('lists the cities of long telecom stays by name, with an asterisk where a medium- or high-risk area is now, and puts it in the token', async () => {
    await ts.s.store.places.insertMany([{ code: 'CELL-1', name: 'cell', category: 'telecom_cell', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    const cell = (await ts.s.store.places.byCode('CELL-1'))!.id;
    const minStay = ts.s.edition.itinerary.minStayHours * HOUR;
    await ts.s.store.presence.insertMany([{ personId: 1, placeId: cell, start: NOW - 2 * DAY, end: NOW - 2 * DAY + minStay, source: 'telecom_stay', seat: null, carriage: null }]);
    expect((await ts.s.codes.itinerary(1, NOW)).cities).toEqual([{ cityCode: '4301', name: '长沙市', asterisk: false }]);
    expect(payloadOf((await ts.s.codes.issue(1, NOW)).token).a).toBe(false);
    await ts.s.store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'low', since: NOW - 60, reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} }]);
    expect((await ts.s.codes.itinerary(1, NOW)).cities[0].asterisk).toBe(false);
    await ts.s.store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'medium', since: NOW - 30, reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} }]);
    expect((await ts.s.codes.itinerary(1, NOW)).cities).toEqual([{ cityCode: '4301', name: '长沙市', asterisk: true }]);
    expect(payloadOf((await ts.s.codes.issue(1, NOW + 1)).token).a).toBe(true);
    // A person with no long stay has no city, hence no asterisk.
    expect((await ts.s.codes.itinerary(2, NOW)).cities).toEqual([]);
    expect(payloadOf((await ts.s.codes.issue(2, NOW + 2)).token).a).toBe(false);
  });
  it('writes a token id\'s count in 5 base-36 digits, zero-padded, and counts the tokens it signs one by one', () => {
    const zeros = new Uint8Array(9);
    expect(tokenId(NOW, 0, zeros)).toBe(`${NOW.toString(36).padStart(7, '0')}00000AAAAAAAAAAAA`);
    expect(tokenId(NOW, 36 ** 5 + 35, zeros).slice(7, 12)).toBe('0000z');
    const counts = Array.from({ length: 12 }, () => Number.parseInt(payloadOf(ts.s.codes.sign(1, 'green', false, NOW).token).jti.slice(7, 12), 36));
    expect(counts.slice(1)).toEqual(counts.slice(0, -1).map((c) => (c + 1) % 36 ** 5));
  });

  it('checks the signature of a token it did not issue, and says the fault in words', async () => {
    const kid = ts.s.codes.keys.publicKeys()[0].kid;
    // Signed with another private key under the province's key id: not vouched for (its id was never issued here).
    const forged = new TokenSigner({ ...newSigningKey(kid), kid }).sign({ sub: ts.s.codes.pseudonymOf(1), c: 'green', a: false, iat: NOW, exp: NOW + 60 });
    expect(await ts.s.codes.verify(forged, NOW)).toMatchObject({ verdict: 'deny', fault: 'bad_signature', reasons: ['token bad signature: the signature does not match'] });
    // The pseudonym of a person names them in a token the province signs.
    await ts.s.codes.codeOf(2, NOW);
    const real = ts.s.codes.keys.signer().sign({ sub: ts.s.codes.pseudonymOf(2), c: 'green', a: false, iat: NOW, exp: NOW + 60 });
    expect(await ts.s.codes.verify(real, NOW)).toMatchObject({ verdict: 'pass', personId: 2 });
    await expect(ts.s.codes.close()).resolves.toBeUndefined();
  });

  it('records a change found when a code\'s validity ran out as caused by that', async () => {
    const first = await ts.s.codes.codeOf(4, NOW);
    await positive(4, 7);
    expect((await ts.s.codes.codeOf(4, first.validUntil)).colour).toBe('red');
    expect((await ts.s.store.codes.transitionsOf(4)).map((x) => x.cause)).toEqual(['first request', 'validity ran out']);
  });

  it('names a city of the itinerary card by its code when the region list does not have it', async () => {
    await ts.s.store.regions.insertMany([{ code: '430202', name: '荷塘区', level: 'county', parentCode: null, functionalZone: false }]);
    await ts.s.store.places.insertMany([{ code: 'CELL-2', name: 'cell', category: 'telecom_cell', regionCode: '430202', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    const cell = (await ts.s.store.places.byCode('CELL-2'))!.id;
    await ts.s.store.presence.insertMany([{ personId: 1, placeId: cell, start: NOW - 2 * DAY, end: NOW - 2 * DAY + ts.s.edition.itinerary.minStayHours * HOUR, source: 'telecom_stay', seat: null, carriage: null }]);
    expect((await ts.s.codes.itinerary(1, NOW)).cities).toEqual([{ cityCode: '4302', name: '4302', asterisk: false }]);
  });
  it('looks back for arrivals as far as the longer of the high- and medium-risk periods of an edition where they differ', async () => {
    const base = loadEdition('ed8-delta-2021');
    const edition = { ...base, riskAreas: { ...base.riskAreas, arrivalsFromMedium: { ...base.riskAreas.arrivalsFromMedium, days: 7 } } };
    expect(edition.riskAreas.arrivalsFromHigh.days).toBe(14);
    const other = await testServices(engine, NOW, { edition });
    try {
      const { store } = other.s;
      await store.regions.insertMany([...MINI_REGIONS, { code: '430202', name: '荷塘区', level: 'county', parentCode: null, functionalZone: false }]);
      await store.persons.insertMany([personRow(1)]);
      await store.places.insertMany([
        { code: 'AWAY', name: 'away', category: 'ktv', regionCode: '430202', lng: null, lat: null, status: 'open', vehicleSetting: null },
        { code: 'HOME', name: 'home', category: 'residence', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null },
      ]);
      const [away, home] = await Promise.all(['AWAY', 'HOME'].map(async (c) => (await store.places.byCode(c))!.id));
      // Left a high-risk area 10 days ago (within its 14 days, beyond the medium 7), seen at home since.
      await store.presence.insertMany([
        { personId: 1, placeId: away, start: NOW - 10 * DAY - HOUR, end: NOW - 10 * DAY, source: 'venue_scan', seat: null, carriage: null },
        { personId: 1, placeId: home, start: NOW - 9 * DAY, end: NOW - 9 * DAY + HOUR, source: 'household', seat: null, carriage: null },
      ]);
      await store.control.insertRiskAreas([{ regionCode: '430202', unitName: null, level: 'high', since: NOW - 20 * DAY, reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} }]);
      await other.s.codes.recompute([1], 'test', NOW);
      expect((await store.codes.current(1))?.reasons.map((r) => r.condition)).toEqual(['arrival_from_risk_area_untested']);
    } finally {
      await other.close();
    }
  });
});
