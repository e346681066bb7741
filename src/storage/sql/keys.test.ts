import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { personRow } from '../../../test/fixtures.ts';
import type { Db } from '../db.ts';
import type { Store } from '../store.ts';
import { inChunks, runInChunks } from './keys.ts';

describeEachEngine('key lists in statements', (engine) => {
  let store: Store;
  let db: Db;
  let close: () => Promise<void>;
  const N = 1_203; // more than one list of 500: PostgreSQL takes them as one array, SQLite in slices of 500

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    db = (store as unknown as { db: Db }).db;
    await store.persons.insertMany(Array.from({ length: N }, (_, i) => personRow(i + 1)));
  });
  afterEach(async () => close?.());

  it('finds every row of a long list of ids with IN, and the others with NOT IN, extra parameters after the keys', async () => {
    const odd = Array.from({ length: N }, (_, i) => i + 1).filter((id) => id % 2 === 1);
    const inRows = await inChunks<{ id: number }>(db, odd, (ph) => `SELECT id FROM persons WHERE id IN (${ph}) AND id <= ? ORDER BY id`, [1000]);
    expect(inRows.map((r) => Number(r.id))).toEqual(odd.filter((id) => id <= 1000));
    const notIn = await inChunks<{ n: number }>(db, odd, (ph) => `SELECT count(*) AS n FROM persons WHERE id NOT IN (${ph})`);
    // Slices give one count each; the whole list one.
    expect(notIn.map((r) => Number(r.n))).toEqual(engine === 'postgres' ? [N - odd.length] : [N - 500, N - (odd.length - 500)]);
  });

  it('takes text keys, and counts the rows a statement over a long list changed', async () => {
    const names = Array.from({ length: N }, (_, i) => `name-${i}`);
    expect(await runInChunks(db, Array.from({ length: 700 }, (_, i) => i + 1), (ph) => `UPDATE persons SET name = 'x' WHERE id IN (${ph})`)).toBe(700);
    expect((await inChunks<{ n: number }, string>(db, [...names, 'x'], (ph) => `SELECT count(*) AS n FROM persons WHERE name IN (${ph})`)).reduce((a, r) => a + Number(r.n), 0)).toBe(700);
  });

  it.runIf(engine === 'postgres')('refuses a long list used anywhere but IN (...) rather than run a statement that means something else', async () => {
    await expect(inChunks(db, Array.from({ length: N }, (_, i) => i), (ph) => `SELECT id FROM persons WHERE id = ANY(ARRAY[${ph}])`)).rejects.toThrow(/IN \(\.\.\.\)/);
  });
});
