/**
 * The strict line decoder on its own, fed bytes in chunks cut anywhere: what text comes out, where a line break split
 * between two chunks goes, which line a bad byte is reported at, the byte-order mark, the longest line allowed, and the
 * names of encodings a user may give.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { DecodeError, encodingNamed, MAX_LINE_BYTES, StrictLineDecoder, type Encoding } from './decode.ts';

/** Decodes `chunks` in order: the text pieces pushed, or the error. */
async function decode(chunks: Buffer[], encoding: Encoding = 'utf-8'): Promise<{ pieces: string[]; error?: DecodeError }> {
  const pieces: string[] = [];
  try {
    for await (const piece of Readable.from(chunks, { objectMode: true }).pipe(new StrictLineDecoder(encoding))) pieces.push(piece as string);
    return { pieces };
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return { pieces, error: e as DecodeError };
  }
}
const b = (s: string) => Buffer.from(s, 'utf8');
const BAD = Buffer.from([0xff]);

describe('StrictLineDecoder', () => {
  it('gives whole lines only, whatever the chunks, with every break as \\n', async () => {
    expect((await decode([b('a,b\nc,'), b('d\ne')])).pieces).toEqual(['a,b\n', 'c,d\n', 'e']);
    // A \r at a chunk's end may be half of \r\n: it waits for the next chunk instead of making an empty line.
    expect((await decode([b('a\r'), b('\nb\r'), b('c')])).pieces.join('')).toBe('a\nb\nc');
    expect((await decode([b('a\r'), b('\r\n'), b('b')])).pieces.join('')).toBe('a\n\nb');
    expect((await decode([b('x\ry\r\nz\n')])).pieces.join('')).toBe('x\ny\nz\n');
    // A chunk of one \r alone, then the rest.
    expect((await decode([b('\r'), b('a')])).pieces.join('')).toBe('\na');
    expect((await decode([b('\r'), b('\n'), b('a')])).pieces.join('')).toBe('\na');
    expect((await decode([])).pieces).toEqual([]);
    expect((await decode([b('')])).pieces).toEqual([]);
  });

  it('cuts a character split between chunks only at a line break, so it decodes whole', async () => {
    const text = b('张三,湖南\n李四');
    for (let cut = 1; cut < text.length; cut++) {
      expect((await decode([text.subarray(0, cut), text.subarray(cut)])).pieces.join(''), `cut at ${cut}`).toBe('张三,湖南\n李四');
    }
  });

  it('drops one byte-order mark at the start of the file, not one later in it', async () => {
    expect((await decode([b('\ufeffa\n\ufeffb')])).pieces.join('')).toBe('a\n\ufeffb');
    expect((await decode([b('\ufeff\ufeffa')])).pieces.join('')).toBe('\ufeffa');
    expect((await decode([b('\ufeffa\n'), b('\ufeffb')])).pieces.join('')).toBe('a\n\ufeffb');
  });

  it('names the line of a byte that does not decode: within a chunk, in a later chunk, and on the last line without a break', async () => {
    expect((await decode([Buffer.concat([b('a\nb\n'), BAD, b('\n')])])).error).toMatchObject({ line: 3, reason: 'not valid UTF-8 text (for GBK or GB18030 files pass --encoding gb18030)' });
    expect((await decode([b('a\nb\n'), b('c\r\nd\n'), Buffer.concat([b('e\n'), BAD])])).error?.line).toBe(6);
    expect((await decode([b('a\rb\r'), Buffer.concat([b('c'), BAD, b('\n')])])).error?.line).toBe(3);
    expect((await decode([b('a\nb\n'), Buffer.concat([b('c'), BAD])])).error).toMatchObject({ line: 3, message: 'line 3: not valid UTF-8 text (for GBK or GB18030 files pass --encoding gb18030)' });
    // GB18030: a Chinese name reads, a lone lead byte does not.
    const gb = iconv.encode('姓名\n张三\n', 'gb18030');
    expect((await decode([gb], 'gb18030')).pieces.join('')).toBe('姓名\n张三\n');
    expect((await decode([Buffer.concat([gb, Buffer.from([0x81, 0x0a])])], 'gb18030')).error)
      .toMatchObject({ line: 3, reason: 'not valid GB18030 text (a byte that does not decode; is the file in another encoding?)' });
  });

  it('counts every sort of break before a bad byte (empty lines, \\r alone, \\r\\n, \\n) wherever the chunks are cut', async () => {
    // The line of the bad byte is one more than the breaks before it, \r\n counting once; the file cut in two
    // anywhere, and in three around each break.
    for (const before of ['\n', '\r', '\r\n', '\n\na\r\rb\r\n', 'a\r\n\r\nb\rc\n', 'x\r', 'x\n\r']) {
      const breaks = before.replace(/\r\n/g, '\n').replace(/[^\r\n]/g, '').length;
      const bytes = Buffer.concat([b(before), b('v'), BAD, b('\nw\r\n')]);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const { error } = await decode([bytes.subarray(0, cut), bytes.subarray(cut)]);
        expect(error?.line, `${JSON.stringify(before)} cut at ${cut}`).toBe(breaks + 1);
        const three = await decode([bytes.subarray(0, cut), bytes.subarray(cut, cut + 1), bytes.subarray(cut + 1)]);
        expect(three.error?.line, `${JSON.stringify(before)} cut at ${cut} and ${cut + 1}`).toBe(breaks + 1);
      }
      // Without the bad byte, the same text with every break as \n, whatever the cut.
      const good = Buffer.concat([b(before), b('v\nw\r\n')]);
      for (let cut = 0; cut <= good.length; cut++) {
        expect((await decode([good.subarray(0, cut), good.subarray(cut)])).pieces.join(''), `cut at ${cut}`).toBe(before.replace(/\r\n?/g, '\n') + 'v\nw\n');
      }
    }
  });

  it('takes a line of exactly the longest length and refuses one byte more before reading on', async () => {
    const long = Buffer.alloc(MAX_LINE_BYTES, 0x61);
    const ok = await decode([b('h\n'), long.subarray(0, MAX_LINE_BYTES / 2), long.subarray(MAX_LINE_BYTES / 2), b('\nz')]);
    expect(ok.error).toBeUndefined();
    expect(ok.pieces.join('').length).toBe(2 + MAX_LINE_BYTES + 2);
    const over = await decode([b('h\n'), long, b('a'), b('\nz')]);
    expect(over.error).toMatchObject({ line: 2, reason: `line longer than ${MAX_LINE_BYTES} bytes (a field far beyond any limit?); not read further` });
  });
});

describe('StrictLineDecoder, files broken by \\r alone', () => {
  it('cuts at a lone \\r too: a file of short lines broken by \\r only, larger than the longest line, reads whole', async () => {
    const line = '张三,湖南,1\r';
    const file = b(line.repeat(Math.ceil((MAX_LINE_BYTES * 1.5) / b(line).length)));
    const chunks: Buffer[] = [];
    for (let at = 0; at < file.length; at += 65_536) chunks.push(file.subarray(at, at + 65_536));
    const out = await decode(chunks);
    expect(out.error).toBeUndefined();
    expect(out.pieces.join('')).toBe(file.toString('utf8').replaceAll('\r', '\n'));
  });

  it('cuts just after the \\r, never inside the character before it', async () => {
    // The last \r of a chunk may be half of \r\n, so the cut is at the \r before it, right after it.
    for (const chunks of [[b('张三\r李四\r'), b('王五')], [b('a\r张\r'), b('\n李')]]) {
      const out = await decode(chunks);
      expect(out.error).toBeUndefined();
      expect(out.pieces.join('')).toBe(Buffer.concat(chunks).toString('utf8').replace(/\r\n?/g, '\n'));
    }
  });

  it('takes a line of exactly the longest length after a chunk that starts with its break (\\n or \\r)', async () => {
    const long = Buffer.alloc(MAX_LINE_BYTES, 0x61);
    for (const brk of ['\n', '\r']) {
      const out = await decode([b('h\n'), Buffer.concat([b(brk), long]), b('\nz')]);
      expect(out.error).toBeUndefined();
      expect(out.pieces.join('')).toBe(`h\n\n${'a'.repeat(MAX_LINE_BYTES)}\nz`);
    }
  });

  it('gives no text at all for a file of only a byte-order mark', async () => {
    expect((await decode([Buffer.from([0xef, 0xbb, 0xbf])])).pieces).toEqual([]);
    expect((await decode([Buffer.from([0xef, 0xbb, 0xbf]), b('')])).pieces).toEqual([]);
  });
});

describe('encodingNamed', () => {
  it('knows UTF-8 and the GB family by the names people write, and nothing else', () => {
    for (const n of ['utf-8', 'UTF-8', 'utf8', 'UTF_8']) expect(encodingNamed(n), n).toBe('utf-8');
    for (const n of ['gb18030', 'GB18030', 'gbk', 'GBK', 'gb2312', 'GB-2312', 'cp936', 'CP936']) expect(encodingNamed(n), n).toBe('gb18030');
    for (const n of ['big5', 'shift_jis', 'euc-kr', 'latin1', '']) expect(encodingNamed(n), n).toBeUndefined();
  });
});
