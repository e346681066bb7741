/**
 * A presence import on SQLite written in short steps: all or nothing still (a conflict in a later step takes
 * the earlier steps back), one event, readers of new presence see none of a move before its last step, another
 * connection writes between steps, an abandoned move is taken back, and a stop between steps takes the move back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { parseTime } from '../../domain/time.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import { openStore, type Store } from '../../storage/store.ts';
import { importFile, ImportRejectedError, type ImportProps } from './importFile.ts';

const KEY = 'test-key-0123456789';
const EDITION = loadEdition('ed8-delta-2021');
const clock = new SettableClock(parseTime('2021-12-31 12:00')!);
const CTX = systemCtx(clock, 'test');
const PERSONS = 20;
const HEADER = 'id_number,place_code,start,end,source';

let dir: string;
let store: Store;
let other: Store;
const run = (file: string, extra: Partial<ImportProps> = {}) => importFile({ ctx: CTX, store, edition: EDITION, kind: 'presence', file, idHashKey: KEY, inSteps: true, ...extra });
const write = (name: string, lines: string[]) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, [HEADER, ...lines].join('\n') + '\n');
  return f;
};
/** Person i at place V00(i % 3) on day d, 10:00 to 11:00 (or until `end`). */
const row = (i: number, d = 1, end = '11:00') => `${idNumber(i)},V00${i % 3},2021-07-${String(d).padStart(2, '0')} 10:00,2021-07-${String(d).padStart(2, '0')} ${end},venue_scan`;
const rowsOf = (n: number, d = 1) => Array.from({ length: n }, (_, k) => row((k % PERSONS) + 1, d + Math.floor(k / PERSONS)));
const presenceCount = async (s: Store) => (await s.stats.totals()).presence;
const recordedEvents = async (s: Store) => (await s.events.since(0, 1000)).filter((e) => e.kind === 'presence.recorded');
const rejected = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImportRejectedError);
  return e as ImportRejectedError;
};

/** A move of `file` with one step of `lines` written by the `other` connection and never finished, renewed until now + 60 s. */
async function leftBehind(now: number, file: string, lines: string[]): Promise<number> {
  const persons = new Map((await other.persons.list({}, { limit: 100 })).items.map((p) => [p.idMasked.slice(-4), p.id]));
  const places = await other.places.idsByCode(['V000', 'V001', 'V002']);
  const records = lines.map((l) => {
    const [id, place, start, end, source] = l.split(',');
    return { personId: persons.get(id.slice(-4))!, placeId: places.get(place)!, start: parseTime(start)!, end: parseTime(end)!, source: source as 'venue_scan', seat: null, carriage: null };
  });
  const id = await other.presenceMoves.begin('gone:1', file, now, now + 60);
  await other.transaction(async (repos) => {
    const before = await repos.presenceMoves.highestId();
    await repos.presenceMoves.stepped(id, before, await repos.presence.insertMany(records), now + 60);
  });
  return id;
}

describe('presence import in steps [sqlite]', () => {
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-move-'));
    const file = path.join(dir, 'cordon.sqlite');
    store = await openStore({ sqliteFile: file });
    other = await openStore({ sqliteFile: file });
    await store.regions.insertMany(MINI_REGIONS);
    await importFile({
      ctx: CTX, store, edition: EDITION, kind: 'persons', idHashKey: KEY,
      file: (() => { const f = path.join(dir, 'persons.csv'); fs.writeFileSync(f, ['id_number,name,community_code', ...Array.from({ length: PERSONS }, (_, k) => `${idNumber(k + 1)},居民${k + 1},430102001001`)].join('\n')); return f; })(),
    });
    await store.places.insertMany([0, 1, 2].map((k) => ({ code: `V00${k}`, name: `场所${k}`, category: 'restaurant', regionCode: '430102', lng: null, lat: null, status: 'open', vehicleSetting: null })));
  });
  afterEach(async () => {
    await other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves a file in steps with one event, and readers of new presence see none of it until the last step', async () => {
    const f = write('a.csv', rowsOf(50));
    const seen: number[] = [];
    const res = await run(f, {
      moveStepRows: 7,
      onMove: ({ written }) => {
        if (written < 50) seen.push(written);
      },
    });
    expect(res).toMatchObject({ rows: 50, inserted: 50, unchanged: 0 });
    expect(seen).toEqual([7, 14, 21, 28, 35, 42, 49]);
    expect(await presenceCount(store)).toBe(50);
    const events = await recordedEvents(store);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ count: 50, from: parseTime('2021-07-01 10:00'), to: parseTime('2021-07-03 11:00') });
    expect(await store.presenceMoves.running()).toEqual([]);
    // The same file again: nothing new, no event.
    expect(await run(f, { moveStepRows: 7 })).toMatchObject({ rows: 50, inserted: 0, unchanged: 50 });
    expect(await recordedEvents(store)).toHaveLength(1);
  });

  it('hides the rows of a running move from the readers of new presence (watermark, scan after a mark)', async () => {
    await run(write('first.csv', rowsOf(5)));
    const before = await other.presence.watermark();
    const duringMove: { mark: number; after: number; stored: number }[] = [];
    let probe = Promise.resolve();
    await run(write('b.csv', rowsOf(30, 10)), {
      moveStepRows: 10,
      onMove: ({ written }) => {
        if (written === 30) return;
        probe = probe.then(async () => {
          let after = 0;
          for await (const b of other.presence.scanTuplesAfter(before, 100)) after += b.records.length;
          duringMove.push({ mark: (await other.presence.watermark()).count, after, stored: await presenceCount(other) });
        });
      },
    });
    await probe;
    expect(duringMove.length).toBeGreaterThan(0);
    // Stored (a plain read sees them) but not yet taken in by a reader of new presence.
    for (const d of duringMove) expect(d).toMatchObject({ mark: 5, after: 0 });
    expect(duringMove.some((d) => d.stored > 5)).toBe(true);
    let after = 0;
    for await (const b of other.presence.scanTuplesAfter(before, 100)) after += b.records.length;
    expect(after).toBe(30);
    expect((await other.presence.watermark()).count).toBe(35);
  });

  it('refuses a file whose conflict comes in a later step (a second row of one key with another end), taking the earlier steps back', async () => {
    const lines = rowsOf(40);
    lines.push(row(3, 1, '12:30')); // line 42: person 3's record of July 1 again, with another end
    const e = await rejected(run(write('c.csv', lines), { moveStepRows: 5 }));
    expect(e.problems).toEqual([{ file: 'c.csv', line: 42, field: 'end', reason: expect.stringContaining('has end 2021-07-01 11:00') }]);
    expect(await presenceCount(store)).toBe(0);
    expect(await recordedEvents(store)).toHaveLength(0);
    expect(await store.presenceMoves.running()).toEqual([]);
  });

  it('refuses a file that conflicts with a record stored by another writer, changing nothing', async () => {
    await run(write('first.csv', [row(7, 2, '13:00')]), { inSteps: false });
    const lines = rowsOf(40); // person 7 on July 2 is at line 28, with end 11:00
    const e = await rejected(run(write('d.csv', lines), { moveStepRows: 4 }));
    expect(e.problems.map((p) => [p.line, p.field])).toEqual([[28, 'end']]);
    expect(await presenceCount(store)).toBe(1);
    expect(await recordedEvents(store)).toHaveLength(1);
  });

  it('lets another connection write between its steps', async () => {
    const f = write('e.csv', rowsOf(60));
    const lease = other.lease('probe', 60);
    let moving = true;
    let writes = 0;
    const writer = (async () => {
      while (moving) {
        if (await lease.hold()) writes++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    let writesWhileMoving = 0;
    await run(f, { moveStepRows: 3, onMove: ({ written }) => { if (written === 60) writesWhileMoving = writes; } });
    moving = false;
    await writer;
    expect(writesWhileMoving).toBeGreaterThan(0);
    expect(await presenceCount(other)).toBe(60);
  });

  it('refuses a record that another import is writing right now, and takes the same record once that import has ended', async () => {
    const now = clock.now();
    const id = await leftBehind(now, 'a.csv', [row(5, 20)]);
    const f = write('b.csv', [row(4, 20), row(5, 20)]);
    const e = await rejected(run(f));
    expect(e.problems).toEqual([{ file: 'b.csv', line: 3, field: 'start', reason: expect.stringContaining('another import (a.csv) is writing') }]);
    expect(await presenceCount(store)).toBe(1);
    await other.transaction((repos) => repos.presenceMoves.finish(id));
    expect(await run(f)).toMatchObject({ rows: 2, inserted: 1, unchanged: 1 });
  });

  it('takes a move back when stopped between steps, and an abandoned move once its lease has run out', async () => {
    const ac = new AbortController();
    const stopped = await run(write('f.csv', rowsOf(30)), { moveStepRows: 5, signal: ac.signal, onMove: ({ written }) => { if (written === 10) ac.abort(new Error('stopped')); } })
      .then(() => undefined, (e: Error) => e);
    expect(stopped?.message).toBe('stopped');
    expect(await presenceCount(store)).toBe(0);
    expect(await store.presenceMoves.running()).toEqual([]);

    // A process that stopped mid-move (killed): its move and first step stay behind.
    const now = clock.now();
    await leftBehind(now, 'g.csv', [row(1, 20), row(2, 20)]);
    expect(await presenceCount(store)).toBe(2);
    expect((await store.presence.watermark()).count).toBe(0);
    expect(await store.presenceMoves.takeBackAbandoned(now + 30)).toEqual({ moves: 0, rows: 0 });
    // The next import, once the lease has run out, takes it back before moving its own rows.
    clock.set(now + 61);
    expect(await run(write('h.csv', rowsOf(4)))).toMatchObject({ inserted: 4 });
    expect(await presenceCount(store)).toBe(4);
    expect((await store.presence.watermark()).count).toBe(4);
    expect(await store.presenceMoves.running()).toEqual([]);
    clock.set(now);
  });
});
