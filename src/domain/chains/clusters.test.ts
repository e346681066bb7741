import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test/property.ts';
import { adjustedRandIndex, clusterOf, generations } from './clusters.ts';

describe('clusters', () => {
  it('finds connected components, numbered by first node', () => {
    const c = clusterOf([1, 2, 3, 4, 5, 6], [[1, 2], [3, 4], [4, 2], [6, 6], [9, 1]]);
    expect([...c.values()]).toEqual([0, 0, 0, 0, 1, 2]);
  });

  it('gives roots and generations, and treats a cycle as a root', () => {
    const g = generations(new Map<number, number | null>([[1, null], [2, 1], [3, 2], [4, 1], [5, 6], [6, 5], [7, 99]]));
    expect(g.get(3)).toEqual({ root: 1, generation: 2 });
    expect(g.get(4)).toEqual({ root: 1, generation: 1 });
    expect(g.get(7)).toEqual({ root: 7, generation: 0 });
    expect([g.get(5)!.generation, g.get(6)!.generation].sort()).toEqual([0, 1]);
  });

  it('breaks a cycle where it was entered first: the other case is its root, once for all, and a self-infection is a root', () => {
    // 1 named 2 as infector and 2 named 1: entered at 1, the walk meets 1 again at 2, which becomes the root.
    const g = generations(new Map<number, number | null>([[1, 2], [2, 1], [3, 3]]));
    expect([g.get(1), g.get(2), g.get(3)]).toEqual([{ root: 2, generation: 1 }, { root: 2, generation: 0 }, { root: 3, generation: 0 }]);
  });

  it('joins through a node named only in links not at all, and a node linked to itself stays its own cluster', () => {
    const c = clusterOf([5, 7, 9], [[5, 8], [8, 7], [9, 9]]);
    expect([...c]).toEqual([[5, 0], [7, 1], [9, 2]]);
  });
});

describe('adjusted Rand index', () => {
  it('is 1 for identical partitions whatever the labels, and matches a worked example', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['a', 'a', 'b', 'b', 'c'])).toBe(1);
    // Hubert & Arabie's definition; scikit-learn gives 0.242... for these labelings.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.2424, 4);
  });

  it('refuses labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(RangeError);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow('labelings of different lengths');
  });

  it('is symmetric and at most 1', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 2, maxLength: 60 }), (pairs) => {
      const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
      const x = adjustedRandIndex(a, b);
      expect(x).toBeCloseTo(adjustedRandIndex(b, a), 10);
      expect(x).toBeLessThanOrEqual(1 + 1e-12);
    }), propertyRuns(100));
  });
});
