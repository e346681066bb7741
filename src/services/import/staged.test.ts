/**
 * A presence import is checked first (reading only), then moved into the store in steps (the first of
 * IMPORT_MOVE_ROWS.first records, then as many as the last step's time says fit in IMPORT_STEP_MS), each step a short
 * transaction with its event: other writes go in between the steps instead of waiting for the
 * whole file, on both engines. A file refused after more rows than a step writes nothing and leaves no staged file.
 */
import fs from 'node:fs';
import os from 'node:os';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber } from '../../../test/fixtures.ts';
import { importHarness } from '../../../test/imports.ts';
import type { Db } from '../../storage/db.ts';
import { IMPORT_MOVE_ROWS } from './importFile.ts';

const PERSONS = 40, PLACES = 10;
/** Presence rows: more than a few first steps' worth, spread over persons and places, distinct keys. */
const ROWS = 4 * IMPORT_MOVE_ROWS.first + 500;
const stagedDirs = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('cordon-stage-')).sort();

describeEachEngine('staged presence import', (engine) => {
  const h = importHarness(engine);
  const presenceFile = (name: string, extra: string[] = []) => {
    const lines = ['id_number,place_code,start,end,source'];
    for (let i = 0; i < ROWS; i++) {
      const start = Date.UTC(2021, 7, 1) / 1000 + i * 60;
      const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
      lines.push(`${idNumber(i % PERSONS)},P${i % PLACES},${iso(start)},${iso(start + 1800)},venue_scan`);
    }
    return h.write(name, [...lines, ...extra].join('\n'));
  };
  const setUp = async () => {
    await h.run('persons', h.write('persons.csv', ['id_number,name,community_code', ...Array.from({ length: PERSONS }, (_, i) => `${idNumber(i)},居民${i},430102001001`)].join('\n')));
    await h.run('places', h.write('places.csv', ['code,name,category,region_code', ...Array.from({ length: PLACES }, (_, i) => `P${i},场所${i},restaurant,430102001001`)].join('\n')));
  };
  const db = () => (h.store as unknown as { db: Db }).db;
  /** The record counts of the `presence.recorded` events, in order. */
  const recorded = async () => (await db().all<{ payload: string | { count: number } }>("SELECT payload FROM outbox WHERE kind = 'presence.recorded' ORDER BY id"))
    .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) as { count: number } : r.payload).count);

  it('moves the checked records in steps, each with its event, and other writes go in between the steps', async () => {
    await setUp();
    const file = presenceFile('presence.csv');
    // Small writes, each in a transaction of its own, for as long as the import runs: each notes how many presence
    // records were stored when it committed.
    let done = false;
    const seen: number[] = [];
    const imported = h.run('presence', file).finally(() => { done = true; });
    while (!done) {
      await h.store.transaction(async (tx) => {
        await tx.meta.set('probe', String(seen.length));
        seen.push((await tx.stats.totals()).presence);
      });
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await imported).toMatchObject({ rows: ROWS, inserted: ROWS, unchanged: 0 });
    // Some write committed while part of the file was stored: the import did not hold the store for the whole file.
    expect(seen.some((n) => n > 0 && n < ROWS)).toBe(true);
    expect((await h.store.stats.totals()).presence).toBe(ROWS);
    // One event per step, the first step of its set size, every record told once.
    const steps = await recorded();
    expect(steps[0]).toBe(IMPORT_MOVE_ROWS.first);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.reduce((a, b) => a + b, 0)).toBe(ROWS);
    for (const n of steps) expect(n).toBeLessThanOrEqual(IMPORT_MOVE_ROWS.max);
    // The same file again changes nothing, and moves nothing.
    expect(await h.run('presence', file)).toMatchObject({ rows: ROWS, inserted: 0, unchanged: ROWS });
    expect(await recorded()).toEqual(steps);
  });

  it('writes nothing of a file refused after more rows than a step, and leaves no staged file', async () => {
    await setUp();
    const before = stagedDirs();
    const e = await h.reject('presence', presenceFile('late-bad.csv', [`${idNumber(0)},NO-SUCH-PLACE,2021-08-09T00:00:00Z,2021-08-09T01:00:00Z,venue_scan`]));
    expect(e.problems).toEqual([expect.objectContaining({ line: ROWS + 2, field: 'place_code' })]);
    expect((await h.store.stats.totals()).presence).toBe(0);
    expect(await recorded()).toEqual([]);
    expect(stagedDirs()).toEqual(before);
  });
});
