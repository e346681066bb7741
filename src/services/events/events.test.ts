/**
 * The event flow: what a write causes happens even when the process dies between the write and the handling (a
 * real kill -9 of a child process), handlers that fail are retried and then parked for a person to see, and every
 * path that writes contacts (confirm, retrace, catch-up, import) changes their codes, on both engines.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine, freshLocation } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { childEnv, testServices, type TestServices } from '../../../test/services.ts';
import { ROOT } from '../../api/main.ts';
import { openServices } from '../../app/container.ts';
import { hashIdNumber } from '../../domain/identity.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { SettableClock, systemClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import { openStore, type StoreLocation } from '../../storage/store.ts';
import { confirmCase } from '../cases/confirmCase.ts';
import { retraceCase } from '../cases/retraceCase.ts';
import { catchUp } from '../tracing/traceCase.ts';
import { EventDispatcher, type EventHandler } from './dispatcher.ts';

const run = promisify(execFile);
const edition = loadEdition('ed8-delta-2021');
const H = 3600;

describeEachEngine('event flow', (engine) => {
  it('handles what a killed process wrote: an imported case is traced and its contacts\' codes change at the next start', async () => {
    const { where, drop } = await freshLocation(engine);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-kill-store-'));
    const loc: StoreLocation = 'sqliteFile' in where ? { sqliteFile: path.join(dir, 'cordon.sqlite') } : where;
    try {
      const child = await run('node', ['--import', 'tsx', path.join(ROOT, 'test/scripts/importThenKill.ts')], { cwd: ROOT, env: childEnv({ CORDON_TEST_WHERE: JSON.stringify(loc) }) })
        .then(() => ({ signal: null as string | null, stdout: '' }), (e: { signal: string; stdout: string }) => e);
      expect(child.signal).toBe('SIGKILL');
      expect(child.stdout).toContain('written');
      const store = await openStore(loc);
      try {
        // The case and the events are stored; nothing was handled: no contacts, no codes.
        const c = (await store.cases.byCaseNo('K-1'))!;
        expect(c).toBeDefined();
        expect((await store.cases.contactCounts(c.id)).close).toBe(0);
        expect((await store.events.counts(5)).pending).toBeGreaterThan(0);
        const contactId = (await store.persons.idsByHash([hashIdNumber(idNumber(2), 'kill-key-0123456789')])).values().next().value!;
        expect(await store.codes.current(contactId)).toBeUndefined();
        // The next start handles them.
        const s = await openServices({ store, edition, clock: systemClock, codeSecret: 'x' });
        const r = await s.events.settle();
        expect(r.failed).toBe(0);
        expect((await store.cases.contactCounts(c.id)).close).toBe(1);
        expect((await store.codes.current(contactId))!.colour).toBe('red');
        expect((await store.codes.current(c.personId))!.colour).toBe('red');
        expect((await store.events.counts(5)).pending).toBe(0);
        // Handling again changes nothing (idempotent).
        expect(await s.events.settle()).toEqual({ handled: 0, failed: 0 });
        expect((await store.codes.transitionsOf(contactId))).toHaveLength(1);
      } finally {
        await store.close();
      }
    } finally {
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('with a store of its own', () => {
    let ts: TestServices;
    const now = 1_700_000_000;
    beforeEach(async () => {
      ts = await testServices(engine, now);
      await ts.s.store.regions.insertMany(MINI_REGIONS);
      await ts.s.store.persons.insertMany([1, 2, 3, 4].map((i) => personRow(i, i === 1 ? { idHash: hashIdNumber(idNumber(1), 'test-key-0123456789') } : {})));
    });
    afterEach(async () => { await ts?.close(); });

    it('retries a failing handler with a growing delay, then parks the event with its error; other events go on', async () => {
      const { store } = ts.s;
      let calls = 0;
      const failing: EventHandler = { name: 'flaky', kinds: ['link.set'], handle: async () => { calls++; throw new Error('the chain store is down'); } };
      const clock = new SettableClock(now);
      const d = new EventDispatcher(store, [failing], systemCtx(clock), { maxAttempts: 3, retryAfterSeconds: 10 });
      await store.transaction((tx) => tx.events.append([{ kind: 'link.set', payload: { infectorCaseId: 1, infecteeCaseId: 2 } }, { kind: 'test.recorded', payload: { personIds: [1] } }], 'test', now));
      expect(await d.settle()).toEqual({ handled: 1, failed: 1 });
      expect(calls).toBe(1);
      expect(await d.settle()).toEqual({ handled: 0, failed: 0 }); // not due yet
      clock.advance(10);
      expect(await d.settle()).toEqual({ handled: 0, failed: 1 });
      clock.advance(19);
      expect((await d.settle()).failed).toBe(0); // second retry due after 20 s
      clock.advance(1);
      expect((await d.settle()).failed).toBe(1);
      expect(calls).toBe(3);
      clock.advance(3600);
      expect(await d.settle()).toEqual({ handled: 0, failed: 0 }); // parked
      expect(await store.events.counts(3)).toEqual({ pending: 1, parked: 1 });
      const [parked] = await store.events.parked(3, 10);
      expect(parked).toMatchObject({ event: { kind: 'link.set', attempts: 3 }, error: expect.stringContaining('flaky: Error: the chain store is down') });
    });

    it('a handler that fails leaves nothing of its event behind (its transaction rolls back)', async () => {
      const { store } = ts.s;
      const half: EventHandler = {
        name: 'half', kinds: ['test.recorded'],
        handle: async ({ tx }) => { await tx.meta.set('half', 'written'); throw new Error('after a write'); },
      };
      const d = new EventDispatcher(store, [half], systemCtx(new SettableClock(now)), { maxAttempts: 1 });
      await store.transaction((tx) => tx.events.append([{ kind: 'test.recorded', payload: { personIds: [1] } }], 'test', now));
      expect((await d.settle()).failed).toBe(1);
      expect(await store.meta.get('half')).toBeUndefined();
    });
  });
});

describeEachEngine('every path that writes contacts changes their codes before it answers', (engine) => {
  let ts: TestServices;
  const now = 1_700_000_000;
  const hall = async () => (await ts.s.store.places.byCode('HALL'))!.id;
  beforeEach(async () => {
    ts = await testServices(engine, now);
    const { store } = ts.s;
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3, 4, 5].map((i) => personRow(i, { idHash: hashIdNumber(idNumber(i), 'test-key-0123456789') })));
    await store.places.insertMany([{ code: 'HALL', name: '演出厅', category: 'theatre', regionCode: '430102001001', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    await store.presence.insertMany([{ personId: 1, placeId: await hall(), start: now - 30 * H, end: now - 27 * H, source: 'venue_scan', seat: null, carriage: null }]);
    await ts.s.codes.recompute([1, 2, 3, 4, 5], 'initial', now - 2 * H);
  });
  afterEach(async () => { await ts?.close(); });
  const report = { caseNo: 'P-1', personId: 1, kind: 'confirmed' as const, onsetAt: now - 24 * H, sampledAt: now - 3 * H, confirmedAt: now - H, isolatedAt: now - H, severity: 'mild' as const, hospitalPlaceId: null, detectedBy: 'symptoms' as const };
  const colours = async () => [...(await ts.s.store.codes.currentOf([2, 3, 4, 5])).values()].map((c) => c.colour);
  /** Presence of `ids` in the hall with the case, stored directly (as another process's import would). */
  const arrive = async (ids: number[]) => {
    const placeId = await hall();
    await ts.s.store.presence.insertMany(ids.map((p) => ({ personId: p, placeId, start: now - 29 * H, end: now - 28 * H, source: 'venue_scan' as const, seat: null, carriage: null })));
  };

  it('confirm', async () => {
    await arrive([2, 3, 4, 5]);
    const r = await confirmCase(ts.ctx, ts.s, report);
    expect(r.codes).toMatchObject({ changed: 5, colours: { red: 5 } });
    expect(await colours()).toEqual(['red', 'red', 'red', 'red']);
  });

  it('retrace', async () => {
    await confirmCase(ts.ctx, ts.s, report);
    await arrive([2, 3, 4, 5]);
    expect(await colours()).toEqual(['green', 'green', 'green', 'green']);
    const r = await retraceCase(ts.ctx, ts.s, 1);
    expect(r.written).toBe(4);
    expect(await colours()).toEqual(['red', 'red', 'red', 'red']);
  });

  it('catch-up (presence stored by another process)', async () => {
    await confirmCase(ts.ctx, ts.s, report);
    await arrive([2, 3, 4, 5]);
    expect(await catchUp({ ctx: ts.ctx, store: ts.s.store, engine: await ts.s.tracing(), edition })).toMatchObject({ added: 4, retraced: 1, written: 4 });
    await ts.s.events.settle();
    expect(await colours()).toEqual(['red', 'red', 'red', 'red']);
  });

  it('import of a case (traced as of its confirmation)', async () => {
    await arrive([2, 3, 4, 5]);
    const t = (s: number) => new Date((s + 8 * H) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const r = await ts.feed('cases', ['case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at', `P-1,${idNumber(1)},confirmed,${t(now - 24 * H)},${t(now - 3 * H)},${t(now - H)},${t(now - H)}`]);
    expect(r.inserted).toBe(1);
    expect(await colours()).toEqual(['red', 'red', 'red', 'red']);
    const contacts = await ts.s.store.cases.contactsOfCase(1);
    expect(contacts.map((c) => c.identifiedAt)).toEqual([now - H, now - H, now - H, now - H]);
  });
});
