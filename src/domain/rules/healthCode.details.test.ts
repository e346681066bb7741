/**
 * The health code engine's conditions pinned whole (condition, detail, what ends it, when) and at each boundary, on
 * the 2021 edition; every duration, limit and test day is read from the edition.
 */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { CODE_CONDITIONS } from '../vocab.ts';
import { CODE_ENDS, conditionsAt, evaluateCode, gateReason, reasonEnds, sameCode, type CodeFacts } from './healthCode.ts';

const T0 = 1_628_000_000;
const e = loadEdition('ed8-delta-2021');
const close = e.closeContact.management;
const secondary = e.secondaryContact.management;
const facts = (f: Partial<CodeFacts>): CodeFacts => ({ personId: 1, cases: [], contacts: [], quarantine: [], samples: [], temperatures: [], riskVisits: [], ...f });
type Contact = CodeFacts['contacts'][number];
const contact = (kind: Contact['kind'], o: Partial<Contact> = {}): Contact => ({ kind, status: 'identified', firstExposure: T0 - HOUR, lastExposure: T0, identifiedAt: T0 + 6 * HOUR, ...o });
type Sample = CodeFacts['samples'][number];
const single = (sampledAt: number, result: Sample['result'] = 'negative', resultAt: number | null = sampledAt + 6 * HOUR): Sample =>
  ({ method: 'single', sampledAt, result, resultAt, poolResult: null, poolResultAt: null });
/** A negative sample every day from day 0 (from two labs in turn), so no required test is overdue. */
const daily = Array.from({ length: 40 }, (_, d) => ({ ...single(T0 + d * DAY + 2 * HOUR), lab: d % 2 ? 'LAB-B' : 'LAB-A' }));
const named = (f: CodeFacts, now: number) => conditionsAt(f, e, now).map((c) => c.condition);
const UNTIL_PERIOD = 'end of the period with the required tests negative';

describe('contacts under management', () => {
  it('says a close contact\'s centralized quarantine and then home monitoring whole, each from its start to its end', () => {
    const f = facts({ contacts: [contact('close')], samples: daily });
    const end = T0 + close.days * DAY; // counted from the last exposure in 2021
    expect(conditionsAt(f, e, T0)).toEqual([{ condition: 'close_contact_in_centralized_quarantine', detail: `close contact: centralized for ${close.days} days`, until: UNTIL_PERIOD, untilAt: end }]);
    expect(named(f, T0 - 1)).toEqual([]);
    expect(named(f, end - 1)).toEqual(['close_contact_in_centralized_quarantine']);
    const monitoringEnd = end + close.followedBy!.days * DAY;
    // At its end the period stands until the release's negatives from its last day are in (the daily tests of its
    // last day and the day after, each result 6 h after its sample): then home monitoring alone.
    expect(named(f, end)).toEqual(['close_contact_in_centralized_quarantine', 'home_monitoring']);
    expect(named(f, end + 8 * HOUR - 1)).toEqual(['close_contact_in_centralized_quarantine', 'home_monitoring']);
    expect(conditionsAt(f, e, end + 8 * HOUR)).toEqual([{ condition: 'home_monitoring', detail: `close contact: home monitoring for ${close.followedBy!.days} days`, until: UNTIL_PERIOD, untilAt: monitoringEnd }]);
    expect(named(f, monitoringEnd - 1)).toEqual(['home_monitoring']);
    expect(named(f, monitoringEnd)).toEqual([]);
  });

  it('counts a secondary contact\'s quarantine from its identification (2021), with its own condition and words', () => {
    const k = contact('secondary');
    const f = facts({ contacts: [k], samples: daily });
    expect(conditionsAt(f, e, k.identifiedAt)).toEqual([{ condition: 'secondary_contact_in_centralized_quarantine', detail: `secondary contact: centralized for ${secondary.days} days`, until: UNTIL_PERIOD, untilAt: k.identifiedAt + secondary.days * DAY }]);
    expect(named(f, k.identifiedAt - 1)).toEqual([]);
    // Its end (day 7 from the identification, 06:00) stands until the day-7 test's result (taken 02:00 the next day,
    // its result 6 h later); no period follows in this edition.
    const end = k.identifiedAt + secondary.days * DAY;
    expect(conditionsAt(f, e, end)).toEqual([{ condition: 'secondary_contact_in_centralized_quarantine', detail: `secondary contact: centralized for ${secondary.days} days`, until: `released, or ${e.secondaryContact.releaseSamples} negative single-tube test(s) from the period's last day`, untilAt: null }]);
    expect(named(f, T0 + (secondary.days) * DAY + 8 * HOUR - 1)).toEqual(['secondary_contact_in_centralized_quarantine']);
    expect(named(f, T0 + (secondary.days) * DAY + 8 * HOUR)).toEqual([]);
  });

  it('keeps an unreleased contact past the period\'s end until the release\'s negatives from its last day, whatever its status short of release', () => {
    // The field's case: a secondary contact never transferred, its period over, its tests not taken: it was yellow
    // (only the overdue test) from the period's end; PROTOCOL.md releases on day 7 only with the tests negative.
    const k = contact('secondary');
    const end = k.identifiedAt + secondary.days * DAY;
    const lastDay = end - DAY;
    const needed = e.secondaryContact.releaseSamples;
    for (const status of ['identified', 'notified', 'lost_to_follow_up', 'in_quarantine'] as const) {
      const s = { ...k, status };
      expect(evaluateCode(facts({ contacts: [s] }), e, end + 3 * DAY).colour).toBe('red');
      // A negative sampled at the last day's start counts; one a second before it does not; nor a pooled one; nor a
      // result not yet known, nor a positive.
      const at = (samples: Sample[], now = end + DAY) => named(facts({ contacts: [s], samples }), now).includes('secondary_contact_in_centralized_quarantine');
      expect(at(Array.from({ length: needed }, () => single(lastDay)))).toBe(false);
      expect(at(Array.from({ length: needed }, () => single(lastDay - 1)))).toBe(true);
      expect(at([{ ...single(lastDay), method: 'pooled' }])).toBe(true);
      expect(at([single(end + 2 * HOUR, 'negative', end + 8 * HOUR)], end + 8 * HOUR - 1)).toBe(true);
      expect(at([single(end + 2 * HOUR, 'negative', end + 8 * HOUR)], end + 8 * HOUR)).toBe(false);
      expect(at([single(end + 2 * HOUR, 'positive')])).toBe(true);
    }
    // A close contact needs its edition's count (2 in 2021): one is not enough.
    const c = contact('close');
    const cEnd = c.lastExposure + close.days * DAY;
    const cAt = (labs: (string | null)[]) => named(facts({ contacts: [c], samples: labs.map((lab, i) => ({ ...single(cEnd - DAY + i * HOUR), lab })) }), cEnd + DAY);
    expect(e.closeContact.releaseSamples).toBe(2);
    expect(cAt(['LAB-A'])).toContain('close_contact_in_centralized_quarantine');
    expect(cAt(['LAB-A', 'LAB-B'])).not.toContain('close_contact_in_centralized_quarantine');
    // ... each from a different lab in 2021 (releaseDistinctLabs), labs read as one name however typed; a sample whose
    // lab is not known counts for none.
    expect(e.closeContact.releaseDistinctLabs).toBe(true);
    expect(cAt(['LAB-A', 'LAB-A'])).toContain('close_contact_in_centralized_quarantine');
    expect(cAt(['LAB-A', ' lab-a '])).toContain('close_contact_in_centralized_quarantine');
    expect(cAt(['LAB-A', null])).toContain('close_contact_in_centralized_quarantine');
    expect(cAt(['LAB-A', null, 'LAB-C'])).not.toContain('close_contact_in_centralized_quarantine');
    // A positive single tube taken since the period began keeps it, whatever negatives follow (as a release refuses).
    const withPositive = (at: number) => named(facts({ contacts: [c], samples: [single(at, 'positive'), { ...single(cEnd - DAY + HOUR), lab: 'LAB-A' }, { ...single(cEnd - DAY + 2 * HOUR), lab: 'LAB-B' }] }), cEnd + DAY);
    expect(withPositive(T0 + 5 * DAY)).toContain('close_contact_in_centralized_quarantine');
    expect(withPositive(T0 - 1)).not.toContain('close_contact_in_centralized_quarantine'); // before the period: not this one's
    // A close and a secondary contact at once: one release, the most negatives either asks for (2, two labs), from
    // the last day of the later period.
    const k2 = contact('secondary', { lastExposure: T0 + 12 * DAY, identifiedAt: T0 + 12 * DAY });
    const k2End = k2.identifiedAt + secondary.days * DAY;
    const both = (samples: Sample[]) => evaluateCode(facts({ contacts: [c, k2], samples }), e, k2End + DAY).colour;
    const closeLastDay = [{ ...single(cEnd - DAY + HOUR), lab: 'LAB-A' }, { ...single(cEnd - DAY + 2 * HOUR), lab: 'LAB-B' }];
    expect(both([...closeLastDay, { ...single(k2End - DAY + HOUR), lab: 'LAB-A' }])).toBe('red');
    expect(both([...closeLastDay, { ...single(k2End - DAY + HOUR), lab: 'LAB-A' }, { ...single(k2End - DAY + 2 * HOUR), lab: 'LAB-C' }])).not.toBe('red');
    // Released (or a case, or moved on to home monitoring) ends it at the period's end as before.
    for (const status of ['released', 'became_case', 'home_monitoring'] as const) {
      expect(named(facts({ contacts: [{ ...k, status }] }), end + DAY)).not.toContain('secondary_contact_in_centralized_quarantine');
    }
  });

  it('takes the assigned quarantine of the management\'s kind begun from a day before identification, to its end or planned end', () => {
    const k = contact('close');
    const q = (startedAt: number, o: Partial<CodeFacts['quarantine'][number]> = {}) => ({ kind: 'centralized' as const, startedAt, plannedEnd: startedAt + 10 * DAY, endedAt: null, ...o });
    const at = (quarantine: CodeFacts['quarantine']) => conditionsAt(facts({ contacts: [k], quarantine, samples: daily }), e, T0 + 2 * DAY)[0];
    expect(at([q(k.identifiedAt - DAY)]).untilAt).toBe(k.identifiedAt + 9 * DAY);
    expect(at([q(k.identifiedAt - DAY - 1)]).untilAt).toBe(T0 + close.days * DAY); // earlier: another stay, not this one
    expect(at([q(k.identifiedAt, { kind: 'home_quarantine' })]).untilAt).toBe(T0 + close.days * DAY); // not the management's kind
    // Ended with the record in quarantine (moved home on a decision): the period ends there.
    const held = (status: Contact['status'], quarantine: CodeFacts['quarantine']) => conditionsAt(facts({ contacts: [{ ...k, status }], quarantine, samples: daily }), e, T0 + 2 * DAY)[0];
    expect(held('in_quarantine', [q(k.identifiedAt, { endedAt: k.identifiedAt + 3 * DAY })]).untilAt).toBe(k.identifiedAt + 3 * DAY);
    expect(held('in_quarantine', [q(k.identifiedAt, { endedAt: k.identifiedAt + 3 * DAY })]).detail).toBe('close contact: centralized for 3 days');
    // Ended because the person was lost, or left and awaits a transfer again: the record still owes its whole period.
    for (const status of ['lost_to_follow_up', 'identified', 'notified'] as const) {
      expect(held(status, [q(k.identifiedAt, { endedAt: k.identifiedAt + 3 * DAY })]).untilAt).toBe(T0 + close.days * DAY);
    }
  });

  it('keeps a person held past the planned end in quarantine until released, the stage after beginning then', () => {
    const k = contact('close', { status: 'in_quarantine' });
    const q = { kind: 'centralized' as const, startedAt: k.identifiedAt, plannedEnd: k.identifiedAt + 3 * DAY, endedAt: null };
    const still = conditionsAt(facts({ contacts: [k], quarantine: [q], samples: daily }), e, k.identifiedAt + 5 * DAY);
    expect(still.map((x) => [x.condition, x.untilAt])).toEqual([['close_contact_in_centralized_quarantine', null]]);
    const released = conditionsAt(facts({ contacts: [k], quarantine: [{ ...q, endedAt: k.identifiedAt + 5 * DAY }], samples: daily }), e, k.identifiedAt + 5 * DAY + HOUR);
    expect(released.map((x) => [x.condition, x.untilAt])).toEqual(close.followedBy ? [['home_monitoring', k.identifiedAt + 5 * DAY + close.followedBy.days * DAY]] : []);
  });

  it('holds a person who is a close and a secondary contact to one schedule, the close contact\'s, as their quarantine is planned', () => {
    // The close exposure 12 days before the start; the secondary one a day before. Held from `start` to the later
    // end (the secondary contact's 7 days); the tests owed are the close contact's (days 1, 4, 7, 14 from its exposure).
    const start = T0 + 12 * DAY;
    const k = contact('close', { status: 'in_quarantine', lastExposure: T0, identifiedAt: start - HOUR });
    const k2 = contact('secondary', { status: 'in_quarantine', firstExposure: start - DAY - HOUR, lastExposure: start - DAY, identifiedAt: start - HOUR });
    const q = { kind: 'centralized' as const, startedAt: start, plannedEnd: start + secondary.days * DAY, endedAt: null };
    // Sampled on arrival (the close contact's days 1, 4 and 7 passed before anyone knew) and on its day 14.
    const day14 = [single(start + HOUR), single(T0 + 13 * DAY + 2 * HOUR)];
    const at = start + 4 * DAY + (e.healthCode.overdueAfterHours + 1) * HOUR;
    const both = conditionsAt(facts({ contacts: [k, k2], quarantine: [q], samples: day14 }), e, at);
    expect(both.map((x) => [x.condition, x.untilAt])).toEqual([['close_contact_in_centralized_quarantine', start + secondary.days * DAY]]);
    // Alone, the secondary contact owes its day 4.
    expect(named(facts({ contacts: [k2], quarantine: [q], samples: day14 }), at)).toContain('overdue_required_test');
  });

  it('manages no released contact, no contact who became a case, and no companion as a close contact', () => {
    for (const status of ['released', 'became_case'] as const) expect(named(facts({ contacts: [contact('close', { status })] }), T0 + DAY)).toEqual([]);
    expect(named(facts({ contacts: [contact('close', { status: 'in_quarantine' })], samples: daily }), T0 + DAY)).toEqual(['close_contact_in_centralized_quarantine']);
    expect(named(facts({ contacts: [contact('companion')], samples: daily }), T0 + 4 * DAY)).not.toContain('close_contact_in_centralized_quarantine');
  });
});

describe('required tests', () => {
  const k = contact('close', { identifiedAt: T0 });
  const grace = e.healthCode.overdueAfterHours * HOUR;
  const due1 = T0 + close.testDays[0] * DAY + grace; // day 1 of the quarantine, due by its end plus the grace

  it('is overdue from the due time to a week after, naming the earliest test missed', () => {
    const f = facts({ contacts: [k] });
    expect(named(f, due1 - 1)).not.toContain('overdue_required_test');
    expect(conditionsAt(f, e, due1).find((c) => c.condition === 'overdue_required_test')).toEqual({ condition: 'overdue_required_test', detail: `test of day ${close.testDays[0]} of centralized not taken`, until: 'a sample is taken', untilAt: null });
    expect(conditionsAt(f, e, T0 + 9 * DAY).find((c) => c.condition === 'overdue_required_test')!.detail).toBe(`test of day ${close.testDays[0]} of centralized not taken`);
  });

  it('is met by a sample from the start of the test day until the due time, not after', () => {
    const dayStart = T0 + (close.testDays[0] - 1) * DAY;
    expect(named(facts({ contacts: [k], samples: [single(dayStart)] }), due1)).not.toContain('overdue_required_test');
    expect(named(facts({ contacts: [k], samples: [single(due1 - 1)] }), due1)).not.toContain('overdue_required_test');
    expect(named(facts({ contacts: [k], samples: [single(dayStart - 1)] }), due1)).toContain('overdue_required_test');
    expect(named(facts({ contacts: [k], samples: [single(due1)] }), due1)).toContain('overdue_required_test');
  });

  it('dates a test day that ended before anyone knew of the contact from the identification', () => {
    const late = contact('close', { identifiedAt: T0 + 3 * DAY });
    expect(named(facts({ contacts: [late] }), late.identifiedAt + grace - 1)).not.toContain('overdue_required_test');
    expect(named(facts({ contacts: [late] }), late.identifiedAt + grace)).toContain('overdue_required_test');
  });

  it('forgets a test missed more than a week ago', () => {
    // Only day 1 missed: every later test day tested.
    const later = close.testDays.slice(1).map((d) => single(T0 + (d - 1) * DAY + HOUR));
    const f = facts({ contacts: [k], samples: later });
    expect(named(f, due1 + 7 * DAY)).toContain('overdue_required_test');
    expect(named(f, due1 + 7 * DAY + 1)).not.toContain('overdue_required_test');
  });
});

describe('cases', () => {
  const kase = (o: Partial<CodeFacts['cases'][number]> = {}) => ({ caseNo: 'X-1', kind: 'confirmed' as const, confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null, ...o });
  const after = e.caseManagement.afterDischarge;

  it('is a case from its confirmation until its outcome, then under management after discharge for the edition\'s days', () => {
    expect(named(facts({ cases: [kase()] }), T0 - 1)).toEqual([]);
    expect(conditionsAt(facts({ cases: [kase()] }), e, T0)).toEqual([{ condition: 'case', detail: 'confirmed case X-1', until: 'discharged from treatment', untilAt: null }]);
    const out = T0 + 20 * DAY;
    const recovered = facts({ cases: [kase({ outcome: 'recovered', outcomeAt: out })] });
    expect(named(recovered, out - 1)).toEqual(['case']); // the outcome is not reached yet
    expect(conditionsAt(recovered, e, out)).toEqual([{
      condition: 'post_discharge_management', detail: `confirmed case X-1, recovered: home monitoring for ${after.days} days after discharge`,
      until: `${after.days} days after discharge`, untilAt: out + after.days * DAY,
    }]);
    expect(named(recovered, out + after.days * DAY - 1)).toEqual(['post_discharge_management']);
    expect(named(recovered, out + after.days * DAY)).toEqual([]);
    expect(conditionsAt(facts({ cases: [kase({ kind: 'asymptomatic', outcome: 'discharged', outcomeAt: out })] }), e, out)[0].detail).toMatch(/^asymptomatic infection X-1, discharged: /);
  });

  it('ends with a death (no management after, the person recorded as deceased for good), and takes an outcome without a date as reached', () => {
    expect(conditionsAt(facts({ cases: [kase({ outcome: 'died', outcomeAt: T0 + DAY })] }), e, T0 + 2 * DAY)).toEqual([{ condition: 'deceased', detail: expect.stringMatching(/, died$/), until: 'a correction of the record', untilAt: null }]);
    expect(named(facts({ cases: [kase({ outcome: 'died', outcomeAt: T0 + DAY })] }), T0 + DAY - 1)).toEqual(['case']);
    expect(named(facts({ cases: [kase({ outcome: 'died', outcomeAt: null })] }), T0 + DAY)).toEqual(['deceased']);
    expect(named(facts({ cases: [kase({ outcome: 'recovered', outcomeAt: null })] }), T0 + DAY)).toEqual([]);
  });
});

describe('tests and pools', () => {
  it('goes by the latest single tube with a result: a later negative clears a positive, a later pending does not', () => {
    const pos = single(T0, 'positive');
    expect(conditionsAt(facts({ samples: [pos] }), e, T0 + 6 * HOUR)).toEqual([{ condition: 'positive_single_tube', detail: 'single-tube test positive', until: 'the case is confirmed or excluded on review', untilAt: null }]);
    expect(named(facts({ samples: [pos] }), T0 + 6 * HOUR - 1)).toEqual([]); // the result not known yet
    expect(named(facts({ samples: [single(T0, 'positive', null)] }), T0)).toEqual(['positive_single_tube']); // no result time: known when sampled
    expect(named(facts({ samples: [pos, single(T0 + HOUR)] }), T0 + DAY)).toEqual([]);
    expect(named(facts({ samples: [single(T0 + HOUR), pos] }), T0 + DAY)).toEqual([]); // in any order
    expect(named(facts({ samples: [single(T0 - HOUR), pos] }), T0 + DAY)).toEqual(['positive_single_tube']);
    expect(named(facts({ samples: [pos, single(T0 + HOUR, 'pending', null)] }), T0 + DAY)).toEqual(['positive_single_tube']);
    expect(named(facts({ samples: [{ ...pos, method: 'pooled' }] }), T0 + DAY)).toEqual([]); // a pooled member's own result is not a single tube's
  });

  it('keeps a member of a positive pool yellow until a single tube sampled since has a result, once for several pools', () => {
    const pooled = (sampledAt: number, poolResultAt: number | null = sampledAt + 8 * HOUR): Sample => ({ method: 'pooled', sampledAt, result: 'pending', resultAt: null, poolResult: 'positive', poolResultAt });
    expect(conditionsAt(facts({ samples: [pooled(T0), pooled(T0 + HOUR)] }), e, T0 + DAY)).toEqual([{ condition: 'positive_pool_awaiting_retest', detail: 'member of a positive pooled tube', until: 'single-tube retest negative', untilAt: null }]);
    expect(named(facts({ samples: [pooled(T0)] }), T0 + 8 * HOUR - 1)).toEqual([]);
    expect(named(facts({ samples: [pooled(T0, null)] }), T0)).toEqual(['positive_pool_awaiting_retest']);
    expect(named(facts({ samples: [pooled(T0), single(T0)] }), T0 + DAY)).toEqual([]); // retested from the pool's sampling on
    expect(named(facts({ samples: [pooled(T0), single(T0 - 1)] }), T0 + DAY)).toEqual(['positive_pool_awaiting_retest']);
    expect(named(facts({ samples: [pooled(T0), single(T0 + HOUR, 'pending', null)] }), T0 + DAY)).toEqual(['positive_pool_awaiting_retest']);
    expect(named(facts({ samples: [pooled(T0), single(T0 + HOUR, 'negative', T0 + 2 * DAY)] }), T0 + DAY)).toEqual(['positive_pool_awaiting_retest']);
    expect(named(facts({ samples: [{ ...pooled(T0), poolResult: 'negative' }] }), T0 + DAY)).toEqual([]);
  });
});

describe('companions', () => {
  const k = contact('companion');
  const id = k.identifiedAt;
  const gap = e.companion.testsMinHoursApart * HOUR;
  const within = e.companion.testsWithinDays * DAY;
  const needed = e.healthCode.companionGreenAfterNegatives;

  it('says how many of the negatives needed it has, and what ends it', () => {
    expect(conditionsAt(facts({ contacts: [k], samples: [single(id)] }), e, id + DAY)).toEqual([{
      condition: 'companion', detail: `spatiotemporal companion of a case (1 of ${needed} negative tests)`,
      until: `${needed} negative tests at least ${e.companion.testsMinHoursApart} h apart within ${e.companion.testsWithinDays} days`, untilAt: null,
    }]);
    expect(named(facts({ contacts: [k] }), id - 1)).toEqual([]); // not yet identified
  });

  it('is no companion once released (its case withdrawn, or by hand) or become a case', () => {
    for (const status of ['released', 'became_case'] as const) expect(named(facts({ contacts: [{ ...k, status }] }), id + DAY), status).toEqual([]);
    for (const status of ['notified', 'home_monitoring', 'lost_to_follow_up'] as const) expect(named(facts({ contacts: [{ ...k, status }] }), id + DAY), status).toEqual(['companion']);
  });

  it('counts negatives sampled from the identification to the window\'s end, the minimum spacing apart, with results known', () => {
    const green = (samples: Sample[], now = id + within + DAY) => named(facts({ contacts: [k], samples }), now).length === 0;
    expect(green([single(id, 'negative', id), single(id + gap, 'negative', id + gap)])).toBe(true);
    expect(green([single(id, 'negative', id), single(id + gap - 1, 'negative', id + gap)])).toBe(false); // too close
    expect(green([single(id - 1), single(id + gap)])).toBe(false); // before identification
    expect(green([single(id + within - gap), single(id + within, 'negative', id + within)])).toBe(true);
    expect(green([single(id + within - gap), single(id + within + 1)])).toBe(false); // after the window
    expect(green([single(id), single(id + gap, 'negative', id + within + DAY + 1)])).toBe(false); // result not known yet
    expect(green([single(id), single(id + HOUR), single(id + gap)])).toBe(true); // greedy: the first and the third
    expect(green([single(id), single(id + gap, 'positive')])).toBe(false);
  });
});

describe('temperatures and risk areas', () => {
  const max = e.checkpoint.maxTemperatureC;
  const hours = e.healthCode.abnormalTemperatureHours;

  it('flags a reading above the limit (not at it) by the latest reading, for the edition\'s hours', () => {
    const hot = { at: T0, celsius: max + 0.1 };
    expect(conditionsAt(facts({ temperatures: [hot] }), e, T0)).toEqual([{ condition: 'abnormal_temperature', detail: `${(max + 0.1).toFixed(1)} C at a checkpoint (limit ${max} C)`, until: `a normal reading or ${hours} h`, untilAt: T0 + hours * HOUR }]);
    expect(named(facts({ temperatures: [{ at: T0, celsius: max }] }), T0)).toEqual([]);
    expect(named(facts({ temperatures: [hot] }), T0 + hours * HOUR - 1)).toEqual(['abnormal_temperature']);
    expect(named(facts({ temperatures: [hot] }), T0 + hours * HOUR)).toEqual([]);
    expect(named(facts({ temperatures: [{ at: T0 + HOUR, celsius: 36.5 }, hot] }), T0 + 2 * HOUR)).toEqual([]); // latest first in any order
    expect(named(facts({ temperatures: [hot, { at: T0 + HOUR, celsius: 36.5 }] }), T0 + 2 * HOUR)).toEqual([]);
    expect(named(facts({ temperatures: [hot, { at: T0 + HOUR, celsius: 36.5 }] }), T0 + HOUR - 1)).toEqual(['abnormal_temperature']); // the normal one is later than now
    // Two readings of one second: the one recorded last (given first) decides.
    expect(named(facts({ temperatures: [{ at: T0, celsius: 36.5 }, hot] }), T0 + 1)).toEqual([]);
    expect(named(facts({ temperatures: [hot, { at: T0, celsius: 36.5 }] }), T0 + 1)).toEqual(['abnormal_temperature']);
  });

  it('flags an arrival from a risk area for its level\'s days, until a negative sampled after leaving and known, once', () => {
    const days = e.riskAreas.arrivalsFromMedium.days;
    const v = { regionCode: '430102001001', level: 'medium' as const, leftAt: T0 };
    expect(conditionsAt(facts({ riskVisits: [v] }), e, T0)).toEqual([{ condition: 'arrival_from_risk_area_untested', detail: 'left medium-risk area 430102001001 without a test since', until: 'a negative test sampled after leaving', untilAt: T0 + days * DAY }]);
    expect(named(facts({ riskVisits: [v] }), T0 - 1)).toEqual([]);
    expect(named(facts({ riskVisits: [v] }), T0 + days * DAY)).toEqual(['arrival_from_risk_area_untested']);
    expect(named(facts({ riskVisits: [v] }), T0 + days * DAY + 1)).toEqual([]);
    // At its last second the code it makes is valid until that second, not a day longer: the next evaluation ends it.
    expect(evaluateCode(facts({ riskVisits: [v] }), e, T0 + days * DAY)).toMatchObject({ colour: 'yellow', validUntil: T0 + days * DAY });
    expect(evaluateCode(facts({ riskVisits: [v] }), e, T0 + days * DAY - 1).validUntil).toBe(T0 + days * DAY);
    expect(evaluateCode(facts({ riskVisits: [v] }), e, T0 + days * DAY + 1)).toMatchObject({ colour: 'green' });
    const high = { ...v, level: 'high' as const };
    expect(conditionsAt(facts({ riskVisits: [high] }), e, T0)[0].untilAt).toBe(T0 + e.riskAreas.arrivalsFromHigh.days * DAY);
    expect(named(facts({ riskVisits: [v], samples: [single(T0, 'negative', T0)] }), T0 + DAY)).toEqual([]);
    expect(named(facts({ riskVisits: [v], samples: [single(T0 - 1)] }), T0 + DAY)).toEqual(['arrival_from_risk_area_untested']);
    expect(named(facts({ riskVisits: [v], samples: [single(T0, 'negative', T0 + 2 * DAY)] }), T0 + DAY)).toEqual(['arrival_from_risk_area_untested']);
    expect(named(facts({ riskVisits: [v], samples: [single(T0, 'positive')] }), T0 + DAY)).toContain('arrival_from_risk_area_untested');
    expect(named(facts({ riskVisits: [v, { ...v, regionCode: '430103' }] }), T0 + DAY)).toEqual(['arrival_from_risk_area_untested']);
  });
});

describe('evaluateCode and sameCode', () => {
  it('is valid until the first reason ends after now, at most the green validity', () => {
    const hot = { at: T0, celsius: e.checkpoint.maxTemperatureC + 1 };
    expect(evaluateCode(facts({ temperatures: [hot] }), e, T0 + HOUR).validUntil).toBe(Math.min(T0 + HOUR + e.healthCode.greenValidHours * HOUR, T0 + e.healthCode.abnormalTemperatureHours * HOUR));
    const v = evaluateCode(facts({ contacts: [contact('close')], samples: daily }), e, T0 + close.days * DAY - HOUR);
    expect(v.validUntil).toBe(T0 + close.days * DAY);
  });

  it('sees two verdicts as the same when colour and conditions agree in order, whatever the details', () => {
    const r = (condition: 'case' | 'companion', detail = 'x') => ({ condition, colour: 'red' as const, detail, until: '', untilAt: null });
    expect(sameCode({ colour: 'red', reasons: [r('case', 'a')] }, { colour: 'red', reasons: [r('case', 'b')] })).toBe(true);
    expect(sameCode({ colour: 'red', reasons: [r('case')] }, { colour: 'yellow', reasons: [r('case')] })).toBe(false);
    expect(sameCode({ colour: 'red', reasons: [r('case')] }, { colour: 'red', reasons: [r('companion')] })).toBe(false);
    expect(sameCode({ colour: 'red', reasons: [r('case')] }, { colour: 'red', reasons: [r('case'), r('companion')] })).toBe(false);
    expect(sameCode({ colour: 'red', reasons: [r('case'), r('companion')] }, { colour: 'red', reasons: [r('companion'), r('case')] })).toBe(false);
  });
});

describe('precedence, validity and order', () => {
  it('takes a risk level\'s own days when the edition gives the levels different days', () => {
    const e2 = { ...e, riskAreas: { ...e.riskAreas, arrivalsFromHigh: { ...e.riskAreas.arrivalsFromHigh, days: 21 }, arrivalsFromMedium: { ...e.riskAreas.arrivalsFromMedium, days: 7 } } };
    const v = (level: 'medium' | 'high') => conditionsAt(facts({ riskVisits: [{ regionCode: '430102', level, leftAt: T0 }] }), e2, T0)[0].untilAt;
    expect([v('high'), v('medium')]).toEqual([T0 + 21 * DAY, T0 + 7 * DAY]);
  });

  it('says a condition from two sources by the one that lasts longest: never ending over any end, a later end over an earlier, the first of equals', () => {
    // Two close contacts (of two cases): the one exposed later ends later.
    const a = contact('close', { lastExposure: T0 }), b = contact('close', { lastExposure: T0 + 2 * DAY });
    const ends = (contacts: Contact[]) => evaluateCode(facts({ contacts, samples: daily }), e, T0 + 3 * DAY).reasons.find((r) => r.condition === 'close_contact_in_centralized_quarantine')!.untilAt;
    expect(ends([a, b])).toBe(T0 + 2 * DAY + close.days * DAY);
    expect(ends([b, a])).toBe(T0 + 2 * DAY + close.days * DAY);
    // Never ending over an end, in either order: past its end with no test, the first contact's period stands until a
    // release (no end), while the second's still has its end to come.
    const at = T0 + close.days * DAY + HOUR;
    const said = (contacts: Contact[]) => evaluateCode(facts({ contacts }), e, at).reasons.filter((r) => r.condition === 'close_contact_in_centralized_quarantine');
    expect(said([a, b]).map((r) => r.untilAt)).toEqual([null]);
    expect(said([b, a]).map((r) => r.untilAt)).toEqual([null]);
    // A case (never ends by itself) over a positive single tube? Different conditions: both said. Two cases of a
    // person: one reason.
    const kase = (caseNo: string) => ({ caseNo, kind: 'confirmed' as const, confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null });
    expect(evaluateCode(facts({ cases: [kase('A'), kase('B')] }), e, T0 + DAY).reasons.map((r) => r.detail)).toEqual(['confirmed case A']);
    // An overdue test (no end) stays said over nothing else; a temperature (ends) and the same condition never twice.
    const hot = (at: number) => ({ at, celsius: e.checkpoint.maxTemperatureC + 1 });
    expect(evaluateCode(facts({ temperatures: [hot(T0), hot(T0 + HOUR)] }), e, T0 + 2 * HOUR).reasons).toHaveLength(1);
  });

  it('is valid until the first end still to come: a never-ending reason does not shorten it', () => {
    const green = e.healthCode.greenValidHours * HOUR;
    // A case (no end) and a temperature: valid until the temperature's end.
    const kase = { caseNo: 'A', kind: 'confirmed' as const, confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null };
    const hot = { at: T0, celsius: e.checkpoint.maxTemperatureC + 1 };
    expect(evaluateCode(facts({ cases: [kase], temperatures: [hot] }), e, T0 + HOUR).validUntil).toBe(Math.min(T0 + HOUR + green, T0 + e.healthCode.abnormalTemperatureHours * HOUR));
    expect(evaluateCode(facts({ cases: [kase] }), e, T0 + HOUR).validUntil).toBe(T0 + HOUR + green);
  });

  it('counts a companion\'s negatives in time order whatever order they come in', () => {
    const k = contact('companion');
    const gap = e.companion.testsMinHoursApart * HOUR;
    const samples = [single(k.identifiedAt + gap), single(k.identifiedAt + HOUR), single(k.identifiedAt)];
    // In time order: t0, t0+1h (too close), t0+gap: two. Taken as given (gap first), t0+1h and t0 would not count.
    expect(named(facts({ contacts: [k], samples }), k.identifiedAt + 2 * DAY)).toEqual([]);
  });

  it('names the earliest required test missed, whichever contact record comes first', () => {
    const early = contact('close', { lastExposure: T0, identifiedAt: T0 });
    const late = contact('secondary', { lastExposure: T0 + DAY, identifiedAt: T0 + DAY });
    const detail = (contacts: Contact[]) => conditionsAt(facts({ contacts }), e, T0 + 5 * DAY).find((c) => c.condition === 'overdue_required_test')!.detail;
    expect(detail([late, early])).toBe(detail([early, late]));
    expect(detail([late, early])).toBe(`test of day ${close.testDays[0]} of centralized not taken`);
  });

  it('compares every reason in order, not just one', () => {
    const r = (condition: 'case' | 'companion' | 'abnormal_temperature') => ({ condition, colour: 'red' as const, detail: '', until: '', untilAt: null });
    expect(sameCode({ colour: 'red', reasons: [r('case'), r('companion')] }, { colour: 'red', reasons: [r('case'), r('abnormal_temperature')] })).toBe(false);
    expect(sameCode({ colour: 'red', reasons: [r('case'), r('companion')] }, { colour: 'red', reasons: [r('case'), r('companion')] })).toBe(true);
  });

  it('holds an arrival in quarantine to its planned end while held, owes its test days, and ends at the release', () => {
    const a = e.riskAreas.arrivalsFromHigh;
    const end = T0 + a.days * DAY;
    const held = { kind: 'centralized' as const, startedAt: T0 + HOUR, plannedEnd: end, endedAt: null, arrivalFrom: 'high' as const, countedFrom: T0 };
    const at = T0 + 2 * HOUR;
    expect(conditionsAt(facts({ quarantine: [held] }), e, at)).toContainEqual({ condition: 'arrival_in_centralized_quarantine', detail: `arrival from a risk area: centralized for ${a.days} days`, until: 'end of the period with the required tests negative', untilAt: end });
    expect(evaluateCode(facts({ quarantine: [held] }), e, at).colour).toBe('red');
    // Past the planned end and not released: held still, until the release.
    expect(conditionsAt(facts({ quarantine: [held] }), e, end + HOUR).find((c) => c.condition === 'arrival_in_centralized_quarantine')).toMatchObject({ until: 'released from quarantine', untilAt: null });
    // Its first test day missed: overdue after the grace; taken, not.
    const due = T0 + a.testDays[0] * DAY + e.healthCode.overdueAfterHours * HOUR;
    expect(conditionsAt(facts({ quarantine: [held] }), e, due + HOUR).map((c) => c.condition)).toContain('overdue_required_test');
    expect(conditionsAt(facts({ quarantine: [held], samples: [single(T0 + HOUR)] }), e, due + HOUR).map((c) => c.condition)).not.toContain('overdue_required_test');
    // Released with every test taken: nothing of it stands (a test missed in its last week would still be overdue).
    const released = { ...held, endedAt: end + 2 * HOUR };
    expect(named(facts({ quarantine: [released], samples: daily }), end + 3 * HOUR)).toEqual([]);
    expect(named(facts({ quarantine: [released], samples: [single(T0 + HOUR)] }), end + 3 * HOUR)).toEqual(['overdue_required_test']);
  });
});

describe('what ends each reason', () => {
  it('gives every condition an end; a period by its end while it runs, by release once held past it', () => {
    for (const condition of CODE_CONDITIONS) {
      const end = reasonEnds({ condition, untilAt: T0 }, e);
      expect(CODE_ENDS, condition).toContain(end.code);
    }
    expect(reasonEnds({ condition: 'close_contact_in_centralized_quarantine', untilAt: T0 }, e).code).toBe('period_with_tests');
    expect(reasonEnds({ condition: 'close_contact_in_centralized_quarantine', untilAt: null }, e).code).toBe('released');
    // The conditions the engine gives say the same: a period held past its end has no time of its own.
    const k = contact('close', { status: 'in_quarantine' });
    const q = { kind: 'centralized' as const, startedAt: k.identifiedAt, plannedEnd: k.identifiedAt + 3 * DAY, endedAt: null };
    const [running] = conditionsAt(facts({ contacts: [k], quarantine: [q], samples: daily }), e, k.identifiedAt + DAY);
    const [held] = conditionsAt(facts({ contacts: [k], quarantine: [q], samples: daily }), e, k.identifiedAt + 5 * DAY);
    expect([reasonEnds(running, e).code, reasonEnds(held, e).code]).toEqual(['period_with_tests', 'released']);
  });

  it('reads its numbers from the edition, not literals', () => {
    const other = structuredClone(e);
    other.healthCode.companionGreenAfterNegatives = 5;
    other.companion.testsMinHoursApart = 12;
    other.companion.testsWithinDays = 9;
    other.healthCode.abnormalTemperatureHours = 6;
    other.caseManagement.afterDischarge.days = 21;
    expect(reasonEnds({ condition: 'companion', untilAt: null }, other)).toEqual({ code: 'companion_tests', args: { tests: 5, hoursApart: 12, withinDays: 9 } });
    expect(reasonEnds({ condition: 'abnormal_temperature', untilAt: T0 }, other)).toEqual({ code: 'normal_reading_or_hours', args: { hours: 6 } });
    expect(reasonEnds({ condition: 'symptoms_reported', untilAt: T0 }, other)).toEqual({ code: 'report_without_symptoms_or_hours', args: { hours: 6 } });
    expect(reasonEnds({ condition: 'post_discharge_management', untilAt: T0 }, other)).toEqual({ code: 'days_after_discharge', args: { days: 21 } });
    expect(reasonEnds({ condition: 'companion', untilAt: null }, e).args).toEqual({ tests: e.healthCode.companionGreenAfterNegatives, hoursApart: e.companion.testsMinHoursApart, withinDays: e.companion.testsWithinDays });
  });
});

describe('symptoms reported in daily follow-up, and a reason as said at a gate', () => {
  const hours = e.healthCode.abnormalTemperatureHours;
  const report = (at: number, symptoms: string[]) => ({ at, symptoms });
  it('stands from the latest report with symptoms for the edition\'s hours, ended sooner by a later report without them', () => {
    const r = report(T0, ['dry_cough', 'sore_throat']);
    const f = facts({ symptomReports: [r] });
    expect(conditionsAt(f, e, T0)).toEqual([{ condition: 'symptoms_reported', detail: 'symptoms reported: dry cough, sore throat', until: `a report without symptoms or ${hours} h`, untilAt: T0 + hours * HOUR }]);
    expect(evaluateCode(f, e, T0).colour).toBe('yellow');
    expect(named(f, T0 - 1)).toEqual([]); // not yet made
    expect(named(f, T0 + hours * HOUR - 1)).toEqual(['symptoms_reported']);
    expect(named(f, T0 + hours * HOUR)).toEqual([]);
    // A later report without symptoms ends it from its time, in any order given; an earlier one does not.
    const clear = report(T0 + HOUR, []);
    expect(named(facts({ symptomReports: [clear, r] }), T0 + HOUR - 1)).toEqual(['symptoms_reported']);
    expect(named(facts({ symptomReports: [clear, r] }), T0 + HOUR)).toEqual([]);
    expect(named(facts({ symptomReports: [r, clear] }), T0 + HOUR)).toEqual([]);
    expect(named(facts({ symptomReports: [report(T0 - HOUR, []), r] }), T0 + HOUR)).toEqual(['symptoms_reported']);
    // Two reports of the same second: the one given last counts.
    expect(named(facts({ symptomReports: [r, report(T0, [])] }), T0)).toEqual([]);
    expect(named(facts({ symptomReports: [report(T0, []), r] }), T0)).toEqual(['symptoms_reported']);
    // No reports at all, or only reports without symptoms: nothing.
    expect(named(facts({}), T0)).toEqual([]);
    expect(named(facts({ symptomReports: [report(T0, [])] }), T0)).toEqual([]);
  });

  it('says a reason at a gate by its colour, condition and end only, never its detail (which may name a case)', () => {
    const r = evaluateCode(facts({ cases: [{ caseNo: 'BH-9', kind: 'confirmed', confirmedAt: T0, outcome: 'in_treatment', outcomeAt: null }] }), e, T0 + HOUR).reasons[0];
    expect(gateReason(r)).toBe('red: case (until discharged from treatment)');
    expect(gateReason(r)).not.toContain('BH-9');
    expect(gateReason({ colour: 'yellow', condition: 'positive_pool_awaiting_retest', until: 'x' })).toBe('yellow: positive pool awaiting retest (until x)');
  });
});

describe('the health code at its edges', () => {
  const grace = e.healthCode.overdueAfterHours * HOUR;
  const medium = e.riskAreas.arrivalsFromMedium, high = e.riskAreas.arrivalsFromHigh;
  const atHome = { kind: 'home_quarantine' as const, startedAt: T0 + HOUR, plannedEnd: T0 + medium.days * DAY, endedAt: null, arrivalFrom: 'medium' as const, countedFrom: T0 };
  type Assignment = CodeFacts['quarantine'][number];
  const centralized = (o: Partial<Assignment> = {}): Assignment => ({ kind: 'centralized', startedAt: T0 + 6 * HOUR, plannedEnd: T0 + close.days * DAY, endedAt: null, ...o });
  const reason = (f: CodeFacts, now: number, condition: string) => conditionsAt(f, e, now).find((c) => c.condition === condition);

  it('holds an arrival from a medium-risk area at home on its own test days, and says the missed one in words', () => {
    expect(conditionsAt(facts({ quarantine: [atHome] }), e, T0 + medium.testDays[0] * DAY + grace)).toEqual([
      { condition: 'arrival_in_home_quarantine', detail: `arrival from a risk area: home quarantine for ${medium.days} days`, until: UNTIL_PERIOD, untilAt: T0 + medium.days * DAY },
      { condition: 'overdue_required_test', detail: `test of day ${medium.testDays[0]} of home quarantine not taken`, until: 'a sample is taken', untilAt: null },
    ]);
  });

  it('holds an arrival from a high-risk area to its own test days (day 14 too), and an assignment of another kind to none', () => {
    const arrival = centralized({ countedFrom: T0, startedAt: T0 + HOUR, plannedEnd: T0 + high.days * DAY, arrivalFrom: 'high' });
    const last = high.testDays.at(-1)!;
    expect(high.testDays).not.toEqual(e.secondaryContact.management.testDays); // what tells the two apart here
    const earlier = high.testDays.slice(0, -1).map((d) => single(T0 + (d - 1) * DAY + HOUR));
    expect(reason(facts({ quarantine: [arrival], samples: earlier }), T0 + last * DAY + grace, 'overdue_required_test')?.detail).toBe(`test of day ${last} of centralized not taken`);
    // An arrival from a medium-risk area is held at home; put in centralized quarantine instead, no home test day is asked.
    const moved = centralized({ countedFrom: T0, startedAt: T0 + HOUR, plannedEnd: T0 + medium.days * DAY, arrivalFrom: 'medium' });
    expect(medium.kind).toBe('home_quarantine');
    expect(reason(facts({ quarantine: [moved] }), T0 + medium.testDays[0] * DAY + grace, 'overdue_required_test')).toBeUndefined();
    expect(reason(facts({ quarantine: [moved] }), T0 + medium.testDays[0] * DAY + grace, 'arrival_in_centralized_quarantine')).toBeDefined();
  });

  it('keeps a pending single tube from making a pooled-retest reason', () => {
    expect(named(facts({ samples: [single(T0, 'pending', null)] }), T0 + HOUR)).toEqual([]);
  });

  it('names the earliest test missed even when a later one comes from a period listed before it', () => {
    // The arrival's period is listed first; its first test falls due two days after the close contact's.
    const arrival = { ...atHome, startedAt: T0 + 2 * DAY, countedFrom: T0 + 2 * DAY, plannedEnd: T0 + 2 * DAY + medium.days * DAY };
    const f = facts({ quarantine: [arrival], contacts: [contact('close', { identifiedAt: T0 + HOUR })] });
    expect(reason(f, T0 + 2 * DAY + medium.testDays[0] * DAY + grace, 'overdue_required_test')?.detail).toBe(`test of day ${close.testDays[0]} of centralized not taken`);
  });

  it('counts an arrival\'s days from the departure, and ends its period when its assignment ended', () => {
    const held = { kind: 'centralized' as const, startedAt: T0 + 2 * DAY, plannedEnd: T0 + high.days * DAY, endedAt: null, arrivalFrom: 'high' as const, countedFrom: T0 };
    expect(reason(facts({ quarantine: [held], samples: daily }), T0 + 3 * DAY, 'arrival_in_centralized_quarantine')?.detail).toBe(`arrival from a risk area: centralized for ${high.days} days`);
    const releasedEarly = { ...held, endedAt: T0 + 5 * DAY };
    expect(named(facts({ quarantine: [releasedEarly], samples: daily }), T0 + 6 * DAY)).toEqual([]);
  });

  it('governs an assignment by the records standing only: a released record exposed later does not take a held one\'s period', () => {
    const held = contact('close', { status: 'in_quarantine' });
    const released = contact('close', { status: 'released', lastExposure: T0 + 2 * DAY });
    expect(named(facts({ contacts: [held, released], quarantine: [centralized()], samples: daily }), T0 + DAY)).toEqual(['close_contact_in_centralized_quarantine']);
  });

  it('does not take an arrival\'s assignment for a contact\'s: a close contact with none of its own is counted to its own end', () => {
    const k = contact('close', { status: 'in_quarantine' });
    const arrival = centralized({ plannedEnd: T0 + 20 * DAY, arrivalFrom: 'high', countedFrom: T0 });
    expect(reason(facts({ contacts: [k], quarantine: [arrival], samples: daily }), T0 + DAY, 'close_contact_in_centralized_quarantine')?.untilAt).toBe(T0 + close.days * DAY);
  });

  it('keeps each record\'s period of an assignment ended with the records standing, not only the one that governed it', () => {
    const early = contact('close', { status: 'in_quarantine' }), late = contact('close', { status: 'in_quarantine', lastExposure: T0 + 3 * DAY });
    const ended = centralized({ endedAt: T0 + 5 * DAY, plannedEnd: T0 + 3 * DAY + close.days * DAY });
    expect(named(facts({ contacts: [early, late], quarantine: [ended], samples: daily }), T0 + DAY)).toContain('close_contact_in_centralized_quarantine');
  });

  it('skips only a held record another governs: one lost to follow-up on the same assignment still owes its own period', () => {
    const governs = contact('close', { status: 'in_quarantine', lastExposure: T0 + 3 * DAY }), lost = contact('close', { status: 'lost_to_follow_up' });
    const q = centralized({ plannedEnd: T0 + 3 * DAY + close.days * DAY });
    expect(named(facts({ contacts: [governs, lost], quarantine: [q], samples: daily }), T0 + DAY)).toContain('close_contact_in_centralized_quarantine');
  });

  it('does not hold a record lost to follow-up by an open assignment: past its end it owes the release\'s negatives, and monitoring follows', () => {
    const lost = contact('close', { status: 'lost_to_follow_up' });
    const f = facts({ contacts: [lost], quarantine: [centralized()] });
    const at = T0 + close.days * DAY + HOUR;
    expect(reason(f, at, 'close_contact_in_centralized_quarantine')?.until).toBe(`released, or ${e.closeContact.releaseSamples} negative single-tube test(s) from the period's last day`);
    expect(named(f, at)).toContain('home_monitoring');
  });

  it('clears a risk-area visit and a positive pool at the second the negative result comes, not before', () => {
    const v = { regionCode: '430102001001', level: 'medium' as const, leftAt: T0 };
    const neg = single(T0 + HOUR, 'negative', T0 + 5 * HOUR);
    expect(named(facts({ riskVisits: [v], samples: [neg] }), T0 + 5 * HOUR)).toEqual([]);
    expect(named(facts({ riskVisits: [v], samples: [neg] }), T0 + 5 * HOUR - 1)).toEqual(['arrival_from_risk_area_untested']);
    const pooled: Sample = { method: 'pooled', sampledAt: T0, result: 'pending', resultAt: null, poolResult: 'positive', poolResultAt: T0 + HOUR };
    expect(named(facts({ samples: [pooled, neg] }), T0 + 5 * HOUR)).toEqual([]);
    expect(named(facts({ samples: [pooled, neg] }), T0 + 5 * HOUR - 1)).toEqual(['positive_pool_awaiting_retest']);
  });

  it('manages after discharge or recovery only, not after a transfer out', () => {
    const moved = { caseNo: 'A', kind: 'confirmed' as const, confirmedAt: T0, outcome: 'transferred_out', outcomeAt: T0 + DAY };
    expect(named(facts({ cases: [moved] }), T0 + 2 * DAY)).toEqual([]);
    expect(named(facts({ cases: [{ ...moved, outcome: 'discharged' }] }), T0 + 2 * DAY)).toEqual(['post_discharge_management']);
  });

  it('makes a companion yellow from the second of identification, cleared by negatives only, the last known by now', () => {
    const k = contact('companion');
    expect(named(facts({ contacts: [k] }), k.identifiedAt)).toEqual(['companion']);
    expect(named(facts({ contacts: [k] }), k.identifiedAt - 1)).toEqual([]);
    const gap = e.companion.testsMinHoursApart * HOUR, n = e.healthCode.companionGreenAfterNegatives;
    const times = Array.from({ length: n }, (_, i) => k.identifiedAt + i * gap);
    expect(named(facts({ contacts: [k], samples: times.map((t) => single(t, 'pending', null)) }), k.identifiedAt + n * gap)).toEqual(['companion']);
    const negatives = times.map((t) => single(t, 'negative', t + HOUR));
    const known = times[n - 1] + HOUR;
    expect(named(facts({ contacts: [k], samples: negatives }), known)).toEqual([]);
    expect(named(facts({ contacts: [k], samples: negatives }), known - 1)).toEqual(['companion']);
  });

  it.each([
    ['case', 'discharge'], ['deceased', 'record_corrected'], ['overdue_required_test', 'sample_taken'],
    ['positive_single_tube', 'case_review'], ['positive_pool_awaiting_retest', 'single_tube_negative'],
  ] as const)('ends %s by %s', (condition, code) => {
    expect(reasonEnds({ condition, untilAt: null }, e)).toEqual({ code, args: {} });
  });

  it('says a condition from two sources ending at the same time by the first', () => {
    const recovered = (caseNo: string) => ({ caseNo, kind: 'confirmed' as const, confirmedAt: T0, outcome: 'recovered', outcomeAt: T0 + DAY });
    const v = evaluateCode(facts({ cases: [recovered('A'), recovered('B')] }), e, T0 + 2 * DAY);
    expect(v.reasons.map((r) => r.detail)).toEqual([`confirmed case A, recovered: home monitoring for ${e.caseManagement.afterDischarge.days} days after discharge`]);
  });

  it.each([
    ['ended on the eve of the day', 0, `test of day 2 of home monitoring not taken`],
    ['ended a second into the eve', 1, `test of day 7 of centralized not taken`],
  ])('owes a cut-short period\'s test day only when the period %s ended a day or less before it', (_what, past, detail) => {
    // Moved home after 5 days (plus `past` seconds), the record standing: the centralized stage's day 7 starts a day
    // after its end, where home monitoring's day 2 starts too; neither tested (nor on the day after, within the grace).
    expect([close.testDays, close.followedBy!.testDays]).toEqual([expect.arrayContaining([7]), expect.arrayContaining([2])]);
    const d7 = 7;
    const moved = T0 + (d7 - 2) * DAY + past;
    const samples = daily.filter((s) => s.sampledAt < T0 + (d7 - 1) * DAY || s.sampledAt >= T0 + (d7 + 1) * DAY);
    const f = facts({ contacts: [contact('close', { status: 'in_quarantine' })], quarantine: [centralized({ endedAt: moved })], samples });
    expect(reason(f, T0 + d7 * DAY + grace + HOUR, 'overdue_required_test')?.detail).toBe(detail);
  });

  it('refuses the release of unreleased periods after a positive taken since the first of them began, not the latest', () => {
    const first = contact('close'), second = contact('close', { lastExposure: T0 + 3 * DAY });
    const positive = single(T0 + DAY + HOUR, 'positive');
    const at = T0 + 3 * DAY + close.days * DAY + 8 * HOUR; // the second period's last-day negatives are in
    expect(named(facts({ contacts: [first, second], samples: daily }), at)).not.toContain('close_contact_in_centralized_quarantine');
    expect(named(facts({ contacts: [first, second], samples: [positive, ...daily] }), at)).toContain('close_contact_in_centralized_quarantine');
  });

  it('gives no reason for a condition the edition gives no colour', () => {
    const other = structuredClone(e);
    other.healthCode.yellow = other.healthCode.yellow.filter((c) => c !== 'home_monitoring');
    const end = T0 + close.days * DAY;
    const f = facts({ contacts: [contact('close')], samples: daily });
    expect(named(f, end + 8 * HOUR)).toEqual(['home_monitoring']);
    expect(evaluateCode(f, other, end + 8 * HOUR)).toEqual({ colour: 'green', reasons: [], validUntil: end + 8 * HOUR + e.healthCode.greenValidHours * HOUR });
  });
});
