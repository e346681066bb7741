/**
 * Risk-area grading by the edition's rule set: county-2020 and street-2021 (thresholds on cumulative cases and a
 * cluster within a window, by county or by community), ed9-2022 (high where cases live, medium where they stayed
 * long enough, with step-down timers). Pure: cases and stays in, a level per unit out, each with its reason and when
 * it will be reviewed (stepped down if nothing new happens).
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY } from '../time.ts';
import type { RiskLevel } from '../vocab.ts';

type RuleSet = ProtocolEdition['riskAreas']['ruleSet'];

/** The grading unit of a division code under a rule set (a prefix of the code). */
export function unitOf(regionCode: string, ruleSet: RuleSet): string {
  const len = ruleSet.unit === 'county' ? 6 : ruleSet.unit === 'township' ? 9 : 12;
  return regionCode.slice(0, len);
}

/**
 * Why a unit has its level, as a code and its numbers (days, counts), so every language can say it; `reason` is the
 * English sentence. Codes: `no_recent_case` {windowDays}; `cluster` {cumulative, highAbove, recent, windowDays,
 * clusterMin}; `new_cases` {recent, windowDays, cumulative}; `cases_live_here` {cases, highDays}; `stepped_down`
 * {highDays}; `cleared` {highDays, afterDays}; `case_stayed` {}; `stay_cleared` {mediumDays}; `no_case` {}.
 */
export const RISK_REASON_CODES = ['no_recent_case', 'cluster', 'new_cases', 'cases_live_here', 'stepped_down', 'cleared', 'case_stayed', 'stay_cleared', 'no_case'] as const;
export type RiskReasonCode = (typeof RISK_REASON_CODES)[number];
export type RiskReasonArgs = Record<string, number>;

/** The English sentence of a reason (the API's `reason`, the CLI's listing). */
export function riskReasonText(code: RiskReasonCode, a: RiskReasonArgs): string {
  switch (code) {
    case 'no_recent_case': return `no new case in ${a.windowDays} days`;
    case 'cluster': return `${a.cumulative} cumulative cases (> ${a.highAbove}) and ${a.recent} within ${a.windowDays} days (cluster >= ${a.clusterMin})`;
    case 'new_cases': return `${a.recent} new case(s) within ${a.windowDays} days, ${a.cumulative} cumulative`;
    case 'cases_live_here': return `${a.cases} case(s) live here; high until ${a.highDays} days after the last`;
    case 'stepped_down': return `stepped down: ${a.highDays} days without a new infection`;
    case 'cleared': return `${a.highDays} + ${a.afterDays} days without a new infection`;
    case 'case_stayed': return 'a case stayed here long enough to pose a risk';
    case 'stay_cleared': return `${a.mediumDays} days since a case stayed here`;
    case 'no_case': return 'no case in this unit';
  }
}

const grade = (level: RiskLevel, reasonCode: RiskReasonCode, reasonArgs: RiskReasonArgs, reviewAt: number | null): Grade =>
  ({ level, reason: riskReasonText(reasonCode, reasonArgs), reasonCode, reasonArgs, reviewAt });

export interface Grade {
  level: RiskLevel;
  reason: string;
  reasonCode: RiskReasonCode;
  reasonArgs: RiskReasonArgs;
  /** When the level steps down unless a new case arrives (null for low). */
  reviewAt: number | null;
}

/**
 * Grades every unit touched by a case. `cases`: where each case lives and when it was confirmed. `stays`: ed9's
 * places where a case stayed at least the edition's minutes while infectious (unit and end of the stay).
 */
export function gradeUnits(cases: { regionCode: string; confirmedAt: number }[], stays: { regionCode: string; at: number }[], rs: RuleSet, now: number): Map<string, Grade> {
  const out = new Map<string, Grade>();
  const byUnit = new Map<string, number[]>();
  for (const c of cases) {
    if (c.confirmedAt > now) continue;
    const u = unitOf(c.regionCode, rs);
    if (!byUnit.has(u)) byUnit.set(u, []);
    byUnit.get(u)!.push(c.confirmedAt);
  }
  const window = rs.windowDays * DAY;
  if (rs.id !== 'ed9-2022') {
    for (const [u, times] of byUnit) {
      const recent = times.filter((t) => t > now - window).length, last = Math.max(...times);
      if (recent === 0) { out.set(u, grade('low', 'no_recent_case', { windowDays: rs.windowDays }, null)); continue; }
      const high = rs.highCumulativeCasesAbove !== null && rs.clusterMinCases !== null && times.length > rs.highCumulativeCasesAbove && recent >= rs.clusterMinCases;
      const reviewAt = last + (high ? rs.downgradeDays.high : rs.downgradeDays.medium) * DAY;
      out.set(u, high
        ? grade('high', 'cluster', { cumulative: times.length, highAbove: rs.highCumulativeCasesAbove!, recent, windowDays: rs.windowDays, clusterMin: rs.clusterMinCases! }, reviewAt)
        : grade('medium', 'new_cases', { recent, windowDays: rs.windowDays, cumulative: times.length }, reviewAt));
    }
    return out;
  }
  // ed9: high where cases live, stepping down to medium, then low; medium where they stayed.
  const highDays = rs.downgradeDays.high * DAY, afterHigh = (rs.mediumAfterHighDays ?? rs.downgradeDays.medium) * DAY, mediumDays = rs.downgradeDays.medium * DAY;
  for (const [u, times] of byUnit) {
    const last = Math.max(...times);
    if (now < last + highDays) out.set(u, grade('high', 'cases_live_here', { cases: times.length, highDays: rs.downgradeDays.high }, last + highDays));
    else if (now < last + highDays + afterHigh) out.set(u, grade('medium', 'stepped_down', { highDays: rs.downgradeDays.high }, last + highDays + afterHigh));
    else out.set(u, grade('low', 'cleared', { highDays: rs.downgradeDays.high, afterDays: afterHigh / DAY }, null));
  }
  const lastStay = new Map<string, number>();
  for (const s of stays) {
    if (s.at > now) continue;
    const u = unitOf(s.regionCode, rs);
    lastStay.set(u, Math.max(lastStay.get(u) ?? 0, s.at));
  }
  for (const [u, last] of lastStay) {
    const g = out.get(u);
    if (g && g.level !== 'low') continue;
    out.set(u, now < last + mediumDays
      ? grade('medium', 'case_stayed', {}, last + mediumDays)
      : grade('low', 'stay_cleared', { mediumDays: rs.downgradeDays.medium }, null));
  }
  return out;
}
