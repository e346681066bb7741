/** What the case page computes and offers, apart from drawing it: the interview's choices, a typed span. */
import type { Dayjs } from 'dayjs';

/** The signs and clinical types the API takes (src/domain/rules/interview.ts; test/web/workbench.test.ts keeps them equal). */
export const SIGNS = ['fever', 'dry_cough', 'fatigue', 'smell_or_taste_loss', 'nasal_congestion', 'runny_nose', 'sore_throat', 'conjunctivitis', 'muscle_ache', 'diarrhoea', 'shortness_of_breath'] as const;
export const CLINICAL_TYPES = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical'] as const;

/**
 * A span typed as a date, a start and an end time (HH:MM), as the API takes it (`YYYY-MM-DD HH:MM` each): the end on
 * the same day, or on the next day only when `nextDay` says so (a night at a KTV), never by guessing from the times.
 */
export function spanOf(date: Dayjs, start: string, end: string, nextDay = false): { start: string; end: string } {
  const day = date.format('YYYY-MM-DD');
  return { start: `${day} ${start}`, end: `${nextDay ? date.add(1, 'day').format('YYYY-MM-DD') : day} ${end}` };
}

/**
 * A probability (0-1) as a whole percentage for people: a chance that rounds to 0 or 100 but is neither says so
 * ("<1%", ">99%"), so a possible source is never shown as impossible or certain.
 */
export function percentOf(p: number): string {
  if (p > 0 && p < 0.005) return '<1%';
  if (p < 1 && p >= 0.995) return '>99%';
  return `${Math.round(p * 100)}%`;
}

/**
 * How many ranks the top-down layout has: the most nodes on a path of arrows (a chain of links, through its events).
 * A cycle (none is drawn: links are a forest, events lead down) would be cut where it closes.
 */
export function rankCount(nodes: readonly string[], edges: readonly { source: string; target: string }[]): number {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const below = (n: string): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 0;
    visiting.add(n);
    const d = 1 + Math.max(0, ...(out.get(n) ?? []).map(below));
    visiting.delete(n);
    depth.set(n, d);
    return d;
  };
  return Math.max(0, ...nodes.map(below));
}
