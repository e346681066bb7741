/**
 * Presence records are read by the tracing engine in the order they become visible, each exactly once: those a
 * watermark covers by `scanTo`, later ones by `scanAfter`. On PostgreSQL a record's id is taken at insert and the
 * record is seen at commit, so a long import can commit records below ids a reader has passed; they must still be
 * read (the catch-up used to read `id > last id`, and never traced them).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine, freshLocation, PG_URL } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Presence } from '../domain/model/index.ts';
import type { PresenceMark } from './sql/places.ts';
import { openStore, type Store } from './store.ts';

const T0 = 1_627_000_000;

async function seed(store: Store): Promise<{ persons: number[]; place: number }> {
  await store.regions.insertMany(MINI_REGIONS);
  await store.persons.insertMany(Array.from({ length: 60 }, (_, i) => personRow(i + 1)));
  await store.places.insertMany([{ code: 'KTV1', name: 'ktv', category: 'ktv', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
  const persons = [...(await store.persons.idsByHash(Array.from({ length: 60 }, (_, i) => personRow(i + 1).idHash))).values()].sort((a, b) => a - b);
  return { persons, place: (await store.places.idsByCode(['KTV1'])).get('KTV1')! };
}

/** A visit to the place by `personId`, starting `k` minutes after T0. */
const visit = (personId: number, place: number, k: number): Omit<Presence, 'id'> => ({ personId, placeId: place, start: T0 + 60 * k, end: T0 + 60 * k + 1800, source: 'venue_scan', seat: null, carriage: null });

/** Everything `scanAfter(mark)` reads now: the records' start minutes and the last mark. */
async function readAfter(store: Store, mark: PresenceMark, batch: number): Promise<{ ks: number[]; ids: number[]; mark: PresenceMark; passes: number }> {
  const ks: number[] = [], ids: number[] = [];
  let passes = 0;
  for await (const step of store.presence.scanAfter(mark, batch)) {
    passes++;
    for (const r of step.records) { ks.push((r.start - T0) / 60); ids.push(r.id); }
    mark = step.mark;
  }
  return { ks, ids, mark, passes };
}

describeEachEngine('presence read in the order it becomes visible', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const loc = await freshLocation(engine);
    store = await openStore(loc.where);
    drop = loc.drop;
  });
  afterEach(async () => { await store?.close(); await drop?.(); });

  it('reads every record once: those the watermark covers by scanTo, the later ones by scanAfter, in batches', async () => {
    const { persons, place } = await seed(store);
    await store.presence.insertMany(persons.slice(0, 25).map((p, k) => visit(p, place, k)));
    const mark = await store.presence.watermark();
    expect(mark.count).toBe(25);
    await store.presence.insertMany(persons.slice(25, 32).map((p, k) => visit(p, place, 25 + k)));
    const covered: number[] = [];
    for await (const batch of store.presence.scanTo(mark, 10)) covered.push(...batch.map((r) => (r.start - T0) / 60));
    expect(covered).toEqual(Array.from({ length: 25 }, (_, k) => k));
    const later = await readAfter(store, mark, 3);
    expect(later.ks).toEqual([25, 26, 27, 28, 29, 30, 31]);
    expect(later.mark.count).toBe(32);
    expect(later.mark.maxId).toBe(Math.max(...later.ids));
    expect(later.mark).toMatchObject({ count: 32 });
    // Read to the end: nothing more, and a record stored now is the only one the next read gives.
    expect((await readAfter(store, later.mark, 3)).ks).toEqual([]);
    await store.presence.insertMany([visit(persons[40], place, 40)]);
    const next = await readAfter(store, later.mark, 3);
    expect(next.ks).toEqual([40]);
    expect(next.mark.count).toBe(33);
    // The watermark now covers the same records as the last mark.
    const now = await store.presence.watermark();
    expect([now.count, now.maxId]).toEqual([next.mark.count, next.mark.maxId]);
  });
});

describe.skipIf(!PG_URL)('presence committed out of id order [postgres]', () => {
  let a: Store, b: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const loc = await freshLocation('postgres');
    a = await openStore(loc.where);
    b = await openStore(loc.where); // another process on the same database
    drop = loc.drop;
  });
  afterEach(async () => { await a?.close(); await b?.close(); await drop?.(); });

  it('reads a long import that commits after a later, short one, though its ids are lower, once it commits', async () => {
    const { persons, place } = await seed(a);
    const before = await a.presence.watermark();
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let inserted!: () => void;
    const insertedLong = new Promise<void>((r) => { inserted = r; });
    // The long import takes its ids first and holds its transaction open ...
    const long = a.transaction(async (tx) => {
      await tx.presence.insertMany(persons.slice(0, 20).map((p, k) => visit(p, place, k)));
      inserted();
      await held;
    });
    await insertedLong;
    // ... while a short one, from another process, takes later ids and commits.
    await b.presence.insertMany(persons.slice(20, 23).map((p, k) => visit(p, place, 20 + k)));
    const first = await readAfter(a, before, 7);
    expect(first.ks).toEqual([20, 21, 22]);
    // Nothing more while the long import is open; a reader going by id would now wait for ids above the short ones.
    expect((await readAfter(a, first.mark, 7)).ks).toEqual([]);
    release();
    await long;
    const second = await readAfter(a, first.mark, 7);
    expect(second.ks).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(Math.max(...second.ids)).toBeLessThan(Math.min(...first.ids));
    expect(second.passes).toBe(3); // 20 records in batches of 7
    expect(second.mark.count).toBe(23);
    expect((await readAfter(a, second.mark, 7)).ks).toEqual([]);
    // A reader starting now covers all of them, and a rolled-back import is never read.
    const now = await a.presence.watermark();
    expect(now.count).toBe(23);
    await expect(a.transaction(async (tx) => {
      await tx.presence.insertMany([visit(persons[30], place, 30)]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect((await readAfter(a, second.mark, 7)).ks).toEqual([]);
  });

  it('goes on from a pass broken off in the middle without reading a record twice', async () => {
    const { persons, place } = await seed(a);
    const before = await a.presence.watermark();
    await b.presence.insertMany(persons.slice(0, 10).map((p, k) => visit(p, place, k)));
    const it = a.presence.scanAfter(before, 4);
    const step = (await it.next()).value as { records: Presence[]; mark: PresenceMark };
    await it.return(undefined);
    expect(step.records.map((r) => (r.start - T0) / 60)).toEqual([0, 1, 2, 3]);
    expect(step.mark.pass).toBeDefined();
    await b.presence.insertMany([visit(persons[20], place, 20)]); // after the pass began: in the next one
    const rest = await readAfter(a, step.mark, 4);
    expect(rest.ks).toEqual([4, 5, 6, 7, 8, 9]);
    expect(rest.mark.pass).toBeUndefined();
    expect((await readAfter(a, rest.mark, 4)).ks).toEqual([20]);
  });
});
