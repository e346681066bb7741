import { describe, expect, it } from 'vitest';
import { linkContradiction, linkWarnings } from './links.ts';

describe('linkContradiction', () => {
  const links = [{ infector: 1, infectee: 2 }, { infector: 2, infectee: 3 }, { infector: 3, infectee: 4 }];

  it('allows a link that keeps the confirmed links a forest, and the same link again', () => {
    expect(linkContradiction(links, 4, 5)).toBeNull();
    expect(linkContradiction(links, 1, 6)).toBeNull();
    expect(linkContradiction(links, 2, 3)).toBeNull(); // confirmed again: not a second infector
    expect(linkContradiction([], 1, 2)).toBeNull();
  });

  it('refuses a second confirmed infector for a case', () => {
    expect(linkContradiction(links, 5, 3)).toEqual({ code: 'LINK_CONTRADICTS', message: 'case 3 already has a confirmed infector (case 2); reject that link first' });
  });

  it('refuses a link that closes a cycle, however long, and a case infecting itself', () => {
    expect(linkContradiction(links, 4, 1)).toEqual({ code: 'LINK_CYCLE', message: 'case 4 descends from case 1 through confirmed links: confirming this link would make a cycle' });
    expect(linkContradiction(links, 2, 1)?.code).toBe('LINK_CYCLE');
    expect(linkContradiction(links, 7, 7)?.code).toBe('LINK_CYCLE');
    // Not a cycle: 4 descends from 1, but the new link goes 1 -> 5.
    expect(linkContradiction(links, 3, 5)).toBeNull();
  });

  it('ends its walk on links that already hold a cycle (from before the rule), without a verdict it cannot make', () => {
    expect(linkContradiction([{ infector: 8, infectee: 9 }, { infector: 9, infectee: 8 }], 8, 10)).toBeNull();
  });

  it('ends its walk on links that already loop (stored before the rule), answering for the new link alone', () => {
    expect(linkContradiction([{ infector: 1, infectee: 2 }, { infector: 2, infectee: 1 }], 1, 3)).toBeNull();
    expect(linkContradiction([{ infector: 1, infectee: 2 }, { infector: 2, infectee: 1 }], 2, 5)).toBeNull();
  });
});

describe('linkWarnings', () => {
  const D = 86400;
  it('warns when the infector fell ill after the infectee, not at the same moment, before it, or with an onset unknown', () => {
    expect(linkWarnings(10 * D, 9 * D)).toEqual([{ code: 'INFECTOR_ONSET_LATER', infectorOnset: 10 * D, infecteeOnset: 9 * D, message: expect.stringContaining('after the infectee') }]);
    expect(linkWarnings(9 * D, 9 * D)).toEqual([]);
    expect(linkWarnings(8 * D, 9 * D)).toEqual([]);
    expect(linkWarnings(null, 9 * D)).toEqual([]);
    expect(linkWarnings(10 * D, null)).toEqual([]);
  });
});
