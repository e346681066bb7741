import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { evaluateCode, type CodeFacts } from './healthCode.ts';

const T0 = 1_628_000_000; // 2021-08-03
const delta = loadEdition('ed8-delta-2021');
const ed9 = loadEdition('ed9-2022');
const facts = (f: Partial<CodeFacts>): CodeFacts => ({ personId: 1, cases: [], contacts: [], quarantine: [], samples: [], temperatures: [], riskVisits: [], ...f });
const contact = (kind: 'close' | 'secondary' | 'companion', lastExposure = T0, identifiedAt = T0 + 6 * HOUR) =>
  ({ kind, status: 'identified' as const, firstExposure: lastExposure - HOUR, lastExposure, identifiedAt });
/** A negative sample, from one of two labs by the day (a release that needs two labs gets them from two days). */
const negative = (at: number, method: 'single' | 'pooled' = 'single') => ({ method, sampledAt: at, result: 'negative' as const, resultAt: at + 6 * HOUR, poolResult: null, poolResultAt: null, lab: Math.floor(at / DAY) % 2 ? 'LAB-B' : 'LAB-A' });
const conditions = (f: CodeFacts, e = delta, now = T0 + DAY) => evaluateCode(f, e, now).reasons.map((r) => r.condition);

describe('health code rules (from the edition)', () => {
  it('is green with nothing against the person, valid for the edition\'s hours', () => {
    const v = evaluateCode(facts({}), delta, T0);
    expect(v).toEqual({ colour: 'green', reasons: [], validUntil: T0 + delta.healthCode.greenValidHours * HOUR });
  });

  it('is red for a case in treatment; after discharge under the edition\'s management (yellow) for its days, then green', () => {
    const inTreatment = { caseNo: 'C1', kind: 'confirmed' as const, confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null };
    expect(evaluateCode(facts({ cases: [inTreatment] }), delta, T0 + HOUR).colour).toBe('red');
    const discharged = facts({ cases: [{ ...inTreatment, outcome: 'discharged', outcomeAt: T0 + 10 * DAY }] });
    const days = delta.caseManagement.afterDischarge.days;
    // Before the outcome's time the case was still in treatment (a what-if read of the past).
    expect(evaluateCode(discharged, delta, T0 + 10 * DAY - 1).colour).toBe('red');
    const after = evaluateCode(discharged, delta, T0 + 10 * DAY);
    expect(after).toMatchObject({ colour: 'yellow', reasons: [expect.objectContaining({ condition: 'post_discharge_management', untilAt: T0 + (10 + days) * DAY })] });
    expect(evaluateCode(discharged, delta, T0 + (10 + days) * DAY - 1).colour).toBe('yellow');
    expect(evaluateCode(discharged, delta, T0 + (10 + days) * DAY).colour).toBe('green');
    expect(evaluateCode(discharged, ed9, T0 + (10 + ed9.caseManagement.afterDischarge.days) * DAY).colour).toBe('green');
    // Died: never green again (a token or an ID card in their name is someone else's), in every edition.
    for (const ed of [delta, ed9]) expect(evaluateCode(facts({ cases: [{ ...inTreatment, outcome: 'died', outcomeAt: T0 + DAY }] }), ed, T0 + 400 * DAY).colour).toBe('red');
  });

  it('is red again for a reinfection after recovery (a second case of the same person)', () => {
    const first = { caseNo: 'C1', kind: 'confirmed' as const, confirmedAt: T0, outcome: 'recovered', outcomeAt: T0 + 10 * DAY };
    const second = { caseNo: 'C2', kind: 'asymptomatic' as const, confirmedAt: T0 + 90 * DAY, outcome: 'in_treatment', outcomeAt: null };
    expect(evaluateCode(facts({ cases: [first, second] }), delta, T0 + 60 * DAY).colour).toBe('green');
    expect(evaluateCode(facts({ cases: [first, second] }), delta, T0 + 90 * DAY).reasons.map((r) => r.condition)).toEqual(['case']);
  });

  it('names the case by its kind as it stands: an asymptomatic infection, and a confirmed case once reclassified', () => {
    const c = { caseNo: 'C1', kind: 'asymptomatic' as const, confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null };
    expect(evaluateCode(facts({ cases: [c] }), delta, T0 + HOUR).reasons.map((r) => r.detail)).toEqual(['asymptomatic infection C1']);
    expect(evaluateCode(facts({ cases: [{ ...c, kind: 'confirmed' }] }), delta, T0 + HOUR).reasons.map((r) => r.detail)).toEqual(['confirmed case C1']);
    const recovered = { ...c, kind: 'confirmed' as const, outcome: 'recovered', outcomeAt: T0 + 10 * DAY };
    expect(evaluateCode(facts({ cases: [recovered] }), delta, T0 + 11 * DAY).reasons[0].detail).toMatch(/^confirmed case C1, recovered: /);
  });

  it('takes a close contact through centralized quarantine (red), home monitoring (yellow) and back to green, by the edition\'s days', () => {
    // Tested every day, so no required test is overdue.
    const f = facts({ contacts: [contact('close')], samples: Array.from({ length: 30 }, (_, d) => negative(T0 + d * DAY + 2 * HOUR)) });
    const m = delta.closeContact.management;
    expect(evaluateCode(f, delta, T0 + DAY).colour).toBe('red');
    expect(conditions(f, delta, T0 + DAY)).toContain('close_contact_in_centralized_quarantine');
    const r = evaluateCode(f, delta, T0 + DAY).reasons.find((x) => x.condition === 'close_contact_in_centralized_quarantine')!;
    expect(r.untilAt).toBe(T0 + m.days * DAY); // counted from the last exposure in this edition
    expect(conditions(f, delta, T0 + m.days * DAY + HOUR)).toContain('home_monitoring');
    // Released once the release's negatives from the last day are in (days 13 and 14's tests, results 6 h after each).
    expect(evaluateCode(f, delta, T0 + m.days * DAY + HOUR).colour).toBe('red');
    expect(evaluateCode(f, delta, T0 + m.days * DAY + 8 * HOUR).colour).toBe('yellow');
    expect(evaluateCode(f, delta, T0 + (m.days + m.followedBy!.days) * DAY + HOUR).colour).toBe('green');
    // Without the tests, the same contact is never released: red past both periods (monitoring over by its days), a required test overdue.
    expect(evaluateCode(facts({ contacts: [contact('close')] }), delta, T0 + (m.days + m.followedBy!.days) * DAY + HOUR).colour).toBe('red');
    expect(conditions(facts({ contacts: [contact('close')] }), delta, T0 + (m.days + m.followedBy!.days) * DAY + HOUR)).toEqual(['close_contact_in_centralized_quarantine', 'overdue_required_test']);
    // ed9: 7 days centralized instead of 14.
    expect(evaluateCode(f, ed9, T0 + 8 * DAY).reasons.some((x) => x.condition === 'close_contact_in_centralized_quarantine')).toBe(false);
  });

  it('says a reason once when two sources give it, by the one that ends last, and is valid until the first of them ends', () => {
    // A close contact of two cases (last exposures on day 0 and day 2) and a secondary contact of two more; tested daily.
    const f = facts({
      contacts: [contact('close'), contact('close', T0 + 2 * DAY), contact('secondary'), contact('secondary', T0 + HOUR)],
      samples: Array.from({ length: 30 }, (_, d) => negative(T0 + d * DAY + 2 * HOUR)),
    });
    const days = delta.closeContact.management.days;
    const v = evaluateCode(f, delta, T0 + (days - 0.5) * DAY);
    // The secondary periods are over, but the person is released once, from the latest period (one schedule): they
    // stand until then.
    expect(v.reasons.map((r) => r.condition)).toEqual(['close_contact_in_centralized_quarantine', 'secondary_contact_in_centralized_quarantine']);
    expect(v.reasons[0].untilAt).toBe(T0 + (days + 2) * DAY);
    expect(v.reasons[1].untilAt).toBeNull();
    // The first period ends first: home monitoring begins then, so the code is evaluated again then.
    expect(v.validUntil).toBe(T0 + days * DAY);
    expect(conditions(f, delta, T0 + days * DAY)).toEqual(['close_contact_in_centralized_quarantine', 'secondary_contact_in_centralized_quarantine', 'home_monitoring']);
    expect(conditions(f, delta, T0 + 3 * DAY)).toEqual(['close_contact_in_centralized_quarantine', 'secondary_contact_in_centralized_quarantine']);
  });

  it('puts secondary contacts in centralized quarantine in 2021 and home quarantine in ed9 (both red)', () => {
    const f = facts({ contacts: [contact('secondary')] });
    expect(conditions(f, delta)).toContain('secondary_contact_in_centralized_quarantine');
    expect(conditions(f, ed9)).toContain('contact_in_home_quarantine');
    expect(evaluateCode(f, ed9, T0 + DAY).colour).toBe('red');
  });

  it('flags a required test not taken as overdue, and clears it when a sample is taken that day', () => {
    const f = facts({ contacts: [contact('close')] });
    const now = T0 + 3 * DAY;
    expect(conditions(f, delta, now)).toContain('overdue_required_test');
    const tested = facts({ contacts: [contact('close')], samples: [negative(T0 + 2 * HOUR)] });
    expect(conditions(tested, delta, now)).not.toContain('overdue_required_test');
  });

  it('turns a companion yellow until two negatives at least 24 h apart within 3 days', () => {
    const id = T0 + 6 * HOUR;
    const c = contact('companion', T0, id);
    expect(evaluateCode(facts({ contacts: [c] }), delta, id + HOUR).colour).toBe('yellow');
    expect(evaluateCode(facts({ contacts: [c], samples: [negative(id + HOUR), negative(id + 5 * HOUR)] }), delta, id + DAY).colour).toBe('yellow');
    expect(evaluateCode(facts({ contacts: [c], samples: [negative(id + HOUR), negative(id + 26 * HOUR)] }), delta, id + 2 * DAY).colour).toBe('green');
  });

  it('makes a positive pooled tube yellow until the single-tube retest, and a positive single tube red', () => {
    const pooled = { method: 'pooled' as const, sampledAt: T0, result: 'pending' as const, resultAt: null, poolResult: 'positive' as const, poolResultAt: T0 + 8 * HOUR };
    expect(evaluateCode(facts({ samples: [pooled] }), delta, T0 + 9 * HOUR).colour).toBe('yellow');
    expect(evaluateCode(facts({ samples: [pooled] }), delta, T0 + 7 * HOUR).colour).toBe('green'); // result not known yet
    expect(evaluateCode(facts({ samples: [pooled, negative(T0 + 10 * HOUR)] }), delta, T0 + 20 * HOUR).colour).toBe('green');
    const positive = { ...negative(T0 + 10 * HOUR), result: 'positive' as const };
    const v = evaluateCode(facts({ samples: [pooled, positive] }), delta, T0 + 20 * HOUR);
    expect(v.colour).toBe('red');
    expect(v.reasons[0].condition).toBe('positive_single_tube');
  });

  it('turns yellow after a fever reading, until a normal reading or the edition\'s hours', () => {
    const hot = { at: T0, celsius: 38.2 };
    expect(evaluateCode(facts({ temperatures: [hot] }), delta, T0 + HOUR).colour).toBe('yellow');
    expect(evaluateCode(facts({ temperatures: [hot, { at: T0 + 2 * HOUR, celsius: 36.6 }] }), delta, T0 + 3 * HOUR).colour).toBe('green');
    expect(evaluateCode(facts({ temperatures: [hot] }), delta, T0 + (delta.healthCode.abnormalTemperatureHours + 1) * HOUR).colour).toBe('green');
  });

  it('turns yellow after leaving a medium- or high-risk area until a negative test sampled after leaving', () => {
    const visit = { regionCode: '430102001001', level: 'high' as const, leftAt: T0 };
    expect(evaluateCode(facts({ riskVisits: [visit] }), delta, T0 + DAY).colour).toBe('yellow');
    expect(evaluateCode(facts({ riskVisits: [visit], samples: [negative(T0 + HOUR)] }), delta, T0 + DAY).colour).toBe('green');
    expect(evaluateCode(facts({ riskVisits: [visit] }), delta, T0 + (delta.riskAreas.arrivalsFromHigh.days + 1) * DAY).colour).toBe('green');
  });

  it('follows the edition\'s colour lists: a condition moved to red makes the code red, one dropped is ignored', () => {
    const f = facts({ contacts: [contact('companion')] });
    const strict = { ...delta, healthCode: { ...delta.healthCode, red: [...delta.healthCode.red, 'companion' as const], yellow: delta.healthCode.yellow.filter((c) => c !== 'companion') } };
    expect(evaluateCode(f, strict, T0 + DAY).colour).toBe('red');
    const lax = { ...delta, healthCode: { ...delta.healthCode, yellow: delta.healthCode.yellow.filter((c) => c !== 'companion') } };
    expect(evaluateCode(f, lax, T0 + DAY).colour).toBe('green');
  });

  it('lists every reason, red first, and is valid until the earliest end', () => {
    const v = evaluateCode(facts({ contacts: [contact('close')], temperatures: [{ at: T0 + DAY - HOUR, celsius: 38 }] }), delta, T0 + DAY);
    expect(v.colour).toBe('red');
    expect(v.reasons.map((r) => r.colour)).toEqual(['red', 'yellow']);
    expect(v.validUntil).toBe(T0 + DAY - HOUR + delta.healthCode.abnormalTemperatureHours * HOUR);
  });
});
