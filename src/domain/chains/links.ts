/**
 * Investigators' verdicts on links between cases must not contradict each other: confirmed links form a forest (a
 * case has at most one confirmed infector, and no case infects itself through a chain of confirmed links). Pure.
 */
import { formatTime } from '../time.ts';

export interface ConfirmedLink { infector: number; infectee: number }

/** Why confirming `infector -> infectee` would contradict the confirmed links, or null when it would not. */
export function linkContradiction(links: readonly ConfirmedLink[], infector: number, infectee: number): { code: 'LINK_CYCLE' | 'LINK_CONTRADICTS'; message: string } | null {
  // Stryker disable next-line ConditionalExpression: equivalent for the infectee test made true while each case has one confirmed infector (the rule): dropping every link from the infector changes only the upward walk, which meets one only after looping back to the infector (the other mutants, disabled with it, fail the re-confirmation test)
  const others = links.filter((l) => !(l.infector === infector && l.infectee === infectee));
  const existing = others.find((l) => l.infectee === infectee);
  if (existing) return { code: 'LINK_CONTRADICTS', message: `case ${infectee} already has a confirmed infector (case ${existing.infector}); reject that link first` };
  // A cycle: the infector descends from the infectee through confirmed links.
  const parent = new Map(others.map((l) => [l.infectee, l.infector]));
  const seen = new Set<number>();
  // Stryker disable next-line ConditionalExpression: equivalent: without the undefined test the walk adds undefined to seen once (never the infectee) and stops there
  for (let at: number | undefined = infector; at !== undefined && !seen.has(at); at = parent.get(at)) {
    if (at === infectee) return { code: 'LINK_CYCLE', message: `case ${infector} descends from case ${infectee} through confirmed links: confirming this link would make a cycle` };
    seen.add(at);
  }
  return null;
}

/**
 * A confirmed link worth a second look: `INFECTOR_ONSET_LATER` when the infector fell ill after the case it infected
 * (onsets in epoch seconds; nothing when either is unknown). Taken, not refused: transmission before symptoms makes a
 * negative serial interval possible (about one pair in ten for SARS-CoV-2).
 */
export interface LinkWarning { code: 'INFECTOR_ONSET_LATER'; infectorOnset: number; infecteeOnset: number; message: string }

export function linkWarnings(infectorOnset: number | null, infecteeOnset: number | null): LinkWarning[] {
  if (infecteeOnset === null ||
    // Stryker disable next-line ConditionalExpression: equivalent: a null onset reads as 0 in `<=`, never after an onset since 1970 (the test is for the type checker)
    infectorOnset === null ||
    infectorOnset <= infecteeOnset) return [];
  return [{ code: 'INFECTOR_ONSET_LATER', infectorOnset, infecteeOnset, message: `The infector's onset (${formatTime(infectorOnset)}) is after the infectee's (${formatTime(infecteeOnset)}): possible before symptoms, but worth checking.` }];
}
