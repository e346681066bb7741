/**
 * The words people read for the vocabulary (labels.ts) and the provinces (provinces.ts): every value has a word in each
 * language, a Chinese word has no Latin letters in it (no English on a Chinese page), an English one no Chinese, and
 * no two values of one list read the same (a person could not tell them apart).
 */
import { describe, expect, it } from 'vitest';
import { CASE_LABELS, CODE_COLOUR_LABELS, CONTACT_LABELS, type Lang } from './labels.ts';
import { PROVINCES, provinceOf } from './provinces.ts';
import { CASE_KINDS, CASE_OUTCOMES, CONTACT_KINDS, CONTACT_SETTINGS, CONTACT_STATUSES, DETECTION_ROUTES, PRESENCE_SOURCES, SEVERITIES } from './vocab.ts';

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;

/** Checks one list of words against the values it must name, in language `lang`. */
function wordsOf(lang: Lang, words: Record<string, string>, values: readonly string[], what: string) {
  expect(Object.keys(words).sort(), what).toEqual([...values].sort());
  for (const [value, word] of Object.entries(words)) {
    expect(word.trim(), `${what}.${value}`).toBe(word);
    expect(word.length, `${what}.${value}`).toBeGreaterThan(1);
    if (lang === 'zh') {
      expect(word, `${what}.${value}`).toMatch(HAN);
      expect(word, `${what}.${value}`).not.toMatch(LATIN);
    } else {
      expect(word, `${what}.${value}`).toMatch(LATIN);
      expect(word, `${what}.${value}`).not.toMatch(HAN);
    }
  }
  expect(new Set(Object.values(words)).size, `${what}: two values read the same`).toBe(values.length);
}

describe('words for the vocabulary', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`has a distinct ${lang} word for every contact kind, setting, source and status, every case kind, outcome, severity and route, and every code colour`, () => {
      const c = CONTACT_LABELS[lang];
      wordsOf(lang, c.kinds, CONTACT_KINDS, 'contact kinds');
      wordsOf(lang, c.settings, CONTACT_SETTINGS, 'settings');
      wordsOf(lang, c.sources, PRESENCE_SOURCES, 'sources');
      wordsOf(lang, c.statuses, CONTACT_STATUSES, 'statuses');
      const k = CASE_LABELS[lang];
      wordsOf(lang, k.kinds, CASE_KINDS, 'case kinds');
      wordsOf(lang, k.outcomes, CASE_OUTCOMES, 'outcomes');
      wordsOf(lang, k.severities, SEVERITIES, 'severities');
      wordsOf(lang, k.detectedBy, DETECTION_ROUTES, 'detected by');
      wordsOf(lang, CODE_COLOUR_LABELS[lang], ['green', 'yellow', 'red'], 'code colours');
    });
  }

  it('names the colours as people do: 绿码, 黄码, 红码', () => {
    expect(CODE_COLOUR_LABELS.zh).toEqual({ green: '绿码', yellow: '黄码', red: '红码' });
  });
});

describe('provinces', () => {
  it('names the 34 provincial-level divisions of GB/T 2260 in both languages, each Chinese name ending as its kind does', () => {
    expect(Object.keys(PROVINCES)).toHaveLength(34);
    for (const [code, p] of Object.entries(PROVINCES)) {
      expect(code).toMatch(/^[1-8]\d$/);
      expect(p.zh, code).toMatch(/^\p{Script=Han}+(省|市|自治区|特别行政区)$/u);
      expect(p.en, code).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)?$/);
    }
    expect(new Set(Object.values(PROVINCES).map((p) => p.zh)).size).toBe(34);
    expect(new Set(Object.values(PROVINCES).map((p) => p.en)).size).toBe(34);
    expect(PROVINCES['43']).toEqual({ zh: '湖南省', en: 'Hunan' });
  });

  it('finds the province of a division code or ID number by its first two digits, and none for codes no province has', () => {
    expect(provinceOf('430102')).toBe('43');
    expect(provinceOf('110101199003070012')).toBe('11');
    expect(provinceOf('82')).toBe('82');
    for (const code of ['00', '10', '19', '90', '99', '4', '', 'ab']) expect(provinceOf(code), code).toBeNull();
  });
});
