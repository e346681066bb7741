/**
 * Reading records from the three formats, below the kinds: every sort of XLSX cell (text, rich text, a formula with and
 * without its value, a hyperlink, an error, a number, a date, a true/false) as text with what it was, blank rows and
 * lines skipped with the line numbers kept, only the first sheet, the bytes counted, and each malformed source named
 * at its line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecords, SourceError, type SourceRecord } from './sources.ts';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-sources-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
/** Every record of a file, or the error that stopped it (line: reason). */
async function all(file: string, format: 'csv' | 'ndjson' | 'xlsx', opts: Parameters<typeof readRecords>[2] = {}): Promise<{ records: SourceRecord[]; error?: string }> {
  const records: SourceRecord[] = [];
  try {
    for await (const r of readRecords(file, format, opts)) records.push(r);
    return { records };
  } catch (e) {
    const err = e as { line?: number; reason?: string; message: string };
    return { records, error: err.reason !== undefined ? `${err.line}: ${err.reason}` : err.message };
  }
}

describe('readRecords', () => {
  it('reads each sort of XLSX cell as text with what it was, skips blank rows, keeps row numbers, and reads only the first sheet', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('人员');
    sheet.addRow(['name', 'a', 'b', 'c', 'd']);
    sheet.addRow([{ richText: [{ text: '张' }, { text: '三 ' }] }, { formula: '1+1', result: 2 }, { formula: 'B2*2' }, { text: '文艺路', hyperlink: 'http://example.org' }, { error: '#N/A' }]);
    sheet.addRow([]);
    sheet.addRow(['  李四  ', true, 3.5, new Date(Date.UTC(2021, 7, 1, 10, 30, 0)), null]);
    sheet.addRow(['   ', '', ' ']); // cells of spaces only: a blank row too
    sheet.addRow(['王五']);
    sheet.addRow(['赵六', '  ', 'x']); // one blank cell does not make a blank row
    sheet.addRow(['钱七', 1e15]); // a date style on a number past any date: no date at all
    const date = sheet.getCell('D4');
    date.numFmt = 'yyyy-mm-dd hh:mm';
    sheet.getCell('B8').numFmt = 'yyyy-mm-dd';
    book.addWorksheet('另一张').addRow(['never', 'read']);
    const f = path.join(dir, 'cells.xlsx');
    await book.xlsx.writeFile(f);
    let bytes = 0;
    const { records, error } = await all(f, 'xlsx', { onBytes: (n) => (bytes += n) });
    expect(error).toBeUndefined();
    expect(records).toEqual([
      { line: 2, values: { name: '张三', a: '2', b: 'a formula without a computed value', c: '文艺路', d: '#N/A' }, types: { a: 'number', b: 'error', d: 'error' } },
      { line: 4, values: { name: '李四', a: 'true', b: '3.5', c: '2021-08-01 10:30:00', d: '' }, types: { a: 'boolean', b: 'number', c: 'date' } },
      { line: 6, values: { name: '王五', a: '', b: '', c: '', d: '' }, types: {} },
      { line: 7, values: { name: '赵六', a: '', b: 'x', c: '', d: '' }, types: {} },
      { line: 8, values: { name: '钱七', a: 'not a date', b: '', c: '', d: '' }, types: { a: 'error' } },
    ]);
    expect(bytes).toBe(fs.statSync(f).size);
  });

  it('refuses an XLSX row wider than its header, a workbook with no header, and a file that is no workbook', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('s');
    sheet.addRow(['a', 'b']);
    sheet.addRow(['1', '2']);
    sheet.addRow(['1', '2', '3']);
    const wide = path.join(dir, 'wide.xlsx');
    await book.xlsx.writeFile(wide);
    expect(await all(wide, 'xlsx')).toMatchObject({ records: [{ line: 2 }], error: '3: expected 2 fields as in the header, found 3' });
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('s');
    const e = path.join(dir, 'empty.xlsx');
    await empty.xlsx.writeFile(e);
    expect((await all(e, 'xlsx')).error).toBe('1: empty workbook: no header row');
    expect((await all(write('no.xlsx', 'id_number,name\n'), 'xlsx')).error).toMatch(/^0: not a readable XLSX workbook/);
  });

  it('reads NDJSON values as text with their JSON type, skips blank lines counting them, and reads a last line without its break', async () => {
    const f = write('p.ndjson', ['{"name":"甲","n":2,"ok":false,"none":null,"o":{"x":1},"l":[1]}', '', '   ', '{"name":"乙"}'].join('\r\n'));
    let bytes = 0;
    const { records, error } = await all(f, 'ndjson', { onBytes: (n) => (bytes += n) });
    expect(error).toBeUndefined();
    expect(records).toEqual([
      { line: 1, values: { name: '甲', n: '2', ok: 'false', none: '', o: '{"x":1}', l: '[1]' }, types: { n: 'number', ok: 'boolean', o: 'object', l: 'array' } },
      { line: 4, values: { name: '乙' }, types: {} },
    ]);
    expect(bytes).toBe(fs.statSync(f).size);
    expect((await all(write('a.ndjson', '{"a":1}\n[1,2]\n'), 'ndjson')).error).toBe('2: not a JSON object');
    expect((await all(write('b.ndjson', '{"a":1}\n"text"\n'), 'ndjson')).error).toBe('2: not a JSON object');
    expect((await all(write('n.ndjson', '{"a":1}\nnull\n'), 'ndjson')).error).toBe('2: not a JSON object');
    expect((await all(write('m.ndjson', '{"a":1}\n42\n'), 'ndjson')).error).toBe('2: not a JSON object');
    expect((await all(write('c.ndjson', '{"a":1}\n{"a":\n'), 'ndjson')).error).toBe('2: not a JSON object (truncated line?)');
    expect((await all(write('d.ndjson', '{"姓名":"甲","name":"乙"}'), 'ndjson', { rename: (c) => (c === '姓名' ? 'name' : c) })).error).toBe('1: keys "姓名" and "name" both give name');
  });

  it('reads CSV rows by the header, trimmed, skipping empty lines, and names a row of the wrong width, an empty file and an unknown encoding', async () => {
    const { records } = await all(write('p.csv', ' name , code \n\n 甲 ,1\n"乙, 丙",2\n'), 'csv');
    expect(records).toEqual([{ line: 3, values: { name: '甲', code: '1' } }, { line: 4, values: { name: '乙, 丙', code: '2' } }]);
    expect((await all(write('w.csv', 'a,b\n1,2\n1\n'), 'csv')).error).toBe('3: expected 2 fields as in the header, found 1');
    expect((await all(write('e.csv', ''), 'csv')).error).toBe('1: empty file: no header row');
    expect((await all(write('h.csv', 'a,a\n1,2'), 'csv')).error).toBe('1: column "a" appears twice');
    expect((await all(write('x.csv', 'a\n1'), 'csv', { encoding: 'big5' })).error).toBe('0: unknown or unsupported encoding "big5" (one of utf-8, gb18030; gbk and gb2312 are read as gb18030)');
    expect((await all(write('q.csv', 'a,b\n1,2\n"x"y,3\n'), 'csv')).error).toMatch(/^3: malformed CSV: Invalid Closing Quote/);
    const headers: string[][] = [];
    await all(write('r.csv', '姓名,x\n甲,1'), 'csv', { rename: (c) => (c === '姓名' ? 'name' : c), onHeader: (h) => headers.push(h) });
    expect(headers).toEqual([['name', 'x']]);
  });

  it('passes an error that is not about the file\'s content (a file that is not there) through as it is, in each format', async () => {
    for (const format of ['csv', 'ndjson', 'xlsx'] as const) {
      const out = await all(path.join(dir, `missing.${format}`), format);
      expect(out.error).toMatch(/^ENOENT: no such file or directory/);
    }
  });

  it('names a SourceError by its class and its line in the message that logs show', async () => {
    let caught: unknown;
    try {
      for await (const r of readRecords(write('w.csv', 'a,b\n1\n'), 'csv')) void r;
    } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(SourceError);
    expect(caught).toMatchObject({ name: 'SourceError', message: 'line 2: expected 2 fields as in the header, found 1', line: 2 });
  });
});
