/**
 * Risk-area grading says why, as a code with its numbers and as the English sentence made of them, for every branch
 * of every rule set; and its edges: a case confirmed after now does not count yet, a stay at now counts, a township
 * unit is nine digits.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { gradeUnits, RISK_REASON_CODES, riskReasonText, unitOf } from './riskAreas.ts';

const T0 = 1_628_000_000;
const street = loadEdition('ed8-delta-2021').riskAreas.ruleSet, ed9 = loadEdition('ed9-2022').riskAreas.ruleSet;
const C = '430102001001';

describe('risk-area reasons', () => {
  it('says every reason code in English with its numbers', () => {
    const a = { windowDays: 14, cumulative: 51, highAbove: 50, recent: 5, clusterMin: 5, cases: 2, highDays: 7, afterDays: 3, mediumDays: 7 };
    expect(Object.fromEntries(RISK_REASON_CODES.map((c) => [c, riskReasonText(c, a)]))).toEqual({
      no_recent_case: 'no new case in 14 days',
      cluster: '51 cumulative cases (> 50) and 5 within 14 days (cluster >= 5)',
      new_cases: '5 new case(s) within 14 days, 51 cumulative',
      cases_live_here: '2 case(s) live here; high until 7 days after the last',
      stepped_down: 'stepped down: 7 days without a new infection',
      cleared: '7 + 3 days without a new infection',
      case_stayed: 'a case stayed here long enough to pose a risk',
      stay_cleared: '7 days since a case stayed here',
      no_case: 'no case in this unit',
    });
  });

  it('street-2021: medium with its new cases, high as a cluster above the cumulative threshold, low with no recent case; each with its code and numbers', () => {
    const one = gradeUnits([{ regionCode: C, confirmedAt: T0 }], [], street, T0 + HOUR).get(C)!;
    expect(one).toEqual({ level: 'medium', reasonCode: 'new_cases', reasonArgs: { recent: 1, windowDays: 14, cumulative: 1 }, reason: '1 new case(s) within 14 days, 1 cumulative', reviewAt: T0 + 14 * DAY });
    // 51 cases: the last 5 within the window, the others long before; the review time counts from the latest case.
    const many = [...Array.from({ length: 46 }, (_, i) => ({ regionCode: C, confirmedAt: T0 - 30 * DAY - i * HOUR })), ...Array.from({ length: 5 }, (_, i) => ({ regionCode: C, confirmedAt: T0 - i * HOUR }))];
    expect(gradeUnits(many, [], street, T0 + HOUR).get(C)).toEqual({
      level: 'high', reasonCode: 'cluster', reasonArgs: { cumulative: 51, highAbove: 50, recent: 5, windowDays: 14, clusterMin: 5 },
      reason: '51 cumulative cases (> 50) and 5 within 14 days (cluster >= 5)', reviewAt: T0 + 14 * DAY,
    });
    // One short of the cluster: medium.
    expect(gradeUnits(many.slice(1), [], street, T0 + HOUR).get(C)?.level).toBe('medium');
    expect(gradeUnits([{ regionCode: C, confirmedAt: T0 }], [], street, T0 + 15 * DAY).get(C)).toEqual({ level: 'low', reasonCode: 'no_recent_case', reasonArgs: { windowDays: 14 }, reason: 'no new case in 14 days', reviewAt: null });
    // A case confirmed after now does not count yet; at now it does.
    expect(gradeUnits([{ regionCode: C, confirmedAt: T0 + 1 }], [], street, T0).size).toBe(0);
    expect(gradeUnits([{ regionCode: C, confirmedAt: T0 }], [], street, T0).get(C)?.level).toBe('medium');
  });

  it('ed9: high where cases live, stepped down, cleared; medium where a case stayed, then cleared; each with its code and numbers', () => {
    const cases = [{ regionCode: C, confirmedAt: T0 }, { regionCode: C, confirmedAt: T0 - DAY }];
    expect(gradeUnits(cases, [], ed9, T0 + HOUR).get(C)).toEqual({ level: 'high', reasonCode: 'cases_live_here', reasonArgs: { cases: 2, highDays: 7 }, reason: '2 case(s) live here; high until 7 days after the last', reviewAt: T0 + 7 * DAY });
    expect(gradeUnits(cases, [], ed9, T0 + 7 * DAY).get(C)).toEqual({ level: 'medium', reasonCode: 'stepped_down', reasonArgs: { highDays: 7 }, reason: 'stepped down: 7 days without a new infection', reviewAt: T0 + 10 * DAY });
    expect(gradeUnits(cases, [], ed9, T0 + 10 * DAY).get(C)).toEqual({ level: 'low', reasonCode: 'cleared', reasonArgs: { highDays: 7, afterDays: 3 }, reason: '7 + 3 days without a new infection', reviewAt: null });
    const P = '430102001002';
    expect(gradeUnits([], [{ regionCode: P, at: T0 }], ed9, T0).get(P)).toEqual({ level: 'medium', reasonCode: 'case_stayed', reasonArgs: {}, reason: 'a case stayed here long enough to pose a risk', reviewAt: T0 + 7 * DAY });
    expect(gradeUnits([], [{ regionCode: P, at: T0 }], ed9, T0 + 7 * DAY).get(P)).toEqual({ level: 'low', reasonCode: 'stay_cleared', reasonArgs: { mediumDays: 7 }, reason: '7 days since a case stayed here', reviewAt: null });
    // A stay after now does not count yet.
    expect(gradeUnits([], [{ regionCode: P, at: T0 + 1 }], ed9, T0).size).toBe(0);
    // A stay where a case lives leaves the unit high; where the live cases' level has cleared, the stay grades it.
    expect(gradeUnits(cases, [{ regionCode: C, at: T0 }], ed9, T0 + HOUR).get(C)?.level).toBe('high');
    expect(gradeUnits(cases, [{ regionCode: C, at: T0 + 10 * DAY }], ed9, T0 + 10 * DAY).get(C)?.reasonCode).toBe('case_stayed');
  });

  it('cuts a division code to the unit of the rule set: county 6 digits, township 9, community 12', () => {
    expect(unitOf(C, { ...street, unit: 'county' })).toBe('430102');
    expect(unitOf(C, { ...street, unit: 'township' })).toBe('430102001');
    expect(unitOf(C, street)).toBe(C);
  });

  it('grades no area high under a street or county rule set without a high threshold, however many cases', () => {
    const noHigh = { ...street, highCumulativeCasesAbove: null, clusterMinCases: null };
    const many = Array.from({ length: 80 }, (_, k) => ({ regionCode: C, confirmedAt: T0 - k * HOUR }));
    expect(gradeUnits(many, [], noHigh, T0 + HOUR).get(C)?.level).toBe('medium');
    expect(gradeUnits(many, [], { ...street, clusterMinCases: null }, T0 + HOUR).get(C)?.level).toBe('medium');
    expect(gradeUnits(many, [], { ...street, highCumulativeCasesAbove: null }, T0 + HOUR).get(C)?.level).toBe('medium');
    expect(gradeUnits(many, [], street, T0 + HOUR).get(C)?.level).toBe('high');
  });
});
