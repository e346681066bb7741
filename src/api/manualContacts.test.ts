/**
 * Contacts an investigator enters (POST /api/cases/:id/contacts), on both engines, on the field cases' trace-window
 * world: case A (onset 09-20 10:00, isolated 09-22 08:00) with close contacts B, E7, D, U and C secondary via B. The
 * exposure must fall where tracing would look for it (the case's infectious window; a secondary contact's from its
 * close contact's exposure until close contacts are isolated), a secondary contact names a close contact of the same
 * case, and a person is not a close and a secondary contact of one case at once. Every refusal writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rowCounts } from '../../test/counts.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { caseWindow, contactIsolationDeadline } from '../domain/rules/caseWindow.ts';
import { DAY, formatTime, parseTime } from '../domain/time.ts';

const t = (s: string) => parseTime(s)!;
const text = (epoch: number) => formatTime(epoch).slice(0, 16).replace('T', ' ');
const H = 3600;

describeEachEngine('api: contacts investigators enter', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  let caseA: { id: number; caseNo: string; onsetAt: number; sampledAt: number; confirmedAt: number; isolatedAt: number; detectedBy: 'symptoms' };
  /** Contact ids under case A by label. */
  let contactOf: Record<string, number>;
  beforeEach(async () => {
    w = await fieldWorld(engine);
    app = await fieldApp(w);
    const r = await app.inject({
      method: 'POST', url: '/api/cases',
      payload: { caseNo: 'BH-A', personId: await w.id('A'), kind: 'confirmed', onsetAt: '2021-09-20 10:00', sampledAt: '2021-09-21 09:00', confirmedAt: '2021-09-22 08:00', isolatedAt: '2021-09-22 08:00', detectedBy: 'symptoms' },
    });
    expect(r.statusCode, r.body).toBe(201);
    caseA = { id: r.json().case.id, caseNo: 'BH-A', onsetAt: t('2021-09-20 10:00'), sampledAt: t('2021-09-21 09:00'), confirmedAt: t('2021-09-22 08:00'), isolatedAt: t('2021-09-22 08:00'), detectedBy: 'symptoms' };
    contactOf = {};
    for (const k of await w.s.store.cases.contactsOfCase(caseA.id)) for (const l of ['B', 'E7', 'D', 'U', 'C']) if ((await w.id(l)) === k.personId) contactOf[l] = k.id;
    expect(Object.keys(contactOf).sort()).toEqual(['B', 'C', 'D', 'E7', 'U']);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const add = async (body: Record<string, unknown>, caseId = caseA.id) => {
    const r = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/contacts`, payload: { reason: 'same minibus, by interview', placeId: null, ...body } });
    return { status: r.statusCode, body: r.json() };
  };
  /** Sends a request that must be refused with `status` and `code`, and checks that it wrote nothing. */
  const refused = async (body: Record<string, unknown>, status: number, code: string) => {
    const before = await rowCounts(w.s.store);
    const r = await add(body);
    expect({ status: r.status, code: r.body.error?.code }, JSON.stringify(body)).toEqual({ status, code });
    expect(await rowCounts(w.s.store)).toEqual(before);
    return r.body.error;
  };

  it('takes a close contact only within the case\'s infectious window (from the edition\'s days before onset until isolation): 422 EXPOSURE_OUTSIDE_WINDOW outside it', async () => {
    const window = caseWindow(caseA, w.s.edition);
    expect(window).toEqual({ from: caseA.onsetAt - w.s.edition.caseWindow.daysBeforeOnset * DAY, to: caseA.isolatedAt });
    const z = await w.id('Z');
    const before = await refused({ personId: z, kind: 'close', firstExposure: text(window.from - 2 * H), lastExposure: text(window.from - H) }, 422, 'EXPOSURE_OUTSIDE_WINDOW');
    expect(before.details).toEqual([{ field: 'firstExposure', reason: expect.stringContaining(formatTime(window.from)) }]);
    const after = await refused({ personId: z, kind: 'close', firstExposure: text(window.to + H), lastExposure: text(window.to + 2 * H) }, 422, 'EXPOSURE_OUTSIDE_WINDOW');
    expect(after.details).toEqual([{ field: 'lastExposure', reason: expect.stringContaining(formatTime(window.to)) }]);
    // Half in, half out is not inside either: the investigator gives the part within the window.
    await refused({ personId: z, kind: 'close', firstExposure: text(window.to - H), lastExposure: text(window.to + H) }, 422, 'EXPOSURE_OUTSIDE_WINDOW');
    // The window's own edges are inside.
    const ok = await add({ personId: z, kind: 'close', firstExposure: text(window.to - H), lastExposure: text(window.to) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ personId: z, kind: 'close', viaContactId: null, origin: 'investigator' });
  });

  it('takes a secondary contact only through a close contact of the same case, within that contact\'s exposure until isolation', async () => {
    const l = await w.id('L');
    const b = (await w.s.store.cases.contact(contactOf.B))!;
    const deadline = contactIsolationDeadline(caseA.confirmedAt, w.s.edition);
    const inside = { firstExposure: text(b.firstExposure + H), lastExposure: text(b.firstExposure + 2 * H) };
    // Without the close contact it came through, or a close contact naming one: the body's shape (400).
    await refused({ personId: l, kind: 'secondary', ...inside }, 400, 'VALIDATION_FAILED');
    await refused({ personId: l, kind: 'close', viaContactId: contactOf.B, ...inside }, 400, 'VALIDATION_FAILED');
    // Through a secondary contact, a contact that does not exist, or a close contact of another case: 422.
    await refused({ personId: l, kind: 'secondary', viaContactId: contactOf.C, ...inside }, 422, 'UNKNOWN_REFERENCE');
    await refused({ personId: l, kind: 'secondary', viaContactId: 999_999, ...inside }, 422, 'UNKNOWN_REFERENCE');
    const caseB = await app.inject({ method: 'POST', url: '/api/cases', payload: { caseNo: 'BH-B', personId: await w.id('B'), kind: 'confirmed', onsetAt: '2021-09-23 10:00', sampledAt: '2021-09-23 12:00', confirmedAt: '2021-09-24 08:00', detectedBy: 'symptoms' } });
    const closeOfB = (await w.s.store.cases.contactsOfCase(caseB.json().case.id)).find((k) => k.kind === 'close')!;
    const error = await refused({ personId: l, kind: 'secondary', viaContactId: closeOfB.id, ...inside }, 422, 'UNKNOWN_REFERENCE');
    expect(error.details).toEqual([{ field: 'viaContactId', reason: 'not a close contact of case BH-A' }]);
    // Before the close contact met the case, or after close contacts are isolated: outside the window.
    await refused({ personId: l, kind: 'secondary', viaContactId: contactOf.B, firstExposure: text(b.firstExposure - 2 * H), lastExposure: text(b.firstExposure - H) }, 422, 'EXPOSURE_OUTSIDE_WINDOW');
    await refused({ personId: l, kind: 'secondary', viaContactId: contactOf.B, firstExposure: text(deadline + H), lastExposure: text(deadline + 2 * H) }, 422, 'EXPOSURE_OUTSIDE_WINDOW');
    // After the case's isolation but before B's: a secondary contact through B, stored with B's record as its way.
    const ok = await add({ personId: l, kind: 'secondary', viaContactId: contactOf.B, firstExposure: text(caseA.isolatedAt + H), lastExposure: text(caseA.isolatedAt + 2 * H) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ personId: l, kind: 'secondary', viaContactId: contactOf.B, origin: 'investigator' });
  });

  it('refuses a person as a secondary contact of a case whose close contact they are, and the other way round (409 CONFLICT)', async () => {
    const window = caseWindow(caseA, w.s.edition);
    const b = (await w.s.store.cases.contact(contactOf.B))!;
    const inside = { firstExposure: text(b.firstExposure + H), lastExposure: text(b.firstExposure + 2 * H) };
    // D is a close contact of A (found by tracing); C a secondary one.
    const d = await refused({ personId: await w.id('D'), kind: 'secondary', viaContactId: contactOf.B, ...inside }, 409, 'CONFLICT');
    expect(d.message).toContain('already a close contact of case BH-A');
    const c = await refused({ personId: await w.id('C'), kind: 'close', firstExposure: text(window.to - 2 * H), lastExposure: text(window.to - H) }, 409, 'CONFLICT');
    expect(c.message).toContain('already a secondary contact of case BH-A');
    // Entered by an investigator first, the same holds.
    const l = await w.id('L');
    expect((await add({ personId: l, kind: 'secondary', viaContactId: contactOf.B, ...inside })).status).toBe(201);
    await refused({ personId: l, kind: 'close', firstExposure: text(window.to - 2 * H), lastExposure: text(window.to - H) }, 409, 'CONFLICT');
    await refused({ personId: l, kind: 'secondary', viaContactId: contactOf.B, ...inside }, 409, 'CONFLICT');
    expect((await w.s.store.cases.contactsOfCase(caseA.id)).filter((k) => k.personId === l).map((k) => k.kind)).toEqual(['secondary']);
  });
});
