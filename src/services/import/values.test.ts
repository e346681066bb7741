/**
 * How values were given: spreadsheet dates read as dates, ID numbers and phones only as text, objects refused, field
 * length limits; and the field cases xlsx-dates and two-digit-year (its parsing part).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber } from '../../../test/fixtures.ts';
import { importHarness, type ImportHarness } from '../../../test/imports.ts';

/** An ID number that a JSON or spreadsheet number rounds into another valid ID number (430102198604120260). */
const ROUNDS_TO_VALID = idNumber(22, '19860412');
const ROUNDED = '430102198604120260';
const place = (code: string, extra: object = {}) => JSON.stringify({ code, name: '茶楼', category: 'restaurant', region_code: '430102001001', ...extra });

/** Writes a one-sheet workbook: a header row, then rows whose cells may carry a number format. */
async function workbook(h: ImportHarness, name: string, header: string[], rows: { value: ExcelJS.CellValue; numFmt?: string }[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('presence');
  ws.addRow(header);
  for (const cells of rows) {
    const row = ws.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => { if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt; });
  }
  const f = h.file(name);
  await wb.xlsx.writeFile(f);
  return f;
}

describeEachEngine('feed values as given', (engine) => {
  const h = importHarness(engine);
  const registered = async (...ids: string[]) => {
    await h.run('persons', h.write('persons.csv', ['id_number,name,community_code', ...ids.map((id, i) => `${id},居民${i},430102001001`)].join('\n')));
    await h.run('places', h.write('places.ndjson', [place('BH-R1'), place('BH-R3')].join('\n')));
  };

  it('xlsx-dates: number cells with a date style import as 2021-09-10 12:00 to 13:00 CST; a plain number cell is refused', async () => {
    await registered('430102198503112018');
    const header = ['id_number', 'place_code', 'start', 'end', 'source'];
    const dated = await workbook(h, 'presence_datecells.xlsx', header, [[
      { value: '430102198503112018' }, { value: 'BH-R1' }, { value: 44449.5, numFmt: 'yyyy-mm-dd hh:mm' }, { value: 44449.54166666667, numFmt: 'yyyy-mm-dd hh:mm' }, { value: 'venue_scan' },
    ]]);
    expect(await h.run('presence', dated)).toMatchObject({ rows: 1, inserted: 1 });
    const [stay] = (await h.store.presence.list({}, { limit: 10 })).items;
    expect([stay.start, stay.end]).toEqual([Date.UTC(2021, 8, 10, 4) / 1000, Date.UTC(2021, 8, 10, 5) / 1000]);
    const plain = await workbook(h, 'presence_numbers.xlsx', header, [[
      { value: '430102198503112018' }, { value: 'BH-R1' }, { value: 44449.5 }, { value: 44449.54166666667 }, { value: 'venue_scan' },
    ]]);
    const e = await h.reject('presence', plain);
    expect(e.message).toContain('presence_numbers.xlsx:2 start: given as a number, not a date-time: format the cell as a date, or write YYYY-MM-DD HH:MM');
    expect(e.message).toContain('presence_numbers.xlsx:2 end: given as a number, not a date-time');
  });

  it('reads a workbook whose zip holds the worksheet before xl/workbook.xml, as any order of its parts is valid', async () => {
    await registered('430102198503112018');
    const written = await workbook(h, 'presence_written.xlsx', ['id_number', 'place_code', 'start', 'end', 'source'], [[
      { value: '430102198503112018' }, { value: 'BH-R1' }, { value: '2021-09-10 12:00' }, { value: '2021-09-10 13:00' }, { value: 'venue_scan' },
    ]]);
    // The same parts, the worksheet (after the relationships and shared strings) moved before the workbook part.
    const zip = await JSZip.loadAsync(fs.readFileSync(written));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const first = ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'].filter((n) => names.includes(n));
    const reordered = new JSZip();
    for (const n of [...first, ...names.filter((x) => !first.includes(x))]) reordered.file(n, await zip.files[n].async('uint8array'));
    const moved = h.file('presence_reordered.xlsx');
    fs.writeFileSync(moved, await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const order = Object.keys((await JSZip.loadAsync(fs.readFileSync(moved))).files);
    expect(order.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(order.indexOf('xl/workbook.xml'));
    expect(await h.run('presence', moved)).toMatchObject({ rows: 1, inserted: 1 });
  });

  it('two-digit-year: presence_variants.csv keeps its clear rejections (two-digit year, Excel serial as text, slashes)', async () => {
    await registered('430102198604120316');
    const variants = h.write('presence_variants.csv', [
      'id_number,place_code,start,end,source',
      '430102198604120316,BH-R3,21-09-10 12:00,21-09-10 13:00,venue_scan',
      '430102198604120316,BH-R3,44449.5,44449.541667,venue_scan',
      '430102198604120316,BH-R3,2021/9/10 12:00,2021/9/10 13:00,venue_scan',
    ].join('\n') + '\n');
    const e = await h.reject('presence', variants);
    const hint = 'is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)';
    expect(e.problems).toEqual([
      { file: 'presence_variants.csv', line: 2, field: 'start', reason: `"21-09-10 12:00" ${hint}` },
      { file: 'presence_variants.csv', line: 2, field: 'end', reason: `"21-09-10 13:00" ${hint}` },
      { file: 'presence_variants.csv', line: 3, field: 'start', reason: `"44449.5" ${hint}` },
      { file: 'presence_variants.csv', line: 3, field: 'end', reason: `"44449.541667" ${hint}` },
      { file: 'presence_variants.csv', line: 4, field: 'start', reason: `"2021/9/10 12:00" ${hint}` },
      { file: 'presence_variants.csv', line: 4, field: 'end', reason: `"2021/9/10 13:00" ${hint}` },
    ]);
  });

  it('refuses ID numbers typed as numbers (NDJSON, XLSX) instead of reading them rounded into another valid ID number', async () => {
    expect(String(Number(ROUNDS_TO_VALID))).toBe(ROUNDED);
    await registered(ROUNDS_TO_VALID, ROUNDED);
    const reason = 'given as a number; write it as text: 18-digit numbers lose their last digits';
    const nd = h.write('presence.ndjson', `{"id_number": ${ROUNDS_TO_VALID}, "place_code": "BH-R1", "start": "2021-09-10 12:00", "end": "2021-09-10 13:00", "source": "venue_scan"}\n`);
    expect((await h.reject('presence', nd)).message).toContain(`presence.ndjson:1 id_number: ${reason}`);
    const persons = h.write('persons.ndjson', `{"id_number": ${idNumber(5)}, "name": "甲", "community_code": "430102001001"}\n`);
    expect((await h.reject('persons', persons)).message).toContain(`persons.ndjson:1 id_number: ${reason}`);
    const xlsx = await workbook(h, 'presence.xlsx', ['id_number', 'place_code', 'start', 'end', 'source'], [[
      { value: Number(ROUNDS_TO_VALID) }, { value: 'BH-R1' }, { value: '2021-09-10 12:00' }, { value: '2021-09-10 13:00' }, { value: 'venue_scan' },
    ]]);
    expect((await h.reject('presence', xlsx)).message).toContain(`presence.xlsx:2 id_number: ${reason}`);
    expect((await h.store.stats.totals()).presence).toBe(0);
  });

  it('refuses phones typed as numbers, objects and arrays, booleans and spreadsheet errors; takes numbers where numbers belong', async () => {
    const persons = h.write('persons.ndjson', [
      `{"id_number": "${idNumber(1)}", "name": "甲", "community_code": "430102001001", "phone": 13907350099}`,
      `{"id_number": "${idNumber(2)}", "name": {"zh": "乙"}, "community_code": "430102001001", "address": ["文艺路", "1号"]}`,
      `{"id_number": "${idNumber(3)}", "name": true, "community_code": "430102001001"}`,
    ].join('\n'));
    const e = await h.reject('persons', persons);
    expect(e.problems.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual([
      '1 phone: given as a number; write it as text: a number loses a leading 0 or +',
      '2 name: an object, not a value',
      '2 address: an array, not a value',
      '3 name: given as true (a true/false cell), not a value of this field',
    ]);
    const xlsx = await workbook(h, 'places.xlsx', ['code', 'name', 'category', 'region_code'], [
      [{ value: 'V1' }, { value: { error: '#N/A' } as ExcelJS.CellErrorValue }, { value: 'bar' }, { value: '430102' }],
      [{ value: 'V2' }, { value: { formula: 'A1&"x"' } as ExcelJS.CellFormulaValue }, { value: 'bar' }, { value: '430102' }],
    ]);
    expect((await h.reject('places', xlsx)).problems.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual([
      '2 name: a spreadsheet error (#N/A), not a value',
      '3 name: a spreadsheet error (a formula without a computed value), not a value',
    ]);
    expect((await h.store.stats.totals())).toMatchObject({ persons: 0, places: 0 });
    const places = h.write('places.ndjson', [place('A', { lng: 112.98, lat: 28.19 }), place('B', { lng: '112.99', lat: '28.2' }), JSON.stringify({ code: 1001, name: '站', category: 'bar', region_code: 430102 })].join('\n'));
    expect(await h.run('places', places)).toMatchObject({ inserted: 3 });
    await h.run('persons', h.write('p.csv', `id_number,name,community_code\n${idNumber(1)},甲,430102001001`));
    const vacc = h.write('v.ndjson', [
      JSON.stringify({ id_number: idNumber(1), dose: 1, vaccine: 'CoronaVac', vaccinated_at: '2021-05-01 10:00' }),
      JSON.stringify({ id_number: idNumber(1), dose: '2', vaccine: 'CoronaVac', vaccinated_at: '2021-06-01 10:00' }),
    ].join('\n'));
    expect(await h.run('vaccinations', vacc)).toMatchObject({ inserted: 2 });
  });

  it('refuses values longer than their field allows, with file:line field: reason', async () => {
    const long = (n: number) => '长'.repeat(n);
    const lines = [
      'id_number,name,community_code,address,occupation',
      `${idNumber(1)},${long(100)},430102001001,${long(500)},${long(100)}`,
      `${idNumber(2)},${long(101)},430102001001,${long(501)},${'𠮷'.repeat(101)}`,
    ];
    const e = await h.reject('persons', h.write('long.csv', lines.join('\n')));
    expect(e.problems.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual([
      '3 name: 101 characters, more than the 100 allowed',
      '3 occupation: 101 characters, more than the 100 allowed',
      '3 address: 501 characters, more than the 500 allowed',
    ]);
    const code = h.write('code.ndjson', `${place('C'.repeat(65))}\n${JSON.stringify({ code: 'D', name: 'd', category: 'bar', region_code: '430102', status: 's'.repeat(2001) })}`);
    expect((await h.reject('places', code)).problems.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual([
      '1 code: 65 characters, more than the 64 allowed',
      '2 status: 2001 characters, more than the 2000 allowed',
    ]);
  });
});
