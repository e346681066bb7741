/**
 * All or nothing across batches: a file is written in batches (IMPORT_BATCH_ROWS, 5,000 rows) inside one transaction,
 * so a bad row after the first batch (whose rows are already written) rolls the whole file back, and what the first
 * batch caused (its events) goes with it, on both engines. The file is a batch and 1,000 rows long whatever the batch
 * size, so its bad row always comes after a written batch.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber } from '../../../test/fixtures.ts';
import { importHarness } from '../../../test/imports.ts';
import { IMPORT_BATCH_ROWS } from './importFile.ts';

describeEachEngine('import rollback after a committed batch', (engine) => {
  const h = importHarness(engine);

  it('refuses a file whose bad row comes after the first batch, and keeps nothing of that batch', async () => {
    const n = IMPORT_BATCH_ROWS + 1000;
    expect(n).toBeLessThanOrEqual(49_000); // ID numbers below: 1,000 a birth year from 1950
    const lines = ['id_number,name,community_code'];
    for (let i = 0; i < n; i++) lines.push(`${idNumber(i % 1000, `19${50 + Math.floor(i / 1000)}0101`)},居民${i},430102001001`);
    lines.push(`${idNumber(1, '19400101')},最后一行,439999999999`);
    const e = await h.reject('persons', h.write('big.csv', lines.join('\n')));
    expect(e.problems).toEqual([expect.objectContaining({ line: n + 2, field: 'community_code' })]);
    expect((await h.store.stats.totals()).persons).toBe(0);
    expect(await h.store.events.counts(5)).toEqual({ pending: 0, parked: 0 });
    // The same file without the bad row imports them all.
    expect(await h.run('persons', h.write('good.csv', lines.slice(0, -1).join('\n')))).toMatchObject({ rows: n, inserted: n });
  });
});
