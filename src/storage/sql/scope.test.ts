/**
 * Region scope as SQL on both engines: a region's codes as an index range (every code inside, none outside, whatever
 * the digits at the edge), and a scope that every registered person lives under needing no condition.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { personRow } from '../../../test/fixtures.ts';
import type { Db } from '../db.ts';
import type { Store } from '../store.ts';
import { codeWithin, personIdWithin, personInScope, personScopeNeeded } from './scope.ts';

// Communities chosen at the edges: a code ending in 9, the next county's first, a shorter code that is a prefix.
const COMMUNITIES = ['430102001001', '430102001009', '430102999999', '430103001001', '430109001001', '430110001001', '431000001001', '439999999999'];

describeEachEngine('region scope in SQL', (engine) => {
  let store: Store;
  let db: Db;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    db = (store as unknown as { db: Db }).db;
    await store.persons.insertMany(COMMUNITIES.map((communityCode, i) => personRow(i + 1, { communityCode })));
  });
  afterEach(async () => close?.());

  it('reads a region\'s codes as a range: the same persons as their prefix, at every edge', async () => {
    for (const scope of ['43', '4301', '430102', '430109', '4301029', '43010', '439', '4399', '430110', '44']) {
      const c = personInScope(scope, 'p')!;
      const rows = await db.all<{ community_code: string }>(`SELECT p.community_code FROM persons p WHERE ${c.sql} ORDER BY p.community_code`, c.params);
      expect(rows.map((r) => r.community_code), scope).toEqual(COMMUNITIES.filter((x) => x.startsWith(scope)));
    }
    // By person id, probed for a city or wider, read once for a county or narrower: the same persons.
    for (const scope of ['43', '4301', '430102', '430109001001']) {
      const c = personIdWithin(scope, 'x.id')!;
      expect(c.sql, scope).toMatch(scope.length <= 4 ? /^EXISTS/ : / IN \(SELECT/);
      const rows = await db.all<{ community_code: string }>(`SELECT x.community_code FROM persons x WHERE ${c.sql} ORDER BY x.community_code`, c.params);
      expect(rows.map((r) => r.community_code), scope).toEqual(COMMUNITIES.filter((x) => x.startsWith(scope)));
    }
    expect(codeWithin('c', '430109')).toEqual({ sql: '(c >= ? AND c < ?)', params: ['430109', '43011'] });
    expect(codeWithin('c', '99')).toEqual({ sql: 'c >= ?', params: ['99'] });
    expect(() => codeWithin('c', "43' OR 1=1")).toThrow(/not a division code/);
  });

  it('reads cases by ids under a scope in one query: the same cases as one by one', async () => {
    const T = 1_627_776_000;
    await store.cases.insertMany(COMMUNITIES.map((_, i) => ({
      caseNo: `S-${i + 1}`, personId: i + 1, kind: 'confirmed' as const, onsetAt: T, sampledAt: T, confirmedAt: T, isolatedAt: T,
      severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: 'symptoms',
    })));
    const ids = (await store.cases.byIds([1, 2, 3, 4, 5, 6, 7, 8, 999])).map((c) => c.id).sort((a, b) => a - b);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const scope of ['43', '4301', '430102', '430109001001', '44']) {
      const one = (await Promise.all([...ids, 999].map((id) => store.cases.get(id, scope)))).filter((c) => c !== undefined).map((c) => c.id);
      const all = (await store.cases.byIds([...ids, 999, 1], scope)).map((c) => c.id).sort((a, b) => a - b);
      expect(all, scope).toEqual(one);
    }
    expect((await store.cases.byIds([1, 2, 4], '430102')).map((c) => c.id).sort()).toEqual([1, 2]);
  });

  it('needs no condition for a scope every registered person lives under, and keeps any other', async () => {
    expect(await personScopeNeeded(db, '43')).toBeNull();
    expect(await personScopeNeeded(db, '4301')).toBe('4301');
    expect(await personScopeNeeded(db, '430102')).toBe('430102');
    expect(await personScopeNeeded(db, null)).toBeNull();
    // A grid's scope is never widened.
    expect(await personScopeNeeded(db, '43010200100101')).toBe('43010200100101');
    // One person of another province: the province's scope is a condition again.
    await store.persons.insertMany([personRow(99, { communityCode: '440305001001' })]);
    expect(await personScopeNeeded(db, '43')).toBe('43');
  });
});
