import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../test/engines.ts';
import type { Store } from './store.ts';
import type { NewPerson } from './sql/people.ts';
import { lookupIds } from './sql/keys.ts';
import { presenceKey } from './sql/places.ts';
import type { Db } from './db.ts';
import { migrate } from './ddl.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { POSTGRES_DIALECT } from './postgres/driver.ts';
import { SQLITE_DIALECT } from './sqlite/driver.ts';

const person = (i: number, community = '430102001001'): NewPerson => ({
  idHash: i.toString(16).padStart(64, '0'), idMasked: `430***********${String(i).padStart(4, '0')}`, name: `居民${i}`, sex: 'female',
  birthDate: '1990-01-01', phone: `1380000${String(i).padStart(4, '0')}`, householdId: null, communityCode: community, gridCode: null,
  occupation: null, createdAt: 1_630_000_000,
});

/** The store's database, for the helpers repositories share (tests only: nothing else reaches past the repositories). */
const dbOf = (s: Store) => (s as unknown as { db: Db }).db;

describeEachEngine('store', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => ({ store, close } = await freshStore(engine)));
  afterEach(async () => close?.());

  it('reports its engine, and migrating again applies nothing and keeps the rows', async () => {
    expect(store.engine).toBe(engine);
    expect(await store.stats.totals()).toMatchObject({ persons: 0, presence: 0, cases: 0 });
    await store.persons.insertMany([person(1)]);
    const db = dbOf(store);
    const versions = async () => (await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
    const before = await versions();
    expect(before).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db, engine === 'sqlite' ? SQLITE_DIALECT : POSTGRES_DIALECT)).toEqual([]);
    expect(await versions()).toEqual(before);
    expect((await store.stats.totals()).persons).toBe(1);
  });

  it('inserts by natural key once, and pages in id order', async () => {
    expect(await store.persons.insertMany([person(1), person(2), person(3)])).toBe(3);
    expect(await store.persons.insertMany([person(2), person(4)])).toBe(1);
    const first = await store.persons.list({}, { limit: 3 });
    expect(first.items.map((p) => p.name)).toEqual(['居民1', '居民2', '居民3']);
    expect(first.nextAfter).not.toBeNull();
    const second = await store.persons.list({}, { after: first.nextAfter!, limit: 3 });
    expect(second.items.map((p) => p.name)).toEqual(['居民4']);
    expect(second.nextAfter).toBeNull();
  });

  it('looks persons up by ID hash and phone, and filters by region prefix', async () => {
    await store.persons.insertMany([person(1), person(2, '430202001001')]);
    const byHash = await store.persons.idsByHash([person(1).idHash, 'f'.repeat(64)]);
    expect([...byHash.keys()]).toEqual([person(1).idHash]);
    expect(await store.persons.holdersByPhone(['13800000002', '13800009999'])).toEqual(new Map([['13800000002', [2]]]));
    const changsha = await store.persons.list({ regionCode: '4301' }, { limit: 10 });
    expect(changsha.items.map((p) => p.communityCode)).toEqual(['430102001001']);
  });

  it('shared-phone: finds every holder of a phone that several persons share; a look-up by a key that is not unique throws', async () => {
    await store.persons.insertMany([person(1), { ...person(2), phone: '13907350099' }, person(3), { ...person(4), phone: '13907350099' }]);
    expect(await store.persons.holdersByPhone(['13907350099', '13800000003'])).toEqual(new Map([['13907350099', [2, 4]], ['13800000003', [3]]]));
    await expect(lookupIds(dbOf(store), 'persons', 'phone', ['13907350099'])).rejects.toThrow('persons.phone is not a unique key: "13907350099" is on several rows');
    expect(await lookupIds(dbOf(store), 'persons', 'phone', ['13800000001'])).toEqual(new Map([['13800000001', 1]]));
  });

  it('rolls a failed transaction back entirely', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.persons.insertMany([person(1)]);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await store.stats.totals()).persons).toBe(0);
    await store.transaction(async (tx) => tx.persons.insertMany([person(1)]));
    expect((await store.stats.totals()).persons).toBe(1);
  });

  it('runs transactions begun together one after another, each committed or rolled back alone', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => store.transaction(async (tx) => {
      await tx.persons.insertMany([person(i)]);
      await new Promise((r) => setTimeout(r, 5));
      if (i === 2) throw new Error('boom');
      await tx.persons.insertMany([person(i + 10)]);
    })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await store.persons.list({}, { limit: 20 })).items.map((p) => p.name).sort()).toEqual(['居民1', '居民11', '居民13', '居民14', '居民3', '居民4']);
  });

  it('stores presence once per natural key and returns times beyond 32 bits as numbers', async () => {
    await store.persons.insertMany([person(1)]);
    await store.places.insertMany([{ code: 'V1', name: '影院', category: 'cinema', regionCode: '430102', lng: 112.9, lat: 28.2, status: 'open', vehicleSetting: null }]);
    const [pid] = (await store.persons.idsByHash([person(1).idHash])).values();
    const [vid] = (await store.places.idsByCode(['V1'])).values();
    // Times past 2^31 (2038) and 2^32 (2106): stored and read back whole, as numbers.
    const rec = { personId: pid, placeId: vid, start: 2 ** 33 + 7, end: 2 ** 33 + 3607, source: 'venue_scan' as const, seat: null, carriage: null };
    expect(await store.presence.insertMany([rec, rec])).toBe(1);
    const got = await store.presence.ofPerson(pid);
    expect(got).toEqual([{ ...rec, id: got[0].id }]);
    expect(typeof got[0].start).toBe('number');
    expect(got[0].start).toBe(2 ** 33 + 7);
    const batches = [];
    for await (const b of store.presence.scanTo(await store.presence.watermark(), 10)) batches.push(...b);
    expect(batches).toHaveLength(1);
    // The scans the tracing index reads: the same record as its row's values, times past 2^32 as numbers.
    const tuples = [];
    for await (const b of store.presence.scanTuplesTo(await store.presence.watermark(), 10)) tuples.push(...b);
    expect(tuples).toEqual([[got[0].id, pid, vid, 2 ** 33 + 7, 2 ** 33 + 3607, 'venue_scan', null, null]]);
    // Rows as arrays, and the same statement as objects again after (raw mode is for that call only).
    const sql = 'SELECT id, start_at FROM presence WHERE person_id = ?';
    expect(await dbOf(store).rows(sql, [pid])).toEqual([[got[0].id, 2 ** 33 + 7]]);
    expect(await dbOf(store).all(sql, [pid])).toEqual([{ id: got[0].id, start_at: 2 ** 33 + 7 }]);
  });

  it('finds stored presence by its natural key (person, place, start, feed) alone, however many keys are asked', async () => {
    await store.persons.insertMany([person(1), person(2)]);
    await store.places.insertMany(['V1', 'V2'].map((code) => ({ code, name: code, category: 'cinema' as const, regionCode: '430102', lng: null, lat: null, status: 'open' as const, vehicleSetting: null })));
    const ids = [...(await store.persons.idsByHash([person(1).idHash, person(2).idHash])).values()];
    const places = await store.places.idsByCode(['V1', 'V2']);
    const [v1, v2] = [places.get('V1')!, places.get('V2')!];
    // 601 records of person 1 at V1 (more than two reads' worth of keys), one at V2; person 2 at V1 at the same times.
    const at = (k: number) => 2 ** 32 + k * 3600;
    const rec = (personId: number, placeId: number, k: number) => ({ personId, placeId, start: at(k), end: at(k) + 1800, source: 'venue_scan' as const, seat: null, carriage: null });
    const stored = [...Array.from({ length: 601 }, (_, k) => rec(ids[0], v1, k)), rec(ids[0], v2, 0), ...Array.from({ length: 3 }, (_, k) => rec(ids[1], v1, k))];
    expect(await store.presence.insertMany(stored)).toBe(605);
    const asked = [
      ...Array.from({ length: 601 }, (_, k) => rec(ids[0], v1, k)), rec(ids[0], v1, 5), // one key twice
      { ...rec(ids[0], v1, 1), source: 'telecom_stay' as const }, // another feed: not stored
      rec(ids[0], v2, 1), rec(ids[1], v1, 700), // another start: not stored
    ];
    const found = await store.presence.byKeys(asked);
    expect(found.size).toBe(601);
    expect(found.get(presenceKey(rec(ids[0], v1, 600)))).toMatchObject({ end: at(600) + 1800, start: at(600) });
    expect(found.has(presenceKey(rec(ids[0], v2, 0)))).toBe(false);
    expect(found.has(presenceKey(rec(ids[1], v1, 0)))).toBe(false);
    // A few keys (one read, padded), and none.
    expect([...(await store.presence.byKeys([rec(ids[1], v1, 2), rec(ids[0], v2, 0)])).keys()].sort()).toEqual([presenceKey(rec(ids[1], v1, 2)), presenceKey(rec(ids[0], v2, 0))].sort());
    expect((await store.presence.byKeys([])).size).toBe(0);
  });

  it('keeps contact evidence as structured JSON', async () => {
    await store.persons.insertMany([person(1), person(2)]);
    const ids = await store.persons.idsByHash([person(1).idHash, person(2).idHash]);
    await store.cases.insertMany([{
      caseNo: 'HN-2021-001', personId: ids.get(person(1).idHash)!, kind: 'confirmed', onsetAt: 1_627_800_000, sampledAt: 1_627_900_000,
      confirmedAt: 1_627_950_000, isolatedAt: 1_627_950_000, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: 'symptoms',
    }]);
    const c = (await store.cases.byCaseNo('HN-2021-001'))!;
    const evidence = [{ setting: 'household' as const, rule: 'household', placeId: null, overlapStart: 1, overlapEnd: 2, minutes: 0, seatDistance: null, sources: ['household' as const] }];
    const contact = { personId: ids.get(person(2).idHash)!, kind: 'close' as const, indexCaseId: c.id, viaContactId: null, firstExposure: 1, lastExposure: 2, evidence, status: 'identified' as const, identifiedAt: 3 };
    expect(await store.cases.insertContacts([contact, contact])).toBe(1);
    const page = await store.cases.contactsOf(c.id, {}, { limit: 10 });
    expect(page.items[0].evidence).toEqual(evidence);
  });

  it('inserts large batches (COPY on PostgreSQL) with every character intact, in order, once per natural key, all or nothing', async () => {
    const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash \\N', '\\.', '"quotes" \'single\'', '长沙市岳麓区', '😷 emoji', ''];
    const many = Array.from({ length: 1200 }, (_, i) => ({ ...person(i + 1), name: `${awkward[i % awkward.length]}#${i}`, phone: i % 3 === 0 ? null : person(i + 1).phone }));
    // A third already there, and a row twice within the batch: neither inserted again.
    expect(await store.persons.insertMany(many.slice(0, 400))).toBe(400);
    expect(await store.persons.insertMany([...many, many[700]])).toBe(800);
    const all = [];
    for (let after: number | null = 0; after !== null;) {
      const page = await store.persons.list({}, { after, limit: 500 });
      all.push(...page.items);
      after = page.nextAfter;
    }
    expect(all.map((p) => [p.name, p.phone])).toEqual(many.map((p) => [p.name, p.phone]));
    // Look-ups and rewrites of more keys than one statement lists (one array parameter on PostgreSQL).
    const byHash = await store.persons.idsByHash([...many.map((p) => p.idHash), 'f'.repeat(64)]);
    expect([...byHash.values()].sort((x, y) => x - y)).toEqual(all.map((p) => p.id));
    const ids = all.slice(0, 900).map((p) => p.id);
    const code = (personId: number, colour: 'green' | 'yellow') => ({ personId, colour, reasons: [], since: 1_627_000_000, validUntil: 1_627_086_400 });
    await store.transaction((tx) => tx.codes.write(ids.map((id) => code(id, 'green')), []));
    await store.transaction((tx) => tx.codes.write(ids.slice(100).map((id) => code(id, 'yellow')), []));
    const now = await store.codes.currentOf([...ids, 999_999]);
    expect([...now.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect(ids.map((id) => now.get(id)!.colour)).toEqual(ids.map((_, i) => (i < 100 ? 'green' : 'yellow')));
    // A bad row (a person that does not exist) in a large batch of presence: nothing of the batch is kept.
    await store.places.insertMany([{ code: 'V1', name: '影院', category: 'cinema', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null }]);
    const [vid] = (await store.places.idsByCode(['V1'])).values();
    const recs = all.slice(0, 700).map((p, i) => ({ personId: p.id, placeId: vid, start: 1_627_000_000 + i, end: 1_627_003_600 + i, source: 'venue_scan' as const, seat: null, carriage: null }));
    await expect(store.presence.insertMany([...recs, { ...recs[0], personId: 999_999 }])).rejects.toThrow();
    expect((await store.stats.totals()).presence).toBe(0);
    expect(await store.presence.insertMany(recs)).toBe(700);
    // New rows but for one key twice among them (PostgreSQL's straight COPY meets it and the rows are staged instead),
    // then, in one transaction, the same rows again (nothing new) and new rows after them.
    const later = (dt: number) => recs.map((r) => ({ ...r, start: r.start + dt }));
    expect(await store.presence.insertMany([...later(10_000), later(10_000)[5]])).toBe(700);
    await store.transaction(async (tx) => {
      expect(await tx.presence.insertMany(later(10_000))).toBe(0);
      expect(await tx.presence.insertMany(later(20_000))).toBe(700);
    });
    expect((await store.stats.totals()).presence).toBe(2100);
    expect((await store.presence.ofPerson(recs[5].personId)).map((p) => p.start)).toEqual([0, 10_000, 20_000].map((dt) => recs[5].start + dt));
  });

  it('keeps meta values and overwrites them', async () => {
    await store.meta.set('k', 'a');
    await store.meta.set('k', 'b');
    expect(await store.meta.get('k')).toBe('b');
    expect(await store.meta.get('missing')).toBeUndefined();
  });
});
