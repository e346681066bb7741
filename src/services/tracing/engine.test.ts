/**
 * The tracing engine in a live server, on both engines: a large batch of presence stored by another process (a CLI
 * import) is read and folded into the index with turns of the event loop between slices (timers and requests go on),
 * a query asked meanwhile sees every record stored before it, and a forgetting asked while a merge runs keeps its
 * effect (the merge does not bring the forgotten records back).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { DAY, HOUR } from '../../domain/time.ts';
import type { NewPresence } from '../../storage/sql/places.ts';
import type { Store } from '../../storage/store.ts';
import { TracingEngine } from './engine.ts';

const NOW = 1_700_000_000;
const edition = loadEdition('ed8-delta-2021');
const PERSONS = 200;
const PLACES = 20;

/** `n` stays, one per person and place in turn, an hour apart, the first `old` of them ending 40 days before NOW. */
function stays(n: number, old = 0): NewPresence[] {
  return Array.from({ length: n }, (_, i) => {
    const start = (i < old ? NOW - 41 * DAY : NOW - 5 * DAY) + i * 60;
    return { personId: 1 + (i % PERSONS), placeId: 1 + (i % PLACES), start, end: start + HOUR, source: 'venue_scan' as const, seat: null, carriage: null };
  });
}

describeEachEngine('tracing engine', (engine) => {
  let store: Store, close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    await store.persons.insertMany(Array.from({ length: PERSONS }, (_, i) => personRow(i + 1)));
    await store.places.insertMany(Array.from({ length: PLACES }, (_, i) => ({ code: `P${i + 1}`, name: `place ${i + 1}`, category: 'ktv' as const, regionCode: '430102', lat: null, lng: null, vehicleSetting: null, status: 'open' as const })));
  });
  afterEach(async () => {
    await close();
  });

  it('reads and folds in a large batch stored by another process with the event loop turning, and traces over all of it', async () => {
    const tracing = await TracingEngine.load({ store, edition });
    const rows = stays(45_000);
    for (let i = 0; i < rows.length; i += 5000) await store.presence.insertMany(rows.slice(i, i + 5000));
    let turns = 0;
    let ticking = true;
    const tick = (): void => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    expect(await tracing.ingestNew()).toBe(45_000);
    const duringRead = turns;
    const tracer = await tracing.tracer();
    ticking = false;
    // Five batches read, each followed by a turn; the merge's slices add more.
    expect(duringRead).toBeGreaterThanOrEqual(4);
    expect(turns).toBeGreaterThan(duringRead);
    expect(tracer.index.length).toBe(45_000);
    expect(tracing.records).toBe(45_000);
    // A trace sees them: person 1 met the persons at place 1 within the hour.
    const contacts = tracer.close({ personId: 1, from: NOW - 6 * DAY, to: NOW, confirmedAt: NOW });
    expect(contacts.count).toBeGreaterThan(0);
  });

  it('a query asked while a merge runs waits for it and sees every record stored before it', async () => {
    const tracing = await TracingEngine.load({ store, edition });
    await store.presence.insertMany(stays(3000));
    await tracing.ingestNew(); // starts the merge in the background
    await store.presence.insertMany(stays(10).map((s) => ({ ...s, start: s.start + 3 * DAY, end: s.end + 3 * DAY })));
    await tracing.ingestNew(); // appended while the first merge may still run
    expect(tracing.records).toBe(3010);
    expect((await tracing.tracer()).index.length).toBe(3010);
  });

  it('a forgetting asked while a merge runs keeps its effect, and the count follows storage', async () => {
    const tracing = await TracingEngine.load({ store, edition });
    await store.presence.insertMany(stays(4000, 1000));
    await tracing.ingestNew(); // merge under way
    const cutoff = NOW - 28 * DAY;
    const deleted = await store.presence.deleteEndedBefore(cutoff);
    expect(deleted).toBe(1000);
    expect(await tracing.forgetEndedBefore(cutoff, deleted)).toBe(1000);
    const tracer = await tracing.tracer();
    expect(tracer.index.length).toBe(3000);
    expect(Math.min(...tracer.index.end)).toBeGreaterThanOrEqual(cutoff);
    // Nothing stored since: the next catch-up reads nothing again.
    expect(await tracing.ingestNew()).toBe(0);
    expect(tracing.records).toBe(3000);
    // The hourly check with nothing old: no rebuild (the same index), nothing dropped.
    expect(tracer.index.minEnd).toBeGreaterThanOrEqual(cutoff);
    expect(await tracing.forgetEndedBefore(cutoff + HOUR, 0)).toBe(0);
    expect((await tracing.tracer()).index).toBe(tracer.index);
    // An hour past the earliest end, the records that ended by then go.
    const earliest = tracer.index.minEnd;
    const gone = Array.from(tracer.index.end).filter((e) => e < earliest + 1).length;
    expect(await tracing.forgetEndedBefore(earliest + 1, 0)).toBe(gone);
    expect((await tracing.tracer()).index.minEnd).toBeGreaterThan(earliest);
  });
});
