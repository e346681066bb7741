import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../test/engines.ts';
import { personRow } from '../../test/fixtures.ts';
import { isolationInterval, ISOLATING_QUARANTINE_KINDS } from '../domain/rules/isolation.ts';
import type { Db } from './db.ts';
import type { NewCase } from './sql/cases.ts';
import type { Store } from './store.ts';

const T = 1_630_000_000;
const newCase = (personId: number, caseNo: string, isolatedAt: number | null): NewCase => ({
  caseNo, personId, kind: 'confirmed', onsetAt: T - 86400, sampledAt: T - 3600, confirmedAt: T, isolatedAt, severity: 'mild', hospitalPlaceId: null,
  outcome: 'in_treatment', detectedBy: 'symptoms',
});

describeEachEngine('tracing facts in storage', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  /** No use case writes quarantine assignments yet: the test writes rows through the store's driver. */
  const assign = async (rows: [number, string, number, number, number | null][]) => {
    for (const [p, kind, start, planned, ended] of rows) {
      await (store as unknown as { db: Db }).db.run(
        'INSERT INTO quarantine_assignments (person_id, kind, counted_from, started_at, planned_end, ended_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [p, kind, start, start, planned, ended, 'test']);
    }
  };

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.persons.insertHouseholds([{ code: 'H1', communityCode: '430102001001', gridCode: null, address: null }, { code: 'H2', communityCode: '430102001001', gridCode: null, address: null }]);
    const h = await store.persons.householdIds(['H1', 'H2']);
    await store.persons.insertMany([
      personRow(1, { householdId: h.get('H1')! }), personRow(2, { householdId: h.get('H1')! }), personRow(3, { householdId: h.get('H1')! }),
      personRow(4, { householdId: h.get('H2')! }), personRow(5), personRow(6),
    ]);
  });
  afterEach(async () => close?.());

  it('lists cases and isolating quarantine as isolation facts, and its fingerprint changes with any of them', async () => {
    const v0 = await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    expect(await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS)).toBe(v0);
    await store.cases.insertMany([newCase(1, 'C1', T - 600), newCase(2, 'C2', null)]);
    const v1 = await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    expect(v1).not.toBe(v0);
    await assign([[3, 'centralized', T, T + 14 * 86400, null], [4, 'home_monitoring', T, T + 7 * 86400, null], [5, 'centralized', T, T + 86400, T + 3600]]);
    const v2 = await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    expect(v2).not.toBe(v1);
    expect(await store.tracing.isolationFacts(ISOLATING_QUARANTINE_KINDS)).toEqual([
      { personId: 1, kind: 'case', isolatedAt: T - 600, confirmedAt: T, outcomeAt: null, withdrawnAt: null },
      { personId: 2, kind: 'case', isolatedAt: null, confirmedAt: T, outcomeAt: null, withdrawnAt: null },
      { personId: 3, kind: 'centralized', startedAt: T, endedAt: null, plannedEnd: T + 14 * 86400 },
      { personId: 5, kind: 'centralized', startedAt: T, endedAt: T + 3600, plannedEnd: T + 86400 },
    ]);
    // A release (ended_at set) changes the fingerprint; a kind that does not isolate is not read.
    await (store as unknown as { db: Db }).db.run('UPDATE quarantine_assignments SET ended_at = ? WHERE person_id = ?', [T + 7200, 3]);
    expect(await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS)).not.toBe(v2);
    await (store as unknown as { db: Db }).db.run('UPDATE quarantine_assignments SET ended_at = ? WHERE person_id = ?', [T + 7200, 4]);
    const v3 = await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    expect(await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS)).toBe(v3);
    // A case's discharge, or its withdrawal, ends its isolation: both change the fingerprint.
    await store.cases.update(1, { outcome: 'discharged', outcomeAt: T + 86400 });
    const v4 = await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    expect(v4).not.toBe(v3);
    await store.cases.update(2, { withdrawnAt: T + 600, withdrawalReason: 'false positive' });
    expect(await store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS)).not.toBe(v4);
    expect((await store.tracing.isolationFacts(ISOLATING_QUARANTINE_KINDS)).slice(0, 2)).toEqual([
      { personId: 1, kind: 'case', isolatedAt: T - 600, confirmedAt: T, outcomeAt: T + 86400, withdrawnAt: null },
      { personId: 2, kind: 'case', isolatedAt: null, confirmedAt: T, outcomeAt: null, withdrawnAt: T + 600 },
    ]);
    expect(isolationInterval({ personId: 1, kind: 'case', isolatedAt: T - 600, confirmedAt: T, outcomeAt: T + 86400, withdrawnAt: null })).toEqual({ personId: 1, start: T - 600, end: T + 86400 });
    expect(isolationInterval({ personId: 2, kind: 'case', isolatedAt: null, confirmedAt: T, outcomeAt: null, withdrawnAt: T + 600 })).toEqual({ personId: 2, start: T, end: T + 600 });
    expect(isolationInterval({ personId: 2, kind: 'case', isolatedAt: T, confirmedAt: T, outcomeAt: null, withdrawnAt: T })).toBeNull();
  });

  it('finds a person\'s co-residents in the household registry', async () => {
    expect(await store.tracing.coResidents(1)).toEqual([2, 3]);
    expect(await store.tracing.coResidents(4)).toEqual([]);
    expect(await store.tracing.coResidents(5)).toEqual([]);
    expect(await store.tracing.coResidents(99)).toEqual([]);
  });
});
