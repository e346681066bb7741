/**
 * Isolation intervals: a case from its isolation (or confirmation) to the earlier of its outcome and its withdrawal,
 * open while in treatment, none when it ended before it began; centralized quarantine only, to its end or its planned
 * end.
 */
import { describe, expect, it } from 'vitest';
import { isolationInterval } from './isolation.ts';

const caseFact = (o: Partial<{ isolatedAt: number | null; confirmedAt: number; outcomeAt: number | null; withdrawnAt: number | null }> = {}) =>
  ({ personId: 7, kind: 'case' as const, isolatedAt: 100, confirmedAt: 200, outcomeAt: null, withdrawnAt: null, ...o });

describe('isolation intervals', () => {
  it('isolates a case from its isolation, or its confirmation when none is recorded, open-ended while in treatment', () => {
    expect(isolationInterval(caseFact())).toEqual({ personId: 7, start: 100, end: null });
    expect(isolationInterval(caseFact({ isolatedAt: null }))).toEqual({ personId: 7, start: 200, end: null });
  });

  it('ends a case\'s isolation at the earlier of its outcome and its withdrawal, and gives none when that is not after the start', () => {
    expect(isolationInterval(caseFact({ outcomeAt: 500 }))).toEqual({ personId: 7, start: 100, end: 500 });
    expect(isolationInterval(caseFact({ withdrawnAt: 400 }))).toEqual({ personId: 7, start: 100, end: 400 });
    expect(isolationInterval(caseFact({ outcomeAt: 500, withdrawnAt: 300 }))).toEqual({ personId: 7, start: 100, end: 300 });
    expect(isolationInterval(caseFact({ outcomeAt: 300, withdrawnAt: 500 }))).toEqual({ personId: 7, start: 100, end: 300 });
    expect(isolationInterval(caseFact({ withdrawnAt: 100 }))).toBeNull();
    expect(isolationInterval(caseFact({ outcomeAt: 99 }))).toBeNull();
    expect(isolationInterval(caseFact({ outcomeAt: 101 }))).toEqual({ personId: 7, start: 100, end: 101 });
  });

  it('isolates in centralized quarantine only, to its end or, while it runs, its planned end', () => {
    expect(isolationInterval({ personId: 8, kind: 'centralized', startedAt: 10, endedAt: null, plannedEnd: 90 })).toEqual({ personId: 8, start: 10, end: 90 });
    expect(isolationInterval({ personId: 8, kind: 'centralized', startedAt: 10, endedAt: 50, plannedEnd: 90 })).toEqual({ personId: 8, start: 10, end: 50 });
    expect(isolationInterval({ personId: 8, kind: 'home_quarantine', startedAt: 10, endedAt: null, plannedEnd: 90 })).toBeNull();
    expect(isolationInterval({ personId: 8, kind: 'home_monitoring', startedAt: 10, endedAt: null, plannedEnd: 90 })).toBeNull();
  });
});
