/**
 * What a case investigation (流调) records of a confirmed case, for validation: the places the case truly visited in
 * the investigation's look-back (from `lookBackDays` before onset, or before sampling for a case without symptoms, to
 * confirmation), each recalled with probability `recall`, with its times rounded to `roundMinutes` (people say "from
 * six to eight", not the minute). Investigators enter these as trajectory rows (presence of source `investigation`);
 * they reach places no feed saw: a workplace that reports no attendance, a restaurant where the case did not scan.
 * The recall share is an assumption of the validation (`docs/synth.md`), not a figure of the field. Home is not a
 * visit (the household registry covers it). Seeded: the same visits, seed and recall
 * give the same records.
 */
import { Random } from './random.ts';

/** One true visit (seconds); `place` in the world's numbering (from 0). */
export interface TrueVisit { person: number; place: number; start: number; end: number }
/** A confirmed case as the investigation sees it (seconds); `person` in the world's numbering. */
export interface InvestigatedCase { person: number; onset: number | null; sampledAt: number; confirmedAt: number }

/** The recalled visits of every case, in the order of `cases` and then of `visits`. */
export function investigationRecords(cases: readonly InvestigatedCase[], visits: readonly TrueVisit[], o: { lookBackDays: number; recall: number; roundMinutes: number; seed: number }): TrueVisit[] {
  if (o.recall < 0 || o.recall > 1) throw new RangeError(`recall: a share from 0 to 1 (not ${o.recall})`);
  const byPerson = new Map<number, TrueVisit[]>();
  for (const v of visits) {
    const xs = byPerson.get(v.person);
    if (xs) xs.push(v); else byPerson.set(v.person, [v]);
  }
  const rnd = new Random(o.seed ^ 0x1ab5);
  const unit = o.roundMinutes * 60;
  const round = (t: number) => (unit > 0 ? Math.round(t / unit) * unit : t);
  const out: TrueVisit[] = [];
  for (const c of cases) {
    const from = (c.onset ?? c.sampledAt) - o.lookBackDays * 86400;
    for (const v of byPerson.get(c.person) ?? []) {
      if (v.end <= from || v.start >= c.confirmedAt) continue;
      // The draw comes first, so what one visit's times are does not change which others are recalled.
      if (!rnd.chance(o.recall)) continue;
      const start = round(Math.max(v.start, from)), end = round(Math.min(v.end, c.confirmedAt));
      if (end > start) out.push({ person: v.person, place: v.place, start, end });
    }
  }
  return out;
}
