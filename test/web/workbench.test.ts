/** The case page: the contact words, the interview form's choices, a typed span. */
import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { percentOf, rankCount, spanOf } from '../../web/src/workbench.ts';
import { CONTACT_LABELS } from '../../src/domain/labels.ts';
import { CLINICAL_TYPES, INTERVIEW_SIGNS } from '../../src/domain/rules/interview.ts';
import { SYMPTOMS } from '../../src/domain/vocab.ts';
import { CLINICAL_TYPES as FORM_TYPES, SIGNS } from '../../web/src/workbench.ts';
import { WORDS } from '../../web/src/i18n.ts';

describe('the contact vocabulary\'s words', () => {
  it('says every kind, setting, feed and status in Chinese without Latin letters, and in English', () => {
    for (const [group, words] of Object.entries(CONTACT_LABELS.zh)) {
      for (const [k, v] of Object.entries(words as Record<string, string>)) {
        expect(v.match(/[A-Za-z]/), `${group}.${k}: ${v}`).toBeNull();
        expect((CONTACT_LABELS.en as unknown as Record<string, Record<string, string>>)[group][k], `${group}.${k}`).toMatch(/[A-Za-z]/);
      }
    }
  });
});

describe('the interview form\'s choices', () => {
  it('offers exactly the signs and clinical types the API takes, each with words in both languages', () => {
    expect([...SIGNS]).toEqual([...INTERVIEW_SIGNS]);
    expect([...FORM_TYPES]).toEqual([...CLINICAL_TYPES]);
    for (const lang of ['zh-CN', 'en'] as const) {
      const w = WORDS[lang];
      for (const s of SYMPTOMS) expect(w.followUp.symptomNames[s], `${lang} ${s}`).toBeTruthy();
      for (const c of CLINICAL_TYPES) expect(w.workbench.clinicalTypes[c], `${lang} ${c}`).toBeTruthy();
    }
  });
});

describe('a span typed on a form', () => {
  it('ends on the same day unless told it ends the next day: never guessed from the times', () => {
    const day = dayjs('2021-08-02');
    expect(spanOf(day, '15:00', '14:00')).toEqual({ start: '2021-08-02 15:00', end: '2021-08-02 14:00' });
    expect(spanOf(day, '22:30', '01:30', true)).toEqual({ start: '2021-08-02 22:30', end: '2021-08-03 01:30' });
    expect(spanOf(dayjs('2021-08-31'), '23:00', '00:30', true).end).toBe('2021-09-01 00:30');
  });
});

describe('a probability for people', () => {
  it('rounds to a whole percentage, but says "<1%" and ">99%" for chances that round to 0 or 100 and are neither', () => {
    expect(percentOf(0)).toBe('0%');
    expect(percentOf(1)).toBe('100%');
    expect(percentOf(0.004)).toBe('<1%');
    expect(percentOf(0.005)).toBe('1%');
    expect(percentOf(0.994)).toBe('99%');
    expect(percentOf(0.995)).toBe('>99%');
    expect(percentOf(0.4249)).toBe('42%');
  });
});

describe('rankCount (the chain graph\'s ranks, which set its height)', () => {
  it('counts the most nodes on a path of arrows, through events, and cuts a cycle where it closes', () => {
    expect(rankCount([], [])).toBe(0);
    expect(rankCount(['a'], [])).toBe(1);
    // a -> b -> c and a -> event -> d -> e: four ranks.
    expect(rankCount(['a', 'b', 'c', 'd', 'e', 'x'], [
      { source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'a', target: 'x' }, { source: 'x', target: 'd' }, { source: 'd', target: 'e' },
    ])).toBe(4);
    // Two roots, the longer path from the second.
    expect(rankCount(['a', 'b', 'p', 'q', 'r'], [{ source: 'a', target: 'b' }, { source: 'p', target: 'q' }, { source: 'q', target: 'r' }])).toBe(3);
    expect(rankCount(['a', 'b'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }])).toBe(2);
  });
});
