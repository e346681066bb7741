import { describe, expect, it } from 'vitest';
import { changesAnything, diff } from './corrections.ts';

describe('corrections as values', () => {
  const before = { outcome: 'in_treatment', outcomeAt: null as number | null, severity: 'mild', tags: ['a'], note: undefined as string | undefined };

  it('lists only the fields given that change, each from what to what', () => {
    expect(diff(before, { outcome: 'recovered', outcomeAt: 1_630_000_000, severity: 'mild' })).toEqual({ outcome: ['in_treatment', 'recovered'], outcomeAt: [null, 1_630_000_000] });
    expect(diff(before, {})).toEqual({});
    expect(diff(before, { severity: undefined })).toEqual({}); // not given
  });

  it('compares values by content, and a missing value as null', () => {
    expect(diff(before, { tags: ['a'] })).toEqual({});
    expect(diff(before, { tags: ['a', 'b'] })).toEqual({ tags: [['a'], ['a', 'b']] });
    expect(diff(before, { note: 'x' })).toEqual({ note: [null, 'x'] });
    expect(diff({ n: 0 }, { n: 0 })).toEqual({});
    expect(diff({ n: 0 } as { n: number | null }, { n: null })).toEqual({ n: [0, null] });
  });

  it('says whether a change set changes anything', () => {
    expect(changesAnything({})).toBe(false);
    expect(changesAnything({ outcome: ['in_treatment', 'recovered'] })).toBe(true);
  });
});
