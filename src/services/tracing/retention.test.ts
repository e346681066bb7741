/**
 * Retention of presence on both engines: records that ended more than the retention before now are deleted from
 * storage, and the tracing index and its snapshot forget them (a restart from the snapshot holds what storage holds);
 * records inside the retention, and a stay that ends inside it, are kept; 0 days keeps everything.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { DAY, HOUR } from '../../domain/time.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { TracingEngine } from './engine.ts';
import { purgeOldPresence } from './retention.ts';

const NOW = 1_700_000_000;
const edition = loadEdition('ed8-delta-2021');

describeEachEngine('presence retention', (engine) => {
  let store: Store, close: () => Promise<void>, dir: string, snapshot: string;
  const clock = new SettableClock(NOW);
  const ctx = systemCtx(clock, 'test');
  const stay = (personId: number, placeId: number, start: number, hours: number) => ({ personId, placeId, start, end: start + hours * HOUR, source: 'venue_scan' as const, seat: null, carriage: null });

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-retention-'));
    snapshot = path.join(dir, 'presence-index.bin');
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    await store.places.insertMany([1, 2].map((i) => ({ code: `P${i}`, name: `place ${i}`, category: 'ktv' as const, regionCode: '430102', lat: null, lng: null, vehicleSetting: null, status: 'open' as const })));
    await store.presence.insertMany([
      stay(1, 1, NOW - 40 * DAY, 2), stay(2, 1, NOW - 40 * DAY, 2), // ended 40 days ago
      stay(1, 2, NOW - 29 * DAY, 2), // ended just over 28 days ago
      stay(3, 2, NOW - 28 * DAY - HOUR, 2), // began before the cutoff, ended after it: kept
      stay(1, 1, NOW - 3 * DAY, 2), stay(3, 1, NOW - 3 * DAY, 2), // recent
    ]);
  });
  afterEach(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deletes what ended before the retention from storage, the index and its snapshot, and keeps the rest', async () => {
    const tracing = await TracingEngine.load({ store, edition, snapshotFile: snapshot });
    expect(tracing.records).toBe(6);
    const purged = await purgeOldPresence(ctx, store, tracing, 28);
    expect(purged).toEqual({ cutoff: NOW - 28 * DAY, deleted: 3, dropped: 3 });
    const left = (await store.presence.list({}, { limit: 100 })).items;
    expect(left.map((p) => [p.personId, p.placeId, p.start]).sort()).toEqual([[1, 1, NOW - 3 * DAY], [3, 1, NOW - 3 * DAY], [3, 2, NOW - 28 * DAY - HOUR]].sort());
    expect(tracing.records).toBe(3);
    // The snapshot on disk was written again: a restart from it holds exactly what storage holds.
    const restarted = await TracingEngine.load({ store, edition, snapshotFile: snapshot, onInfo: (m) => expect(m).toContain('from snapshot') });
    expect(restarted.records).toBe(3);
    const persons = [...(await restarted.tracer()).index.toColumns().person].slice(0, 3).sort();
    expect(persons).toEqual([1, 3, 3]);
    // Again the same day: nothing more to delete.
    expect(await purgeOldPresence(ctx, store, tracing, 28)).toEqual({ cutoff: NOW - 28 * DAY, deleted: 0, dropped: 0 });
  });

  it('keeps everything with a retention of 0 days, and follows the server\'s clock', async () => {
    expect(await purgeOldPresence(ctx, store, undefined, 0)).toBeNull();
    expect((await store.presence.list({}, { limit: 100 })).items).toHaveLength(6);
    clock.set(NOW + 30 * DAY);
    expect((await purgeOldPresence(ctx, store, undefined, 28))!.deleted).toBe(6);
    clock.set(NOW);
  });
});
