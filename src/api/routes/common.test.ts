/**
 * What counts as something to read in free text (reasons, notes, sites, directives): every kind of character that
 * shows nothing, alone or together, is not; a letter, a Chinese character, a digit, an accented letter or an emoji is.
 */
import { expect, it } from 'vitest';
import { visible } from './common.ts';

it('finds nothing to read in spaces, controls, zero-width and other ignorable characters, lone combining marks and the blank braille pattern', () => {
  const blanks = [
    '', ' \t\n', '\u00a0\u1680\u2000\u2028\u202f\u3000', '\u200b\u200c\u200d\u2060\ufeff', '\u200e\u200f\u061c', '\u2061\u2062\u2063\u2064', '\u180e\u034f',
    '\u3164', '\u115f\u1160', '\uffa0', '\u2800', '\u17b4\u17b5', '\ufe0f', '\u{e0020}', '\u0301', '\u0007',
  ];
  for (const t of blanks) expect(visible(t), JSON.stringify(t)).toBe(false);
});

it('finds something to read in letters, Chinese, digits, accented letters, punctuation and emoji, among invisible ones', () => {
  for (const t of ['a', '中', '7', 'e\u0301', '。', '\u200b已转运\u200b', '\u3164x', '👍']) expect(visible(t), JSON.stringify(t)).toBe(true);
});
