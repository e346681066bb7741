/** Column names: the Chinese headers agencies write for every kind, a column map for other layouts, and its checks. */
import { expect, it } from 'vitest';
import { IMPORT_KINDS } from '../../domain/model/index.ts';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber } from '../../../test/fixtures.ts';
import { importHarness } from '../../../test/imports.ts';
import { columnNames } from './columns.ts';
import { KINDS } from './kinds.ts';

describeEachEngine('feed column names', (engine) => {
  const h = importHarness(engine);

  it('names a column of its own kind with every Chinese header', () => {
    for (const kind of IMPORT_KINDS) {
      const spec = KINDS[kind];
      const columns = [...spec.required, ...spec.optional];
      expect(Object.values(spec.headers).filter((c) => !columns.includes(c)), kind).toEqual([]);
      expect(Object.keys(spec.headers).length, kind).toBeGreaterThanOrEqual(columns.length);
    }
  });

  it('reads Chinese headers for every kind, in CSV and NDJSON', async () => {
    const csv = (name: string, lines: string[]) => h.write(name, lines.join('\n'));
    expect(await h.run('persons', csv('居民.csv', ['身份证号,姓名,社区代码,手机号,户编号,职业,住址', `${idNumber(1)},周建国,430102001001,13907390000,BH-HH1,教师,文艺路1号`]))).toMatchObject({ inserted: 1 });
    const place = { 场所编码: 'BH-K1', 场所名称: '星光KTV', 场所类别: 'ktv', 区划代码: '430102001001', 经度: 112.985, 纬度: 28.195 };
    expect(await h.run('places', h.write('场所.ndjson', JSON.stringify(place)))).toMatchObject({ inserted: 1 });
    expect(await h.run('presence', csv('场所码.csv', ['证件号码,场所编码,开始时间,结束时间,来源', `${idNumber(1)},BH-K1,2021-09-19 22:30,2021-09-20 01:30,venue_scan`]))).toMatchObject({ inserted: 1 });
    expect(await h.run('presence', csv('话单.csv', ['联系电话,场所代码,进入时间,离开时间,数据来源', '13907390000,BH-K1,2021-09-21 22:30,2021-09-22 01:30,telecom_stay']))).toMatchObject({ inserted: 1 });
    expect(await h.run('cases', csv('病例.csv', ['病例编号,身份证号,病例类型,发病时间,采样时间,确诊时间,转归', `BH-A,${idNumber(1)},confirmed,2021-09-20 10:00,2021-09-21 09:00,2021-09-21 20:00,in_treatment`]))).toMatchObject({ inserted: 1 });
    expect(await h.run('samples', csv('核酸.csv', ['样本编号,身份证号,采样时间,检测方式,检测结果,结果时间,检测机构', `S1,${idNumber(1)},2021-09-21 09:00,single,positive,2021-09-21 18:00,省疾控`]))).toMatchObject({ inserted: 1 });
    expect(await h.run('vaccinations', csv('疫苗.csv', ['身份证号,剂次,疫苗名称,接种时间,接种点', `${idNumber(1)},1,CoronaVac,2021-05-01 10:00,社区卫生服务中心`]))).toMatchObject({ inserted: 1 });
    expect(await h.store.stats.totals()).toMatchObject({ persons: 1, places: 1, presence: 2 });
  });

  it('reads headers typed full-width as the kind\'s own names and its Chinese headers', async () => {
    const fw = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const names = columnNames(KINDS.presence);
    expect(names.rename(fw('id_number'))).toBe('id_number');
    expect(names.rename(fw('place_code'))).toBe('place_code');
    // A header of no column stays as written (the file's problem names it so).
    expect(names.rename('备注（ｘ）')).toBe('备注（ｘ）');
    expect(names.rename(fw('remark'))).toBe('remark');
    const map = columnNames(KINDS.presence, { 'ＩＤ': 'id_number' });
    expect(map.rename('ID')).toBe('id_number');
    expect(await h.run('persons', h.write('居民全角.csv', [`${fw('id_number')},${fw('name')},${fw('community_code')}`, `${idNumber(2)},李四,430102001001`].join('\n')))).toMatchObject({ inserted: 1 });
  });

  it('reads another layout through a column map', async () => {
    await h.run('persons', h.write('p.csv', `id_number,name,community_code\n${idNumber(1)},甲,430102001001`));
    await h.run('places', h.write('pl.csv', 'code,name,category,region_code\nV1,茶楼,restaurant,430102'));
    const f = h.write('theirs.csv', `ID No.,Venue,In,Out,Feed\n${idNumber(1)},V1,2021-09-10 12:00,2021-09-10 13:00,venue_scan\n`);
    const columns = { 'ID No.': 'id_number', Venue: 'place_code', In: 'start', Out: 'end', Feed: 'source' };
    expect(await h.run('presence', f, { columns })).toMatchObject({ rows: 1, inserted: 1 });
    const nd = h.write('theirs.ndjson', JSON.stringify({ 'ID No.': idNumber(1), Venue: 'V1', In: '2021-09-11 12:00', Out: '2021-09-11 13:00', Feed: 'venue_scan' }));
    expect(await h.run('presence', nd, { columns })).toMatchObject({ rows: 1, inserted: 1 });
  });

  it('refuses a column map that names no column of the kind, or maps two names to one column, before reading the file', async () => {
    const f = h.write('p.csv', `证件号,姓名,社区\n${idNumber(1)},甲,430102001001`);
    const e = await h.reject('persons', f, { columns: { 社区: 'community', 证件号: 'id_number', 身份证: 'id_number' } });
    expect(e.problems).toEqual([
      { file: 'p.csv', line: 0, field: '社区', reason: expect.stringMatching(/^column map: mapped to "community", which is not a column of this kind \(id_number, name, community_code, /) },
      { file: 'p.csv', line: 0, field: 'id_number', reason: 'column map: "证件号" and "身份证" are each mapped to it; map only one' },
    ]);
    expect((await h.store.stats.totals()).persons).toBe(0);
  });

  it('refuses a file in which two columns give one column (身份证号 and id_number), in CSV and NDJSON', async () => {
    const csv = h.write('two.csv', `身份证号,id_number,姓名,社区代码\n${idNumber(1)},${idNumber(2)},甲,430102001001`);
    expect((await h.reject('persons', csv)).message).toContain('two.csv:1: columns "身份证号" and "id_number" both give id_number');
    const nd = h.write('two.ndjson', JSON.stringify({ id_number: idNumber(1), 姓名: '甲', name: '乙', community_code: '430102001001' }));
    expect((await h.reject('persons', nd)).message).toContain('two.ndjson:1: keys "姓名" and "name" both give name');
  });
});
