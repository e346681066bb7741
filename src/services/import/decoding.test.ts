/** Feed bytes to text: strict decoding in every offered encoding, any mix of line breaks, runaway lines refused early. */
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber } from '../../../test/fixtures.ts';
import { importHarness } from '../../../test/imports.ts';

const HEADER = 'id_number,name,community_code';
const person = (i: number, name = `居民${i}`) => `${idNumber(i)},${name},430102001001`;

describeEachEngine('feed decoding', (engine) => {
  const h = importHarness(engine);

  it('refuses a GBK file with a byte that does not decode, naming its line, instead of substituting it', async () => {
    const bytes = Buffer.concat([
      iconv.encode(`${HEADER}\n${person(1)}\n${person(2, '张')}`, 'gbk'), Buffer.from([0xff]), iconv.encode(`三\n${person(3)}\n`, 'gbk'),
    ]);
    const f = h.write('bad-byte.csv', bytes);
    for (const encoding of ['gbk', 'GB18030', 'gb2312']) {
      const e = await h.reject('persons', f, { encoding });
      expect(e.problems).toEqual([{ file: 'bad-byte.csv', line: 3, field: '', reason: expect.stringContaining('not valid GB18030 text') }]);
    }
    expect((await h.store.stats.totals()).persons).toBe(0);
  });

  it('reads GBK as GB18030, so a name outside GBK (𠮷) written by a GB18030 system reads right', async () => {
    const f = h.write('gb18030.csv', iconv.encode(`${HEADER}\n${person(1, '𠮷祥')}\n${person(2, '欧阳小雨')}\n`, 'gb18030'));
    expect(await h.run('persons', f, { encoding: 'gbk' })).toMatchObject({ inserted: 2 });
    expect((await h.store.persons.list({}, { limit: 2 })).items.map((p) => p.name)).toEqual(['𠮷祥', '欧阳小雨']);
  });

  it('refuses an encoding it cannot decode strictly, naming those it can', async () => {
    const f = h.write('big5.csv', iconv.encode(`${HEADER}\n${person(1, '陳')}\n`, 'big5'));
    for (const encoding of ['big5', 'latin1', 'no-such-encoding']) {
      const e = await h.reject('persons', f, { encoding });
      expect(e.problems[0].reason).toBe(`unknown or unsupported encoding "${encoding}" (one of utf-8, gb18030; gbk and gb2312 are read as gb18030)`);
    }
  });

  it('reads CSV and NDJSON mixing \\n, \\r\\n and lone \\r line breaks, and counts lines across all three', async () => {
    const csv = h.write('mixed.csv', `\uFEFF${HEADER}\n${person(1)}\r\n${person(2)}\r${person(3)}\n${person(4)}\r\n`);
    expect(await h.run('persons', csv)).toMatchObject({ rows: 4, inserted: 4 });
    const place = (code: string) => JSON.stringify({ code, name: '餐馆', category: 'restaurant', region_code: '430102' });
    const nd = h.write('mixed.ndjson', `${place('A')}\r\n${place('B')}\r${place('C')}\n\r${place('D')}`);
    expect(await h.run('places', nd)).toMatchObject({ rows: 4, inserted: 4 });
    const bad = h.write('mixed-bad.csv', `${HEADER}\r${person(5)}\r\n${person(6)}\r${idNumber(7)},七,430102001999\n`);
    expect((await h.reject('persons', bad)).message).toContain('mixed-bad.csv:4 community_code: unknown community code "430102001999"');
    const badNd = h.write('mixed-bad.ndjson', `${place('E')}\r${place('F')}\r\n{"code":"G"\n`);
    expect((await h.reject('places', badNd)).message).toContain('mixed-bad.ndjson:3: not a JSON object');
  });

  it('names the line of a bad UTF-8 byte after lone \\r line breaks', async () => {
    const f = h.write('bad-utf8.csv', Buffer.concat([Buffer.from(`${HEADER}\r${person(1)}\r${person(2)}\r${idNumber(3)},`), Buffer.from([0xe5, 0x0d])]));
    const e = await h.reject('persons', f);
    expect(e.problems[0]).toMatchObject({ line: 4, reason: expect.stringContaining('not valid UTF-8 text') });
  });

  it('refuses a 20 MB field after reading about 1 MiB of it: CSV on one line, CSV quoted across lines, NDJSON', async () => {
    const huge = 'x'.repeat(20 << 20);
    const progress: number[] = [];
    const onProgress = (p: { bytes: number }) => progress.push(p.bytes);
    const oneLine = h.write('huge.csv', `${HEADER},address\n${person(1)},${huge}\n${person(2)},近\n`);
    expect((await h.reject('persons', oneLine, { onProgress })).message).toContain('huge.csv:2: line longer than 1048576 bytes');
    expect(Math.max(...progress)).toBeLessThan(4 << 20);
    const manyLines = h.write('huge-quoted.csv', `${HEADER},address\n${person(1)},"${'x'.repeat(1000).concat('\n').repeat(21_000)}"\n`);
    const quoted = (await h.reject('persons', manyLines)).message.match(/huge-quoted\.csv:(\d+): record longer than 1048576 characters/);
    // Named at the line where the record passed the limit: its 1,048,577th character, 1,048 lines of 1,001 into it.
    expect(Number(quoted?.[1])).toBe(2 + Math.floor(1_048_576 / 1001));
    const nd = h.write('huge.ndjson', `${JSON.stringify({ code: 'A', name: huge, category: 'bar', region_code: '430102' })}\n`);
    expect((await h.reject('places', nd)).message).toContain('huge.ndjson:1: line longer than 1048576 bytes');
    expect((await h.store.stats.totals())).toMatchObject({ persons: 0, places: 0 });
  });
});
