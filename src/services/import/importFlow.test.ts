/**
 * How one import runs from first byte to summary (SQLite; both engines share this code): progress every 10,000 rows and
 * once at the end with the file's bytes, rows written 5,000 at a time with a duplicate found across batches, each
 * NDJSON line's own columns, and the summary's counts (inserted, updated, unchanged) when a file mixes all three.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { parseTime } from '../../domain/time.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { importFile, ImportRejectedError, type ImportProps } from './importFile.ts';

const KEY = 'test-key-0123456789';
const CTX = systemCtx(new SettableClock(parseTime('2021-08-20 12:00')!), 'test');

describe('an import from first byte to summary', () => {
  let store: Store;
  let close: () => Promise<void>;
  let dir: string;
  const file = (name: string, content: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  const run = (kind: ImportProps['kind'], f: string, extra: Partial<ImportProps> = {}) =>
    importFile({ ctx: CTX, store, edition: loadEdition('ed8-delta-2021'), kind, file: f, idHashKey: KEY, ...extra });
  const problems = async (p: Promise<unknown>) => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ImportRejectedError);
    return (e as ImportRejectedError).problems.map((x) => `${x.line} ${x.field}: ${x.reason}`);
  };
  /** Persons 1..n as CSV lines (ID numbers differ by their sequence and birth date). */
  const persons = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => {
    const i = from + k;
    return `${idNumber(i % 1000, `19${String(50 + Math.floor(i / 1000)).padStart(2, '0')}0101`)},居民${i},430102001001`;
  });

  beforeEach(async () => {
    ({ store, close } = await freshStore('sqlite'));
    await store.regions.insertMany(MINI_REGIONS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-flow-'));
  });
  afterEach(async () => {
    await close?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports progress every 10,000 rows and once at the end, with the bytes read, and writes every batch', async () => {
    const f = file('persons.csv', ['id_number,name,community_code', ...persons(1, 20_001)].join('\n') + '\n');
    const seen: { bytes: number; rows: number }[] = [];
    const r = await run('persons', f, { onProgress: (p) => seen.push({ ...p }) });
    expect(r).toEqual({ file: f, kind: 'persons', rows: 20_001, inserted: 20_001, updated: 0, unchanged: 0 });
    expect(seen.map((p) => p.rows)).toEqual([10_000, 20_000, 20_001]);
    expect(seen.at(-1)!.bytes).toBe(fs.statSync(f).size);
    expect(seen[0].bytes).toBeGreaterThan(0);
    expect(seen[0].bytes).toBeLessThanOrEqual(seen[1].bytes);
    expect((await store.stats.totals()).persons).toBe(20_001);
  });

  it('finds a duplicate whose first row was written in an earlier batch, and keeps nothing', async () => {
    const lines = persons(1, 5_003);
    const f = file('dup.csv', ['id_number,name,community_code', ...lines, lines[2].replace('居民3', '居民三')].join('\n'));
    expect(await problems(run('persons', f))).toEqual(['5005 id_number: duplicate of line 4']);
    expect((await store.stats.totals()).persons).toBe(0);
  });

  it('says a refusal whole: each problem as file:line field: reason, the count in the singular or plural, and how many more past the first 100', async () => {
    const refusal = async (f: string) => (await run('persons', f).then(() => { throw new Error('imported'); }, (e: unknown) => e)) as ImportRejectedError;
    const one = await refusal(file('one.csv', `id_number,name,community_code\n${idNumber(1)},甲,999`));
    expect(one).toBeInstanceOf(ImportRejectedError);
    expect(one.name).toBe('ImportRejectedError'); // what a log or an uncaught error shows before the message
    expect(one.message.split('\n')[0]).toBe('one.csv: rejected, nothing imported (1 problem)');
    expect(one.problems).toHaveLength(1);
    expect(one.message.split('\n').slice(1)).toEqual(one.problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.reason}`));
    const bad = (n: number) => ['id_number,name,community_code', ...Array.from({ length: n }, (_, k) => `${idNumber(k + 1)},,430102001001`)].join('\n');
    const hundred = await refusal(file('hundred.csv', bad(100)));
    expect(hundred.total).toBe(100);
    expect(hundred.message.split('\n')).toHaveLength(101); // the first line, then the 100 problems, nothing more
    const more = await refusal(file('more.csv', bad(103)));
    expect(more.problems).toHaveLength(100);
    expect(more.message.split('\n')[0]).toBe('more.csv: rejected, nothing imported (103 problems)');
    expect(more.message.split('\n').at(-1)).toBe('... and 3 more problems');
    // A problem of the file itself (no field) has no field in its line.
    const noHeader = await refusal(file('empty.csv', ''));
    expect(noHeader.problems).toEqual([expect.objectContaining({ field: '' })]);
    expect(noHeader.message.split('\n').slice(1)).toEqual(noHeader.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`));
  });

  it('lists a header\'s problems only, without a further line about the header as a whole', async () => {
    expect(await problems(run('persons', file('cols.csv', `id_number,name,colour\n${idNumber(1)},甲,red`)))).toEqual([
      '1 community_code: missing column',
      '1 colour: unexpected column (expected: id_number, name, community_code, phone, household_code, grid_code, occupation, address)',
    ]);
  });

  it('lists a bad line of the file after the problems of the rows before it', async () => {
    expect(await problems(run('persons', file('late.csv', `id_number,name,community_code\n${idNumber(1)},,430102001001\n${idNumber(2)},乙\n`)))).toEqual([
      '2 name: required',
      '3 : expected 3 fields as in the header, found 2',
    ]);
  });

  it('takes a place in a division of any level, province to grid', async () => {
    const f = file('places.csv', ['code,name,category,region_code', ...MINI_REGIONS.map((r, i) => `P${i},场所${i},restaurant,${r.code}`)].join('\n'));
    expect(await run('places', f)).toMatchObject({ rows: MINI_REGIONS.length, inserted: MINI_REGIONS.length });
  });

  it('runs without a progress callback past 10,000 rows', async () => {
    const f = file('persons.csv', ['id_number,name,community_code', ...persons(1, 10_000)].join('\n'));
    expect(await run('persons', f)).toMatchObject({ rows: 10_000, inserted: 10_000 });
  });

  it('passes an error that is not about the file\'s content (no such file) through as it is, writing nothing', async () => {
    const e = await run('persons', path.join(dir, 'missing.csv')).then(() => undefined, (err: unknown) => err);
    expect(e).not.toBeInstanceOf(ImportRejectedError);
    expect(e).toMatchObject({ code: 'ENOENT' });
  });

  it('counts inserted, updated and unchanged rows of one file', async () => {
    await run('persons', file('a.csv', ['id_number,name,community_code', ...persons(1, 3)].join('\n')));
    const r = await run('persons', file('b.csv', ['id_number,name,community_code', ...persons(1, 2), persons(3, 3)[0].replace('居民3', '居民叁'), ...persons(4, 5)].join('\n')));
    expect(r).toMatchObject({ rows: 5, inserted: 2, updated: 1, unchanged: 2 });
  });

  it('checks the columns of each NDJSON line on its own, and names the format it cannot guess', async () => {
    const ok = { id_number: idNumber(1), name: '甲', community_code: '430102001001' };
    const f = file('p.ndjson', [ok, { ...ok, id_number: idNumber(2), nickname: '乙' }, { name: '丙', community_code: '430102001001' }].map((o) => JSON.stringify(o)).join('\n'));
    expect(await problems(run('persons', f))).toEqual([
      '2 nickname: unexpected column (expected: id_number, name, community_code, phone, household_code, grid_code, occupation, address)',
      '3 id_number: missing column',
    ]);
    expect(await problems(run('persons', file('p.json', 'id_number,name,community_code')))).toEqual(['0 : unknown format: name the file .csv, .ndjson or .xlsx, or pass --format']);
    expect(await run('persons', file('p.dat', `id_number,name,community_code\n${idNumber(1)},甲,430102001001`), { format: 'csv' })).toMatchObject({ inserted: 1 });
    // .txt reads as CSV and .jsonl as NDJSON, in any case.
    expect(await run('persons', file('q.TXT', `id_number,name,community_code\n${idNumber(2)},乙,430102001001`))).toMatchObject({ inserted: 1 });
    expect(await run('persons', file('q.JSONL', JSON.stringify({ ...ok, id_number: idNumber(3) })))).toMatchObject({ inserted: 1 });
    // A presence file needs one of its columns that name a person.
    expect(await problems(run('presence', file('pr.csv', 'place_code,start,end,source\nV1,2021-08-01 10:00,2021-08-01 11:00,venue_scan'))))
      .toEqual(['1 id_number: one of the columns id_number, phone is required']);
  });
});
