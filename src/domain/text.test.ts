/**
 * Codes as agencies' files write them: full-width forms typed by Chinese input methods, invisible characters, dashes
 * and wide spaces, read as the one ASCII form stored and compared (and only those: other characters stay as they are).
 */
import { describe, expect, it } from 'vitest';
import { asciiTwin, normalizeCode, normalizeLabel } from './text.ts';

describe('normalizeCode', () => {
  it('reads the full-width forms of ASCII as ASCII, letters keeping their case', () => {
    expect(normalizeCode('ＭＫＴ－１')).toBe('MKT-1');
    expect(normalizeCode('４３０１０２')).toBe('430102');
    expect(normalizeCode('ａｂＣ')).toBe('abC');
    // The ends of the block: U+FF01 is "!", U+FF5E is "~".
    expect(normalizeCode('！x～')).toBe('!x~');
  });

  it('keeps ASCII and every other character as it is: "²" and "①" are not digits', () => {
    expect(normalizeCode('MKT-1')).toBe('MKT-1');
    expect(normalizeCode('A²①')).toBe('A²①');
    expect(normalizeCode('欢乐KTV')).toBe('欢乐KTV');
  });

  it('drops invisible characters (zero-width space and joiner, byte-order mark)', () => {
    expect(normalizeCode('\u200bMKT\u200d-1\ufeff')).toBe('MKT-1');
  });

  it('reads every dash and the minus sign as a hyphen-minus', () => {
    expect(normalizeCode('MKT\u20131')).toBe('MKT-1'); // en dash
    expect(normalizeCode('MKT\u20141')).toBe('MKT-1'); // em dash
    expect(normalizeCode('\u22125')).toBe('-5'); // minus sign
  });

  it('reads the ideographic and no-break spaces as spaces, trims, and collapses no spaces (unlike a label)', () => {
    expect(normalizeCode('A\u3000B\u00a0C\u202fD')).toBe('A B C D');
    expect(normalizeCode('  MKT-1 \t')).toBe('MKT-1');
    expect(normalizeCode('A  B')).toBe('A  B');
    expect(normalizeLabel('A  B')).toBe('A B');
  });
});

describe('asciiTwin', () => {
  it('is null for printable ASCII, which reads as written', () => {
    expect(asciiTwin('2021-09-10 12:00')).toBeNull();
    expect(asciiTwin(' !~')).toBeNull();
    expect(asciiTwin('')).toBeNull();
  });

  it('gives the code form of a value typed with full-width or other characters outside printable ASCII', () => {
    expect(asciiTwin('２０２１－０９－１０ １２：００')).toBe('2021-09-10 12:00');
    expect(asciiTwin('\u200b43')).toBe('43');
    // Outside printable ASCII, but nothing to change: the twin is the value itself (and the reader checks it as such).
    expect(asciiTwin('a\tb')).toBe('a\tb');
    expect(asciiTwin('A²')).toBe('A²');
  });
});
