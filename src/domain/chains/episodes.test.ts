import { describe, expect, it } from 'vitest';
import { episodesOf } from './episodes.ts';

describe('episodes of infection', () => {
  it('gives an exposure to the episode begun by then: the first case up to its outcome, the reinfection from it', () => {
    const episodeOf = episodesOf([
      { id: 7, personId: 1, confirmedAt: 500, outcomeAt: null },
      { id: 3, personId: 1, confirmedAt: 100, outcomeAt: 200 },
      { id: 4, personId: 2, confirmedAt: 100, outcomeAt: 200 },
    ]);
    expect([0, 150, 199, 200, 450, 900].map((t) => episodeOf(1, t))).toEqual([3, 3, 3, 7, 7, 7]);
    // One case: every exposure is its episode's (whether it could have infected is the inference's question).
    expect([0, 900].map((t) => episodeOf(2, t))).toEqual([4, 4]);
    expect(episodeOf(3, 0)).toBeUndefined();
  });

  it('ends an episode at its confirmation when no outcome is recorded', () => {
    const episodeOf = episodesOf([{ id: 1, personId: 1, confirmedAt: 100, outcomeAt: null }, { id: 2, personId: 1, confirmedAt: 300, outcomeAt: null }]);
    expect([99, 100, 299].map((t) => episodeOf(1, t))).toEqual([1, 2, 2]);
  });

  it('orders two cases of one person confirmed in the same second by id', () => {
    const episodeOf = episodesOf([{ id: 9, personId: 1, confirmedAt: 100, outcomeAt: 400 }, { id: 8, personId: 1, confirmedAt: 100, outcomeAt: 300 }]);
    // 8 first (until its outcome at 300), then 9.
    expect([50, 299, 300, 500].map((t) => episodeOf(1, t))).toEqual([8, 8, 9, 9]);
  });
});
