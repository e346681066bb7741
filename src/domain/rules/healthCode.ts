/**
 * The health code engine: a person's facts (case, contacts, quarantine, tests, checkpoint temperatures, visits to
 * risk areas) in, colour and every reason out, each reason with the condition that ends it. Which conditions make
 * a code red or yellow is the edition's data (`healthCode.red`, `healthCode.yellow`); the durations, test days and
 * thresholds the conditions use are the edition's numbers too. Pure: no storage, no clock.
 */
import type { CaseKind, ContactKind, ContactStatus, CodeColour, CodeCondition, QuarantineKind, SampleMethod, TestResult } from '../vocab.ts';
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY, HOUR } from '../time.ts';
import { awaitsTransfer } from './command.ts';
import { governingSchedule, heldRules, keepsInQuarantine, OVERDUE_REMEMBERED, quarantineSchedule, releaseRefusal } from './quarantine.ts';

/** What the engine knows of one person. */
export interface CodeFacts {
  personId: number;
  /**
   * The person's cases that stand (withdrawn ones are not facts), oldest first: a person can be a case again after
   * recovery. Each with its kind as it stands (a reclassification changes it, and the reasons follow).
   */
  cases: { caseNo: string; kind: CaseKind; confirmedAt: number; outcome: string; outcomeAt: number | null }[];
  contacts: { kind: ContactKind; status: ContactStatus; firstExposure: number; lastExposure: number; identifiedAt: number }[];
  /**
   * Quarantine assignments; an arrival's carries the grading of the risk area they left (`arrivalFrom`) and the day its
   * days count from (`countedFrom`, their departure).
   */
  quarantine: { kind: QuarantineKind; startedAt: number; plannedEnd: number; endedAt: number | null; arrivalFrom?: 'high' | 'medium' | null; countedFrom?: number }[];
  /** Single-tube and pooled samples; `lab` (when known) for a release that needs its negatives from different labs. */
  samples: { method: SampleMethod; sampledAt: number; result: TestResult; resultAt: number | null; poolResult: TestResult | null; poolResultAt: number | null; lab?: string | null }[];
  /**
   * Temperatures taken at checkpoints and in daily follow-up reports, latest first (readings of the same second: the
   * last recorded first); `where` says which (a checkpoint when absent).
   */
  temperatures: { at: number; celsius: number; where?: 'checkpoint' | 'follow-up report' }[];
  /** Daily follow-up reports (with or without symptoms), any order: the latest says whether symptoms stand. */
  symptomReports?: { at: number; symptoms: readonly string[] }[];
  /** Stays in areas currently graded medium or high: when the person left. */
  riskVisits: { regionCode: string; level: 'medium' | 'high'; leftAt: number }[];
}

export interface CodeReason {
  condition: CodeCondition;
  colour: Exclude<CodeColour, 'green'>;
  detail: string;
  /** What ends the condition. */
  until: string;
  /** When it ends by itself, if time alone ends it. */
  untilAt: number | null;
}

export interface CodeVerdict {
  colour: CodeColour;
  reasons: CodeReason[];
  /** When the code must be evaluated again at the latest. */
  validUntil: number;
}

interface Condition {
  condition: CodeCondition;
  detail: string;
  until: string;
  untilAt: number | null;
}

const RANK: Record<CodeColour, number> = { green: 0, yellow: 1, red: 2 };
/** How a reason names a case of each kind. */
const CASE_KIND_NAMES: Record<CaseKind, string> = { confirmed: 'confirmed case', asymptomatic: 'asymptomatic infection' };

/** Management periods (quarantine, then monitoring) a contact is under, from the edition's schedules. */
interface Period {
  kind: QuarantineKind;
  of: 'close' | 'secondary' | 'arrival';
  start: number;
  end: number;
  testDays: number[];
  /** When the contact was identified: a test day that ended before anyone knew of the contact is due from then. */
  knownAt: number;
  /** Held at a site or at home now (the assignment is open): the period lasts until the release, whatever its planned end. */
  held?: boolean;
  /**
   * Not held and not released (awaiting transfer, lost to follow-up, or in quarantine with no assignment recorded): past
   * its end the period stands until the release's negative samples from its last day are in (`releaseByTests`), as a
   * held contact stands until released (PROTOCOL.md: released on the last day only with the tests negative).
   */
  unreleased?: boolean;
}

function periodsOf(f: CodeFacts, e: ProtocolEdition): Period[] {
  const out: Period[] = [];
  // Held now: one schedule governs each open assignment (`governingSchedule`, as the quarantine service stores it), so
  // a person who is a close and a secondary contact is not owed the tests of both.
  const standing = f.contacts.filter(keepsInQuarantine);
  // An arrival's assignment is held for the area they left: its own period, on the edition's arrival rules, from its
  // departure to its planned end while held, to its end once released.
  const contactsHeld = f.quarantine.filter((q) => !q.arrivalFrom);
  for (const q of f.quarantine) {
    if (!q.arrivalFrom) continue;
    const rules = heldRules(e, q.arrivalFrom === 'high' ? 'arrival_from_high' : 'arrival_from_medium');
    const held = q.endedAt === null;
    const testDays = rules.kind === q.kind ? [...rules.testDays]
      :
      // Stryker disable next-line ArrayDeclaration: equivalent: a test day that is not a number gives NaN times, which no comparison of the overdue test passes, as if none
      [];
    out.push({ kind: q.kind, of: 'arrival', start: q.countedFrom ?? q.startedAt, end: held ? q.plannedEnd : q.endedAt!, testDays, knownAt: q.startedAt, held });
  }
  const governing = new Map(contactsHeld.filter((q) => q.endedAt === null).map((q) => [q, governingSchedule(e, standing, q.startedAt, q.kind)?.record]));
  for (const c of f.contacts) {
    if ((c.kind !== 'close' && c.kind !== 'secondary') || c.status === 'released' || c.status === 'became_case') continue;
    const of = c.kind;
    const m = of === 'close' ? e.closeContact.management : e.secondaryContact.management;
    const assigned = contactsHeld.find((q) => q.startedAt >= c.identifiedAt - DAY && q.kind === m.kind);
    const rules = assigned && governing.get(assigned);
    if (rules && rules !== c && c.status === 'in_quarantine') continue;
    // The edition's schedule (quarantine.ts) for this record, counted from the quarantine's start once assigned, else
    // from the identification; while held, to the assignment's planned end (the latest its records give). An
    // assignment ended with the record standing ends it there (moved home), unless the record was lost to follow-up or
    // awaits a transfer again: those still owe their whole period.
    const [first] = quarantineSchedule(e, of, { lastExposure: c.lastExposure, startedAt: assigned?.startedAt ?? c.identifiedAt }).stages;
    const start = first.start;
    const left = assigned?.endedAt ?? null;
    const end = !assigned ? first.end : left === null ? assigned.plannedEnd : c.status !== 'lost_to_follow_up' && !awaitsTransfer(c.status) ? left : first.end;
    // Held now: the period lasts until the release (the stage after it begins then).
    const held = assigned !== undefined && left === null && c.status === 'in_quarantine';
    const unreleased = !held && (awaitsTransfer(c.status) || c.status === 'lost_to_follow_up' || (c.status === 'in_quarantine' && !assigned));
    out.push({ kind: m.kind, of, start, end, testDays: m.testDays, knownAt: c.identifiedAt, held, unreleased });
    if (m.followedBy && !held) out.push({ kind: m.followedBy.kind, of, start: end, end: end + m.followedBy.days * DAY, testDays: m.followedBy.testDays, knownAt: c.identifiedAt });
  }
  return out;
}

/**
 * How the person's periods that are not released (`releaseSamples` set) end by tests: as one release, with
 * `releaseRefusal` of quarantine.ts over them all (from the first one's start to the latest one's end), on the close
 * contact's rules when any of them is a close contact's (one schedule, as `governingSchedule`). `released` as of `now`;
 * `needed`, the negatives it asks for. Null when there are none.
 */
function releaseByTests(unreleased: readonly Period[], samples: CodeFacts['samples'], e: ProtocolEdition, now: number): { released: boolean; needed: number } | null {
  // Stryker disable next-line ConditionalExpression: equivalent as false: with no unreleased period, what the release says is read by none (as true it is killed)
  if (unreleased.length === 0) return null;
  const as = unreleased.some((p) => p.of === 'close') ? 'close' :
    // Stryker disable next-line StringLiteral: equivalent: the rules read anything but 'close' as a secondary contact's
    'secondary';
  const assignment = { startedAt: Math.min(...unreleased.map((p) => p.start)), plannedEnd: Math.max(...unreleased.map((p) => p.end)) };
  return { released: releaseRefusal(e, as, assignment, samples, now) === null, needed: heldRules(e, as).releaseSamples };
}

/** Every condition that holds for the person at `now`, whatever colour the edition gives it. */
export function conditionsAt(f: CodeFacts, e: ProtocolEdition, now: number): Condition[] {
  const out: Condition[] = [];
  const singles = f.samples.filter((s) => s.method === 'single');
  const negativeAfter = (t: number) => f.samples.some((s) => s.sampledAt >= t && s.result === 'negative' && (s.resultAt ?? s.sampledAt) <= now);

  // A case in treatment at `now` (an outcome reached later than `now` had not been reached yet); after discharge or
  // recovery, the edition's management period.
  const after = e.caseManagement.afterDischarge;
  for (const c of f.cases) {
    if (c.confirmedAt > now) continue;
    const ended = c.outcome !== 'in_treatment' && (
      // Stryker disable next-line ConditionalExpression: unreachable: a final outcome is always stored with its time (the cases service dates it when none is given)
      c.outcomeAt === null
      || c.outcomeAt <= now);
    const what = `${CASE_KIND_NAMES[c.kind]} ${c.caseNo}`;
    if (!ended) {
      out.push({ condition: 'case', detail: what, until: 'discharged from treatment', untilAt: null });
    } else if (c.outcome === 'died') {
      // A person recorded as dead has no code to pass with: their ID card or a token in their name is someone else's.
      out.push({ condition: 'deceased', detail: `${what}, died`, until: 'a correction of the record', untilAt: null });
    } else if ((c.outcome === 'recovered' || c.outcome === 'discharged')
      &&
      // Stryker disable next-line ConditionalExpression: equivalent: a null outcome time reads as 0, and no time after January 1970 is within the days after it
      c.outcomeAt !== null
      && now < c.outcomeAt + after.days * DAY) {
      out.push({
        condition: 'post_discharge_management', detail: `${what}, ${c.outcome}: ${after.kind.replace(/_/g, ' ')} for ${after.days} days after discharge`,
        until: `${after.days} days after discharge`, untilAt: c.outcomeAt + after.days * DAY,
      });
    }
  }

  const periods = periodsOf(f, e);
  const release = releaseByTests(periods.filter((p) => p.unreleased), f.samples, e, now);
  for (const p of periods) {
    // Stryker disable next-line OptionalChaining: equivalent: an unreleased period makes `release` (evaluated over the unreleased periods) non-null
    const standing = p.unreleased === true && release?.released === false;
    if (now < p.start || (now >= p.end && !p.held && !standing)) continue;
    const whose = p.of === 'close' ? 'close contact' : p.of === 'secondary' ? 'secondary contact' : 'arrival from a risk area';
    const condition: CodeCondition = p.of === 'arrival' ? (p.kind === 'centralized' ? 'arrival_in_centralized_quarantine' : 'arrival_in_home_quarantine')
      : p.kind === 'centralized' ? (p.of === 'close' ? 'close_contact_in_centralized_quarantine' : 'secondary_contact_in_centralized_quarantine')
      : p.kind === 'home_quarantine' ? 'contact_in_home_quarantine' : 'home_monitoring';
    const past = now >= p.end;
    out.push({
      condition, detail: `${whose}: ${p.kind.replace(/_/g, ' ')} for ${Math.round((p.end - p.start) / DAY)} days`,
      // Stryker disable next-line OptionalChaining: equivalent: a period past its end, not held, is listed only while standing, so `release` is non-null
      until: !past ? 'end of the period with the required tests negative' : p.held ? 'released from quarantine' : `released, or ${release?.needed} negative single-tube test(s) from the period's last day`,
      untilAt: past ? null : p.end,
    });
  }

  // Required tests of every management period begun: day d is due by its end (or, when it ended before the contact
  // was identified, by the identification) plus the grace; one reason for the earliest test missed in the last week.
  const grace = e.healthCode.overdueAfterHours * HOUR;
  const missed = periods.flatMap((p) => p.testDays.map((d) => ({ p, d, dayStart: p.start + (d - 1) * DAY, due: Math.max(p.start + d * DAY, p.knownAt) + grace })))
    .filter(({ p, dayStart, due }) => now >= due && now <= due + OVERDUE_REMEMBERED && dayStart < p.end + DAY && !f.samples.some((s) => s.sampledAt >= dayStart && s.sampledAt < due))
    .sort((a, b) => a.due - b.due)[0];
  if (missed) {
    out.push({ condition: 'overdue_required_test', detail: `test of day ${missed.d} of ${missed.p.kind.replace(/_/g, ' ')} not taken`, until: 'a sample is taken', untilAt: null });
  }

  const latestSingle = singles.filter((s) => s.result === 'positive' || s.result === 'negative').sort((a, b) => b.sampledAt - a.sampledAt)[0];
  if (latestSingle?.result === 'positive' && (latestSingle.resultAt ?? latestSingle.sampledAt) <= now) {
    out.push({ condition: 'positive_single_tube', detail: 'single-tube test positive', until: 'the case is confirmed or excluded on review', untilAt: null });
  }

  for (const s of f.samples) {
    if (
      // Stryker disable next-line ConditionalExpression: equivalent as false: a single tube has no pool result, so it is skipped by the next test anyway (as true it is killed)
      s.method !== 'pooled'
      || s.poolResult !== 'positive' || (s.poolResultAt ?? s.sampledAt) > now) continue;
    if (singles.some((r) => r.sampledAt >= s.sampledAt && r.result !== 'pending' && (r.resultAt ?? r.sampledAt) <= now)) continue;
    out.push({ condition: 'positive_pool_awaiting_retest', detail: 'member of a positive pooled tube', until: 'single-tube retest negative', untilAt: null });
    break;
  }

  const { companionGreenAfterNegatives: needed } = e.healthCode;
  for (const c of f.contacts) {
    // A released companion (its case withdrawn, or released by hand) is no longer one; one who became a case is a case.
    if (c.kind !== 'companion' || c.identifiedAt > now || c.status === 'released' || c.status === 'became_case') continue;
    // Negatives sampled after identification, within the window, at least the minimum spacing apart (greedy).
    const times = f.samples.filter((s) => s.result === 'negative' && s.sampledAt >= c.identifiedAt && s.sampledAt <= c.identifiedAt + e.companion.testsWithinDays * DAY && (s.resultAt ?? s.sampledAt) <= now)
      .map((s) => s.sampledAt).sort((a, b) => a - b);
    let count = 0, last = -Infinity;
    for (const t of times) if (t - last >= e.companion.testsMinHoursApart * HOUR) { count++; last = t; }
    if (count >= needed) continue;
    out.push({ condition: 'companion', detail: `spatiotemporal companion of a case (${count} of ${needed} negative tests)`, until: `${needed} negative tests at least ${e.companion.testsMinHoursApart} h apart within ${e.companion.testsWithinDays} days`, untilAt: null });
    break;
  }

  const max = e.checkpoint.maxTemperatureC;
  // A stable sort: readings of the same second keep their order, the last recorded first.
  const temps = [...f.temperatures].filter((t) => t.at <= now).sort((a, b) => b.at - a.at);
  if (temps.length > 0 && temps[0].celsius > max && now < temps[0].at + e.healthCode.abnormalTemperatureHours * HOUR) {
    out.push({ condition: 'abnormal_temperature', detail: `${temps[0].celsius.toFixed(1)} C at a ${temps[0].where ?? 'checkpoint'} (limit ${max} C)`, until: `a normal reading or ${e.healthCode.abnormalTemperatureHours} h`, untilAt: temps[0].at + e.healthCode.abnormalTemperatureHours * HOUR });
  }
  // The latest daily report says whether symptoms stand: one without them ends the reason, as time does.
  // Stryker disable next-line ArrayDeclaration: equivalent: an entry that is not a report has no time, and `undefined <= now` filters it out, as if none
  const latest = (f.symptomReports ?? []).filter((r) => r.at <= now).reduce<{ at: number; symptoms: readonly string[] } | null>((a, r) => (a === null || r.at >= a.at ? r : a), null);
  if (latest && latest.symptoms.length > 0 && now < latest.at + e.healthCode.abnormalTemperatureHours * HOUR) {
    out.push({ condition: 'symptoms_reported', detail: `symptoms reported: ${latest.symptoms.join(', ').replace(/_/g, ' ')}`, until: `a report without symptoms or ${e.healthCode.abnormalTemperatureHours} h`, untilAt: latest.at + e.healthCode.abnormalTemperatureHours * HOUR });
  }

  for (const v of f.riskVisits) {
    const days = v.level === 'high' ? e.riskAreas.arrivalsFromHigh.days : e.riskAreas.arrivalsFromMedium.days;
    if (v.leftAt > now || now > v.leftAt + days * DAY || negativeAfter(v.leftAt)) continue;
    out.push({ condition: 'arrival_from_risk_area_untested', detail: `left ${v.level}-risk area ${v.regionCode} without a test since`, until: 'a negative test sampled after leaving', untilAt: v.leftAt + days * DAY });
    break;
  }
  return out;
}

/** What ends a reason, as a code a page says in its own language, with its numbers (from the edition). */
export const CODE_ENDS = [
  'discharge', 'record_corrected', 'days_after_discharge', 'released', 'period_with_tests', 'sample_taken', 'case_review', 'single_tube_negative',
  'companion_tests', 'normal_reading_or_hours', 'report_without_symptoms_or_hours', 'negative_after_leaving',
] as const;
export type CodeEndCode = (typeof CODE_ENDS)[number];
export interface CodeEnd { code: CodeEndCode; args: Record<string, number> }

/**
 * What ends reason `r` under edition `e` (the same rules `conditionsAt` applies): a management period ends at its end
 * with the required tests negative, or, once held past its end, when the person is released; a companion's code after
 * `healthCode.companionGreenAfterNegatives` negative tests at least `companion.testsMinHoursApart` hours apart within
 * `companion.testsWithinDays` days; a temperature or symptoms after a normal reading (a report without symptoms) or
 * `healthCode.abnormalTemperatureHours` hours; and so on.
 */
export function reasonEnds(r: Pick<CodeReason, 'condition' | 'untilAt'>, e: ProtocolEdition): CodeEnd {
  switch (r.condition) {
    case 'case': return { code: 'discharge', args: {} };
    case 'deceased': return { code: 'record_corrected', args: {} };
    case 'post_discharge_management': return { code: 'days_after_discharge', args: { days: e.caseManagement.afterDischarge.days } };
    case 'close_contact_in_centralized_quarantine': case 'secondary_contact_in_centralized_quarantine': case 'contact_in_home_quarantine':
    case 'home_monitoring': case 'arrival_in_centralized_quarantine': case 'arrival_in_home_quarantine':
      return { code: r.untilAt === null ? 'released' : 'period_with_tests', args: {} };
    case 'overdue_required_test': return { code: 'sample_taken', args: {} };
    case 'positive_single_tube': return { code: 'case_review', args: {} };
    case 'positive_pool_awaiting_retest': return { code: 'single_tube_negative', args: {} };
    case 'companion':
      return { code: 'companion_tests', args: { tests: e.healthCode.companionGreenAfterNegatives, hoursApart: e.companion.testsMinHoursApart, withinDays: e.companion.testsWithinDays } };
    case 'abnormal_temperature': return { code: 'normal_reading_or_hours', args: { hours: e.healthCode.abnormalTemperatureHours } };
    case 'symptoms_reported': return { code: 'report_without_symptoms_or_hours', args: { hours: e.healthCode.abnormalTemperatureHours } };
    case 'arrival_from_risk_area_untested': return { code: 'negative_after_leaving', args: {} };
  }
}

/**
 * A reason as a checkpoint says it to the staff at the gate: its colour, the condition in words and what ends it, not
 * its detail, which may name a case (the case number links the person to published trajectories). Minimal disclosure:
 * the staff need to know why the code is not green, not whose contact the person is.
 */
export const gateReason = (r: Pick<CodeReason, 'colour' | 'condition' | 'until'>): string => `${r.colour}: ${r.condition.replace(/_/g, ' ')} (until ${r.until})`;

/**
 * One reason per condition: the same condition from two sources (a close contact of two cases, two management
 * periods) is said once, by the source that lasts longest (ending by itself last, or never), where it first appeared.
 */
function oncePerCondition(reasons: CodeReason[]): CodeReason[] {
  const out = new Map<CodeCondition, CodeReason>();
  for (const r of reasons) {
    const had = out.get(r.condition);
    if (!had || (had.untilAt !== null && (r.untilAt === null || r.untilAt > had.untilAt))) out.set(r.condition, r);
  }
  return [...out.values()];
}

/**
 * The code at `now`: the worst colour the edition gives any condition that holds, with every reason (once each). It
 * is valid until the first time any of them ends by itself (a source said by another may end before it).
 */
export function evaluateCode(f: CodeFacts, e: ProtocolEdition, now: number): CodeVerdict {
  const all: CodeReason[] = [];
  for (const c of conditionsAt(f, e, now)) {
    const colour = e.healthCode.red.includes(c.condition) ? 'red' : e.healthCode.yellow.includes(c.condition) ? 'yellow' : null;
    if (colour) all.push({ ...c, colour });
  }
  const reasons = oncePerCondition(all).sort((a, b) => RANK[b.colour] - RANK[a.colour]);
  const colour: CodeColour = reasons[0]?.colour ?? 'green';
  const ends = all.map((r) => r.untilAt).filter((t): t is number =>
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: a null end compares as 0, never after now, so it is left out either way (as ||, a null is still left out and every other end is at now or later)
    t !== null
    &&
    // A reason standing at its last second ends then: the verdict is valid until now and the next evaluation ends it.
    // Stryker disable next-line ConditionalExpression: equivalent as true: a reason that stands at now ends at now or later (as false it is killed)
    t >= now);
  const validUntil = Math.min(now + e.healthCode.greenValidHours * HOUR, ...ends);
  return { colour, reasons, validUntil };
}

/** Whether two verdicts differ in what a person would see (colour or reasons). */
export function sameCode(a: Pick<CodeVerdict, 'colour' | 'reasons'>, b: Pick<CodeVerdict, 'colour' | 'reasons'>): boolean {
  return a.colour === b.colour && a.reasons.length === b.reasons.length && a.reasons.every((r, i) => r.condition === b.reasons[i].condition);
}
