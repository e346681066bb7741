/**
 * Episodes of infection: a person can be a case again after recovery (a reinfection), and each of their cases is an
 * episode of its own. An exposure of the person (a contact record) belongs to exactly one of them: the episode that
 * had begun by the time of the exposure, the person's first from the start and each later one from the outcome of
 * the one before (recovery or discharge; its confirmation when no outcome is recorded). So an exposure before the
 * first case's end is evidence for the first case only, one after it for the reinfection only. Pure.
 */

export interface EpisodeCase { id: number; personId: number; confirmedAt: number; outcomeAt: number | null }

/** The case whose episode an exposure of `personId` at `at` belongs to (undefined: the person is no case). */
export type EpisodeOf = (personId: number, at: number) => number | undefined;

/** Episodes of the given cases (standing ones: a withdrawn case is no episode). */
export function episodesOf(cases: readonly EpisodeCase[]): EpisodeOf {
  const byPerson = new Map<number, EpisodeCase[]>();
  for (const c of cases) {
    const list = byPerson.get(c.personId);
    if (list) list.push(c); else byPerson.set(c.personId, [c]);
  }
  const starts = new Map<number, { id: number; from: number }[]>();
  for (const [person, list] of byPerson) {
    list.sort((a, b) => a.confirmedAt - b.confirmedAt || a.id - b.id);
    // Stryker disable next-line UnaryOperator: equivalent: the look-up starts from the first episode, so the first episode's start is never needed
    starts.set(person, list.map((c, k) => ({ id: c.id, from: k === 0 ? -Infinity : (list[k - 1].outcomeAt ?? list[k - 1].confirmedAt) })));
  }
  return (personId, at) => {
    const list = starts.get(personId);
    if (!list) return undefined;
    let found = list[0].id;
    for (const e of list) if (e.from <= at) found = e.id;
    return found;
  };
}
