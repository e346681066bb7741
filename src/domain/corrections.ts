/** Corrections as values: which fields of a recorded fact changed, from what to what. Pure. */

/** Entities whose facts can be corrected. */
export type CorrectedEntity = 'case' | 'contact' | 'person' | 'place' | 'venue_order' | 'sample' | 'pool' | 'vaccination' | 'task' | 'quarantine_site' | 'quarantine_assignment' | 'hospital' | 'admission' | 'stranded_visitor' | 'exposure_event';

/** Field name -> [before, after]. */
export type Changes = Record<string, [unknown, unknown]>;

/** The fields whose values differ between `before` and `after` (only the keys `after` gives are compared). */
export function diff<T extends object>(before: T, after: Partial<T>): Changes {
  const out: Changes = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const was = (before as Record<string, unknown>)[k];
    if (JSON.stringify(was ?? null) !== JSON.stringify(v)) out[k] = [was ?? null, v];
  }
  return out;
}

/** Whether a change set changes anything. */
export const changesAnything = (c: Changes): boolean => Object.keys(c).length > 0;
