import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { parseTime } from '../../domain/time.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { importFile, ImportRejectedError, type ImportProps } from './importFile.ts';

const KEY = 'test-key-0123456789';
const EDITION = loadEdition('ed8-delta-2021');
const CTX = systemCtx(new SettableClock(parseTime('2021-12-31 12:00')!), 'test');
const PERSONS_HEADER = 'id_number,name,phone,household_code,community_code,grid_code,occupation,address';
const personLine = (i: number, community = '430102001001') => `${idNumber(i)},居民${i},1380000${String(i).padStart(4, '0')},H${Math.ceil(i / 3)},${community},,teacher,文艺路${i}号`;

let dir: string;
const write = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};

async function rejected(p: Promise<unknown>): Promise<ImportRejectedError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImportRejectedError);
  return e as ImportRejectedError;
}

describeEachEngine('importFile', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  const run = (kind: ImportProps['kind'], file: string, extra: Partial<ImportProps> = {}) => importFile({ ctx: CTX, store, edition: EDITION, kind, file, idHashKey: KEY, ...extra });

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-import-'));
  });
  afterEach(async () => {
    await close?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports persons with households, hashing and masking ID numbers; a re-import changes nothing', async () => {
    const f = write('persons.csv', [PERSONS_HEADER, personLine(1), personLine(2), personLine(3), personLine(4)].join('\n'));
    expect(await run('persons', f)).toMatchObject({ rows: 4, inserted: 4 });
    expect(await run('persons', f)).toMatchObject({ rows: 4, inserted: 0, unchanged: 4 });
    const totals = await store.stats.totals();
    expect(totals).toMatchObject({ persons: 4, households: 2 });
    const p = (await store.persons.list({}, { limit: 1 })).items[0];
    expect(p.idMasked).toBe(`430***********${idNumber(1).slice(-4)}`);
    expect(p.idHash).not.toContain(idNumber(1));
    expect(p).toMatchObject({ birthDate: '1990-01-01', sex: 'male' });
  });

  it('imports places from NDJSON and presence from XLSX, resolving persons by ID number or phone', async () => {
    await run('persons', write('p.csv', [PERSONS_HEADER, personLine(1), personLine(2)].join('\n')));
    const places = [
      { code: 'V001', name: '梅溪湖大剧院', category: 'theatre', region_code: '430102', lng: 112.88, lat: 28.2 },
      { code: 'CELL-1', name: '800m grid cell', category: 'telecom_cell', region_code: '430102001' },
    ];
    expect(await run('places', write('places.ndjson', places.map((p) => JSON.stringify(p)).join('\n') + '\n'))).toMatchObject({ inserted: 2 });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('feed');
    ws.addRow(['id_number', 'phone', 'place_code', 'start', 'end', 'source', 'seat', 'carriage']);
    ws.addRow([idNumber(1), '', 'V001', '2021-07-22 19:30', '2021-07-22 21:40', 'venue_scan', '', '']);
    ws.addRow(['', '13800000002', 'CELL-1', '2021-07-22 08:00:00', '2021-07-22 18:00:00', 'telecom_stay', '', '']);
    const xlsx = path.join(dir, 'presence.xlsx');
    await wb.xlsx.writeFile(xlsx);
    expect(await run('presence', xlsx)).toMatchObject({ rows: 2, inserted: 2 });
    const page = await store.presence.list({}, { limit: 10 });
    expect(page.items[0].start).toBe(Date.UTC(2021, 6, 22, 11, 30) / 1000);
    expect(page.items.map((p) => p.source)).toEqual(['venue_scan', 'telecom_stay']);
  });

  it('reads codes, ID numbers and phones written full-width or with an invisible character as the same ones in ASCII', async () => {
    // Full-width digits and letters, a full-width dash, a zero-width space, an ideographic space around a value.
    const wide = (text: string) => text.replace(/[0-9A-Z-]/g, (c) => String.fromCharCode(c === '-' ? 0xff0d : c.charCodeAt(0) + 0xfee0));
    await run('persons', write('p.csv', [PERSONS_HEADER, personLine(1), `${wide(idNumber(2))},居民2,\u3000${wide('13800000002')},H1,${wide('430102001001')},,,`].join('\n')));
    expect((await store.persons.list({}, { limit: 10 })).items.map((p) => p.communityCode)).toEqual(['430102001001', '430102001001']);
    await run('places', write('places.csv', ['code,name,category,region_code', `${wide('MKT-1')},菜市场,market,430102`, 'mkt-2,早餐店,restaurant,430102'].join('\n')));
    expect((await store.places.idsByCode(['MKT-1', 'mkt-2'])).size).toBe(2);
    const presence = write('presence.csv', [
      'id_number,phone,place_code,start,end,source',
      `${wide(idNumber(1))},,MKT-1,2021-07-22 08:00,2021-07-22 09:00,venue_scan`,
      `,${wide('13800000002')},\u200bMKT\u20131,2021-07-22 08:30,2021-07-22 09:30,venue_scan`,
      `${idNumber(2)},,ｍｋｔ－２,2021-07-22 10:00,2021-07-22 10:30,venue_scan`,
    ].join('\n'));
    expect(await run('presence', presence)).toMatchObject({ rows: 3, inserted: 3 });
    // Letters keep their case: "mkt-2" is its own code, not MKT-2.
    const e = await rejected(run('presence', write('upper.csv', ['id_number,place_code,start,end,source', `${idNumber(1)},MKT-2,2021-07-22 11:00,2021-07-22 12:00,venue_scan`].join('\n'))));
    expect(e.problems.map((p) => `${p.line} ${p.field}`)).toEqual(['2 place_code']);
  });

  it('refuses a file that is not UTF-8, naming the line, and reads it with --encoding gbk', async () => {
    const text = [PERSONS_HEADER, personLine(1), personLine(2)].join('\n');
    const f = write('gbk.csv', iconv.encode(text, 'gbk'));
    const e = await rejected(run('persons', f));
    expect(e.problems[0]).toMatchObject({ file: 'gbk.csv', line: 2, reason: expect.stringContaining('not valid UTF-8') });
    expect((await store.stats.totals()).persons).toBe(0);
    expect(await run('persons', f, { encoding: 'gbk' })).toMatchObject({ inserted: 2 });
    expect((await store.persons.list({}, { limit: 1 })).items[0].name).toBe('居民1');
  });

  it('reports missing and unexpected columns at the header', async () => {
    const e = await rejected(run('persons', write('cols.csv', 'id_number,name,colour\n' + `${idNumber(1)},甲,red`)));
    expect(e.message).toContain('cols.csv:1 community_code: missing column');
    expect(e.message).toContain('cols.csv:1 colour: unexpected column');
  });

  it('reports every bad field with its line, and writes nothing when one row is bad', async () => {
    await run('persons', write('p.csv', [PERSONS_HEADER, personLine(1)].join('\n')));
    await run('places', write('pl.ndjson', JSON.stringify({ code: 'V1', name: '餐馆', category: 'restaurant', region_code: '430102' })));
    const lines = [
      'id_number,place_code,start,end,source',
      `${idNumber(1)},V1,2021-07-30 12:00,2021-07-30 13:00,venue_scan`,
      `${idNumber(1)},V1,2021-02-30 12:00,2021-07-30 13:00,venue_scan`,
      `${idNumber(1)},V1,2021-07-30 14:00,2021-07-30 13:00,venue_scan`,
      `${idNumber(1)},V9,2021-07-30 12:00,2021-07-30 13:00,teleport`,
      `${idNumber(2)},V1,2021-07-30 12:00,2021-07-30 13:00,venue_scan`,
    ];
    const e = await rejected(run('presence', write('presence.csv', lines.join('\n'))));
    expect(e.message).toContain('presence.csv:3 start: "2021-02-30 12:00" is not a date-time');
    expect(e.message).toContain('presence.csv:4 end: end is before start');
    expect(e.message).toContain('presence.csv:5 source: "teleport" is not one of the allowed values');
    expect((await store.stats.totals()).presence).toBe(0);
  });

  it('reports references to unknown persons and places after the fields are clean', async () => {
    await run('places', write('pl.ndjson', JSON.stringify({ code: 'V1', name: '餐馆', category: 'restaurant', region_code: '430102' })));
    const e = await rejected(run('presence', write('pr.csv', `id_number,place_code,start,end,source\n${idNumber(7)},V2,2021-07-30 12:00,2021-07-30 13:00,venue_scan`)));
    expect(e.message).toContain('pr.csv:2 id_number: no registered person');
    expect(e.message).toContain('pr.csv:2 place_code: unknown place code "V2"');
  });

  it('rejects unknown region codes, bad ID numbers, birth dates to come and duplicate IDs', async () => {
    const bad = idNumber(5).slice(0, 17) + (idNumber(5)[17] === '0' ? '1' : '0');
    const lines = [PERSONS_HEADER, personLine(1), personLine(2, '430102001999'), personLine(1), `${bad},乙,,,430102001001,,,`, `${idNumber(6, '20300101')},丙,,,430102001001,,,`];
    const e = await rejected(run('persons', write('dup.csv', lines.join('\n'))));
    expect(e.message).toContain('dup.csv:3 community_code: unknown community code "430102001999"');
    expect(e.message).toContain('dup.csv:4 id_number: duplicate of line 2');
    expect(e.message).toContain('dup.csv:5 id_number: check digit does not match');
    expect(e.message).toContain('dup.csv:6 id_number: birth date inside the number is in the future');
    expect((await store.stats.totals()).persons).toBe(0);
  });

  it('rejects truncated files of every format', async () => {
    const csv = write('trunc.csv', `${PERSONS_HEADER}\n${personLine(1)}\n"${idNumber(2)},居民`);
    expect((await rejected(run('persons', csv))).message).toMatch(/trunc\.csv:3: quoted field not closed/);
    const nd = write('trunc.ndjson', `${JSON.stringify({ code: 'A', name: 'a', category: 'bar', region_code: '430102' })}\n{"code":"B","na`);
    expect((await rejected(run('places', nd))).message).toContain('trunc.ndjson:2: not a JSON object');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['code', 'name', 'category', 'region_code']);
    const full = path.join(dir, 'full.xlsx');
    await wb.xlsx.writeFile(full);
    const buf = fs.readFileSync(full);
    const xl = write('trunc.xlsx', buf.subarray(0, Math.floor(buf.length / 2)));
    expect((await rejected(run('places', xl))).message).toContain('not a readable XLSX workbook');
    const short = write('short.csv', `${PERSONS_HEADER}\n${idNumber(1)},甲,13800000001`);
    expect((await rejected(run('persons', short))).message).toContain('short.csv:2: expected 8 fields as in the header, found 3');
    expect((await store.stats.totals())).toMatchObject({ persons: 0, places: 0 });
  });

  it('lists the first 100 problems and counts the rest', async () => {
    const lines = [PERSONS_HEADER];
    for (let i = 0; i < 150; i++) lines.push(`bad${i},名,,,430102001001,,,`);
    const e = await rejected(run('persons', write('many.csv', lines.join('\n'))));
    expect(e.problems).toHaveLength(100);
    expect(e.total).toBe(150);
    expect(e.message).toContain('... and 50 more problems');
  });

  it('reads a file in a worker thread as it does in this one: the same rows stored, the same problems in the same order, progress', async () => {
    // 12,000 persons (3 chunks of rows, progress at 10,000), their presence, and the same presence file with faults.
    const idOf = (i: number) => idNumber(i, `199001${String(1 + Math.floor(i / 1000)).padStart(2, '0')}`);
    const persons = [PERSONS_HEADER];
    for (let i = 1; i <= 12_000; i++) persons.push(`${idOf(i)},居民${i},,,430102001001,,,`);
    const seen: number[] = [];
    expect(await run('persons', write('persons.csv', persons.join('\n')), { readInWorker: true, onProgress: (p) => seen.push(p.rows) }))
      .toMatchObject({ rows: 12_000, inserted: 12_000 });
    expect(seen).toEqual([10_000, 12_000]);
    await run('places', write('pl.ndjson', ['V1', 'V2'].map((code) => JSON.stringify({ code, name: code, category: 'restaurant', region_code: '430102' })).join('\n')));
    const presence = ['id_number,place_code,start,end,source'];
    for (let i = 1; i <= 12_000; i++) presence.push(`${idOf(i)},V${1 + (i % 2)},2021-07-30 12:00,2021-07-30 13:00,venue_scan`);
    const good = write('presence.csv', presence.join('\n'));
    expect(await run('presence', good, { readInWorker: true })).toMatchObject({ rows: 12_000, inserted: 12_000 });
    const stored = (await store.presence.list({}, { limit: 20_000 })).items.map((p) => `${p.personId}:${p.placeId}:${p.start}:${p.end}`);
    expect(stored).toHaveLength(12_000);
    expect(await run('presence', good, { readInWorker: true })).toMatchObject({ rows: 12_000, inserted: 0, unchanged: 12_000 });

    // Faults found while reading (a bad time at line 4, a short row at the end) and, in another file of new records,
    // only when writing (an unknown place at line 11,501): listed the same way, nothing written.
    const faulty = [...presence];
    faulty[3] = `${idOf(3)},V2,2021-02-30 12:00,2021-07-30 13:00,venue_scan`;
    faulty[11_999] = `${idOf(11_999)},V1,2021-07-30 12:00`;
    const later = presence.map((l, i) => (i === 0 ? l : l.replace('2021-07-30 12:00', '2021-07-30 12:30')));
    later[11_500] = later[11_500].replace(/,V\d,/, ',V9,');
    for (const [name, lines, want] of [
      ['faulty.csv', faulty, ['4 start: "2021-02-30 12:00" is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)', '12000 : expected 5 fields as in the header, found 3']],
      ['later.csv', later, ['11501 place_code: unknown place code "V9" (import places first)']],
    ] as const) {
      const f = write(name, lines.join('\n'));
      const inWorker = await rejected(run('presence', f, { readInWorker: true }));
      const here = await rejected(run('presence', f, { readInWorker: false }));
      expect(inWorker.problems.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual(want);
      expect(inWorker.problems).toEqual(here.problems);
    }
    expect((await store.stats.totals()).presence).toBe(12_000);
  });

  it('reports a file the worker cannot read, and leaves nothing behind', async () => {
    const e = await run('persons', path.join(dir, 'absent.csv'), { readInWorker: true }).then(() => undefined, (err: unknown) => err as Error);
    expect(e).toBeInstanceOf(Error);
    expect(String((e as Error).message)).toContain('absent.csv');
    expect((await store.stats.totals()).persons).toBe(0);
  });
});
