import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import type { Store } from '../../storage/store.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import { importFile } from '../import/importFile.ts';
import { TracingEngine } from './engine.ts';
import { catchUp, retraceAffected, traceCase } from './traceCase.ts';

const KEY = 'trace-key-0123456789';
const edition = loadEdition('ed8-delta-2021');
const ctx = systemCtx(new SettableClock(1_628_208_000), 'test'); // 2021-08-06 08:00, after every feed's times

describeEachEngine('traceCase', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  let dir: string;
  const feed = async (kind: 'persons' | 'places' | 'presence' | 'cases', lines: string[]) => {
    const f = path.join(dir, `${kind}-${Math.random().toString(36).slice(2)}.csv`);
    fs.writeFileSync(f, lines.join('\n'));
    return importFile({ ctx, store, edition, kind, file: f, idHashKey: KEY });
  };

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-trace-'));
    await store.regions.insertMany(MINI_REGIONS);
    await feed('persons', ['id_number,name,community_code', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `${idNumber(i)},P${i},430102001001`)]);
    await feed('places', [
      'code,name,category,region_code,vehicle_setting',
      'HOME1,home,residence,430102001001,', 'KTV1,ktv,ktv,430102,', 'MU2301,MU2301 2021-07-21,vehicle,430102,aircraft', 'MALL1,mall,mall,430102,',
    ]);
    await feed('presence', [
      'id_number,place_code,start,end,source,seat',
      `${idNumber(1)},HOME1,2021-07-15 00:00,2021-08-05 00:00,household,`,
      `${idNumber(2)},HOME1,2021-07-15 00:00,2021-08-05 00:00,household,`,
      `${idNumber(1)},MU2301,2021-07-21 10:00,2021-07-21 12:00,transport_seat,20C`,
      `${idNumber(3)},MU2301,2021-07-21 10:00,2021-07-21 12:00,transport_seat,22A`,
      `${idNumber(4)},MU2301,2021-07-21 10:00,2021-07-21 12:00,transport_seat,30A`,
      `${idNumber(1)},KTV1,2021-07-22 20:00,2021-07-22 22:00,venue_scan,`,
      `${idNumber(5)},KTV1,2021-07-22 21:00,2021-07-22 23:00,venue_scan,`,
      `${idNumber(1)},MALL1,2021-07-23 15:00,2021-07-23 17:00,venue_scan,`,
      `${idNumber(6)},MALL1,2021-07-23 15:00,2021-07-23 17:00,venue_scan,`,
      `${idNumber(2)},KTV1,2021-07-26 21:00,2021-07-26 22:00,venue_scan,`,
      `${idNumber(7)},KTV1,2021-07-26 21:00,2021-07-26 22:00,venue_scan,`,
    ]);
    await feed('cases', ['case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at',
      `ZJJ-1,${idNumber(1)},confirmed,2021-07-24 08:00,2021-07-25 09:00,2021-07-26 20:00,2021-07-26 20:00`]);
  });
  afterEach(async () => { await close?.(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('stores close and secondary contacts with evidence, and retracing writes nothing new', async () => {
    const eng = await TracingEngine.load({ store, edition });
    const res = await traceCase({ ctx, store, engine: eng, edition, caseId: 1, path: 'retrace', identifiedAt: 1_627_400_000 });
    const person = async (i: number) => (await store.persons.idsByHash([(await import('../../domain/identity.ts')).hashIdNumber(idNumber(i), KEY)])).values().next().value;
    const ids = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(person));
    // Window: 4 days before onset (2021-07-20 08:00) to isolation. Row 22 is within 3 rows of 20; row 30 is not; the mall is general.
    expect(res.found.close.map((f) => f.personId)).toEqual([ids[1], ids[2], ids[4]]);
    expect(res.found.secondary.map((f) => [f.personId, f.viaPersonId])).toEqual([[ids[6], ids[1]]]);
    expect(res.written).toBe(4);
    const page = await store.cases.contactsOf(1, { kind: 'close' }, { limit: 10 });
    const flight = page.items.find((c) => c.personId === ids[2])!;
    expect(flight.evidence).toEqual([expect.objectContaining({ setting: 'vehicle', seatDistance: 2, minutes: 120, sources: ['transport_seat'] })]);
    const secondary = (await store.cases.contactsOf(1, { kind: 'secondary' }, { limit: 10 })).items[0];
    expect(secondary.viaContactId).toBe(page.items.find((c) => c.personId === ids[1])!.id);
    expect((await traceCase({ ctx, store, engine: eng, edition, caseId: 1, path: 'retrace' })).written).toBe(0);
  });

  it('catches up on new presence and retraces only the cases whose windows it touches, writing only what is new', async () => {
    const eng = await TracingEngine.load({ store, edition });
    await traceCase({ ctx, store, engine: eng, edition, caseId: 1, path: 'retrace' });
    await feed('persons', ['id_number,name,community_code', `${idNumber(8)},P8,430102001001`]);
    await feed('presence', ['id_number,place_code,start,end,source', `${idNumber(8)},KTV1,2021-07-22 21:30,2021-07-22 22:30,venue_scan`]);
    const outside = await retraceAffected({ ctx, path: 'retrace', store, engine: eng, edition, from: 1_700_000_000, to: 1_700_086_400 });
    expect(outside).toEqual([]);
    // The new record (2021-07-22 21:30-22:30) overlaps the case at the KTV: catching up retraces that case only.
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 1, retraced: 1, written: 1 });
    expect((await store.cases.contactCounts(1)).close).toBe(4);
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 0, retraced: 0, written: 0 });
  });

  it('retraces on catch-up even when a query already took the new records in', async () => {
    const eng = await TracingEngine.load({ store, edition });
    await traceCase({ ctx, store, engine: eng, edition, caseId: 1, path: 'retrace' });
    await feed('persons', ['id_number,name,community_code', `${idNumber(8)},P8,430102001001`]);
    await feed('presence', ['id_number,place_code,start,end,source', `${idNumber(8)},KTV1,2021-07-22 21:30,2021-07-22 22:30,venue_scan`]);
    await eng.ingestNew(); // as a route does before answering
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 1, retraced: 1, written: 1 });
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 0, retraced: 0, written: 0 });
  });

  // PostgreSQL takes a record's id at insert and shows the record at commit; SQLite's writers take turns.
  it.skipIf(engine !== 'postgres')('traces the records of a long import that commits after a later, short one, though their ids are lower', async () => {
    const eng = await TracingEngine.load({ store, edition });
    await traceCase({ ctx, store, engine: eng, edition, caseId: 1, path: 'retrace' });
    await feed('persons', ['id_number,name,community_code', `${idNumber(8)},P8,430102001001`, `${idNumber(9)},P9,430102001001`]);
    const { hashIdNumber } = await import('../../domain/identity.ts');
    const p8 = (await store.persons.idsByHash([hashIdNumber(idNumber(8), KEY)])).values().next().value!;
    const ktv = (await store.places.idsByCode(['KTV1'])).get('KTV1')!;
    let release!: () => void, inserted!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const took = new Promise<void>((r) => { inserted = r; });
    // 2021-07-22 21:30-22:30 at the KTV, with the case there until 22:00: a close contact, from a long import ...
    const long = store.transaction(async (tx) => {
      await tx.presence.insertMany([{ personId: p8, placeId: ktv, start: 1_626_960_600, end: 1_626_964_200, source: 'venue_scan', seat: null, carriage: null }]);
      inserted();
      await held;
    });
    await took;
    // ... and another from a short import that commits first, with a later id.
    await feed('presence', ['id_number,place_code,start,end,source', `${idNumber(9)},KTV1,2021-07-22 21:15,2021-07-22 22:15,venue_scan`]);
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 1, retraced: 1, written: 1 });
    release();
    await long;
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 1, retraced: 1, written: 1 });
    expect((await store.cases.contactCounts(1)).close).toBe(5);
    expect(await catchUp({ ctx, store, engine: eng, edition })).toEqual({ added: 0, retraced: 0, written: 0 });
  });

  it('reuses its snapshot when it matches the store, and rebuilds when it does not', async () => {
    const snap = path.join(dir, 'index.bin');
    const info: string[] = [];
    const a = await TracingEngine.load({ store, edition, snapshotFile: snap, onInfo: (m) => info.push(m) });
    const b = await TracingEngine.load({ store, edition, snapshotFile: snap, onInfo: (m) => info.push(m) });
    expect(info[0]).toContain('from storage');
    expect(info[1]).toContain('from snapshot');
    expect(b.records).toBe(a.records);
    const ra = await traceCase({ ctx, store, engine: a, edition, caseId: 1, path: 'retrace' });
    expect(ra.found.close.length).toBe(3);
    await feed('presence', ['id_number,place_code,start,end,source', `${idNumber(3)},KTV1,2021-07-29 21:30,2021-07-29 22:30,venue_scan`]);
    await TracingEngine.load({ store, edition, snapshotFile: snap, onInfo: (m) => info.push(m) });
    expect(info[2]).toContain('from storage');
  });
});
