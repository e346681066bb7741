/**
 * Boundaries, timers and precedence pinned at their exact values, on both sides, read from the editions (never
 * literals): the street rule's window, the ed9 downgrade timers (restarting at the last case), a contact's isolation
 * deadline, a case's infectious window, the overdue test's due time, reason precedence in any order of input, the
 * itinerary's stay and gap, and the ID number's check character X.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test/property.ts';
import { idCheckChar, idNumberProblem } from '../identity.ts';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { caseWindow, contactIsolationDeadline } from './caseWindow.ts';
import { evaluateCode, type CodeFacts } from './healthCode.ts';
import { itineraryCities } from './itinerary.ts';
import { gradeUnits } from './riskAreas.ts';

const T0 = 1_628_000_000;
const delta = loadEdition('ed8-delta-2021'), ed8 = loadEdition('ed8-2021'), ed9 = loadEdition('ed9-2022');
const U = '430102001001';

describe('risk areas at their boundaries', () => {
  it('street-2021: a case exactly the window\'s days ago no longer counts; one second less still does', () => {
    const rs = delta.riskAreas.ruleSet;
    const at = (now: number) => gradeUnits([{ regionCode: U, confirmedAt: T0 }], [], rs, now).get(U)!.level;
    expect(at(T0 + rs.windowDays * DAY - 1)).toBe('medium');
    expect(at(T0 + rs.windowDays * DAY)).toBe('low');
    expect(rs.windowDays).toBe(14);
  });

  it('street-2021: high needs more than the cumulative threshold and a cluster within the window, each exactly', () => {
    const rs = delta.riskAreas.ruleSet;
    const n = rs.highCumulativeCasesAbove!;
    const cases = (count: number, recent: number) => Array.from({ length: count }, (_, i) => ({ regionCode: U, confirmedAt: i < recent ? T0 - i * HOUR : T0 - (rs.windowDays + 5) * DAY }));
    expect(gradeUnits(cases(n, n), [], rs, T0 + HOUR).get(U)!.level).toBe('medium');
    expect(gradeUnits(cases(n + 1, rs.clusterMinCases!), [], rs, T0 + HOUR).get(U)!.level).toBe('high');
    expect(gradeUnits(cases(n + 1, rs.clusterMinCases! - 1), [], rs, T0 + HOUR).get(U)!.level).toBe('medium');
  });

  it('ed9: the downgrade timer starts at the last case, and restarts with a new one', () => {
    const rs = ed9.riskAreas.ruleSet;
    const high = rs.downgradeDays.high * DAY, after = rs.mediumAfterHighDays! * DAY;
    const one = [{ regionCode: U, confirmedAt: T0 }];
    const level = (cases: typeof one, now: number) => gradeUnits(cases, [], rs, now).get(U)!;
    expect(level(one, T0 + high - 1)).toMatchObject({ level: 'high', reviewAt: T0 + high });
    expect(level(one, T0 + high)).toMatchObject({ level: 'medium', reviewAt: T0 + high + after });
    expect(level(one, T0 + high + after - 1).level).toBe('medium');
    expect(level(one, T0 + high + after).level).toBe('low');
    // A second case five days in: the clock starts again from it, not from the first.
    const two = [...one, { regionCode: U, confirmedAt: T0 + 5 * DAY }];
    expect(level(two, T0 + high)).toMatchObject({ level: 'high', reviewAt: T0 + 5 * DAY + high });
    expect(level(two, T0 + 5 * DAY + high).level).toBe('medium');
    // A place where a case stayed: medium for the medium days after the stay, exactly.
    const stays = [{ regionCode: '430102001002', at: T0 }];
    expect(gradeUnits([], stays, rs, T0 + rs.downgradeDays.medium * DAY - 1).get('430102001002')!.level).toBe('medium');
    expect(gradeUnits([], stays, rs, T0 + rs.downgradeDays.medium * DAY).get('430102001002')!.level).toBe('low');
  });
});

describe('windows and deadlines', () => {
  it('a contact\'s isolation deadline is the transfer hours after the confirmation, in seconds, unless an isolation is known', () => {
    for (const e of [ed8, delta, ed9]) {
      expect(contactIsolationDeadline(T0, e)).toBe(T0 + e.closeContact.transferWithinHours * 3600);
      expect(contactIsolationDeadline(T0, e, T0 + 60)).toBe(T0 + 60);
    }
  });

  it('a case is infectious from the edition\'s days before onset (sampling when asymptomatic) to its isolation (confirmation when not recorded)', () => {
    const c = { onsetAt: T0, sampledAt: T0 + DAY, confirmedAt: T0 + 2 * DAY, isolatedAt: T0 + 2 * DAY - HOUR, detectedBy: 'symptoms' as const };
    expect(caseWindow(c, ed8)).toEqual({ from: T0 - ed8.caseWindow.daysBeforeOnset * DAY, to: T0 + 2 * DAY - HOUR });
    expect(caseWindow(c, delta)).toEqual({ from: T0 - delta.caseWindow.daysBeforeOnset * DAY, to: T0 + 2 * DAY - HOUR });
    expect(caseWindow({ ...c, onsetAt: null, isolatedAt: null }, delta)).toEqual({ from: T0 + DAY - delta.caseWindow.daysBeforeOnset * DAY, to: T0 + 2 * DAY });
    // ed9: found by routine screening, from the last negative test.
    expect(caseWindow({ ...c, detectedBy: 'routine_screening' }, ed9, T0 - 3 * DAY).from).toBe(T0 - 3 * DAY);
    expect(caseWindow({ ...c, detectedBy: 'routine_screening' }, delta, T0 - 3 * DAY).from).toBe(T0 - delta.caseWindow.daysBeforeOnset * DAY);
    // ed9, but found otherwise, or screened with no negative test on record: from the days before onset.
    expect(caseWindow(c, ed9, T0 - 3 * DAY).from).toBe(T0 - ed9.caseWindow.daysBeforeOnset * DAY);
    expect(caseWindow({ ...c, detectedBy: 'routine_screening' }, ed9, null).from).toBe(T0 - ed9.caseWindow.daysBeforeOnset * DAY);
    expect(caseWindow({ ...c, detectedBy: 'routine_screening' }, ed9).from).toBe(T0 - ed9.caseWindow.daysBeforeOnset * DAY);
  });

  it('a required test is overdue exactly the grace after its day ends (or after identification), not a second before', () => {
    const m = delta.closeContact.management;
    const identified = T0 + HOUR;
    const facts: CodeFacts = { personId: 1, cases: [], contacts: [{ kind: 'close', status: 'identified', firstExposure: T0 - HOUR, lastExposure: T0, identifiedAt: identified }], quarantine: [], samples: [], temperatures: [], riskVisits: [] };
    const due = T0 + m.testDays[0] * DAY + delta.healthCode.overdueAfterHours * HOUR;
    const overdue = (now: number) => evaluateCode(facts, delta, now).reasons.some((r) => r.condition === 'overdue_required_test');
    expect(overdue(due - 1)).toBe(false);
    expect(overdue(due)).toBe(true);
    // A sample inside the day's window clears it; one taken at the due time is too late for that day.
    const sampled = (at: number) => ({ ...facts, samples: [{ method: 'single' as const, sampledAt: at, result: 'negative' as const, resultAt: at + HOUR, poolResult: null, poolResultAt: null }] });
    expect(evaluateCode(sampled(due - 1), delta, due + HOUR).reasons.map((r) => r.condition)).not.toContain('overdue_required_test');
    expect(evaluateCode(sampled(due), delta, due + HOUR).reasons.map((r) => r.condition)).toContain('overdue_required_test');
  });

  it('an itinerary stay of exactly the edition\'s hours counts, a second less does not; a gap of exactly the edition\'s minutes still joins', () => {
    const now = T0 + 10 * DAY, min = delta.itinerary.minStayHours * HOUR, gap = delta.itinerary.mergeGapMinutes * 60;
    const at = (stays: { cityCode: string; start: number; end: number }[]) => itineraryCities(stays, delta, now).map((c) => c.cityCode);
    expect(at([{ cityCode: '4301', start: now - DAY, end: now - DAY + min }])).toEqual(['4301']);
    expect(at([{ cityCode: '4301', start: now - DAY, end: now - DAY + min - 1 }])).toEqual([]);
    const half = min / 2;
    expect(at([{ cityCode: '4301', start: now - DAY, end: now - DAY + half }, { cityCode: '4301', start: now - DAY + half + gap, end: now - DAY + min + gap }])).toEqual(['4301']);
    expect(at([{ cityCode: '4301', start: now - DAY, end: now - DAY + half }, { cityCode: '4301', start: now - DAY + half + gap + 1, end: now - DAY + min + gap + 1 }])).toEqual([]);
    // The look-back's edge: a stay ending exactly at it is outside.
    const edge = now - delta.itinerary.lookBackDays * DAY;
    expect(at([{ cityCode: '4301', start: edge - min, end: edge }])).toEqual([]);
    expect(at([{ cityCode: '4301', start: edge - 1, end: edge + min }])).toEqual(['4301']);
  });
});

describe('reason precedence', () => {
  it('the code is red whenever a red reason holds, whatever the order the facts come in', () => {
    const red = { kind: 'close' as const, status: 'identified' as const, firstExposure: T0 - HOUR, lastExposure: T0, identifiedAt: T0 + HOUR };
    const yellow = { kind: 'companion' as const, status: 'identified' as const, firstExposure: T0 - HOUR, lastExposure: T0, identifiedAt: T0 + HOUR };
    const fever = { at: T0 + 2 * HOUR, celsius: 38.5 };
    fc.assert(fc.property(fc.shuffledSubarray([red, yellow, yellow], { minLength: 1 }), fc.boolean(), (contacts, hot) => {
      const v = evaluateCode({ personId: 1, cases: [], contacts, quarantine: [], samples: [], temperatures: hot ? [fever] : [], riskVisits: [] }, delta, T0 + 3 * HOUR);
      expect(v.colour).toBe(contacts.includes(red) ? 'red' : 'yellow');
      // Red reasons come first, then yellow ones.
      const ranks = v.reasons.map((r) => (r.colour === 'red' ? 0 : 1));
      expect(ranks).toEqual([...ranks].sort());
    }), propertyRuns(100));
  });
});

describe('ID numbers', () => {
  it('a check character of X is accepted (and x), a digit in its place is refused, and X is refused anywhere else', () => {
    // Find a real number whose check character is X.
    let first17 = '';
    for (let seq = 0; seq < 1000 && !first17; seq++) {
      const f = `43010219900101${String(seq).padStart(3, '0')}`;
      if (idCheckChar(f) === 'X') first17 = f;
    }
    expect(first17).not.toBe('');
    expect(idNumberProblem(`${first17}X`)).toBeNull();
    expect(idNumberProblem(`${first17}x`)).toBeNull();
    for (const d of '0123456789') expect(idNumberProblem(`${first17}${d}`)).toBe('check digit does not match');
    expect(idNumberProblem(`X${first17.slice(1)}X`)).toBe('must be 17 digits followed by a digit or X');
  });
});
