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

export interface Grade {
  level: RiskLevel;
  reason: string;
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
      if (recent === 0) { out.set(u, { level: 'low', reason: `no new case in ${rs.windowDays} days`, reviewAt: null }); continue; }
      const high = rs.highCumulativeCasesAbove !== null && rs.clusterMinCases !== null && times.length > rs.highCumulativeCasesAbove && recent >= rs.clusterMinCases;
      const reviewAt = last + (high ? rs.downgradeDays.high : rs.downgradeDays.medium) * DAY;
      out.set(u, high
        ? { level: 'high', reason: `${times.length} cumulative cases (> ${rs.highCumulativeCasesAbove}) and ${recent} within ${rs.windowDays} days (cluster >= ${rs.clusterMinCases})`, reviewAt }
        : { level: 'medium', reason: `${recent} new case(s) within ${rs.windowDays} days, ${times.length} cumulative`, reviewAt });
    }
    return out;
  }
  // ed9: high where cases live, stepping down to medium, then low; medium where they stayed.
  const highDays = rs.downgradeDays.high * DAY, afterHigh = (rs.mediumAfterHighDays ?? rs.downgradeDays.medium) * DAY, mediumDays = rs.downgradeDays.medium * DAY;
  for (const [u, times] of byUnit) {
    const last = Math.max(...times);
    if (now < last + highDays) out.set(u, { level: 'high', reason: `a case lives here (last confirmed ${Math.floor((now - last) / DAY)} days ago)`, reviewAt: last + highDays });
    else if (now < last + highDays + afterHigh) out.set(u, { level: 'medium', reason: `stepped down: ${rs.downgradeDays.high} days without a new infection`, reviewAt: last + highDays + afterHigh });
    else out.set(u, { level: 'low', reason: `${rs.downgradeDays.high} + ${(afterHigh / DAY)} days without a new infection`, reviewAt: null });
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
      ? { level: 'medium', reason: `a case stayed here long enough to pose a risk`, reviewAt: last + mediumDays }
      : { level: 'low', reason: `${rs.downgradeDays.medium} days since a case stayed here`, reviewAt: null });
  }
  return out;
}
